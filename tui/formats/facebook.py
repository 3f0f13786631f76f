"""Facebook's ``received_friend_requests.json`` / ``friend_requests_received.json``.

A ``received_requests_v2`` list of ``{"name", "timestamp"}``; each becomes a pending request. The
export's text is UTF-8 that was decoded as latin-1 ("JosÃ©"): it is repaired.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tui.formats import FormatError, check_count, check_field
from tui.formats.parsed import Parsed
from tui.models import Request

KEYS = ("received_requests_v2", "received_requests")


def fix_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-latin-1, where that is what happened; leave other text alone."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def requests(doc: dict[str, Any], path: str) -> Parsed:
    items = next((doc[k] for k in KEYS if k in doc), None)
    if not isinstance(items, list):
        raise FormatError(path, 1, "a Facebook export needs a received_requests_v2 list")
    check_count(len(items), path, None)
    parsed = Parsed("facebook")
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise FormatError(path, None, f"request {i}: expected an object with a name")
        stamp = item.get("timestamp")
        if not isinstance(stamp, (int, float)) or isinstance(stamp, bool) or not 0 <= stamp < 10**11:
            raise FormatError(path, None, f"request {i}: timestamp {str(stamp)[:20]!r} is not a Unix time")
        name = fix_mojibake(check_field(item["name"], f"request {i}: name", path, None)).strip()
        if not name:
            parsed.skipped += 1
            continue
        sent = datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        parsed.requests.append(Request(name=name, sent_at=sent, source="facebook", source_id=f"{name}|{int(stamp)}"))
    return parsed

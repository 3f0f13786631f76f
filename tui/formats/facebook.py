"""Facebook's friend lists, from Meta's "Download your information" export (JSON).

Three files, each a list of ``{"name", "timestamp"}`` under one key:

* received friend requests (``received_requests_v2``, before 2021 ``received_requests``): pending
  requests;
* your friends (``friends_v2`` in ``your_friends.json``, before 2021 ``friends`` in ``friends.json``):
  contacts, connected on the day of the timestamp;
* rejected friend requests (``rejected_requests_v2`` / ``rejected_requests``): requests declined
  before, stored as declined (never queued), so that a re-request shows "Declined before".

The export's text is UTF-8 that was decoded as latin-1 ("JosÃ©"): it is repaired.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tui.formats import FormatError, check_count, check_field
from tui.formats.parsed import Parsed
from tui.models import Contact, Request, Status

#: The keys of each file, newest first; the format name each gives.
FILES = {
    "facebook": ("received_requests_v2", "received_requests"),
    "facebook-friends": ("friends_v2", "friends"),
    "facebook-declined": ("rejected_requests_v2", "rejected_requests"),
}
KEYS = tuple(key for keys in FILES.values() for key in keys)


def fix_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-latin-1, where that is what happened; leave other text alone."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def kind_of(doc: dict[str, Any]) -> str | None:
    """Which of the three files ``doc`` is, or None."""
    return next((kind for kind, keys in FILES.items() if any(k in doc for k in keys)), None)


def people(doc: dict[str, Any], path: str, kind: str = "facebook") -> Parsed:
    items = next((doc[k] for k in FILES[kind] if k in doc), None)
    if not isinstance(items, list):
        raise FormatError(path, 1, f"a Facebook export needs a {FILES[kind][0]} list")
    check_count(len(items), path, None)
    parsed = Parsed(kind)
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise FormatError(path, None, f"entry {i}: expected an object with a name")
        stamp = item.get("timestamp")
        if not isinstance(stamp, (int, float)) or isinstance(stamp, bool) or not 0 <= stamp < 10**11:
            raise FormatError(path, None, f"entry {i}: timestamp {str(stamp)[:20]!r} is not a Unix time")
        name = fix_mojibake(check_field(item["name"], f"entry {i}: name", path, None)).strip()
        if not name:
            parsed.skipped += 1
            continue
        when = datetime.fromtimestamp(stamp, UTC)
        source_id = f"{name}|{int(stamp)}"
        if kind == "facebook-friends":
            parsed.contacts.append(Contact(name=name, connected_on=when.date().isoformat(), source="facebook", source_id=source_id))
            continue
        status = Status.DECLINED.value if kind == "facebook-declined" else Status.PENDING.value
        parsed.requests.append(
            Request(name=name, sent_at=when.strftime("%Y-%m-%dT%H:%M:%S"), source="facebook", source_id=source_id, status=status)
        )
    return parsed


def requests(doc: dict[str, Any], path: str) -> Parsed:
    """Received friend requests (the single-file import of earlier versions)."""
    return people(doc, path, "facebook")

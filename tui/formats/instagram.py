"""Instagram follow requests, from Meta's "Download your information" export (JSON).

``connections/followers_and_following/follow_requests_you've_received.json``::

    {"relationships_follow_requests_received": [
        {"title": "", "media_list_data": [], "string_list_data": [{"href": "https://www.instagram.com/jdoe", "value": "jdoe", "timestamp": 1767225600}]}]}

Each entry is a pending request from the account: its username is the name until a real one is
known (newer exports put the username in ``title`` and leave ``value`` out), the href is its
profile URL, and the network is ``instagram``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tui.formats import FormatError, check_count, check_field
from tui.formats.parsed import Parsed
from tui.models import Request

KEY = "relationships_follow_requests_received"


def requests(doc: dict[str, Any], path: str) -> Parsed:
    items = doc.get(KEY)
    if not isinstance(items, list):
        raise FormatError(path, 1, f"an Instagram export needs a {KEY} list")
    check_count(len(items), path, None)
    parsed = Parsed("instagram")
    for i, item in enumerate(items, 1):
        data = item.get("string_list_data") if isinstance(item, dict) else None
        entry = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else None
        if entry is None:
            raise FormatError(path, None, f"entry {i}: expected an object with a string_list_data list")
        text = {
            k: check_field(v, f"entry {i}: {k}", path, None).strip() if isinstance(v, str) else ""
            for k, v in (("href", entry.get("href")), ("value", entry.get("value")), ("title", item.get("title")))
        }
        href = text["href"].replace("instagram.com/_u/", "instagram.com/")
        username = text["value"] or text["title"] or href.rstrip("/").rsplit("/", 1)[-1]
        if not username:
            parsed.skipped += 1
            continue
        stamp = entry.get("timestamp")
        if stamp is not None and (not isinstance(stamp, (int, float)) or isinstance(stamp, bool) or not 0 <= stamp < 10**11):
            raise FormatError(path, None, f"entry {i}: timestamp {str(stamp)[:20]!r} is not a Unix time")
        sent = datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%M:%S") if stamp is not None else ""
        parsed.requests.append(
            Request(name=username, urls=[href] if href else [], sent_at=sent, source="instagram", source_id=f"instagram:{username.lower()}")
        )
    return parsed

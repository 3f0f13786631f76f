"""Mastodon follow requests: the JSON that ``GET /api/v1/follow_requests`` returns, saved to a file.

A list of Account objects (``id``, ``username``, ``acct``, ``display_name``, ``note``, ``url``,
``bot``, ``followers_count``, ...). Each becomes a pending request: the display name (else the
username) is the name, the profile URL is its identity, the bio (HTML, turned into plain text) its
headline, the follower count its network size; a bot account is tagged ``bot``. The API does not
say when the request was made, so there is no send time. No network access: the file is read as
it was saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tui.formats import FormatError, check_count, check_field, load_json
from tui.formats.htmltext import plain
from tui.formats.parsed import Parsed
from tui.models import Request

_SNIFF = re.compile(r'^\s*\[\s*\{[^\]]{0,4000}?"acct"\s*:', re.DOTALL)


def _getter(account: dict[str, Any], where: str, path: str) -> Callable[[str], str]:
    """``get(key)``: the account's text under ``key``, stripped ("" where it is not a text)."""
    return lambda key: check_field(v, f"{where}: {key}", path, None).strip() if isinstance(v := account.get(key), str) else ""


def looks_like(text: str) -> bool:
    """A JSON list whose first object has an ``acct``: Mastodon accounts, not the generic JSON."""
    return bool(_SNIFF.match(text[:4096]))


def requests(text: str, path: str) -> Parsed:
    accounts = load_json(text, path)
    if not isinstance(accounts, list):
        raise FormatError(path, 1, "expected the list that GET /api/v1/follow_requests returns")
    check_count(len(accounts), path, None)
    parsed = Parsed("mastodon")
    for i, account in enumerate(accounts, 1):
        if not isinstance(account, dict) or not isinstance(account.get("acct"), str):
            raise FormatError(path, None, f"account {i}: expected an object with an acct")
        get = _getter(account, f"account {i}", path)
        name = get("display_name") or get("username") or get("acct")
        url = get("url")
        followers = account.get("followers_count")
        parsed.requests.append(
            Request(
                name=name,
                title=plain(get("note")),
                urls=[url] if url else [],
                source="mastodon",
                source_id=url or get("acct"),
                connections=str(followers) if isinstance(followers, int) and not isinstance(followers, bool) and followers >= 0 else "",
                tags=["bot"] if account.get("bot") is True else [],
            )
        )
    return parsed

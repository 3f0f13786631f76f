"""Matching a person against indexed people.

Until fuzzy matching lands, this finds identity matches only: the same e-mail address or the same
profile URL, in canonical form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.dedup.keys import KeyIndex
from tui.dedup.normalise import email_key, url_key


@dataclass(slots=True)
class Match:
    other_id: str
    score: int
    kind: str
    """``identical``, ``likely``, ``possible`` or ``impersonation``."""
    reasons: list[str] = field(default_factory=list)

    def to_doc(self) -> dict[str, Any]:
        return {"id": self.other_id, "score": self.score, "kind": self.kind, "reasons": self.reasons}


def identity_matches(emails: list[str], urls: list[str], index: KeyIndex, exclude: str = "") -> list[Match]:
    """Rows of ``index`` sharing an e-mail or profile URL with the person, best first."""
    reasons: dict[int, list[str]] = {}
    for key in filter(None, map(url_key, urls)):
        for row in index.rows_with_url(key):
            reasons.setdefault(row, []).append(f"profile URL identical ({key})")
    for key in filter(None, map(email_key, emails)):
        for row in index.rows_with_email(key):
            reasons.setdefault(row, []).append(f"email identical ({key})")
    return [
        Match(index.ids[row], 100, "identical", why)
        for row, why in sorted(reasons.items(), key=lambda item: -len(item[1]))
        if index.ids[row] != exclude
    ]


class Matcher:
    """Matches for the request on a card: against contacts, and against the other pending requests.

    Holds the precomputed keys; building it is the slow part, matching one request is not.
    """

    def __init__(self, contacts: KeyIndex, pending: KeyIndex) -> None:
        self.contacts = contacts.materialise()
        self.pending = pending.materialise()
        self._names = dict(zip(self.contacts.ids, self.contacts.display)) | dict(zip(self.pending.ids, self.pending.display))

    def name_of(self, other_id: str) -> str:
        return self._names.get(other_id, "")

    def for_request(self, request: Any) -> list[tuple[Match, str]]:
        found = identity_matches(request.emails, request.urls, self.contacts)
        found += identity_matches(request.emails, request.urls, self.pending, exclude=request.id)
        return [(m, self.name_of(m.other_id)) for m in found]

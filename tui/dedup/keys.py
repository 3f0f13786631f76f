"""Precomputed identity keys for a set of people, so matching never re-normalises a store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from tui.dedup.normalise import email_key, simple_name_key, url_key

#: Bump when the normalisers change, so persisted key files are rebuilt.
KEYS_VERSION = 1


@dataclass(slots=True)
class KeyIndex:
    """Column-wise keys: row ``i`` describes the record ``ids[i]``."""

    ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    emails: list[list[str]] = field(default_factory=list)
    urls: list[list[str]] = field(default_factory=list)
    _by_email: dict[str, list[int]] | None = None
    _by_url: dict[str, list[int]] | None = None

    def add(self, id: str, name: str, emails: Iterable[str], urls: Iterable[str]) -> None:
        self.ids.append(id)
        self.names.append(simple_name_key(name))
        self.emails.append([k for k in map(email_key, emails) if k])
        self.urls.append([k for k in map(url_key, urls) if k])
        self._by_email = self._by_url = None

    def rows_with_email(self, key: str) -> list[int]:
        if self._by_email is None:
            self._by_email = _invert(self.emails)
        return self._by_email.get(key, [])

    def rows_with_url(self, key: str) -> list[int]:
        if self._by_url is None:
            self._by_url = _invert(self.urls)
        return self._by_url.get(key, [])

    def to_doc(self) -> dict[str, Any]:
        return {"version": KEYS_VERSION, "ids": self.ids, "names": self.names, "emails": self.emails, "urls": self.urls}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> KeyIndex | None:
        if doc.get("version") != KEYS_VERSION:
            return None
        return cls(ids=doc["ids"], names=doc["names"], emails=doc["emails"], urls=doc["urls"])


def _invert(columns: list[list[str]]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for row, keys in enumerate(columns):
        for key in keys:
            index.setdefault(key, []).append(row)
    return index


def build(records: Iterable[Any]) -> KeyIndex:
    """Keys for records that have ``id``, ``name``, ``emails`` and ``urls``."""
    index = KeyIndex()
    for r in records:
        index.add(r.id, r.name, r.emails, r.urls)
    return index

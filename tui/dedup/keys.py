"""Precomputed identity keys for a set of people, so matching never re-normalises a store.

A :class:`KeyIndex` is column-wise: row ``i`` describes the record ``ids[i]``. It serialises to a
compact text form that loads in about a millisecond at 30k contacts, because a ``tui add`` must
not spend its time parsing: a header line, then one ``id<TAB>name`` line per row, then one
``key<TAB>row`` line per e-mail (``e:``) or profile URL (``u:``). An exact lookup is a substring
search over those bytes; names and ids are split out only when fuzzy matching asks for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import orjson

from tui.dedup.normalise import email_key, simple_name_key, url_key

#: Bump when the normalisers change, so persisted key files are rebuilt.
KEYS_VERSION = 3
_ONE_LINE = re.compile(r"[\t\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


class KeyIndex:
    def __init__(self) -> None:
        self._ids: list[str] = []
        self._names: list[str] = []
        self._display: list[str] = []
        self._identity: dict[str, list[int]] = {}
        self._blob: bytes | None = None
        self._rows_at = self._rows_end = self._identity_at = 0

    # -- building ------------------------------------------------------------------------------

    def add(self, id: str, name: str, emails: Iterable[str], urls: Iterable[str]) -> None:
        self.add_keys(id, simple_name_key(name), identity_keys(emails, urls), name)

    def add_keys(self, id: str, name_key: str, keys: Iterable[str], display: str = "") -> None:
        """Add a row whose keys were computed earlier (see :func:`identity_keys`)."""
        row = len(self._ids)
        self._ids.append(id)
        self._names.append(name_key)
        self._display.append(_ONE_LINE.sub(" ", display))
        for key in keys:
            self._identity.setdefault(key, []).append(row)

    # -- reading -------------------------------------------------------------------------------

    @property
    def ids(self) -> list[str]:
        self._split_rows()
        return self._ids

    @property
    def names(self) -> list[str]:
        self._split_rows()
        return self._names

    @property
    def display(self) -> list[str]:
        """The names as the records spell them (raw: show them through tui.text)."""
        self._split_rows()
        return self._display

    def materialise(self) -> KeyIndex:
        """Turn a loaded index into dictionaries, for many lookups in a long-lived process."""
        if self._blob is not None:
            self._split_rows()
            body = self._blob[self._identity_at + 1 :].decode("utf-8")
            for line in body.splitlines():
                key, _, row = line.rpartition("\t")
                self._identity.setdefault(key, []).append(int(row))
            self._blob = None
        return self

    def _split_rows(self) -> None:
        if self._blob is not None and not self._ids:
            body = self._blob[self._rows_at : self._rows_end].decode("utf-8")
            for line in body.split("\n")[:-1]:  # every row ends with a newline
                id_, _, rest = line.partition("\t")
                name, _, display = rest.partition("\t")
                self._ids.append(id_)
                self._names.append(name)
                self._display.append(display)

    def _rows(self, key: str) -> list[int]:
        if self._blob is None:
            return self._identity.get(key, [])
        needle = b"\n" + key.encode("utf-8") + b"\t"
        rows, start = [], self._identity_at - 1
        while (hit := self._blob.find(needle, start)) != -1:
            end = self._blob.find(b"\n", hit + 1)
            rows.append(int(self._blob[hit + len(needle) : end if end != -1 else None]))
            start = hit + 1
        return rows

    def rows_with_email(self, key: str) -> list[int]:
        return self._rows(f"e:{key}")

    def rows_with_url(self, key: str) -> list[int]:
        return self._rows(f"u:{key}")

    def __len__(self) -> int:
        return len(self.ids)

    # -- persistence ---------------------------------------------------------------------------

    def to_bytes(self, header: dict[str, Any]) -> bytes:
        lines = [orjson.dumps(header | {"version": KEYS_VERSION})]
        lines += [f"{i}\t{n}\t{d}".encode("utf-8", "replace") for i, n, d in zip(self.ids, self.names, self.display)]
        lines.append(b"#identity")
        lines += [f"{key}\t{row}".encode() for key, rows in sorted(self._identity.items()) for row in rows]
        return b"\n".join(lines) + b"\n"

    @classmethod
    def from_bytes(cls, blob: bytes) -> tuple[KeyIndex, dict[str, Any]] | None:
        """The index and its header, or None when the blob is from another version or damaged."""
        first = blob.find(b"\n")
        marker = blob.find(b"\n#identity\n") + 1  # the rows end with the newline before it
        if first == -1 or marker == 0:
            return None
        try:
            header = orjson.loads(blob[:first])
        except orjson.JSONDecodeError:
            return None
        if not isinstance(header, dict) or header.get("version") != KEYS_VERSION:
            return None
        index = cls()
        index._blob = blob
        index._rows_at = first + 1
        index._rows_end = marker
        index._identity_at = marker + len(b"#identity")
        return index, header


def identity_keys(emails: Iterable[str], urls: Iterable[str]) -> list[str]:
    """The decisive identity keys of a person: ``e:<email>`` and ``u:<profile url>``."""
    keys = {f"e:{k}" for k in map(email_key, emails) if k} | {f"u:{k}" for k in map(url_key, urls) if k}
    return sorted(keys)


def build(records: Iterable[Any]) -> KeyIndex:
    """Keys for records that have ``id``, ``name``, ``emails`` and ``urls``."""
    index = KeyIndex()
    for r in records:
        index.add(r.id, r.name, r.emails, r.urls)
    return index

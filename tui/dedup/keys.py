"""Precomputed keys for a set of people, so matching never re-normalises a store.

A :class:`KeyIndex` is column-wise: row ``i`` describes the record ``ids[i]``. It serialises to a
compact text form that loads in a few milliseconds at 30k contacts, because a ``tui add`` must not
spend its time parsing: a header line, then one line per row (id, first, last, company, title,
source, display name, separated by tabs), then one ``key<TAB>row`` line per e-mail (``e:``) or
profile URL (``u:``). An exact lookup is a substring search over those bytes; the columns are split
out only when fuzzy matching asks for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

import orjson

from tui.dedup.normalise import email_key, url_key

#: Bump when the normalisers change, so persisted key files are rebuilt.
KEYS_VERSION = 5
_ONE_LINE = re.compile(r"[\t\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


class PersonKeys(NamedTuple):
    """What matching needs of one person, folded: see :func:`person_keys`."""

    first: str
    last: str
    company: str
    title: str
    source: str
    identity: tuple[str, ...]
    mixed_scripts: bool = False
    lookalikes: bool = False


def person_keys(name: str, company: str, title: str, source: str, emails: Iterable[str], urls: Iterable[str]) -> PersonKeys:
    from tui.dedup.names import company_key, parse

    parsed = parse(name)
    return PersonKeys(
        parsed.first,
        parsed.last,
        company_key(company),
        company_key(title),
        (source or "").strip().lower(),
        tuple(identity_keys(emails, urls)),
        bool(parsed.mixed_scripts),
        parsed.lookalikes,
    )


def identity_keys(emails: Iterable[str], urls: Iterable[str]) -> list[str]:
    """The decisive identity keys of a person: ``e:<email>`` and ``u:<profile url>``."""
    keys = {f"e:{k}" for k in map(email_key, emails) if k} | {f"u:{k}" for k in map(url_key, urls) if k}
    return sorted(keys)


COLUMNS = ("ids", "firsts", "lasts", "companies", "titles", "sources", "display", "urls")


class KeyIndex:
    def __init__(self) -> None:
        self.columns: dict[str, list[str]] = {name: [] for name in COLUMNS}
        self._identity: dict[str, list[int]] = {}
        self._blob: bytes | None = None
        self._rows_at = self._rows_end = self._names_at = self._identity_at = 0
        self._lines: list[bytes] | None = None

    # -- building ------------------------------------------------------------------------------

    def add(self, id: str, name: str, emails: Iterable[str], urls: Iterable[str], company: str = "", title: str = "", source: str = "") -> None:
        self.add_keys(id, person_keys(name, company, title, source, emails, urls), name)

    def add_keys(self, id: str, keys: PersonKeys, display: str = "") -> None:
        """Add a row whose keys were computed earlier (see :func:`person_keys`)."""
        row = len(self.columns["ids"])
        urls = " ".join(k for k in keys.identity if k.startswith("u:"))
        for column, value in zip(COLUMNS, (id, keys.first, keys.last, keys.company, keys.title, keys.source, display, urls)):
            self.columns[column].append(_ONE_LINE.sub(" ", value))
        for key in keys.identity:
            self._identity.setdefault(key, []).append(row)

    # -- reading -------------------------------------------------------------------------------

    def column(self, name: str) -> list[str]:
        self._split_rows()
        return self.columns[name]

    @property
    def ids(self) -> list[str]:
        return self.column("ids")

    @property
    def display(self) -> list[str]:
        """The names as the records spell them (raw: show them through tui.text)."""
        return self.column("display")

    def row_keys(self, row: int) -> PersonKeys:
        c = self.columns
        if not c["ids"] and self._blob is not None:  # one row, without splitting the rest
            v = self._row_values(row)
            return PersonKeys(v[1], v[2], v[3], v[4], v[5], tuple(v[7].split()))
        return PersonKeys(c["firsts"][row], c["lasts"][row], c["companies"][row], c["titles"][row], c["sources"][row], tuple(c["urls"][row].split()))

    def _row_values(self, row: int) -> list[str]:
        if self._lines is None:
            assert self._blob is not None
            self._lines = self._blob[self._rows_at : self._rows_end].split(b"\n")
        return self._lines[row].decode("utf-8").split("\t")

    def row_id(self, row: int) -> str:
        return self._row_values(row)[0] if not self.columns["ids"] and self._blob is not None else self.columns["ids"][row]

    def row_display(self, row: int) -> str:
        return self._row_values(row)[6] if not self.columns["ids"] and self._blob is not None else self.columns["display"][row]

    def surnames(self) -> dict[str, list[int]] | list[tuple[str, str]]:
        """Surname -> rows. On a loaded index: (surname, "row,row,...") pairs, parsed lazily."""
        if self._blob is not None and not self.columns["ids"]:
            section = self._blob[self._names_at : self._identity_at - len(b"#identity")].decode("utf-8")
            return [tuple(line.split("\t")) for line in section.split("\n")[:-1]]  # type: ignore[misc]
        by_last: dict[str, list[int]] = {}
        for row, last in enumerate(self.columns["lasts"]):
            if last:
                by_last.setdefault(last, []).append(row)
        return by_last

    def _split_rows(self) -> None:
        if self._blob is not None and not self.columns["ids"]:
            body = self._blob[self._rows_at : self._rows_end].decode("utf-8")
            columns = [self.columns[name] for name in COLUMNS]
            for line in body.split("\n")[:-1]:  # every row ends with a newline
                for column, value in zip(columns, line.split("\t")):
                    column.append(value)

    def _rows(self, key: str) -> list[int]:
        if self._blob is None:
            return self._identity.get(key, [])
        # The identity lines are sorted: binary search over byte offsets, then read forward.
        blob, target = self._blob, key.encode("utf-8") + b"\t"
        lo, hi = self._identity_at + 1, len(blob)
        while lo < hi:
            mid = (lo + hi) // 2
            start = blob.rfind(b"\n", self._identity_at, mid) + 1
            end = blob.find(b"\n", start)
            end = len(blob) if end == -1 else end
            if blob[start:end] + b"\n" < target:  # compare whole lines as "key\trow"
                lo = end + 1
            else:
                hi = start
        rows = []
        while lo < len(blob) and blob.startswith(target, lo):
            end = blob.find(b"\n", lo)
            rows.append(int(blob[lo + len(target) : end if end != -1 else None]))
            lo = len(blob) if end == -1 else end + 1
        return rows

    def rows_with(self, key: str) -> list[int]:
        """Rows with the identity key ``e:<email>`` or ``u:<url>``."""
        return self._rows(key)

    def rows_with_email(self, key: str) -> list[int]:
        return self._rows(f"e:{key}")

    def rows_with_url(self, key: str) -> list[int]:
        return self._rows(f"u:{key}")

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

    def __len__(self) -> int:
        return len(self.ids)

    # -- persistence ---------------------------------------------------------------------------

    def to_bytes(self, header: dict[str, Any]) -> bytes:
        self._split_rows()
        lines = [orjson.dumps(header | {"version": KEYS_VERSION})]
        lines += ["\t".join(values).encode("utf-8", "replace") for values in zip(*(self.columns[c] for c in COLUMNS))]
        lines.append(b"#surnames")
        by_last: dict[str, list[int]] = {}
        for row, last in enumerate(self.columns["lasts"]):
            by_last.setdefault(last, []).append(row)
        lines += [f"{last}\t{','.join(map(str, rows))}".encode("utf-8", "replace") for last, rows in sorted(by_last.items()) if last]
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
        names = blob.find(b"\n#surnames\n") + 1
        if names == 0 or names > marker:
            return None
        index = cls()
        index._blob = blob
        index._rows_at = first + 1
        index._rows_end = names
        index._names_at = names + len(b"#surnames\n")
        index._identity_at = marker + len(b"#identity")
        return index, header


def build(records: Iterable[Any]) -> KeyIndex:
    """Keys for records with ``id``, ``name``, ``emails``, ``urls``, ``company``, ``title``, ``source``."""
    index = KeyIndex()
    for r in records:
        index.add(r.id, r.name, r.emails, r.urls, r.company, r.title, r.source)
    return index

"""A persisted key index with the rows changed since it was written laid over it.

``keys.idx`` is built for all contacts at once (sorted sections, a binary search per lookup), so
adding one contact cannot update it in place. :class:`DeltaIndex` answers every lookup from the
mapped file, leaving out the rows that changed since (``dead``), plus a small in-memory index of
the rows as they are now (``tail``), numbered after the file's. The store rebuilds the file when
the tail grows past a few per cent of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tui.dedup.keys import COLUMNS, KeyIndex, PersonKeys


class DeltaIndex(KeyIndex):
    def __init__(self, base: KeyIndex, tail: KeyIndex, dead: set[int]) -> None:
        super().__init__()
        self.base, self.tail, self.dead = base, tail, dead
        self.offset = base.size()
        self._dead_companies: dict[str, int] = {}
        self._lasts: list[str] | None = None
        for row in dead:
            company = base.row_keys(row).company
            if company:
                self._dead_companies[company] = self._dead_companies.get(company, 0) + 1

    @classmethod
    def over(cls, base: KeyIndex, rows: list[tuple[str, PersonKeys, str, str]], changed: Iterable[str]) -> KeyIndex:
        """``base`` with the rows whose ids are in ``changed`` taken out and ``rows`` (id, keys,
        display name, company as written) laid over it. The base's rows are in id order."""
        ids = set(changed)
        if not ids and not rows:
            return base
        top = _number(base.row_id(base.size() - 1)) if base.size() else -1
        dead = {row for row in (_find(base, i) for i in ids if _number(i) <= top) if row is not None}
        return cls(base, KeyIndex.bulk(rows), dead)

    # -- rows ----------------------------------------------------------------------------------

    @property
    def lazy(self) -> bool:
        return True

    def size(self) -> int:
        return self.offset - len(self.dead) + self.tail.size()

    def row_keys(self, row: int) -> PersonKeys:
        return self.base.row_keys(row) if row < self.offset else self.tail.row_keys(row - self.offset)

    def row_id(self, row: int) -> str:
        return self.base.row_id(row) if row < self.offset else self.tail.row_id(row - self.offset)

    def row_display(self, row: int) -> str:
        return self.base.row_display(row) if row < self.offset else self.tail.row_display(row - self.offset)

    def row_columns(self, row: int) -> dict[str, str]:
        return self.base.row_columns(row) if row < self.offset else self.tail.row_columns(row - self.offset)

    def _rows(self, base: Iterable[int], tail: Iterable[int]) -> list[int]:
        return [r for r in base if r not in self.dead] + [r + self.offset for r in tail]

    # -- blocking ------------------------------------------------------------------------------

    def group(self, last: str) -> dict[str, list[int]]:
        merged: dict[str, list[int]] = {}
        for first, rows in self.base.group(last).items():
            kept = [r for r in rows if r not in self.dead]
            if kept:
                merged[first] = kept
        for first, rows in self.tail.group(last).items():
            merged.setdefault(first, []).extend(r + self.offset for r in rows)
        return merged

    def named(self, first: str) -> list[int]:
        return self._rows(self.base.named(first), self.tail.named(first))

    def keyed(self, key: str) -> list[int]:
        return self._rows(self.base.keyed(key), self.tail.keyed(key))

    def rows_with(self, key: str) -> list[int]:
        return self._rows(self.base.rows_with(key), self.tail.rows_with(key))

    def sounding(self, code: str) -> list[str]:
        return list(dict.fromkeys(self.base.sounding(code) + self.tail.sounding(code)))

    def company_count(self, company: str) -> int:
        return self.base.company_count(company) - self._dead_companies.get(company, 0) + self.tail.company_count(company)

    def surname_list(self) -> list[str]:
        if self._lasts is None:
            extra = [last for last in self.tail.surname_list() if not self.base.group(last)]
            self._lasts = self.base.surname_list() + extra if extra else self.base.surname_list()
        return self._lasts

    def rows_containing(self, needles: Iterable[str]) -> set[int]:
        needles = list(needles)
        return set(self._rows(self.base.rows_containing(needles), self.tail.rows_containing(needles)))

    # -- as one index --------------------------------------------------------------------------

    def _split_rows(self) -> None:
        if not self.columns["ids"]:
            self.base._split_rows()
            keep = [row for row in range(self.offset) if row not in self.dead]
            self.tail._split_rows()
            self.columns = {name: [self.base.columns[name][r] for r in keep] + list(self.tail.columns[name]) for name in COLUMNS}

    def materialise(self, pace: Callable[[], object] = lambda: None) -> KeyIndex:
        """One plain index of the rows as they are now (renumbered), for many lookups."""
        self._split_rows()
        return _plain(self.columns)

    def compacted(self) -> KeyIndex:
        """One plain index of the rows as they are now in id order, as keys.idx is built (an
        updated contact's row is at the tail's end here): what keys.idx with its tail becomes."""
        self._split_rows()
        ids = self.columns["ids"]
        order = sorted(range(len(ids)), key=lambda row: _number(ids[row]))
        return _plain({name: [values[row] for row in order] for name, values in self.columns.items()})

    def blocks(self):  # type: ignore[no-untyped-def]
        return self.materialise().blocks()

    def identities(self) -> dict[int, tuple[str, ...]]:
        return self.materialise().identities()

    def to_bytes(self, header: dict[str, object]) -> bytes:
        return self.materialise().to_bytes(header)


def _plain(columns: dict[str, list[str]]) -> KeyIndex:
    """An index of these columns, each row filed under its identity keys."""
    index = KeyIndex()
    index.columns = columns
    for row, (emails, urls) in enumerate(zip(columns["emails"], columns["urls"], strict=True)):
        index.file_identity(row, [f"e:{e}" for e in emails.split()] + urls.split())
    return index


def _find(index: KeyIndex, record_id: str) -> int | None:
    """The row of ``record_id`` ("c12") in an index whose rows are in id order (binary search)."""
    number = _number(record_id)
    lo, hi = 0, index.size()
    while lo < hi:
        mid = (lo + hi) // 2
        if _number(index.row_id(mid)) < number:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo < index.size() and index.row_id(lo) == record_id else None


def _number(record_id: str) -> int:
    return int(record_id[1:]) if record_id[1:].isdigit() else -1

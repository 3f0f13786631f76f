"""TinyDB over a :class:`~tui.store.files.DataFile`: the store's commands use TinyDB's API, and
every change lands in the file's cached tables in place, noted document by document.

TinyDB's own ``Table`` rebuilds a whole table (two dict comprehensions over every document) on
each insert, update or remove, and finds the next id by reading every key: milliseconds per
change at 100k decisions. :class:`TrackedTable` hands TinyDB's update functions a view of the
table that changes the cached documents in place and notes each document it touches (with a copy
of it as it was), so that the write can append just those to the journal
(:mod:`tui.store.journal`); and it keeps the next id of each table for as long as the data is the
same read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from tui.store.files import DataFile


class FileStorage(Storage):
    """Hands TinyDB the cached data of one file. TinyDB's whole-data ``write`` is never called by
    :class:`TrackedTable`; if anything does call it, the file is written whole."""

    def __init__(self, file: DataFile) -> None:
        self.file = file

    def read(self) -> dict[str, dict[str, Any]] | None:
        return self.file.data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.file.data = data
        self.file.rewrite()
        self.file.changes += 1


class _Touching(MutableMapping[int, Any]):
    """A table's documents by integer id, as TinyDB's update functions expect, over the cached
    table (string ids); every document looked up, set or removed is noted as touched."""

    def __init__(self, file: DataFile, name: str) -> None:
        assert file.data is not None
        self.file, self.name = file, name
        self.raw: dict[str, Any] = file.data.setdefault(name, {})

    def _touch(self, key: str) -> None:
        touched = self.file.touched
        if (self.name, key) not in touched:
            old = self.raw.get(key)
            touched[(self.name, key)] = dict(old) if isinstance(old, dict) else None
        self.file.dirty = True

    def __getitem__(self, doc_id: int) -> Any:
        key = str(doc_id)
        doc = self.raw[key]
        self._touch(key)
        return doc

    def __setitem__(self, doc_id: int, doc: Any) -> None:
        key = str(doc_id)
        self._touch(key)
        self.raw[key] = doc
        ids = self.file.next_ids
        if self.name in ids and doc_id >= ids[self.name]:  # a document given its own id
            ids[self.name] = doc_id + 1

    def __delitem__(self, doc_id: int) -> None:
        key = str(doc_id)
        self._touch(key)
        del self.raw[key]

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self.raw

    def __iter__(self) -> Iterator[int]:
        return iter([int(k) for k in self.raw])

    def __len__(self) -> int:
        return len(self.raw)


class TrackedTable(Table):
    def __init__(self, storage: FileStorage, name: str, cache_size: int = 10, persist_empty: bool = False) -> None:
        super().__init__(storage, name, cache_size=0)  # a query cache would outlive changes made in place
        self._file = storage.file

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        file = self._file
        if file.data is None:
            file.data = {}
        updater(_Touching(file, self.name))  # type: ignore[arg-type]
        file.changes += 1
        self.clear_cache()

    def _get_next_id(self) -> int:
        ids = self._file.next_ids
        if self.name not in ids:
            table = self._read_table()
            top = getattr(table, "max_id", None)  # a lazy table (docmap) knows it without reading every document
            given = self._file.high.get(self.name, 0)  # ids of documents removed since are never given again
            ids[self.name] = max(top() if top is not None else max((int(k) for k in table), default=0), given) + 1
        next_id = ids[self.name]
        ids[self.name] = next_id + 1
        return next_id


class TrackedDB(TinyDB):
    table_class = TrackedTable  # type: ignore[assignment]


def tinydb(file: DataFile) -> TinyDB:
    """A TinyDB over ``file``'s cached data (a fresh one per transaction: TinyDB keeps tables)."""
    return TrackedDB(storage=lambda: FileStorage(file))

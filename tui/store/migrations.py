"""Schema versions, and the migrations that bring an older store up to :data:`SCHEMA`.

``meta.json`` holds the version. Data files without it are schema 0; a directory with no data
file at all is a new store, already current. :meth:`Store.open <tui.store.Store.open>` refuses a
newer schema and runs ``MIGRATIONS[n]`` for each older step, under the lock, after a full backup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from tui.store.errors import StoreError

if TYPE_CHECKING:
    from tui.store.datadir import DataDir

SCHEMA = 3
JOURNAL_SCHEMA = {"queue.json": 2, "contacts.json": 3}
"""The first schema with each file's journal (queue.jnl, contacts.jnl): a tui older than it must
refuse a store where that journal is (it would read the file without the writes in it)."""


def schema_of(meta: Mapping[str, Any] | None, has_data: bool) -> int:
    """The schema of a store whose ``meta.json`` holds the tables ``meta`` (None: no such file)
    and which has (``has_data``) or has not a contacts or queue file."""
    record = (meta or {}).get("meta", {}).get("1")
    if record is not None:
        schema = record.get("schema", 0) if isinstance(record, dict) else None
        if type(schema) is not int or schema < 0:  # a hand edit: never int() of it
            raise StoreError(
                f"meta.json: schema {str(schema)[:20]!r} is not a schema number (this tui writes {SCHEMA}); fix the file, or restore it from backups/"
            )
        return schema
    return 0 if has_data else SCHEMA


def _migrate_0_to_1(store: DataDir) -> None:
    """Schema 0 (data files without meta.json) kept list fields as plain strings and had no
    ``added_at``. Make them lists and stamp a time, so every reader can rely on the shapes.

    Works on the raw tables in one pass: TinyDB's ``update`` re-reads the whole table per call,
    which made this quadratic (minutes for 20k contacts). Running it twice changes nothing more,
    so a migration killed half-way is simply run again at the next start."""
    with store._transaction(store._contacts, store._queue):
        for file, name in ((store._contacts, "contacts"), (store._queue, "requests")):
            assert file.data is not None
            for doc in file.data[name].values():
                for key in ("emails", "urls", "tags"):
                    if isinstance(doc.get(key), str):
                        doc[key] = [doc[key]]
                if name == "requests" and not doc.get("added_at"):
                    doc["added_at"] = doc.get("sent_at") or store.now_iso()
            file.rewrite()


def _migrate_1_to_2(store: DataDir) -> None:
    """Schema 2 appends a write of the queue alone to ``queue.jnl`` (tui/store/journal.py) rather
    than rewriting ``queue.json``. The data is the same: the version is raised so that an older
    tui, which would not read the journal, refuses the store rather than lose what is in it."""


def _migrate_2_to_3(store: DataDir) -> None:
    """Schema 3 journals ``contacts.json`` too (``contacts.jnl``, with its map ``contacts.map``).
    The data is the same: the version is raised so that a tui of schema 2, which would read
    contacts.json without the writes in its journal (and lose them at its next write), refuses it."""


MIGRATIONS: dict[int, Callable[[DataDir], None]] = {0: _migrate_0_to_1, 1: _migrate_1_to_2, 2: _migrate_2_to_3}

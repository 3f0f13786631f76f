"""The store: the only package that talks to TinyDB. ``from tui.store import Store``.

- ``store.py``      :class:`Store`: open, reads and commands, named after what the user does
- ``datadir.py``    a data directory: the lock, transactions (through TinyDB), the schema check
- ``files.py``      the file codec and the in-memory cache of each data file
- ``history.py``    the append-only decision history: what is in force, what an undo may revert
- ``imports.py``    applying an import's plan to the tables
- ``reconcile.py``  import matching as a pure function (documents in, inserts and updates out)
- ``derived.py``    keys.idx, queue.head and each request's stored keys (``_pk``)
- ``rows.py``       requests.rows: each request's line as ``tui list`` prints it
- ``stream.py``     every document of a table, a chunk of its file at a time
- ``scan.py``       a data file read as the store would, a chunk at a time (doctor, good backups)
- ``commit.py``     commit.json: a write of two files lands whole, even killed between its renames
- ``backups.py``    snapshots, pruning, restoring
- ``migrations.py`` schema versions and the steps between them
- ``errors.py``     what the store raises

:class:`Store` and :class:`ImportReport` are imported on first use, so that the pure modules
(``reconcile``, ``backups``) and the exceptions load without TinyDB.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from tui.store.errors import Conflict, NoStore, NotFound, StoreBusy, StoreCorrupt, StoreError
from tui.store.files import DATA_FILES
from tui.store.migrations import SCHEMA

if TYPE_CHECKING:
    from tui.store.derived import HEAD_SIZE
    from tui.store.imports import ImportReport
    from tui.store.store import UNDECIDED, Store

_LAZY = {"Store": "tui.store.store", "UNDECIDED": "tui.store.store", "ImportReport": "tui.store.imports", "HEAD_SIZE": "tui.store.derived"}

__all__ = [
    "DATA_FILES",
    "HEAD_SIZE",
    "SCHEMA",
    "UNDECIDED",
    "Conflict",
    "ImportReport",
    "NoStore",
    "NotFound",
    "Store",
    "StoreBusy",
    "StoreCorrupt",
    "StoreError",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value

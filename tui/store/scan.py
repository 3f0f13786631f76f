"""Reading a data file of the data directory, or of a snapshot, as the store would, without holding
it whole: for `tui doctor` and for finding the newest good backup, which go through every document
once (at 100k contacts the parsed file alone is 250 MB).

A journaled file (``contacts.json``, ``queue.json``) whose map is known is read through it
(:class:`~tui.store.docmap.Lazy`): its own map in the data directory, or for a snapshot's copy the
map of the live file it was copied from (``copies.json`` names it). The copy's CRC-32, block by
block, must be the one the map records, and each chunk is checked again by its own CRC as it is
parsed (:func:`tui.store.stream.documents`); the journal is laid over the lazy tables as the store
lays it. Any other file, or one whose map does not fit, is parsed whole, as before.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from tui.store import docmap, journal, stream
from tui.store.files import decode, folded_of, token_of

Tables = Mapping[str, Mapping[str, Any]]


def read_file(folder: Path, name: str, root: Path) -> Tables:
    """``backups.read_file(folder, name)``, with lazy tables where a map of ``root`` fits the file.
    FileNotFoundError, or ValueError("line N: …") (the journal's: "queue.jnl line N: …")."""
    from tui.store import backups  # (backups finds the newest good copy with this module)

    if name not in journal.FILES:
        return backups.read_file(folder, name)
    path = folder / name
    with open(path, "rb") as f:  # (FileNotFoundError as read_file's)
        lazy = _mapped(f, path, root / name)
        if lazy is None:
            return backups.read_file(folder, name)
        data: dict[str, Any] = dict(lazy[0].tables)
        mark = lazy[1]
    for table in journal.FILES[name]:
        data.setdefault(table, {})
    raw = backups.journal_bytes(folder, name)
    if raw:
        try:
            writes = journal.check(journal.read(raw, journal.FILES[name]), name, token_of(mark), data, folded_of(mark), raw)
        except ValueError as exc:
            raise ValueError(f"{journal.name_of(name)} {exc}") from None
        journal.apply(data, writes)
    return data


def _mapped(f: Any, path: Path, live: Path) -> tuple[docmap.Lazy, dict[str, Any] | None] | None:
    """The file open as ``f`` through the map of ``live`` (its own, when it is that file; else
    the map of the live file a snapshot's copy was made from), when its bytes are what that map
    says; else None."""
    st = os.fstat(f.fileno())
    sigs = [(st.st_ino, st.st_size, st.st_mtime_ns)]
    source = _copied_from(path)
    if source is not None and source[1] == st.st_size:
        sigs.append(source)
    for sig in sigs:
        found = docmap.load(live, sig, journal.TOKEN)
        if found is None:
            continue
        maps, mark, crc = found
        lazy = docmap.Lazy(os.fdopen(os.dup(f.fileno()), "rb"), maps, decode, crc)
        if lazy.intact():
            return lazy, mark
        lazy.close()
    return None


def _copied_from(path: Path) -> tuple[int, int, int] | None:
    """The (inode, size, mtime) of the live file a snapshot's copy ``path`` was made from."""
    from tui.store.backups import SOURCES

    try:
        found = orjson.loads((path.parent / SOURCES).read_bytes()).get(path.name)
    except (OSError, orjson.JSONDecodeError, AttributeError):
        return None
    if isinstance(found, list) and len(found) == 3 and all(type(n) is int for n in found):
        return found[0], found[1], found[2]
    return None


def readable(folder: Path, name: str, root: Path) -> bool:
    """``name`` in ``folder`` reads as the store would read it, every document of it parsed (and
    dropped: a chunk at a time where it is mapped)."""
    try:
        tables = read_file(folder, name, root)
        for table in tables.values():
            for _ in stream.documents(table):
                pass
    except (FileNotFoundError, ValueError):
        return False
    return True

"""``commit.json``: the record of a write of two data files, so that it lands whole.

A write that changes the contacts and the queue together (an import of both, a merge, its undo)
writes each file to a fsynced temp file first; a full disk fails there, with nothing changed.
Then the temp files are renamed into place, one after the other. A process killed between two
renames would leave the new ``contacts.json`` beside the old ``queue.json``, and the next start
would sweep the second temp file away as a stray. So before the first rename the writer records
the renames to make (this file, written atomically and fsynced), and removes the record after
the last. Whoever next holds the lock (the next start, or the next writer) finds a record left
behind and makes the renames whose temp file is still there: the write lands whole, as it was
acknowledged to be about to. A record that names anything but a data file and its own temp file
is ignored (and removed): nothing else is ever renamed.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import orjson

from tui.fileio import TEMP_SUFFIX, atomic_write, commit_temp, fsync_dir, read_cache

RECORD = "commit.json"


def begin(root: Path, renames: list[tuple[Path, Path]]) -> None:
    """Record the renames (temp file, data file) about to be made; durable when this returns."""
    atomic_write(root / RECORD, orjson.dumps([[tmp.name, target.name] for tmp, target in renames]))


def end(root: Path) -> None:
    """Every rename is made: the record goes (a record left behind names no temp file left)."""
    with contextlib.suppress(OSError):
        (root / RECORD).unlink()


def finish(root: Path, data_files: tuple[str, ...]) -> bool:
    """Make the renames a record left behind names (the caller holds the lock). True when a record
    was found (the data files may have changed)."""
    if not (root / RECORD).exists() and not (root / RECORD).is_symlink():
        return False
    raw = read_cache(root / RECORD, 1 << 16)  # (a FIFO, a link to a device: no record of ours)
    try:
        renames = orjson.loads(raw) if raw is not None else None
    except orjson.JSONDecodeError:
        renames = None
    for tmp, target in _valid(renames, data_files):
        if _own_temp(root / tmp):
            commit_temp(root / tmp, root / target)
    with contextlib.suppress(OSError):  # (a directory in its place stays, doing nothing)
        (root / RECORD).unlink()
        fsync_dir(root)
    return True


def _own_temp(path: Path) -> bool:
    """A temp file as a writer leaves it: a regular file of its own (no link to another file,
    whether symbolic or hard)."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_nlink == 1


def _valid(renames: object, data_files: tuple[str, ...]) -> list[tuple[str, str]]:
    """The renames of a record, when every one is a data file's own temp file into that file."""
    if not isinstance(renames, list):
        return []
    found = []
    for pair in renames:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(name, str) for name in pair)):
            return []
        tmp, target = pair
        if target not in data_files or "/" in tmp or not (tmp.startswith(f".{target}.") and tmp.endswith(TEMP_SUFFIX)):
            return []
        found.append((tmp, target))
    return found

"""The data files: their codec, and their in-memory cache.

A :class:`DataFile` holds one JSON file's tables in memory and re-reads the file only when another
process replaced it (its inode, size or mtime changed). Writes are two-phase: :meth:`DataFile.prepare`
writes a fsynced temp file, :meth:`DataFile.commit` renames it into place (the transaction in
:mod:`tui.store.datadir` orders them, and hands the data to TinyDB).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from tui.fileio import commit_temp, write_temp
from tui.gcpause import paused_gc
from tui.store.errors import StoreCorrupt

DATA_FILES = ("meta.json", "contacts.json", "queue.json")


def decode(raw: bytes) -> dict[str, dict[str, Any]]:
    """A data file's bytes as tables of records. ValueError("line N: ...") when they are not."""
    try:
        with paused_gc():  # the cyclic GC triples the cost of building 30k small dicts
            data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise ValueError("line 1: not a table of records")
    return data


class DataFile:
    """One JSON file, cached in memory and re-read only when another process replaced it."""

    def __init__(self, path: Path, tables: tuple[str, ...], backup_finder: Callable[[str], Path | None]) -> None:
        self.path = path
        self.tables = tables
        self._backup_finder = backup_finder
        self.data: dict[str, dict[str, Any]] | None = None
        self.sig: tuple[int, int, int] | None = None
        self.dirty = False
        self.reads = 0
        """How many times the file was (re)read from disk: each one may bring other processes' writes."""

    def signature(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def load(self) -> bool:
        """Make ``data`` current. True when it was (re)read."""
        sig = self.signature()
        if self.data is not None and sig == self.sig:
            return False
        if sig is None:
            self.data = {name: {} for name in self.tables}
        else:
            self.data = self._parse(self.path.read_bytes())
        self.sig = sig
        self.reads += 1
        return True

    def _parse(self, raw: bytes) -> dict[str, dict[str, Any]]:
        try:
            data = decode(raw)
        except ValueError as exc:
            raise StoreCorrupt(self.path, str(exc), self._backup_finder(self.path.name)) from None
        for name in self.tables:
            data.setdefault(name, {})
        return data

    def invalidate(self) -> None:
        self.data, self.sig, self.dirty = None, None, False

    def prepare(self) -> Path | None:
        """Write the changed data to a temp file (the first half of a write); None if unchanged."""
        if not self.dirty:
            return None
        try:
            payload = orjson.dumps(self.data)
        except TypeError:
            # A lone surrogate (from undecodable bytes in argv or a JSON "\udcff" escape) has no
            # UTF-8 form. Store U+FFFD in its place rather than refuse the whole write.
            self.data = _scrub(self.data)
            payload = orjson.dumps(self.data)
        try:
            return write_temp(self.path, payload)
        except OSError as exc:  # name the file: a failed os.write carries no file name
            raise OSError(exc.errno, exc.strerror, str(self.path)) from None

    def commit(self, tmp: Path) -> None:
        commit_temp(tmp, self.path)
        self.sig = self.signature()
        self.dirty = False


_SURROGATE = re.compile("[\ud800-\udfff]")


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value

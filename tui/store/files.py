"""The data files: their codec, and their in-memory cache.

A :class:`DataFile` holds one JSON file's tables in memory, re-read only when another process
changed it. Writes are two-phase: :meth:`DataFile.prepare` writes a fsynced temp file,
:meth:`DataFile.commit` renames it into place (ordered by the transaction in :mod:`tui.store.datadir`).
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, cast

import orjson

from tui.fileio import commit_temp, write_temp
from tui.gcpause import paused_gc
from tui.store import docmap, journal
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
    """One JSON file, cached in memory; ``journaled``: followed by its journal (tui.store.journal)."""

    def __init__(self, path: Path, tables: tuple[str, ...], backup_finder: Callable[[str], Path | None], journaled: bool = False) -> None:
        self.path, self.tables, self._backup_finder = path, tables, backup_finder
        self.data: dict[str, dict[str, Any]] | None = None
        self.sig: tuple[int, ...] | None = None
        self.dirty = False
        self.reads = 0
        """How many times the file was (re)read: each read may bring other processes' writes."""
        self.journal = journal.path_of(path) if journaled else None
        self.token: str | None = None
        """The token of the file read (its journal's first line names it), or None."""
        self.end = 0
        """Where the last whole line of the journal, as read, ends (0: no journal for this file)."""
        self.lines = 0
        """How many lines of the journal were read (for the line numbers of damage found later)."""
        self.folded: list[Any] | None = None
        """The fingerprint of the journal the file read took in when it was written."""
        self.base_size = 0
        self.touched: dict[tuple[str, str], dict[str, Any] | None] = {}
        """The documents this write changed (table, id), each as it was before (None: new)."""
        self.whole = False
        """This write changed the data by other means than the tables: rewrite the whole file."""
        self.next_ids: dict[str, int] = {}
        """The next id of each table, kept while the data is the same read."""
        self.keys_version: object = None  # KEYS_VERSION of the stored keys at the last whole write
        self.changes = 0
        """Counts every change to ``data`` (a read, a change made here): for caches built from it."""
        self.maps = journaled
        """Read the file through its map (:mod:`tui.store.docmap`), making one when it has none."""
        self.cache_lock: Callable[[], AbstractContextManager[bool]] | None = None
        """The store's lock if it is free (see DataDir._lock_if_free): a map is written under it."""
        self.mark: dict[str, Any] | None = None
        """The mark of the file read or written (see :func:`_mark`)."""
        self.lazy: docmap.Lazy | None = None
        """The file as read through its map, while ``data`` holds its lazy tables."""
        self.high: dict[str, int] = {}
        """The highest id of each table, ever: the mark's, and the journal's since (journal.highest)."""

    def signature(self) -> tuple[int, ...] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        if self.journal is None:
            return (st.st_ino, st.st_size, st.st_mtime_ns)
        try:
            jt = os.stat(self.journal)
        except FileNotFoundError:
            return (st.st_ino, st.st_size, st.st_mtime_ns)
        return (st.st_ino, st.st_size, st.st_mtime_ns, jt.st_ino, jt.st_size, jt.st_mtime_ns)

    def load(self) -> bool:
        """Make ``data`` current. True when it was (re)read."""
        sig = self.signature()
        if self.data is not None and sig == self.sig:
            return False
        if not (self.data is not None and sig is not None and self._grown(sig) and self._read_journal(self.data, self.end, sig[3])):
            for _ in range(5):
                self._read_whole(sig)
                now = self.signature()
                if now is None or sig is None or now[:3] == sig[:3]:
                    break
                sig = now  # the file was replaced while it was read (a compaction): read the new one
        self.sig = sig
        self.next_ids = {}
        self.reads += 1
        self.changes += 1
        return True

    def _read_whole(self, sig: tuple[int, ...] | None) -> None:
        self.end = self.lines = 0
        self._drop_lazy()
        if sig is None:
            self.data, self.token, self.base_size = {name: {} for name in self.tables}, None, 0
            if self.journal is not None and journal.holds_writes(self.journal, self.tables):
                raise StoreCorrupt(
                    self.journal, f"line 1: its {self.path.name} is missing", None, hint="`tui doctor --repair` puts it back from backups/"
                )
            self._refuse_if_deleted()
            return
        if not (self.maps and self._read_mapped(sig)):
            raw = self.path.read_bytes()
            self.data = self._parse(raw)
            self.base_size = len(raw)
            if self.maps:
                self._map_read(raw, sig)
        if self.journal is not None:
            assert self.data is not None
            self._read_journal(self.data, 0)

    def _read_mapped(self, sig: tuple[int, ...]) -> bool:
        """Take the file's tables as lazy ones, through its map (False: it has no current map)."""
        try:
            f = open(self.path, "rb")  # noqa: SIM115 (kept open by the Lazy tables: closed when they are read whole or dropped)
        except FileNotFoundError:
            return False
        st = os.fstat(f.fileno())
        opened = (st.st_ino, st.st_size, st.st_mtime_ns)
        found = docmap.load(self.path, opened, journal.TOKEN) if opened == tuple(sig[:3]) else None
        if found is None or not all(name in found[0] for name in self.tables):
            f.close()
            return False
        maps, mark, crc = found
        lazy = docmap.Lazy(f, maps, self._parse, crc)
        if not lazy.intact():
            f.close()
            return False
        self.lazy = lazy
        self.data = cast(dict[str, dict[str, Any]], dict(self.lazy.tables))  # mappings that stand in for the dicts
        self._take_mark(mark)
        self.base_size = st.st_size
        return True

    def point(self) -> list[Any] | None:
        """Where this read stands, for a cache of the mapped file that the journal's changes are
        laid over (:mod:`tui.store.rows`): the file's inode, size, mtime, token and CRC, then the
        journal's inode and how far it was read (0 and 0: none). None when not read through a map."""
        if self.lazy is None or self.sig is None or self.token is None:
            return None
        return [*self.sig[:3], self.token, self.lazy.crc, self.sig[3] if len(self.sig) == 6 and self.end else 0, self.end]

    def plain(self) -> dict[str, dict[str, Any]]:
        """``data`` with every table a plain dict (lazy ones read whole)."""
        assert self.data is not None
        lazy = [name for name, table in self.data.items() if isinstance(table, docmap.LazyTable)]
        if lazy and self.lazy is not None:
            full = self.lazy.materialise()
            for name in lazy:
                self.data[name] = full[name]
        self.lazy = None
        return self.data

    def _drop_lazy(self) -> None:
        """Forget the lazy tables (not closed: one still held may read a chunk of the file it maps)."""
        self.lazy = None

    def _map_read(self, raw: bytes, sig: tuple[int, ...]) -> None:
        """A file read whole without a current map gets one, when :func:`docmap.dump` gives its
        very bytes (a file this program wrote); else a map that says there is none (not tried
        again for this file). Like every cache, only when the lock is free (never in a dry run)."""
        assert self.data is not None
        if self.cache_lock is None or docmap.known(self.path, sig[:3]):
            return
        with self.cache_lock() as free:
            if not free:
                return
            try:
                again, maps = docmap.dump(self.data, self.mark, journal.TOKEN)
            except TypeError:
                again, maps = b"", None
            docmap.save(self.path, maps if again == raw else None, self.mark, sig[:3], zlib.crc32(raw))

    def _refuse_if_deleted(self) -> None:
        """A missing file that a backup holds records of was deleted, not never written: reading
        it as empty would show an emptied store, and the next write would start it afresh (new
        ids over the old ones). StoreCorrupt, naming the backup (see backups.deleted)."""
        from tui.store import backups  # (backups reads files with this module's decode)

        found = backups.deleted(self.path.parent, self.path.name)
        if found is not None:
            raise StoreCorrupt(self.path, f"it is {found[1]}", found[0])

    def _grown(self, sig: tuple[int, ...] | None) -> bool:
        """Only lines were appended to the journal since the last read (read just those)."""
        old = self.sig
        return (
            sig is not None
            and old is not None
            and len(sig) == 6
            and sig[:3] == old[:3]
            and self.end > 0
            and len(old) == 6
            and sig[3] == old[3]
            and sig[4] >= self.end
        )

    def _read_journal(self, data: dict[str, dict[str, Any]], start: int, inode: int = 0) -> bool:
        """Apply the journal's lines from ``start`` (0: the whole journal, checking that it
        follows this file). False, with nothing applied, when the journal is no longer the one
        whose ``inode`` was read up to ``start`` (replaced by a compaction meanwhile)."""
        assert self.journal is not None
        try:
            with open(self.journal, "rb") as f:
                if start and os.fstat(f.fileno()).st_ino != inode:
                    return False
                f.seek(start)
                raw = f.read()
        except FileNotFoundError:
            return start == 0
        found = journal.read(raw, self.tables, first_line=self.lines + 1 if start else 1)
        found = found._replace(follows=self.token) if start else found  # the lines after those read follow: the first was checked
        try:
            writes = journal.check(found, self.path.name, self.token, data, self.folded, raw)
        except ValueError as exc:
            raise StoreCorrupt(self.journal, str(exc), None, hint="`tui doctor --repair` repairs it") from None
        if not start and found.follows != self.token:  # a leftover of a compaction, all in this file: the next write replaces it
            self.end = self.lines = 0
            return True
        journal.apply(data, writes)
        journal.note_ids(self.high, writes)
        self.lines = (self.lines if start else 0) + raw[: found.end].count(b"\n") + found.unterminated
        self.end = start + found.end
        return True

    def _parse(self, raw: bytes) -> dict[str, dict[str, Any]]:
        try:
            data = decode(raw)
        except ValueError as exc:
            raise StoreCorrupt(self.path, str(exc), self._backup_finder(self.path.name)) from None
        self._take_mark(data.pop(journal.TOKEN, None))
        for name in self.tables:
            data.setdefault(name, {})
        return data

    def _take_mark(self, mark: Any) -> None:
        """What the file read or just written says of itself (see :func:`_dump`)."""
        self.mark = mark if isinstance(mark, dict) else None
        self.token, self.folded, self.high = token_of(mark), folded_of(mark), journal.ids_of(mark)
        self.keys_version = mark.get("keys") if isinstance(mark, dict) else None

    def invalidate(self) -> None:
        self._drop_lazy()
        self.data, self.sig, self.dirty, self.token, self.end, self.lines = None, None, False, None, 0, 0
        self.touched, self.whole, self.next_ids, self.high = {}, False, {}, {}
        self.changes += 1

    def rewrite(self) -> None:
        """The data was changed in place, not through the tables: the next write is a whole one."""
        self.dirty = self.whole = True
        self.changes += 1

    def journal_line(self) -> bytes | None:
        """This write as one journal line, or None when it is to rewrite the whole file: the file
        has no journal, was changed in place, has none yet, or its journal has grown past a
        quarter of it (then the whole file is written: a compaction)."""
        if self.journal is None or self.whole or not self.touched or self.token is None or self.data is None:
            return None
        if self.end > max(journal.MIN_COMPACT, min(self.base_size // 4, journal.MAX_JOURNAL)):
            return None
        changes = [(table, key, self.data[table].get(key)) for table, key in self.touched]
        journal.note_ids(self.high, [changes])  # (one removed: its id still given)
        try:
            return journal.line(changes)
        except TypeError:  # a lone surrogate (see prepare): the whole write scrubs it
            return None

    def append(self, payload: bytes) -> None:
        """The second way to write: one line appended to the journal (durable when it returns)."""
        assert self.journal is not None and self.token is not None
        self.lines = (self.lines or 1) + 1  # a new journal starts with its first line
        self.end = journal.append(self.journal, self.token, payload, self.end)
        self.sig = self.signature()
        self._done()

    def prepare(self) -> Path | None:
        """Write the changed data to a temp file (the first half of a write); None if unchanged."""
        if not self.dirty:
            return None
        data = self.plain()
        mark = _mark(journal.new_token(), self._taken_in(), journal.highest(self.high, data, self.touched)) if self.journal else None
        try:
            payload, maps = self._dump(data, mark)
        except TypeError:
            # A lone surrogate (from undecodable bytes in argv or a JSON "\udcff" escape) has no
            # UTF-8 form. Store U+FFFD in its place rather than refuse the whole write.
            self.data = data = _scrub(data)
            payload, maps = self._dump(data, mark)
        try:
            tmp = write_temp(self.path, payload)
        except OSError as exc:  # name the file: a failed os.write carries no file name
            raise OSError(exc.errno, exc.strerror, str(self.path)) from None
        self._next = mark, len(payload), maps, zlib.crc32(payload) if maps is not None else 0
        return tmp

    def _dump(self, data: dict[str, dict[str, Any]], mark: dict[str, Any] | None) -> tuple[bytes, dict[str, docmap.TableMap] | None]:
        """The file's bytes, with its mark when it has a journal (and then the map of its documents)."""
        if mark is None:
            return orjson.dumps(data), None
        return docmap.dump(data, mark, journal.TOKEN) if self.maps else (orjson.dumps({**data, journal.TOKEN: mark}), None)

    def _taken_in(self) -> list[Any] | None:
        """The fingerprint of the journal a whole write takes in (see journal.fingerprint)."""
        if self.journal is None or not self.end:
            return None
        try:
            with open(self.journal, "rb") as f:
                return journal.fingerprint(f.read(self.end), self.token, self.end)
        except OSError:
            return None

    def commit(self, tmp: Path) -> None:
        """Rename the temp file into place (:meth:`committed` follows once every file is renamed)."""
        commit_temp(tmp, self.path)

    def committed(self) -> None:
        mark, self.base_size, maps, crc = self._next
        self._take_mark(mark)
        if self.journal is not None:  # it followed the file just replaced: never to be applied again
            self.journal.unlink(missing_ok=True)
        self.end = self.lines = 0
        self.sig = self.signature()
        if self.maps and self.sig is not None:
            docmap.save(self.path, maps, mark, self.sig[:3], crc)
        self._done()

    def _done(self) -> None:
        self.dirty, self.whole, self.touched = False, False, {}


def token_of(value: Any) -> str | None:
    token = value.get("base") if isinstance(value, dict) else None
    return token if isinstance(token, str) else None


def _mark(token: str, folded: list[Any] | None, ids: dict[str, int]) -> dict[str, Any]:
    """A journaled file's mark: the token a journal that follows it names, the KEYS_VERSION of its
    requests' stored keys (each is refreshed before a whole write), and the fingerprint of the
    journal whose writes it took in (a leftover of exactly which is never damage), and the highest
    id each table has given (never given again: see journal.highest)."""
    from tui.dedup.keys import KEYS_VERSION

    return {"base": token, "keys": KEYS_VERSION, "folded": folded, "ids": ids}


def folded_of(value: Any) -> list[Any] | None:
    """The fingerprint of the journal a file took in when it was written (see :func:`_mark`)."""
    found = value.get("folded") if isinstance(value, dict) else None
    return found if isinstance(found, list) else None


def decode_with_journal(raw: bytes, journal_raw: bytes | None, name: str) -> dict[str, dict[str, Any]]:
    """A journaled file's tables (``name``: one of journal.FILES) with its journal applied, as the
    store reads them (for backups and `tui doctor`, which read files on their own).
    ValueError("line N: …"; "queue.jnl line N: …" for its journal) when either is damaged."""
    tables = journal.FILES[name]
    data = decode(raw)
    mark = data.pop(journal.TOKEN, None)
    for table in tables:
        data.setdefault(table, {})
    if journal_raw:
        try:
            writes = journal.check(journal.read(journal_raw, tables), name, token_of(mark), data, folded_of(mark), journal_raw)
        except ValueError as exc:
            raise ValueError(f"{journal.name_of(name)} {exc}") from None
        journal.apply(data, writes)
    return data


_SURROGATE = re.compile("[\ud800-\udfff]")


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value

"""A data directory: its files, the lock, transactions, the schema check and the backups.

:class:`DataDir` is what every store operation stands on; :class:`~tui.store.store.Store` adds
the reads and the commands. Every write takes the lock, re-reads any file another process
changed, applies the change through TinyDB, and writes each touched file atomically (temp file,
fsync, rename, fsync of the directory), in two phases so that a write touching two files never
lands half-way. Reading never takes the lock: files are only ever replaced by a rename.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document

from tui.clock import Clock, iso, system_clock
from tui.fileio import LockHolder, stray_temp_files
from tui.gcpause import paused_gc
from tui.models import Request
from tui.store import backups, commit, derived, journal, keyfiles, rows, stream
from tui.store.docmap import LazyTable
from tui.store.errors import StoreCorrupt, StoreError
from tui.store.files import DATA_FILES, DataFile
from tui.store.lock import holding, lock_state, store_lock
from tui.store.migrations import MIGRATIONS, SCHEMA, schema_of
from tui.store.tables import tinydb


class DataDir:
    """The files of a data directory, and transactions over them. Thread-safe."""

    def __init__(self, root: Path, lock_timeout: float = 30.0, clock: Clock = system_clock) -> None:
        self.root = Path(root)
        self.clock = clock
        self.backups = self.root / backups.FOLDER
        self.on_lock_wait: Callable[[LockHolder | None], None] | None = None
        """Called once (from the waiting thread) when a write has waited a second for the lock."""
        self._lock = store_lock(self.root, lock_timeout, self._waiting)
        self._mutex = threading.RLock()
        self._meta = DataFile(self.root / "meta.json", ("meta",), self.newest_good_backup)
        self._contacts, self._queue = (
            DataFile(self.root / name, journal.FILES[name], self.newest_good_backup, journaled=True)
            for name in ("contacts.json", "queue.json")
        )
        for f in (self._contacts, self._queue):
            f.cache_lock = self._lock_if_free
        self._snap: dict[str, tuple[int, dict[str, Any]]] = {}
        self._daily = ""
        """The day a daily copy was last known to exist (checked once a day, not every write)."""
        self._head: dict[str, Any] | None = None
        """queue.head as this process last wrote it."""
        self._refreshed_at: tuple[int, int] = (0, 0)
        self._keys_checked = -1
        """The read of queue.json whose stored keys (``_pk``) were last brought up to date."""
        self.tidy = True
        """False: reading writes nothing at all (no temp-file sweep, no cache rebuilt): a dry run."""

    def now(self) -> datetime:
        """The store's clock: every time it records, and every "today", comes from here."""
        return self.clock()

    def now_iso(self) -> str:
        return iso(self.clock())

    def today(self) -> str:
        """Today's date (UTC) as ``YYYY-MM-DD``."""
        return self.clock().astimezone(UTC).date().isoformat()

    # -- the lock ------------------------------------------------------------------------------

    def _waiting(self, holder: LockHolder | None) -> None:
        if self.on_lock_wait is not None:
            self.on_lock_wait(holder)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The store lock, for a write: waits for another process's write to end. The in-memory
        mutex is taken only once the lock is held, so this process's readers (other threads) never
        wait behind a writer that waits for another process."""
        with holding(self._lock, self.root), self._mutex:
            yield

    @contextmanager
    def _lock_if_free(self) -> Iterator[bool]:
        """The lock only if it can be had at once: for work a reader may skip (a temp-file sweep,
        a cache rebuild). Yields False when another process holds it, the store is read-only, or
        it is not to be tidied (:attr:`tidy`)."""
        with self._mutex:
            try:
                free = self.tidy and self._lock.try_acquire()
            except OSError:
                free = False
            try:
                yield free
            finally:
                if free:
                    self._lock.release()

    def give_up_waiting(self) -> None:
        """End every write of this process that waits for the lock now, and refuse later ones
        (:class:`~tui.store.errors.StoreBusy`): for an app that quits without saving."""
        self._lock.given_up.set()

    def lock_state(self) -> tuple[str, LockHolder | None]:
        """See :func:`tui.store.lock.lock_state`."""
        with self._mutex:
            return lock_state(self._lock)

    # -- the schema ----------------------------------------------------------------------------

    def schema_version(self) -> int:
        self._meta.load()
        return schema_of(self._meta.data, self._contacts.signature() is not None or self._queue.signature() is not None)

    def _check_schema(self) -> bool:
        """Refuse a newer schema; migrate an older one (that waits for the lock). True when the
        store needed nothing."""
        version = self.schema_version()
        if version > SCHEMA:
            raise StoreError(f"{self._meta.path}: written by a newer tui (schema {version}, this one knows {SCHEMA}); upgrade tui")
        if version == SCHEMA:
            return True
        if not self.tidy:  # a dry run: it writes nothing at all, not even the upgrade
            raise StoreError(
                f"{self._meta.path}: written by an older tui (schema {version}, this one writes {SCHEMA}), and a dry run"
                " writes nothing, not even the upgrade: run any command without --dry-run first (it takes a backup)"
            )
        with self._locked():
            self.finish_commit()
            for tmp in stray_temp_files(self.root):
                tmp.unlink(missing_ok=True)
            self._meta.invalidate()
            version = self.schema_version()  # another process may have migrated it meanwhile
            if version < SCHEMA:
                try:
                    self.backup(f"schema{version}", copy=True)
                except OSError as exc:
                    raise StoreError(
                        f"{exc.filename or self.backups}: cannot take the backup a migration needs ({exc.strerror}); nothing was changed"
                    ) from None
                for step in range(version, SCHEMA):
                    MIGRATIONS[step](self)
                with self._transaction(self._meta) as (db,):
                    db.table("meta").upsert(Document({"schema": SCHEMA}, doc_id=1))
        return False

    # -- backups -------------------------------------------------------------------------------

    def backup(self, reason: str, copy: bool = False) -> Path:
        """Snapshot every data file into ``backups/<seq>-<time>-<reason>`` (see backups.py).

        Files are only ever replaced, never changed in place, so a hard link is a true snapshot of
        what this program wrote, and costs no space until the file is next replaced. A link does
        not survive damage done *in place* by something else (an editor, a disk fault), because it
        is the same inode; ``copy=True`` makes an independent copy for that case.
        """
        return backups.take(self.root, reason, self.now(), copy)

    def list_backups(self) -> list[Path]:
        """Every snapshot, newest (last written) first."""
        return backups.snapshots(self.root)

    def newest_good_backup(self, name: str) -> Path | None:
        """The newest backup holding a copy of ``name`` that parses as the store would parse it."""
        return backups.newest_good(self.root, name)

    def _snapshot_after_write(self, appended: bool) -> None:
        """A snapshot after every write that replaced a file (hard links, and a copy of
        queue.json); a full copy after the first write of the day (the day of the newest daily
        copy by sequence, so a clock that jumps does no harm). A write appended to the journal
        replaced nothing: the snapshot before it holds the same files, and the journal holds the
        state before it as its first lines."""
        today = self.today().replace("-", "")
        if self._daily != today:
            if backups.newest_day(self.root, "daily") != today:
                self.backup("daily", copy=True)
            self._daily = today
        if not appended:
            self.backup("write")

    # -- transactions --------------------------------------------------------------------------

    @contextmanager
    def _transaction(self, *given: DataFile) -> Iterator[tuple[TinyDB, ...]]:
        with self._locked():
            self.finish_commit()
            # A new store's meta.json comes with its first write (reading writes nothing). Data
            # without meta.json is schema 0, which Store.open migrates before any other write.
            stamp_meta = self._meta not in given and not any(f.signature() for f in (self._meta, self._contacts, self._queue))
            files = (*given, self._meta) if stamp_meta else given
            for f in files:
                f.load()
            before = self._queue.sig
            try:
                yield tuple(tinydb(f) for f in given)
            except BaseException:
                for f in files:
                    f.invalidate()
                raise
            wrote = any(f.dirty for f in given)
            if self._queue.dirty and self._queue.data is not None and self._keys_checked != self._queue.reads and not self._keys_current():
                # Keys stored by another version of the normalisers, checked once per read of the
                # file: this process's own writes store current ones.
                if derived.refresh_keys(self._queue.data["requests"]):
                    self._queue.rewrite()
                self._keys_checked = self._queue.reads
            if wrote and stamp_meta:
                assert self._meta.data is not None
                self._meta.data["meta"]["1"] = {"schema": SCHEMA}
                self._meta.rewrite()
            touched, queue_written = dict(self._queue.touched), self._queue.dirty
            appended = self._write(files)
            if wrote:
                # The data is safely written. What follows is secondary (a snapshot, a cache): on a
                # full disk it may fail, and must not turn a write that landed into an error.
                with contextlib.suppress(OSError):
                    self._snapshot_after_write(appended)
                if queue_written:
                    self._write_head(before, touched)
                if queue_written and not appended and (self.root / derived.PENDING_FILE).exists():
                    self._write_pending()

    def finish_commit(self) -> None:
        """A write of two files that a killed process left half renamed, made whole (the lock is
        held: see :mod:`tui.store.commit`)."""
        if commit.finish(self.root, DATA_FILES):
            for f in (self._meta, self._contacts, self._queue):
                f.invalidate()

    def _write_pending(self) -> None:
        """pending.idx anew after queue.json was written whole (a compaction, an import): the one
        it had followed is gone, and whoever uses it (the app's first card) would wait for the
        whole queue to be matched."""
        queue = self._queue
        if queue.data is not None and queue.sig is not None and queue.token is not None:
            with paused_gc():
                keyfiles.save_pending_keys(self.root, queue.data["requests"], queue.sig, queue.token, queue.end)

    def _keys_current(self) -> bool:
        """queue.json was last written whole by a tui whose keys are this one's: every request in
        it has them (each is refreshed before such a write), and so does every journal line this
        version wrote; an older one's stored keys are recomputed where used (derived.stored_keys)."""
        from tui.dedup.keys import KEYS_VERSION

        return self._queue.keys_version == KEYS_VERSION

    def _write(self, files: tuple[DataFile, ...]) -> bool:
        """Write each changed file. A write that changed one journaled file alone (the queue, or
        the contacts), document by document, is one line appended to its journal. Otherwise in two
        phases: every changed file goes to a fsynced temp file first, and only when all of them are
        written are they renamed into place (meta, then contacts, first). A full disk fails in the
        first phase, so a write that touches two files never lands half-way."""
        dirty = [f for f in files if f.dirty]
        line = dirty[0].journal_line() if len(dirty) == 1 else None
        prepared: list[tuple[DataFile, Path]] = []
        try:
            if line is not None:
                dirty[0].append(line)
                return True
            for f in sorted(files, key=lambda f: (f is not self._meta, f is not self._contacts)):
                tmp = f.prepare()
                if tmp is not None:
                    prepared.append((f, tmp))
            if len(prepared) > 1:  # a kill between the renames: the next holder of the lock makes the rest
                commit.begin(self.root, [(tmp, f.path) for f, tmp in prepared])
            for f, tmp in prepared:
                f.commit(tmp)
            for f, _ in prepared:
                f.committed()
            if len(prepared) > 1:
                commit.end(self.root)
        except OSError as exc:
            for _, tmp in prepared:
                tmp.unlink(missing_ok=True)
            for f in files:
                f.invalidate()
            raise StoreError(f"{exc.filename or self.root}: write failed ({exc.strerror}); the store is unchanged") from None
        return False

    def _write_head(self, before: tuple[int, ...] | None, touched: dict[tuple[str, str], dict[str, Any] | None]) -> None:
        """queue.head after a write of the queue: from the head before it when there is one for
        the queue as it was (this process's, or the file another process wrote), else anew."""
        assert self._queue.data is not None
        previous = self._head if self._head is not None and before is not None and self._head["sig"] == list(before) else None
        trusted = previous is not None
        if previous is None and before is not None and touched:
            previous = derived.read_head(self.root, before)
        try:
            with paused_gc():
                head = derived.next_head(previous if touched else None, self._queue.data, touched, self._queue.sig, self.today(), trusted)
            derived.save_head(self.root, head)
            self._head = head
        except (OSError, StoreCorrupt):  # the write landed: a cache it could not follow is dropped, not an error
            self._head = None
            with contextlib.suppress(OSError):
                (self.root / derived.HEAD_FILE).unlink(missing_ok=True)

    def save_head(self) -> None:
        """queue.head for the queue as it is, when the one there names another queue.json (a
        copied, restored or synced directory: no write made it since) or another day, and the lock
        is free: a cache, from which the app's next start draws its first card."""
        with self._lock_if_free() as free, self._mutex:
            sig = self._queue.signature() if free else None
            if sig is None or derived.head_cards(derived.read_head(self.root, sig), self.today()) is not None:
                return
            self._queue.load()
            if self._queue.data is not None and self._queue.sig == sig:
                with contextlib.suppress(OSError), paused_gc():
                    head = derived.build_head(self._queue.data, sig, self.today())
                    derived.save_head(self.root, head)
                    self._head = head

    def _table(self, file: DataFile, table: str) -> dict[str, Any]:
        file.load()
        assert file.data is not None
        return file.data[table]

    def _models(self, file: DataFile, table: str, factory: Callable[[dict[str, Any], str], Any], prefix: str) -> dict[str, Any]:
        """Model objects for a table, rebuilt only when the file changed."""
        with self._mutex:
            raw = self._table(file, table)
            cached = self._snap.get(table)
            if cached is not None and cached[0] == file.changes:
                return cached[1]
            with paused_gc():
                models = {f"{prefix}{k}": factory(doc, f"{prefix}{k}") for k, doc in raw.items()}
            self._snap[table] = (file.changes, models)
            return models

    def documents(self, file: DataFile, table: str) -> Iterator[tuple[str, Any]]:
        """Every document of a table, in stored order, a chunk of the file at a time (see stream.py)."""
        with self._mutex:
            found = self._table(file, table)
        return stream.documents(found)

    def request_rows(self, row: Callable[[Request], list[str]], version: str) -> dict[str, list[str]]:
        """``row(request)`` for every request, by id, in stored order: from requests.rows when it
        was made for this queue.json (:mod:`tui.store.rows`), with what the journal changed laid
        over it, reading no other request; else from the table, and then kept for the next time.
        ``version`` names ``row``: rows another one made are never used."""

        def row_of(key: str, doc: dict[str, Any]) -> list[str]:
            return row(Request.from_doc(doc, f"r{key}"))

        with self._mutex:
            table = self._table(self._queue, "requests")
            point = self._queue.point()
            lazy = table if isinstance(table, LazyTable) and table.full is None else None
            found = rows.load(self.root, point, version) if point is not None and lazy is not None else None
            if found is not None and lazy is not None and point is not None:  # (those changed since they were made, made again)
                since = rows.changed_since(self._queue.journal, point, found[1], "requests")
                overlay = lazy.overlay  # (in the journal's order: new requests come last in it, as in the table)
                made = rows.laid_over(found[0], overlay if since is None else {k: doc for k, doc in overlay.items() if k in since}, row_of)
                if since is not None and len(since) <= rows.REFRESH:
                    return made
            else:
                made = {rid: row(request) for rid, request in self._models(self._queue, "requests", Request.from_doc, "r").items()}
            if point is not None:
                with self._lock_if_free() as free:
                    if free:
                        rows.save(self.root, point, version, made)
            return made

    def read_all(self) -> None:
        """Read every data file now, for a command that will need them all and has a moment while
        other processes work (``tui dedup`` while its children match)."""
        with self._mutex:
            for file in (self._contacts, self._queue):
                file.load()

    def contacts_signature(self) -> object:
        """The contacts file as last read or written here, or as it is on disk if this store has
        not read it (the key files answer most lookups): changes with every change of contacts,
        whoever made it. () when there is no contacts file."""
        with self._mutex:
            found = self._contacts.sig if self._contacts.data is not None else self._contacts.signature()
            return found or ()

    def refresh(self) -> bool:
        """Pick up writes made by other processes. True when anything may have changed since the
        last call: a file re-read now, or re-read since by one of our own writes (a write reloads a
        file another process changed, and so takes in that process's records too)."""
        with self._mutex:
            for f in (self._contacts, self._queue):
                if f.data is not None and f.signature() != f.sig:
                    f.load()
            reads = (self._contacts.reads, self._queue.reads)
            changed, self._refreshed_at = reads != self._refreshed_at, reads
            return changed

"""The store: the only module that talks to TinyDB.

Layout of a data directory::

    meta.json       schema version
    contacts.json   the user's network (large, rarely written)
    queue.json      requests and the append-only decision history (written on every decision)
    keys.idx        derived: identity keys of the contacts, rebuilt when contacts.json changes
    queue.head      derived: the first cards of the queue, for a fast start of the app
    backups/        snapshots (tui/backups.py): hard links after every write (the newest 10), a full
                    copy after the first write of each day (the newest 14), and one before any
                    migration, ordered by a sequence number
    .lock           the cross-process lock; its holder's PID and command line are written in it

Every write takes the lock, re-reads any file another process changed, applies the change through
TinyDB, and writes each touched file atomically (temp file, fsync, rename, fsync of the directory).
A decision therefore rewrites ``queue.json`` but never the contacts. A file that does not parse
raises :class:`StoreCorrupt` and nothing is written.

Reading never takes the lock: files are only ever replaced by a rename, so a reader always sees a
whole file. Work a reader would like to do under the lock (sweeping a killed writer's temp files,
rebuilding a derived cache) is done only when the lock is free, and skipped otherwise; so reads
work beside a stuck writer and on a read-only store. A decision can carry the status its maker
saw; the store refuses it (:class:`Conflict`) when the request has changed since.

Callers use methods named after what the user does; they never see documents or tables.
"""

from __future__ import annotations

import gc
import heapq
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from tui.backups import Backups
from tui.clock import Clock, iso, system_clock
from tui.dedup.keys import KeyIndex, PersonKeys, identity_keys, person_keys
from tui.dedup.normalise import email_key, simple_name_key, url_key
from tui.errors import UserError
from tui.fileio import LockHolder, LockTimeout, ProcessLock, atomic_write, commit_temp, private_dir, stray_temp_files, write_temp
from tui.models import VERDICT_STATUS, Contact, Decision, Request, Status, Verdict, is_due, sort_queue

SCHEMA = 1
HEAD_SIZE = 20
DATA_FILES = ("meta.json", "contacts.json", "queue.json")
#: Statuses a request can be decided from without overriding an earlier decision.
UNDECIDED = (Status.PENDING.value, Status.DEFERRED.value, Status.ASKED.value)


class StoreError(UserError):
    """A store problem the user can act on; the message says what and where."""


class StoreCorrupt(StoreError):
    exit_code = 3

    def __init__(self, path: Path, detail: str, backup: Path | None) -> None:
        self.path, self.backup = path, backup
        hint = f"newest good backup: {backup / path.name}; `tui doctor --repair` restores it" if backup else "no backup holds a good copy"
        super().__init__(f"{path}: cannot be read ({detail}); nothing was changed; {hint}")


class StoreBusy(StoreError):
    pass


class NotFound(StoreError):
    pass


class NoStore(StoreError):
    """A read of a data directory that does not exist (nothing was created)."""

    @classmethod
    def at(cls, root: Path) -> NoStore:
        return cls(f"{root}: no data directory (nothing was added or imported there yet); nothing was created")


class Conflict(StoreError):
    """A decision or an undo refused because the request changed since its maker saw it.

    ``current`` is the request as it now is; ``state`` says so in words ("declined"); ``by`` and
    ``at`` name the decision in force that made it so, where there is one."""

    def __init__(self, message: str, current: Request | None = None, state: str = "", by: str = "", at: str = "") -> None:
        super().__init__(message)
        self.current, self.state, self.by, self.at = current, state, by, at


# --------------------------------------------------------------------------------------- files


def decode(raw: bytes) -> dict[str, dict[str, Any]]:
    """A data file's bytes as tables of records. ValueError("line N: ...") when they are not."""
    gc.disable()  # the cyclic GC triples the cost of building 30k small dicts
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"line {exc.lineno}: {exc.msg}") from None
    finally:
        gc.enable()
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise ValueError("line 1: not a table of records")
    return data


class _DataFile:
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


class _FileStorage(Storage):
    """Hands TinyDB the cached data of one file; writes are buffered until the transaction ends."""

    def __init__(self, file: _DataFile) -> None:
        self.file = file

    def read(self) -> dict[str, dict[str, Any]] | None:
        return self.file.data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.file.data = data
        self.file.dirty = True


def _tinydb(file: _DataFile) -> TinyDB:
    # A fresh TinyDB per transaction: its tables cache the next id, which another process may
    # have used since.
    return TinyDB(storage=lambda: _FileStorage(file))


# ------------------------------------------------------------------------------------ reports


@dataclass(slots=True)
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Rows not stored: already a contact (same URL or e-mail), or empty."""

    def counts(self) -> dict[str, int]:
        return {k: len(getattr(self, k)) for k in ("added", "updated", "unchanged", "skipped")}


_PERSON_FIELDS = ("name", "first_name", "last_name", "title", "company", "location", "emails", "urls", "source", "source_id", "tags", "notes")
_REQUEST_FIELDS = _PERSON_FIELDS + ("message", "sent_at", "connections", "mutual")
_CONTACT_FIELDS = _PERSON_FIELDS + ("connected_on",)
_UNDO_FIELDS = ("status", "until", "answers", "verdict", "merged_into")


# -------------------------------------------------------------------------------------- store


class Store:
    """A data directory. Safe to share between processes and between threads of one process."""

    def __init__(self, root: Path, lock_timeout: float = 30.0, clock: Clock = system_clock) -> None:
        self.root = Path(root)
        self.clock = clock
        self.backups = self.root / "backups"
        self._backups = Backups(self.backups, self.root, DATA_FILES)
        self.on_lock_wait: Callable[[LockHolder | None], None] | None = None
        """Called once (from the waiting thread) when a write has waited a second for the lock."""
        self._lock = ProcessLock(self.root / ".lock", timeout=lock_timeout, on_wait=self._waiting)
        self._mutex = threading.RLock()
        self._meta = _DataFile(self.root / "meta.json", ("meta",), self.newest_good_backup)
        self._contacts = _DataFile(self.root / "contacts.json", ("contacts",), self.newest_good_backup)
        self._queue = _DataFile(self.root / "queue.json", ("requests", "decisions"), self.newest_good_backup)
        self._snap: dict[str, tuple[Any, Any]] = {}
        self._refreshed_at: tuple[int, int] = (0, 0)

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        root: Path | str,
        lock_timeout: float = 30.0,
        clock: Clock = system_clock,
        create: bool = True,
        on_lock_wait: Callable[[LockHolder | None], None] | None = None,
    ) -> Store:
        """Open a store; clean up after crashes; migrate an old schema. A missing directory is
        created (mode 0700), unless ``create`` is False (for commands that only read): then
        :class:`NoStore`. Writes nothing else: ``meta.json`` comes with the first write."""
        root = Path(root)
        if not root.is_dir():
            if not create:
                raise NoStore.at(root)
            try:
                private_dir(root)
            except OSError as exc:
                raise StoreError(f"{root}: cannot create the data directory ({exc.strerror})") from None
        store = cls(root, lock_timeout, clock)
        store.on_lock_wait = on_lock_wait
        if store._check_schema():
            with store._lock_if_free() as free:
                if free:  # else the holder may be writing these very files
                    for tmp in stray_temp_files(root):
                        tmp.unlink(missing_ok=True)
        store._verify()
        return store

    def _verify(self) -> None:
        """Every data file must parse before anything uses the store (raises StoreCorrupt).

        Cheap on the common path: a file whose signature (inode, size, mtime) is the one recorded
        in its derived cache (``keys.idx`` for contacts, ``queue.head`` for the queue) was parsed
        when that cache was built, and nothing has touched it since. Others are parsed now, and
        the contacts' cache is rebuilt so that the next start is cheap again."""
        if self._contacts.signature() is not None:
            self.contact_keys()  # a hit maps keys.idx; a miss parses contacts.json and rebuilds it
        if self._queue.signature() is not None and self._current_head() is None:
            with self._mutex:
                self._queue.load()

    def now(self) -> datetime:
        """The store's clock: every time it records, and every "today", comes from here."""
        return self.clock()

    def now_iso(self) -> str:
        return iso(self.clock())

    def today(self) -> str:
        """Today's date (UTC) as ``YYYY-MM-DD``."""
        return self.clock().astimezone(UTC).date().isoformat()

    def _waiting(self, holder: LockHolder | None) -> None:
        if self.on_lock_wait is not None:
            self.on_lock_wait(holder)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The store lock, for a write: waits for another process's write to end. The in-memory
        mutex is taken only once the lock is held, so this process's readers (other threads) never
        wait behind a writer that waits for another process."""
        try:
            self._lock.acquire()
        except LockTimeout as exc:
            who = exc.holder or "another process"
            raise StoreBusy(f"{self.root}: the store lock is held by {who}; gave up after {self._lock.timeout:g} s; nothing was changed") from None
        except OSError as exc:
            raise StoreError(f"{self.root}: the store cannot be written ({exc.strerror}); nothing was changed") from None
        try:
            with self._mutex:
                yield
        finally:
            self._lock.release()

    @contextmanager
    def _lock_if_free(self) -> Iterator[bool]:
        """The lock only if it can be had at once: for work a reader may skip (a temp-file sweep,
        a cache rebuild). Yields False when another process holds it or the store is read-only."""
        with self._mutex:
            try:
                free = self._lock.try_acquire()
            except OSError:
                free = False
            try:
                yield free
            finally:
                if free:
                    self._lock.release()

    def schema_version(self) -> int:
        self._meta.load()
        assert self._meta.data is not None
        meta = self._meta.data["meta"].get("1")
        if meta is not None:
            return int(meta.get("schema", 0))
        has_data = self._contacts.signature() is not None or self._queue.signature() is not None
        return 0 if has_data else SCHEMA

    def _check_schema(self) -> bool:
        """Refuse a newer schema; migrate an older one (that waits for the lock). True when the
        store needed nothing."""
        version = self.schema_version()
        if version > SCHEMA:
            raise StoreError(f"{self._meta.path}: written by a newer tui (schema {version}, this one knows {SCHEMA}); upgrade tui")
        if version == SCHEMA:
            return True
        with self._locked():
            for tmp in stray_temp_files(self.root):
                tmp.unlink(missing_ok=True)
            self._meta.invalidate()
            version = self.schema_version()  # another process may have migrated it meanwhile
            if version < SCHEMA:
                try:
                    self.backup(f"schema{version}", copy=True)
                except OSError as exc:
                    raise StoreError(f"{exc.filename or self.backups}: cannot take the backup a migration needs ({exc.strerror}); nothing was changed") from None
                for step in range(version, SCHEMA):
                    MIGRATIONS[step](self)
                with self._transaction(self._meta) as (db,):
                    db.table("meta").upsert(Document({"schema": SCHEMA}, doc_id=1))
        return False

    # -- backups -------------------------------------------------------------------------------

    def backup(self, reason: str, copy: bool = False) -> Path:
        """Snapshot every data file into ``backups/<seq>-<time>-<reason>`` (see tui/backups.py).

        Files are only ever replaced, never changed in place, so a hard link is a true snapshot of
        what this program wrote, and costs no space until the file is next replaced. A link does
        not survive damage done *in place* by something else (an editor, a disk fault), because it
        is the same inode; ``copy=True`` makes an independent copy for that case.
        """
        return self._backups.take(reason, self.now(), copy)

    def list_backups(self) -> list[Path]:
        """Every snapshot, newest (last written) first."""
        return self._backups.all()

    def read_files(self) -> dict[str, tuple[str, dict[str, dict[str, Any]] | None]]:
        """Each data file, parsed on its own: ("ok", its tables), ("missing", None), or why it
        does not parse (with the line) and None. For `tui doctor`, on a store that may not open."""
        result: dict[str, tuple[str, dict[str, dict[str, Any]] | None]] = {}
        for name in DATA_FILES:
            try:
                result[name] = ("ok", decode((self.root / name).read_bytes()))
            except FileNotFoundError:
                result[name] = ("missing", None)
            except ValueError as exc:
                result[name] = (str(exc), None)
        return result

    def newest_good_backup(self, name: str) -> Path | None:
        """The newest backup holding a copy of ``name`` that parses as the store would parse it."""
        return self._backups.newest_good(name, decode)

    def restore(self, name: str, backup: Path) -> Path:
        """Put the backup's copy of ``name`` in place, under the lock. The damaged file is moved
        aside first (``name.damaged-<time>``), never overwritten. Returns where it went."""
        if name not in DATA_FILES:
            raise StoreError(f"{name}: not a store file")
        with self._locked():
            source, target = backup / name, self.root / name
            payload = source.read_bytes()
            stamp = self.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
            aside = self.root / f"{name}.damaged-{stamp}"
            for n in range(2, 1000):  # never over an earlier damaged copy (the clock may repeat)
                if not aside.exists():
                    break
                aside = self.root / f"{name}.damaged-{stamp}-{n}"
            if target.exists():
                os.replace(target, aside)
                os.chmod(aside, 0o600)
            atomic_write(target, payload)
            for f in (self._meta, self._contacts, self._queue):
                f.invalidate()
            self._snap.clear()
            return aside

    def lock_state(self) -> tuple[str, LockHolder | None]:
        """("free", None); ("held", the holder, if it said who it is); or, when the lock cannot
        even be taken (a read-only store), why: ("cannot be written (Read-only file system)", None)."""
        with self._mutex:
            try:
                if self._lock.try_acquire():
                    self._lock.release()
                    return "free", None
            except OSError as exc:
                return f"cannot be written ({exc.strerror})", None
            return "held", self._lock.holder()

    def _snapshot_after_write(self) -> None:
        """A linked snapshot after every write; a full copy after the first write of the day
        (the day of the newest daily copy by sequence, so a clock that jumps does no harm)."""
        if self._backups.newest_day("daily") != self.today().replace("-", ""):
            self.backup("daily", copy=True)
        self.backup("write")

    # -- transactions --------------------------------------------------------------------------

    @contextmanager
    def _transaction(self, *given: _DataFile) -> Iterator[tuple[TinyDB, ...]]:
        with self._locked():
            # A new store's meta.json comes with its first write (reading writes nothing). Data
            # without meta.json is schema 0, which Store.open migrates before any other write.
            stamp_meta = self._meta not in given and not any(f.signature() for f in (self._meta, self._contacts, self._queue))
            files = (*given, self._meta) if stamp_meta else given
            for f in files:
                f.load()
            try:
                yield tuple(_tinydb(f) for f in given)
            except BaseException:
                for f in files:
                    f.invalidate()
                raise
            wrote = any(f.dirty for f in given)
            if wrote and stamp_meta:
                assert self._meta.data is not None
                self._meta.data["meta"]["1"] = {"schema": SCHEMA}
                self._meta.dirty = True
            # Two phases: every changed file goes to a fsynced temp file first, and only when all
            # of them are written are they renamed into place (meta, then contacts, first). A full
            # disk fails in the first phase, so a write that touches two files never lands half-way.
            prepared: list[tuple[_DataFile, Path]] = []
            try:
                for f in sorted(files, key=lambda f: (f is not self._meta, f is not self._contacts)):
                    tmp = f.prepare()
                    if tmp is not None:
                        prepared.append((f, tmp))
                for f, tmp in prepared:
                    f.commit(tmp)
            except OSError as exc:
                for _, tmp in prepared:
                    tmp.unlink(missing_ok=True)
                for f in files:
                    f.invalidate()
                raise StoreError(f"{exc.filename or self.root}: write failed ({exc.strerror}); the store is unchanged") from None
            if wrote:
                # The data is safely written. What follows is secondary (a snapshot, a cache): on a
                # full disk it may fail, and must not turn a write that landed into an error.
                try:
                    self._snapshot_after_write()
                except OSError:
                    pass
                if self._queue in files:
                    try:
                        self._write_head()
                    except OSError:
                        (self.root / "queue.head").unlink(missing_ok=True)

    def _table(self, file: _DataFile, table: str) -> dict[str, Any]:
        file.load()
        assert file.data is not None
        return file.data[table]

    def _models(self, file: _DataFile, table: str, factory: Callable[[dict[str, Any], str], Any], prefix: str) -> dict[str, Any]:
        """Model objects for a table, rebuilt only when the file changed."""
        with self._mutex:
            raw = self._table(file, table)
            cached = self._snap.get(table)
            if cached is not None and cached[0] is raw:
                return cached[1]
            gc.disable()
            try:
                models = {f"{prefix}{k}": factory(doc, f"{prefix}{k}") for k, doc in raw.items()}
            finally:
                gc.enable()
            self._snap[table] = (raw, models)
            return models

    # -- reading -------------------------------------------------------------------------------

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

    def requests(self) -> list[Request]:
        return list(self._models(self._queue, "requests", Request.from_doc, "r").values())

    def contacts(self) -> list[Contact]:
        return list(self._models(self._contacts, "contacts", Contact.from_doc, "c").values())

    def decisions(self) -> list[Decision]:
        return list(self._models(self._queue, "decisions", Decision.from_doc, "d").values())

    def pending(self, today: str | None = None, order: str = "oldest", waiting: bool = False) -> list[Request]:
        """The triage queue: pending requests, deferred ones that are due, and (with ``waiting``)
        those asked and waiting for a reply."""
        today = today or self.today()
        return sort_queue([r for r in self.requests() if r.is_due(today, waiting)], order)

    def decided_keys(self) -> tuple[KeyIndex, dict[str, Request]]:
        """Keys of the requests already decided (accepted, declined, asked), for re-requests and
        for "who you know there"; with the records, for when and why."""
        rows, records = [], {}
        with self._mutex:
            for doc_id, doc in self._table(self._queue, "requests").items():
                if doc.get("status") in (Status.ACCEPTED, Status.DECLINED, Status.ASKED):
                    rows.append((f"r{doc_id}", _stored_keys(doc), doc.get("name", "")))
                    records[f"r{doc_id}"] = Request.from_doc(doc, f"r{doc_id}")
        return KeyIndex.bulk(rows), records

    def undone_ids(self) -> set[str]:
        """Ids of the decisions that were undone (the history shows them as such)."""
        with self._mutex:
            return _undone(self._table(self._queue, "decisions"))

    def decided_at(self) -> dict[str, str]:
        """When each request's decision in force was made."""
        with self._mutex:
            decisions = self._table(self._queue, "decisions")
            undone = _undone(decisions)
            at: dict[str, str] = {}
            for key, d in sorted(decisions.items(), key=lambda kv: int(kv[0])):
                if d.get("action") not in ("undo", "distinct") and f"d{key}" not in undone:
                    at[d["request_id"]] = d.get("at", "")
            return at

    def get(self, record_id: str) -> Request | Contact | Decision:
        kinds = {"r": (self._queue, "requests", Request), "c": (self._contacts, "contacts", Contact), "d": (self._queue, "decisions", Decision)}
        record_id = record_id.strip()
        if record_id.isdigit():
            record_id = "r" + record_id
        kind = kinds.get(record_id[:1])
        if kind is None or not record_id[1:].isdigit():
            raise NotFound(f"no record {record_id!r}: ids look like r12 (request), c7 (contact), d3 (decision)")
        with self._mutex:
            doc = self._table(kind[0], kind[1]).get(str(int(record_id[1:])))
        if doc is None:
            raise NotFound(f"no record {record_id!r}")
        return kind[2].from_doc(doc, record_id)

    def get_request(self, record_id: str) -> Request:
        record = self.get(record_id)
        if not isinstance(record, Request):
            raise NotFound(f"{record_id!r} is not a request")
        return record

    def contact_keys(self) -> KeyIndex:
        """Identity keys of all contacts, from keys.idx when it matches contacts.json."""
        sig = self._contacts.signature()
        loaded = KeyIndex.load(self.root / "keys.idx")
        if loaded is not None and loaded[1].get("contacts_sig") == (list(sig) if sig else None):
            return loaded[0]
        return self._rebuild_keys()

    def _rebuild_keys(self) -> KeyIndex:
        """Build the contacts' keys, and save them in keys.idx if the lock is free right now (a
        cache: checked against contacts.json before use, rebuilt when missing or stale)."""
        with self._lock_if_free() as free:
            raw = self._table(self._contacts, "contacts")
            index = KeyIndex.bulk([(f"c{k}", _keys_of(doc), doc.get("name", "")) for k, doc in raw.items()])
            if free and self._contacts.sig:
                try:
                    atomic_write(self.root / "keys.idx", index.to_bytes({"contacts_sig": list(self._contacts.sig)}), durable=False)
                except OSError:
                    pass
            return index

    # -- writing -------------------------------------------------------------------------------

    def _write_head(self) -> None:
        """Derived cache: the first cards of the oldest-first queue and the queue's length, so the
        app can show its first card without reading every request. Checked against queue.json's
        signature and today's date before use; no fsync, since a stale or lost head is ignored."""
        assert self._queue.data is not None
        raw, today = self._queue.data["requests"], self.today()
        due = [(doc.get("sent_at") or doc.get("added_at", ""), int(k), k) for k, doc in raw.items() if _is_due(doc, today)]
        head = {k: raw[k] for *_, k in heapq.nsmallest(HEAD_SIZE, due)}
        doc = {"sig": list(self._queue.sig or ()), "today": today, "count": len(due), "docs": head}
        atomic_write(self.root / "queue.head", orjson.dumps(doc), durable=False)

    def pending_head(self) -> tuple[list[Request], int] | None:
        """The first cards of the oldest-first queue and how many are pending in all, or None when
        the head cache does not match the queue as it is now (then use :meth:`pending`)."""
        doc = self._current_head()
        if doc is None or doc.get("today") != self.today():
            return None
        head = [Request.from_doc(d, f"r{k}") for k, d in doc["docs"].items()]
        return sort_queue(head, "oldest"), int(doc["count"])

    def _current_head(self) -> dict[str, Any] | None:
        """queue.head when it was written from queue.json as it is now, else None."""
        sig = self._queue.signature()
        try:
            doc = orjson.loads((self.root / "queue.head").read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None
        return doc if sig is not None and isinstance(doc, dict) and doc.get("sig") == list(sig) else None

    def pending_keys(self, today: str | None = None) -> KeyIndex:
        """Identity keys of the requests in the triage queue, from keys stored with each request."""
        today = today or self.today()
        rows = []
        with self._mutex:
            for doc_id, doc in self._table(self._queue, "requests").items():
                if _is_due(doc, today):
                    rows.append((f"r{doc_id}", _stored_keys(doc), doc.get("name", "")))
        return KeyIndex.bulk(rows)

    def add_request(self, request: Request) -> Request:
        request.added_at = request.added_at or self.now_iso()
        request.status = Status.PENDING.value
        with self._transaction(self._queue) as (db,):
            request.id = f"r{db.table('requests').insert(_with_keys(request.to_doc()))}"
        return request

    def add_contact(self, contact: Contact) -> Contact:
        with self._transaction(self._contacts) as (db,):
            contact.id = f"c{db.table('contacts').insert(contact.to_doc())}"
        self._rebuild_keys()
        return contact

    def record_decision(
        self,
        request_id: str,
        action: str,
        answers: dict[str, bool] | None = None,
        note: str = "",
        until: str = "",
        expected: str | tuple[str, ...] | None = None,
    ) -> Decision:
        """Decide a request: ``accept``, ``wider``, ``decline``, ``defer`` (with ``until``), or
        ``ask`` (a question sent to the requester: waiting for a reply).

        ``expected``: the status (or statuses) the decider saw. When the request's status is
        another by the time the lock is held, nothing is written and :class:`Conflict` says what
        the request now is (``UNDECIDED`` refuses to override any decision)."""
        with self._transaction(self._queue) as (db,):
            requests = db.table("requests")
            doc_id = self._doc_id(request_id, "r")
            doc = requests.get(doc_id=doc_id)
            if doc is None:
                raise NotFound(f"no request {request_id!r}")
            self._refuse_if_changed(doc_id, doc, expected, action)
            if action == "defer" and not until:
                raise StoreError("a deferral needs a date")
            changes = _decision_changes(doc, action, until, note, answers)
            decision = Decision(
                request_id=f"r{doc_id}",
                at=self.now_iso(),
                action=action,
                answers=changes["answers"],
                verdict=changes.get("verdict", ""),
                note=note,
                until=until,
                before={k: doc.get(k, "") for k in (*_UNDO_FIELDS, "notes")},
            )
            requests.update(changes, doc_ids=[doc_id])
            decision.id = f"d{db.table('decisions').insert(decision.to_doc())}"
        return decision

    def distinct_pairs(self) -> list[tuple[str, str]]:
        """Pairs the user said are not the same person (never suggested again)."""
        with self._mutex:
            decisions = self._table(self._queue, "decisions")
            undone = _undone(decisions)
            return [(d["request_id"], d["other"]) for k, d in decisions.items() if d.get("action") == "distinct" and f"d{k}" not in undone]

    def mark_distinct(self, request_id: str, other_id: str) -> Decision:
        """Remember that a request and a contact (or another request) are different people."""
        with self._transaction(self._queue) as (db,):
            if not db.table("requests").contains(doc_id=self._doc_id(request_id, "r")):
                raise NotFound(f"no request {request_id!r}")
            decision = Decision(request_id=self._normal_id(request_id, "r"), at=self.now_iso(), action="distinct", other=other_id)
            decision.id = f"d{db.table('decisions').insert(decision.to_doc())}"
        return decision

    def merge(self, request_id: str, contact_id: str, expected: str | tuple[str, ...] | None = None) -> Decision:
        """Link a request to the contact it duplicates: the request becomes merged, and the contact
        gains its profile URLs, e-mails and network. Never automatic; undoable. ``expected`` as
        for :meth:`record_decision`."""
        with self._transaction(self._contacts, self._queue) as (cdb, qdb):
            requests, contacts = qdb.table("requests"), cdb.table("contacts")
            rid, cid = self._doc_id(request_id, "r"), self._doc_id(contact_id, "c")
            request, contact = requests.get(doc_id=rid), contacts.get(doc_id=cid)
            if request is None or contact is None:
                raise NotFound(f"no request {request_id!r}" if request is None else f"no contact {contact_id!r}")
            self._refuse_if_changed(rid, request, expected, "merge")
            gained = {
                "urls": _union(contact.get("urls") or [], request.get("urls") or [], url_key),
                "emails": _union(contact.get("emails") or [], request.get("emails") or [], email_key),
                "also_on": _union(contact.get("also_on") or [], [request["source"]] if request.get("source") and request.get("source") != contact.get("source") else [], str.lower),
            }
            before = {k: request.get(k, "") for k in _UNDO_FIELDS} | {"contact": {k: contact.get(k) or [] for k in gained}}
            contacts.update(gained, doc_ids=[cid])
            requests.update({"status": Status.MERGED.value, "merged_into": f"c{cid}"}, doc_ids=[rid])
            decision = Decision(request_id=f"r{rid}", at=self.now_iso(), action="merge", other=f"c{cid}", before=before)
            decision.id = f"d{qdb.table('decisions').insert(decision.to_doc())}"
        self._rebuild_keys()
        return decision

    def undo_last(self, request_id: str | None = None) -> Decision | None:
        """Revert the newest decision still in force (for one request, or any). Returns the undo,
        or None when there is nothing to undo."""
        with self._locked():
            decisions = self._table(self._queue, "decisions")
            undone = _undone(decisions)
            wanted = self._normal_id(request_id, "r") if request_id else None
            key = next(
                (k for k, doc in sorted(decisions.items(), key=lambda kv: -int(kv[0]))
                 if doc.get("action") != "undo" and f"d{k}" not in undone and (wanted is None or doc.get("request_id") == wanted)),
                None,
            )
            return None if key is None else self._undo_step(Decision.from_doc(decisions[key], f"d{key}"))[0]

    def undo(self, decision_id: str) -> Decision:
        """Revert one decision, whoever made it and however old. :class:`Conflict` when it was
        already undone, or when the request was decided again since (undo that one first). A
        decision made in one step with others is undone with its whole group (:meth:`undo_group`);
        the first of the undos is returned."""
        with self._locked():
            key = str(self._doc_id(decision_id, "d"))
            doc = self._table(self._queue, "decisions").get(key)
            if doc is None:
                raise NotFound(f"no decision {decision_id!r}")
            return self._undo_step(Decision.from_doc(doc, f"d{key}"))[0]

    def _undo_step(self, target: Decision) -> list[Decision]:
        if target.group and target.action != "undo":
            return self.undo_group(target.group)
        return [self._undo(target)]

    def _undo(self, target: Decision) -> Decision:
        decisions = self._table(self._queue, "decisions")
        if target.action == "undo":
            raise Conflict(f"{target.id} is itself an undo (of {target.undoes}); decide {target.request_id} again instead")
        by = next((f"d{k}" for k, d in decisions.items() if d.get("action") == "undo" and d.get("undoes") == target.id), "")
        if by:
            raise Conflict(f"{target.id} was already undone (by {by}); nothing was changed", by=by)
        if target.action != "distinct":
            later = _in_force(decisions, target.request_id, after=int(target.id[1:]))
            if later is not None:
                key, doc = later
                raise Conflict(f"{target.request_id} was decided again since {target.id} ({doc.get('action')}, d{key}); undo d{key} first; nothing was changed",
                               by=f"d{key}", at=doc.get("at", ""))
        before = dict(target.before)
        contact_before = before.pop("contact", None)
        # Only a merge touched a contact; everything else rewrites the queue alone.
        files = (self._queue, self._contacts) if contact_before is not None else (self._queue,)
        with self._transaction(*files) as dbs:
            if before:
                dbs[0].table("requests").update(before, doc_ids=[self._doc_id(target.request_id, "r")])
            if contact_before is not None:
                dbs[1].table("contacts").update(contact_before, doc_ids=[self._doc_id(target.other, "c")])
            undo = Decision(request_id=target.request_id, at=self.now_iso(), action="undo", undoes=target.id, verdict=target.verdict, other=target.other)
            undo.id = f"d{dbs[0].table('decisions').insert(undo.to_doc())}"
        if contact_before is not None:
            self._rebuild_keys()
        return undo

    # -- decisions in one step (bulk) -----------------------------------------------------------
    # Self-contained: a group is a set of decisions sharing ``Decision.group``, written in one
    # transaction and undone in one transaction.

    def record_decisions(
        self,
        request_ids: list[str],
        action: str,
        note: str = "",
        until: str = "",
        expected: str | tuple[str, ...] | dict[str, str] | None = UNDECIDED,
    ) -> tuple[list[Decision], list[Conflict]]:
        """Decide several requests in one step: one write, one undo. Every decision carries the id
        of the step's first decision as its ``group``. ``expected`` is the status (or statuses)
        each request must still have, or, as a dict, each request's own; a request that changed
        meanwhile is left as it is and comes back as a :class:`Conflict` (the rest are decided).
        Unknown ids raise :class:`NotFound` before anything is written."""
        if action not in ("accept", "wider", "decline", "defer", "ask"):
            raise StoreError(f"cannot decide in bulk: {action!r}")
        if action == "defer" and not until:
            raise StoreError("a deferral needs a date")
        ids = list(dict.fromkeys(self._normal_id(r, "r") for r in request_ids))
        decided: list[Decision] = []
        refused: list[Conflict] = []
        with self._transaction(self._queue) as (db,):
            requests, decisions = db.table("requests"), db.table("decisions")
            docs = {rid: requests.get(doc_id=self._doc_id(rid, "r")) for rid in ids}
            missing = [rid for rid, doc in docs.items() if doc is None]
            if missing:
                raise NotFound(f"no request {missing[0]!r}" + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "") + "; nothing was decided")
            at, group = self.now_iso(), ""
            updates: dict[int, dict[str, Any]] = {}
            for rid, doc in docs.items():
                doc_id = self._doc_id(rid, "r")
                want = expected.get(rid) if isinstance(expected, dict) else expected
                try:
                    self._refuse_if_changed(doc_id, doc, want, action)  # type: ignore[arg-type]
                except Conflict as exc:
                    refused.append(exc)
                    continue
                changes = _decision_changes(doc, action, until, note)
                decision = Decision(request_id=rid, at=at, action=action, answers=changes["answers"], verdict=changes.get("verdict", ""),
                                    note=note, until=until, before={k: doc.get(k, "") for k in (*_UNDO_FIELDS, "notes")})
                decision.id = f"d{decisions.insert(decision.to_doc() | {'group': group})}"
                group = group or decision.id
                decision.group = group
                decided.append(decision)
                updates[doc_id] = changes
            if decided:
                decisions.update({"group": group}, doc_ids=[int(decided[0].id[1:])])
                changes_in_order = iter(updates.values())
                requests.update(lambda doc: doc.update(next(changes_in_order)), doc_ids=list(updates))
        return decided, refused

    def group(self, group_id: str) -> list[Decision]:
        """The decisions of one bulk step (not their undos), oldest first."""
        return [d for d in self.decisions() if d.group == group_id and d.action != "undo"]

    def undo_group(self, group_id: str) -> list[Decision]:
        """Undo a bulk step in one write. A request decided again since keeps that newer decision;
        the others go back to what they were. :class:`Conflict` when nothing is left to undo."""
        with self._locked():
            decisions = self._table(self._queue, "decisions")
            members = [Decision.from_doc(d, f"d{k}") for k, d in sorted(decisions.items(), key=lambda kv: int(kv[0]))
                       if d.get("group") == group_id and d.get("action") != "undo"]
            if not members:
                raise NotFound(f"no decision group {group_id!r}")
            undone = _undone(decisions)
            if all(m.id in undone for m in members):
                raise Conflict(f"the step {group_id} was already undone; nothing was changed")
            live = [m for m in members if m.id not in undone and _in_force(decisions, m.request_id, after=int(m.id[1:])) is None]
            if not live:
                raise Conflict(f"every request of the step {group_id} was decided again since; nothing was changed")
            with self._transaction(self._queue) as (db,):
                requests, table = db.table("requests"), db.table("decisions")
                befores = iter([m.before for m in live])
                requests.update(lambda doc: doc.update(next(befores)), doc_ids=[self._doc_id(m.request_id, "r") for m in live])
                at, undos = self.now_iso(), []
                for m in live:
                    undo = Decision(request_id=m.request_id, at=at, action="undo", undoes=m.id, verdict=m.verdict, group=group_id)
                    undo.id = f"d{table.insert(undo.to_doc())}"
                    undos.append(undo)
            return undos

    def _refuse_if_changed(self, doc_id: int, doc: dict[str, Any], expected: str | tuple[str, ...] | None, action: str) -> None:
        """Raise :class:`Conflict` when the request's status is not one of ``expected``."""
        status = doc.get("status") or Status.PENDING.value
        if expected is None or status in ((expected,) if isinstance(expected, str) else expected):
            return
        rid = f"r{doc_id}"
        state = _state_words(doc)
        by, at = "", ""
        last = _in_force(self._table(self._queue, "decisions"), rid)
        if last is not None:
            by, at = f"d{last[0]}", str(last[1].get("at", ""))
        how = f" (by {by}, {at.replace('T', ' ').rstrip('Z')} UTC)" if by else ""
        what = "is back in the queue" if status == Status.PENDING else f"is already {state}"
        raise Conflict(f"{rid} {what}{how}; this {action} was not recorded", Request.from_doc(doc, rid), state, by, at)

    def update_request(self, request_id: str, *, notes: str | None = None, tags: list[str] | None = None) -> Request:
        changes: dict[str, Any] = {}
        if notes is not None:
            changes["notes"] = notes
        if tags is not None:
            changes["tags"] = tags
        with self._transaction(self._queue) as (db,):
            doc_id = self._doc_id(request_id, "r")
            if not db.table("requests").contains(doc_id=doc_id):
                raise NotFound(f"no request {request_id!r}")
            db.table("requests").update(changes, doc_ids=[doc_id])
        return self.get_request(request_id)

    def import_records(self, contacts: list[Contact], requests: list[Request], dry_run: bool = False, sent: list[Request] = ()) -> ImportReport:  # type: ignore[assignment]
        """Add or update many records in one all-or-nothing write. Idempotent."""
        report = ImportReport()
        for invitation in sent:
            invitation.status = Status.SENT.value
        try:
            self._import(contacts, [*requests, *sent], dry_run, report)
        except _DryRun:
            return report
        if contacts:
            self._rebuild_keys()
        return report

    def _import(self, contacts: list[Contact], requests: list[Request], dry_run: bool, report: ImportReport) -> None:
        with self._transaction(self._contacts, self._queue) as (cdb, qdb):
            ctable, rtable = cdb.table("contacts"), qdb.table("requests")
            if contacts:
                _merge_rows(ctable, contacts, _CONTACT_FIELDS, "c", report)
            if requests:
                known = {key for doc in ctable.all() for key in identity_keys(doc.get("emails") or [], doc.get("urls") or [])}
                fresh = []
                for request in requests:
                    if known.intersection(identity_keys(request.emails, request.urls)):
                        report.skipped.append(request.name)
                    else:
                        request.added_at = request.added_at or self.now_iso()
                        fresh.append(request)
                _merge_rows(rtable, fresh, _REQUEST_FIELDS, "r", report)
            if dry_run:
                raise _DryRun()

    @staticmethod
    def _normal_id(record_id: str, prefix: str) -> str:
        record_id = record_id.strip()
        return record_id if record_id.startswith(prefix) else prefix + record_id

    def _doc_id(self, record_id: str, prefix: str) -> int:
        record_id = self._normal_id(record_id, prefix)
        if not record_id[1:].isdigit():
            raise NotFound(f"no record {record_id!r}")
        return int(record_id[1:])


class _DryRun(Exception):
    pass


def _undone(decisions: dict[str, dict[str, Any]]) -> set[str]:
    """Ids of the decisions that an ``undo`` entry reverted."""
    return {d.get("undoes") for d in decisions.values() if d.get("action") == "undo"}


def _in_force(decisions: dict[str, dict[str, Any]], request_id: str, after: int = 0) -> tuple[str, dict[str, Any]] | None:
    """The newest decision (key, doc) on ``request_id`` newer than ``after`` that set its state
    (not an undo, not "not the same person") and is still in force."""
    undone = _undone(decisions)
    found = [(int(k), k, d) for k, d in decisions.items()
             if int(k) > after and d.get("request_id") == request_id and d.get("action") not in ("undo", "distinct") and f"d{k}" not in undone]
    return max(found, key=lambda t: t[0])[1:] if found else None


def _decision_changes(doc: dict[str, Any], action: str, until: str, note: str, answers: dict[str, bool] | None = None) -> dict[str, Any]:
    """What a decision changes in a request's document."""
    changes: dict[str, Any] = {"answers": dict(answers or doc.get("answers") or {})}
    if action == "defer":
        changes |= {"status": Status.DEFERRED.value, "until": until, "verdict": ""}
    elif action == "ask":
        changes |= {"status": Status.ASKED.value, "until": "", "verdict": ""}
    else:
        verdict = Verdict(action)
        changes |= {"status": VERDICT_STATUS[verdict].value, "verdict": verdict.value, "until": ""}
    if note:
        changes["notes"] = note if not doc.get("notes") else f"{doc['notes']}\n{note}"
    return changes


def _state_words(doc: dict[str, Any]) -> str:
    """A request's state in words: "declined", "deferred until 2026-12-01", "merged into c4"."""
    status = doc.get("status") or Status.PENDING.value
    if status == Status.DEFERRED and doc.get("until"):
        return f"deferred until {doc['until']}"
    if status == Status.ACCEPTED and doc.get("verdict") == Verdict.WIDER:
        return "accepted into the wider network"
    if status == Status.MERGED and doc.get("merged_into"):
        return f"merged into {doc['merged_into']}"
    return {Status.ASKED.value: "asked and waiting for a reply", Status.SENT.value: "an invitation you sent"}.get(status, status)


def _is_due(doc: dict[str, Any], today: str) -> bool:
    """:func:`tui.models.is_due` for a stored document."""
    return is_due(doc.get("status", ""), doc.get("until", ""), today)


def _keys_of(doc: dict[str, Any]) -> PersonKeys:
    return person_keys(doc.get("name", ""), doc.get("company", ""), doc.get("title", ""), doc.get("source", ""), doc.get("emails") or [], doc.get("urls") or [])


def _stored_keys(doc: dict[str, Any]) -> PersonKeys:
    """The matching keys a request was stored with, or computed now for an older document."""
    stored = doc.get("_pk")
    if stored and len(stored) == len(PersonKeys._fields):
        return PersonKeys(*stored[:5], tuple(stored[5]), *stored[6:])
    return _keys_of(doc)


def _with_keys(doc: dict[str, Any]) -> dict[str, Any]:
    """Store a request's matching keys beside it, so queue-wide checks never re-normalise."""
    doc["_pk"] = list(_keys_of(doc))
    return doc


def _union(old: list[str], new: list[str], key: Callable[[str], str]) -> list[str]:
    """``old`` plus the items of ``new`` that are not already there in canonical form."""
    seen = {key(x) for x in old}
    merged = list(old)
    for item in new:
        if key(item) not in seen:
            seen.add(key(item))
            merged.append(item)
    return merged


def _merge_rows(table: Table, records: list[Any], fields: tuple[str, ...], prefix: str, report: ImportReport) -> None:
    """Insert new records and update changed ones.

    A record is the same as a stored one from the same source (network or file kind) when they
    share the source_id, else a profile URL, else an e-mail, else the exact name plus company.
    Records from different sources are never merged here: that is dedup's call, made by the user.
    Nor are two records whose source ids differ.
    """
    by: dict[str, list[int]] = {}
    docs: dict[int, dict[str, Any]] = {}

    def keys(doc: dict[str, Any]) -> list[str]:
        src = str(doc.get("source") or "").lower()
        found = [f"{src}|id|{doc['source_id']}"] if doc.get("source_id") else []
        found += [f"{src}|url|{k}" for k in map(url_key, doc.get("urls") or []) if k]
        found += [f"{src}|email|{k}" for k in map(email_key, doc.get("emails") or []) if k]
        found.append(f"{src}|name|{simple_name_key(doc.get('name', ''))}|{simple_name_key(doc.get('company', ''))}")
        return found

    def index(doc_id: int, doc: dict[str, Any], found_keys: list[str] | None = None) -> None:
        docs[doc_id] = doc
        for key in found_keys if found_keys is not None else keys(doc):
            by.setdefault(key, []).append(doc_id)

    for doc in table.all():
        index(doc.doc_id, doc)
    inserts: list[dict[str, Any]] = []
    updates: dict[int, dict[str, Any]] = {}
    for record in records:
        doc = record.to_doc()
        sid = doc.get("source_id")
        # Two records that both carry a source id, and different ones, are different people even
        # when name and company agree (two John Smiths at Acme).
        doc_keys = keys(doc)
        found = next(
            (c for k in doc_keys for c in by.get(k, ()) if not (sid and docs[c].get("source_id") and docs[c]["source_id"] != sid)),
            None,
        )
        if found is None:
            inserts.append(doc)
            index(-len(inserts), doc, doc_keys)  # later rows of the same file match earlier ones
            continue
        if found < 0:
            report.unchanged.append(record.name)
            continue
        old = docs[found]
        changed = {}
        for k in fields:
            new = doc.get(k)
            if new in (None, "", []):
                continue
            if isinstance(new, list):
                new = _union(old.get(k) or [], new, {"emails": email_key, "urls": url_key}.get(k, simple_name_key))
            if new != old.get(k):
                changed[k] = new
        if changed:
            updates.setdefault(found, {}).update(changed)
            report.updated.append(f"{prefix}{found}")
        else:
            report.unchanged.append(f"{prefix}{found}")
    if prefix == "r":
        for doc in inserts:
            _with_keys(doc)
        for doc_id, change in updates.items():
            if {"emails", "urls", "name", "company", "title", "source"} & change.keys():
                change["_pk"] = list(_keys_of(docs[doc_id] | change))
    if updates:
        # One pass over the table for all updates. TinyDB applies the callable to doc_ids in the
        # order given (all of which exist: they were read under this same lock).
        changes = iter(updates.values())
        table.update(lambda doc: doc.update(next(changes)), doc_ids=list(updates))
    if inserts:
        report.added.extend(f"{prefix}{i}" for i in table.insert_multiple(inserts))


# ---------------------------------------------------------------------------------- migrations


def _migrate_0_to_1(store: Store) -> None:
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
            file.dirty = True


MIGRATIONS: dict[int, Callable[[Store], None]] = {0: _migrate_0_to_1}

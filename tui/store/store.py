"""The store: reads and commands, named after what the user does; callers never see documents.

Layout of a data directory::

    meta.json       schema version (migrations.py)
    contacts.json   the user's network (large, rarely written whole)
    contacts.jnl    its journal: each write of the contacts alone (`tui add --contact`), one line
    queue.json      requests and the append-only decision history
    queue.jnl       the queue's journal: each write of the queue alone, one line (journal.py)
    *.map           where each document lies in contacts.json and queue.json (docmap.py)
    keys.idx        derived: identity keys of the contacts, rebuilt when contacts.json changes
    queue.head      derived: the first cards of the queue, for a fast start of the app, and the
                    ids of the next due requests (derived.py)
    backups/        snapshots (backups.py): after every write that replaces a file (the newest
                    10; hard links, a copy of queue.json), a full copy after the first write of
                    each day (the newest 14), and one before any migration, ordered by a
                    sequence number
    .lock           the cross-process lock; its holder's PID and command line are written in it

Every write takes the lock and writes each touched file atomically (datadir.py); a decision
is one line appended to ``queue.jnl`` and never touches the contacts, an added contact one line
appended to ``contacts.jnl``. A file that does not parse raises
:class:`StoreCorrupt` and nothing is written.

Reading never takes the lock: files are only ever replaced by a rename, so a reader always sees a
whole file. Work a reader would like to do under the lock (sweeping a killed writer's temp files,
rebuilding a derived cache) is done only when the lock is free, and skipped otherwise; so reads
work beside a stuck writer and on a read-only store. A decision can carry the status its maker
saw; the store refuses it (:class:`Conflict`) when the request has changed since.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.clock import Clock, system_clock
from tui.dedup.keys import KeyIndex
from tui.fileio import LockHolder, private_dir, stray_temp_files
from tui.gcpause import paused_gc
from tui.models import Action, Contact, Decision, Request, Status, ascii_int, sort_queue
from tui.store import derived, history
from tui.store.contact_merge import CONTACT_ACTIONS, ContactMerges
from tui.store.errors import NoStore, NotFound, StoreError
from tui.store.key_caches import KeyCaches
from tui.store.request_merge import RequestMerges
from tui.store.steps import DecisionSteps

if TYPE_CHECKING:  # imports.py and reconcile.py load with an import or a merge: `tui add` needs neither
    from tui.store.files import DataFile
    from tui.store.imports import ImportReport

#: Statuses a request can be decided from without overriding an earlier decision.
UNDECIDED = (Status.PENDING.value, Status.DEFERRED.value, Status.ASKED.value)


class Store(RequestMerges, ContactMerges, DecisionSteps, KeyCaches):
    """A data directory. Safe to share between processes and between threads of one process."""

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        root: Path | str,
        lock_timeout: float = 30.0,
        clock: Clock = system_clock,
        create: bool = True,
        on_lock_wait: Callable[[LockHolder | None], None] | None = None,
        tidy: bool = True,
    ) -> Store:
        """Open a store; clean up after crashes; migrate an old schema. A missing directory is
        created (mode 0700), unless ``create`` is False (for commands that only read): then
        :class:`NoStore`. Writes nothing else: ``meta.json`` comes with the first write. With
        ``tidy`` False, no cleaning up either, nor any cache rebuilt (a dry run)."""
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
        store.tidy = tidy
        if store._check_schema():
            with store._lock_if_free() as free:
                if free:  # else the holder may be writing these very files
                    store.finish_commit()  # (a write of two files a kill left half renamed: before its temp files go)
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
            self.contact_keys(quick=True)  # a hit maps keys.idx; a miss parses contacts.json and rebuilds it
        if self._queue.signature() is not None and derived.read_head(self.root, self._queue.signature()) is None:
            with self._mutex:
                self._queue.load()

    # -- reading -------------------------------------------------------------------------------

    def requests(self) -> list[Request]:
        return list(self._models(self._queue, "requests", Request.from_doc, "r").values())

    def contacts(self) -> list[Contact]:
        return list(self._models(self._contacts, "contacts", Contact.from_doc, "c").values())

    def each_contact(self) -> Iterator[Contact]:
        """Every contact, in stored order, a chunk of the file at a time (none held: for a single pass)."""
        return (Contact.from_doc(doc, f"c{k}") for k, doc in self.documents(self._contacts, "contacts"))

    def decisions(self) -> list[Decision]:
        return list(self._models(self._queue, "decisions", Decision.from_doc, "d").values())

    def pending(self, today: str | None = None, order: str = "oldest", waiting: bool = False) -> list[Request]:
        """The triage queue: pending requests, deferred ones that are due, and (with ``waiting``)
        those asked and waiting for a reply."""
        today = today or self.today()
        with paused_gc():  # sorting 20k requests made just before set off a full collection: 110 ms
            return sort_queue([r for r in self.requests() if r.is_due(today, waiting)], order)

    def decided_keys(self) -> tuple[KeyIndex, dict[str, Request]]:
        """Keys of the requests already decided (accepted, declined, asked), for re-requests and
        for "who you know there"; with the records, for when and why."""
        with self._mutex:
            requests = self._table(self._queue, "requests")
            decided = {f"r{k}": doc for k, doc in requests.items() if doc.get("status") in (Status.ACCEPTED, Status.DECLINED, Status.ASKED)}
            models = self._models(self._queue, "requests", Request.from_doc, "r")  # (made once: triage reads them all next)
            return derived.request_index(decided.items()), {rid: models[rid] for rid in decided}

    def undone_ids(self) -> set[str]:
        """Ids of the decisions that were undone (the history shows them as such)."""
        with self._mutex:
            return history.undone(self._table(self._queue, "decisions"))

    def decided_at(self) -> dict[str, str]:
        """When each request's decision in force was made."""
        with self._mutex:
            return history.decided_at(self._table(self._queue, "decisions"))

    def get(self, record_id: str) -> Request | Contact | Decision:
        kinds: dict[str, tuple[DataFile, str, type[Request] | type[Contact] | type[Decision]]] = {
            "r": (self._queue, "requests", Request),
            "c": (self._contacts, "contacts", Contact),
            "d": (self._queue, "decisions", Decision),
        }
        record_id = record_id.strip()
        if ascii_int(record_id) is not None:
            record_id = "r" + record_id
        kind, number = kinds.get(record_id[:1]), ascii_int(record_id[1:])
        if kind is None or number is None:
            raise NotFound(f"no record {record_id!r}: ids look like r12 (request), c7 (contact), d3 (decision)")
        with self._mutex:
            doc = self._table(kind[0], kind[1]).get(str(number))
        if doc is None:
            merged = self.merged_into(record_id) if record_id[:1] == "c" else ""
            raise NotFound(f"no contact {record_id!r}{merged}" if merged else f"no record {record_id!r}")
        return kind[2].from_doc(doc, record_id)

    def records(self, record_ids: Iterable[str]) -> dict[str, Request | Contact]:
        """Many requests (``r12``) and contacts (``c7``) at once, by id: each file is checked once,
        where :meth:`get` checks it for every record. Ids not found are left out."""
        kinds: dict[str, tuple[DataFile, str, type[Request] | type[Contact]]] = {
            "r": (self._queue, "requests", Request),
            "c": (self._contacts, "contacts", Contact),
        }
        found: dict[str, Request | Contact] = {}
        with self._mutex, paused_gc():
            tables = {prefix: self._table(file, table) for prefix, (file, table, _) in kinds.items()}
            for record_id in record_ids:
                kind, number = kinds.get(record_id[:1]), ascii_int(record_id[1:])
                doc = tables[record_id[:1]].get(str(number)) if kind and number is not None else None
                if kind is not None and doc is not None:
                    found[record_id] = kind[2].from_doc(doc, record_id)
        return found

    def get_request(self, record_id: str) -> Request:
        record = self.get(record_id)
        if not isinstance(record, Request):
            raise NotFound(f"{record_id!r} is not a request")
        return record

    # -- writing -------------------------------------------------------------------------------

    def add_request(self, request: Request) -> Request:
        request.added_at = request.added_at or self.now_iso()
        request.status = Status.PENDING.value
        with self._transaction(self._queue) as (db,):
            request.id = f"r{db.table('requests').insert(derived.with_keys(request.to_doc()))}"
        return request

    def add_contact(self, contact: Contact) -> Contact:
        with self._transaction(self._contacts) as (db,):
            before = self._contacts.sig
            contact.id = f"c{db.table('contacts').insert(doc := contact.to_doc())}"
        self._note_contacts(before, [(contact.id, doc)])
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
            if action == Action.DEFER and not until:
                raise StoreError("a deferral needs a date")
            changes, decision = history.new_decision(f"r{doc_id}", doc, action, self.now_iso(), until, note, answers)
            requests.update(changes, doc_ids=[doc_id])
            decision.id = f"d{db.table('decisions').insert(decision.to_doc())}"
        return decision

    def _undo(self, target: Decision) -> Decision:
        self._refuse_contact_overlap(target)  # a later contact merge took in a contact it touched
        if target.action in CONTACT_ACTIONS:
            return self._undo_contacts(target)
        refused = history.why_not_undo(self._table(self._queue, "decisions"), target)
        if refused is not None:
            raise refused
        before = dict(target.before)
        # Only a merge touched a contact; everything else rewrites the queue alone.
        # A merge into a request touched the queue alone, like every other decision.
        merged = ("contact_gained" in before or "contact" in before) and not target.other.startswith("r")
        files = (self._queue, self._contacts) if merged else (self._queue,)
        changed: list[tuple[str, dict[str, Any]]] = []
        with self._transaction(*files) as dbs:
            requests, rid, before_write = dbs[0].table("requests"), self._doc_id(target.request_id, "r"), self._contacts.sig
            gains = history.merge_gains(before, requests.get(doc_id=rid) or {})
            if before:
                requests.update(before, doc_ids=[rid])
            if gains is not None:
                into_request = target.other.startswith("r")
                others = requests if into_request else dbs[1].table("contacts")
                oid = self._doc_id(target.other, "r" if into_request else "c")
                other = others.get(doc_id=oid)
                if other is not None:
                    others.update(history.without_gains(other, gains), doc_ids=[oid])
                    changed = [] if into_request else [(f"c{oid}", dict(others.get(doc_id=oid) or {}))]
            undo = Decision(
                request_id=target.request_id,
                at=self.now_iso(),
                action=Action.UNDO.value,
                undoes=target.id,
                verdict=target.verdict,
                other=target.other,
            )
            undo.id = f"d{dbs[0].table('decisions').insert(undo.to_doc())}"
        if merged:
            self._note_contacts(before_write, changed)
        return undo

    def _refuse_if_changed(self, doc_id: int, doc: dict[str, Any], expected: str | tuple[str, ...] | None, action: str) -> None:
        """Raise :class:`Conflict` when the request's status is not one of ``expected``."""
        refused = history.refusal(self._table(self._queue, "decisions"), doc_id, doc, expected, action)
        if refused is not None:
            raise refused

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

    def import_records(
        self, contacts: list[Contact], requests: list[Request], dry_run: bool = False, sent: Sequence[Request] = ()
    ) -> ImportReport:
        """Add or update many records in one all-or-nothing write. Idempotent."""
        from tui.store.imports import ImportReport

        report = ImportReport()
        for invitation in sent:
            invitation.status = Status.SENT.value
        try:
            before, changed = self._import(contacts, [*requests, *sent], dry_run, report)
        except _DryRun:
            return report
        if contacts:
            self._note_contacts(before, changed)
        return report

    def _import(self, contacts: list[Contact], requests: list[Request], dry_run: bool, report: ImportReport) -> tuple[Any, Any]:
        """The write: the contacts file's signature before it, and the contacts it added or changed."""
        from tui.store.contact_merge import merge_contact_rows
        from tui.store.imports import REQUEST_FIELDS, changed_contacts, merge_rows, new_requests

        with self._transaction(self._contacts, self._queue) as (cdb, qdb):
            ctable, rtable = cdb.table("contacts"), qdb.table("requests")
            if contacts:
                merge_contact_rows(ctable, contacts, report)  # a merged contact stands for each record it was made of
            if requests:
                merge_rows(rtable, new_requests(ctable.all(), requests, self.now_iso, report), REQUEST_FIELDS, "r", report)
            if dry_run:
                raise _DryRun()
            return changed_contacts(self._contacts)  # (as read: the write follows, on leaving the transaction)

    @staticmethod
    def _normal_id(record_id: str, prefix: str) -> str:
        record_id = record_id.strip()
        return record_id if record_id.startswith(prefix) else prefix + record_id

    def _doc_id(self, record_id: str, prefix: str) -> int:
        record_id = self._normal_id(record_id, prefix)
        number = ascii_int(record_id[1:])
        if number is None:
            raise NotFound(f"no record {record_id!r}")
        return number


class _DryRun(Exception):
    pass

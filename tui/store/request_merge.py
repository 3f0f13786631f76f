"""Merging a request into the record it duplicates (a contact, or another request of the same person
on another network), and telling two people apart: the request side of de-duplication (the
contacts' own is :mod:`tui.store.contact_merge`). A mixin of :class:`tui.store.Store`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.models import Action, Decision, Status, as_text, as_texts
from tui.store import history
from tui.store.datadir import DataDir
from tui.store.errors import Conflict, NotFound
from tui.store.history import MERGED_LISTS, UNDO_FIELDS


class RequestMerges(DataDir):
    if TYPE_CHECKING:  # the Store's own, which these use

        @staticmethod
        def _normal_id(record_id: str, prefix: str) -> str: ...

        def _doc_id(self, record_id: str, prefix: str) -> int: ...

        def _note_contacts(self, before: tuple[int, ...] | None, changed: list[tuple[str, dict[str, Any]]] | None) -> None: ...

        def _refuse_if_changed(self, doc_id: int, doc: dict[str, Any], expected: str | tuple[str, ...] | None, action: str) -> None: ...

    def distinct_pairs(self) -> list[tuple[str, str]]:
        """Pairs the user said are not the same person (never suggested again)."""
        with self._mutex:
            return history.distinct_pairs(self._table(self._queue, "decisions"))

    def mark_distinct(self, request_id: str, other_id: str) -> Decision:
        """Remember that a request and a contact (or another request) are different people."""
        with self._transaction(self._queue) as (db,):
            if not db.table("requests").contains(doc_id=self._doc_id(request_id, "r")):
                raise NotFound(f"no request {request_id!r}")
            decision = Decision(
                request_id=self._normal_id(request_id, "r"), at=self.now_iso(), action=Action.DISTINCT.value, other=other_id
            )
            decision.id = f"d{db.table('decisions').insert(decision.to_doc())}"
        return decision

    def merge(self, request_id: str, other_id: str, expected: str | tuple[str, ...] | None = None) -> Decision:
        """Link a request to the record it duplicates: a contact (``c7``), or another request of
        the same person on another network (``r9``). The request becomes merged, and the other
        record gains its profile URLs and e-mails (a contact its network too). Never automatic;
        undoable. ``expected`` as for :meth:`record_decision`."""
        from tui.store.reconcile import union

        into_request = other_id.strip().startswith("r")
        files = (self._queue,) if into_request else (self._contacts, self._queue)
        with self._transaction(*files) as dbs:
            qdb, before_write = dbs[-1], self._contacts.sig
            requests = qdb.table("requests")
            others = requests if into_request else dbs[0].table("contacts")
            rid, oid = self._doc_id(request_id, "r"), self._doc_id(other_id, "r" if into_request else "c")
            request, other = requests.get(doc_id=rid), others.get(doc_id=oid)
            if request is None or other is None:
                raise NotFound(f"no request {request_id!r}" if request is None else f"no record {other_id!r}")
            if into_request and (rid == oid or other.get("merged_into")):
                raise Conflict(f"r{rid} and r{oid} are the same record" if rid == oid else f"r{oid} is merged into {other['merged_into']}")
            self._refuse_if_changed(rid, request, expected, Action.MERGE)
            fields = ("urls", "emails") if into_request else tuple(MERGED_LISTS)
            had = {field: as_texts(other.get(field)) for field in fields}
            source = as_text(request.get("source"))
            offered = {
                "urls": as_texts(request.get("urls")),
                "emails": as_texts(request.get("emails")),
                "also_on": [source] if source and source != as_text(other.get("source")) else [],
            }
            gained = {field: union(had[field], offered[field], MERGED_LISTS[field]) for field in fields}
            # What the merge adds, so that its undo takes back that and nothing the other gains later.
            before = {k: request.get(k, "") for k in UNDO_FIELDS} | {"contact_gained": {k: v[len(had[k]) :] for k, v in gained.items()}}
            target = f"r{oid}" if into_request else f"c{oid}"
            others.update(gained, doc_ids=[oid])
            requests.update({"status": Status.MERGED.value, "merged_into": target}, doc_ids=[rid])
            decision = Decision(request_id=f"r{rid}", at=self.now_iso(), action=Action.MERGE.value, other=target, before=before)
            decision.id = f"d{qdb.table('decisions').insert(decision.to_doc())}"
            changed = [] if into_request else [(target, dict(others.get(doc_id=oid) or {}))]
        if not into_request:
            self._note_contacts(before_write, changed)  # the contact's keys as it now is, in keys.tail
        return decision

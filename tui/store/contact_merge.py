"""Merging duplicate contacts into one, telling them apart, and undoing either; and re-imports
that find a merged contact under each of the records it was made of.

A merge keeps the first contact's id and removes the others. The merged contact keeps every
e-mail, URL, phone, nickname, tag and network of them all, and in ``merged_from`` each original
record's own fields (by its old id): a re-import of any original file finds its row there (the
same source, the same identity), so it adds nobody and updates the merged contact. Each record,
as it was, stays in the history: the decision's ``before`` holds them all, and an undo (any time,
after a restart too) puts them back under their own ids.

Decisions here are entries of the same append-only history as a request's (``queue.json``),
about contacts: ``merge-contacts`` (``request_id`` the kept contact, ``other`` the removed ones)
and ``distinct-contacts`` ("not the same people": never grouped again).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Any

from tui.dedup.normalise import email_key, url_key
from tui.errors import BadInput
from tui.models import Action, Decision
from tui.store import history
from tui.store.errors import Conflict, NotFound

if TYPE_CHECKING:  # imports and reconcile load with a merge or an import: `tui add` needs neither
    from tinydb.table import Table

    from tui.store.imports import ImportReport

MERGE = Action.MERGE_CONTACTS.value
DISTINCT = Action.DISTINCT_CONTACTS.value
CONTACT_ACTIONS = (MERGE, DISTINCT)

#: Fields of which the merged contact keeps one value (the first contact's unless chosen).
SCALAR_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "title",
    "company",
    "department",
    "location",
    "connected_on",
    "notes",
    "source",
    "source_id",
)
#: Fields of which it keeps every item of every contact (one contact's first, when chosen).
LIST_FIELDS = ("emails", "urls", "phones", "nicknames", "tags", "also_on")
MERGE_FIELDS = SCALAR_FIELDS + LIST_FIELDS
#: What a re-import may not move on a merged contact through one of its records: its own network
#: and id stay the kept record's (the record's own change is kept in ``merged_from``).
_OWN_FIELDS = ("source", "source_id")
ALL = "all"
_ALIAS_BASE = 1 << 40


def _phone_key(phone: str) -> str:
    return re.sub(r"[^0-9+]", "", phone)


_ITEM_KEYS = {"emails": email_key, "urls": url_key, "phones": _phone_key}


def _item_key(name: str) -> Any:
    return _ITEM_KEYS.get(name, str.casefold)


def record_of(doc: Mapping[str, Any]) -> dict[str, Any]:
    """One original record, as the merged contact keeps it for re-imports."""
    from tui.store.imports import CONTACT_FIELDS

    return {k: doc.get(k) for k in CONTACT_FIELDS if doc.get(k) not in (None, "", [])}


def merged_doc(members: Sequence[tuple[str, Mapping[str, Any]]], keep: Mapping[str, str]) -> dict[str, Any]:
    """The merged contact from ``members`` ((id, document), the kept one first). ``keep`` maps a
    field to the member whose value to keep (for a list field: whose items come first, every
    member's kept; or :data:`ALL`, in the members' order). Pure."""
    from tui.store.reconcile import as_list, union

    by_id = dict(members)
    if "name" in keep:  # the parts of a name go with it, unless chosen on their own
        keep = {"first_name": keep["name"], "last_name": keep["name"], **keep}
    if "source" in keep:  # a network and its id go together
        keep = {"source_id": keep["source"], **keep}
    merged: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        chosen = keep.get(name)
        if chosen is not None:
            merged[name] = by_id[chosen].get(name) or ""
        else:  # the kept contact's value; where it has none, the first member's that has one
            merged[name] = next((doc.get(name) for _, doc in members if doc.get(name)), "")
    for name in LIST_FIELDS:  # every member's items, the chosen member's first: a choice never drops one
        chosen = keep.get(name, ALL)
        sources = [doc for _, doc in members] if chosen == ALL else [by_id[chosen], *(doc for m, doc in members if m != chosen)]
        items: list[str] = []
        for doc in sources:
            items = union(items, as_list(doc.get(name)), _item_key(name))
        merged[name] = items
    networks = [str(doc.get("source") or "") for _, doc in members]
    merged["also_on"] = union(merged["also_on"], [n for n in networks if n and n.lower() != str(merged["source"]).lower()], str.lower)
    origins: dict[str, Any] = {}
    for member_id, doc in members:
        origins.update(doc.get("merged_from") or {member_id: record_of(doc)})
    merged["merged_from"] = origins
    return merged


def check_keep(members: list[str], keep: Mapping[str, str]) -> None:
    """Bad input for a field that cannot be chosen, or a choice outside the group."""
    for name, chosen in keep.items():
        if name not in MERGE_FIELDS:
            raise BadInput(f"--keep {name}: not a field; fields are {', '.join(MERGE_FIELDS)}")
        if chosen == ALL and name in LIST_FIELDS:
            continue
        if chosen not in members:
            raise BadInput(f"--keep {name}={chosen}: {chosen} is not one of the contacts merged ({', '.join(members)})")


def distinct_contact_pairs(decisions: history.Decisions) -> list[tuple[str, str]]:
    """Every pair of contacts the user said are not the same people, and has not taken back."""
    return [pair for pair, _ in _told_apart(decisions)]


def _told_apart(decisions: history.Decisions) -> list[tuple[tuple[str, str], str]]:
    """:func:`distinct_contact_pairs`, each with the decision that said so."""
    reverted = history.undone(decisions)
    pairs: list[tuple[tuple[str, str], str]] = []
    for key, doc in decisions.items():
        if doc.get("action") == DISTINCT and f"d{key}" not in reverted:
            pairs += [(pair, f"d{key}") for pair in combinations([doc["request_id"], *str(doc.get("other", "")).split()], 2)]
    return pairs


def merged_note(decisions: history.Decisions, cid: str) -> str:
    """ ": merged into c3 (d9)" for a contact that a merge in force removed, and where that one went
    since (", since merged into c5 (d12)"); "" for any other."""
    reverted = history.undone(decisions)
    into: dict[str, tuple[str, str]] = {}
    for key, doc in decisions.items():
        if doc.get("action") == MERGE and f"d{key}" not in reverted:
            for removed in str(doc.get("other", "")).split():
                into[removed] = (str(doc.get("request_id", "")), f"d{key}")
    steps: list[str] = []
    while cid in into and len(steps) < 50:
        cid, by = into[cid]
        steps.append(f"{'since ' if steps else ''}merged into {cid} ({by})")
    return ": " + ", ".join(steps) if steps else ""


def _members(doc: Mapping[str, Any]) -> set[str]:
    return {str(doc.get("request_id", "")), *str(doc.get("other", "")).split()}


def overlap_refusal(decisions: history.Decisions, target: Decision) -> Conflict | None:
    """Why an undo of ``target`` must wait (undo the later one first): for a contact merge, a later
    decision in force that names one of its contacts (a merge of them, a request merged into one);
    for a request's merge, a later contact merge in force that removed its contact."""
    if target.action not in (MERGE, Action.MERGE):
        return None
    touched = _members(target.to_doc()) if target.action == MERGE else {target.other}
    reverted = history.undone(decisions)
    after = int(target.id[1:])
    for key in sorted(decisions, key=int):
        doc = decisions[key]
        if int(key) <= after or f"d{key}" in reverted or doc.get("action") in (Action.UNDO, Action.DISTINCT, DISTINCT):
            continue
        if doc.get("action") == MERGE:  # a request merge is undone by what it added: only a contact since removed stops it
            names = _members(doc) if target.action == MERGE else set(str(doc.get("other", "")).split())
        else:
            names = {str(doc.get("other", ""))} if target.action == MERGE else set()
        if names & touched:
            return Conflict(
                f"d{key} ({doc.get('action')}) came after {target.id} and involves {', '.join(sorted(names & touched))}; "
                f"undo d{key} first; nothing was changed",
                by=f"d{key}",
                at=str(doc.get("at", "")),
            )
    return None


class ContactMerges:
    """The contact-book half of :class:`~tui.store.store.Store` (a mixin over its data directory)."""

    def merge_contacts(self, contact_ids: list[str], keep: Mapping[str, str] | None = None) -> Decision:
        """Merge ``contact_ids`` into the first. ``keep``: field -> the contact whose value to
        keep (or ``all`` for a list field). Never automatic; undoable."""
        keep = dict(keep or {})
        ids = [self._normal_id(c, "c") for c in contact_ids]  # type: ignore[attr-defined]
        if len(set(ids)) != len(ids) or len(ids) < 2:
            raise BadInput("a merge needs two or more different contacts")
        check_keep(ids, keep)
        with self._transaction(self._contacts, self._queue) as (cdb, qdb):  # type: ignore[attr-defined]
            contacts = cdb.table("contacts")
            docs = []
            for cid in ids:
                doc = contacts.get(doc_id=self._doc_id(cid, "c"))  # type: ignore[attr-defined]
                if doc is None:
                    raise NotFound(f"no contact {cid!r}" + self._merged_by(qdb, cid))  # its id, for what a script named
                docs.append((cid, dict(doc)))
            merged = merged_doc(docs, keep)
            kept_id = self._doc_id(ids[0], "c")  # type: ignore[attr-defined]
            contacts.update(merged, doc_ids=[kept_id])
            contacts.remove(doc_ids=[self._doc_id(cid, "c") for cid in ids[1:]])  # type: ignore[attr-defined]
            decision = Decision(
                request_id=ids[0],
                at=self.now_iso(),  # type: ignore[attr-defined]
                action=MERGE,
                other=" ".join(ids[1:]),
                before=dict(docs),
            )
            decision.id = f"d{qdb.table('decisions').insert(decision.to_doc())}"
        self._rebuild_keys()  # type: ignore[attr-defined]
        return decision

    @staticmethod
    def _merged_by(qdb: Any, cid: str) -> str:
        """ ": merged into c3 (d9)" for a contact a merge in force removed."""
        return merged_note({str(d.doc_id): d for d in qdb.table("decisions").all()}, cid)

    def merged_into(self, contact_id: str) -> str:
        """Where a contact that a merge removed went: ": merged into c3 (d9)", or "" ."""
        with self._mutex:  # type: ignore[attr-defined]
            return merged_note(self._table(self._queue, "decisions"), contact_id)  # type: ignore[attr-defined]

    def mark_contacts_distinct(self, contact_ids: list[str]) -> Decision:
        """Remember that these contacts are different people: never grouped again. Undoable."""
        ids = [self._normal_id(c, "c") for c in contact_ids]  # type: ignore[attr-defined]
        if len(set(ids)) != len(ids) or len(ids) < 2:
            raise BadInput("telling contacts apart needs two or more different contacts")
        with self._transaction(self._queue) as (qdb,):  # type: ignore[attr-defined]
            known = self._table(self._contacts, "contacts")  # type: ignore[attr-defined]
            for cid in ids:
                if str(self._doc_id(cid, "c")) not in known:  # type: ignore[attr-defined]
                    raise NotFound(f"no contact {cid!r}" + self._merged_by(qdb, cid))  # where it went, as a merge says
            decision = Decision(request_id=ids[0], at=self.now_iso(), action=DISTINCT, other=" ".join(ids[1:]))  # type: ignore[attr-defined]
            decision.id = f"d{qdb.table('decisions').insert(decision.to_doc())}"
        return decision

    def distinct_contacts(self) -> list[tuple[str, str]]:
        """Pairs of contacts the user told apart (with any pairs told apart the older way)."""
        with self._mutex:  # type: ignore[attr-defined]
            decisions = self._table(self._queue, "decisions")  # type: ignore[attr-defined]
            return history.distinct_pairs(decisions) + distinct_contact_pairs(decisions)

    def undo_last_contacts(self) -> tuple[Decision, Decision] | None:
        """Undo the newest contact merge or "not the same" still in force, made in any session or
        process: (the decision undone, its undo), or None when the history holds none."""
        with self._locked():  # type: ignore[attr-defined]
            decisions = self._table(self._queue, "decisions")  # type: ignore[attr-defined]
            reverted = history.undone(decisions)
            key = next(
                (
                    k
                    for k in sorted(decisions, key=lambda k: -int(k))
                    if decisions[k].get("action") in CONTACT_ACTIONS and f"d{k}" not in reverted
                ),
                None,
            )
            if key is None:
                return None
            target = Decision.from_doc(decisions[key], f"d{key}")
            return target, self._undo_step(target)[0]  # type: ignore[attr-defined]

    def told_apart(self, contact_ids: Iterable[str]) -> list[tuple[tuple[str, str], str]]:
        """The pairs among ``contact_ids`` that the user said are not the same people, each with
        the decision that said so (its id)."""
        inside = set(contact_ids)
        with self._mutex:  # type: ignore[attr-defined]
            found = _told_apart(self._table(self._queue, "decisions"))  # type: ignore[attr-defined]
        return [(pair, by) for pair, by in found if set(pair) <= inside]

    def contact_docs(self, contact_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored fields of some contacts (by id), for the review screen's table."""
        return {c.id: c.to_doc() for c in self.records(contact_ids).values()}  # type: ignore[attr-defined]

    def _refuse_contact_overlap(self, target: Decision) -> None:
        refused = overlap_refusal(self._table(self._queue, "decisions"), target)  # type: ignore[attr-defined]
        if refused is not None:
            raise refused

    def _undo_contacts(self, target: Decision) -> Decision:
        """Undo a ``merge-contacts`` (every record back under its own id, with what re-imports
        brought it since) or a ``distinct-contacts``. Called under the lock."""
        as_history = (
            Decision.from_doc(target.to_doc() | {"action": Action.DISTINCT.value}, target.id) if target.action == DISTINCT else target
        )
        refused = history.why_not_undo(self._table(self._queue, "decisions"), as_history)  # type: ignore[attr-defined]
        if refused is not None:
            raise refused
        files = (self._queue, self._contacts) if target.action == MERGE else (self._queue,)  # type: ignore[attr-defined]
        with self._transaction(*files) as dbs:  # type: ignore[attr-defined]
            if target.action == MERGE:
                contacts = dbs[1].table("contacts")
                current = contacts.get(doc_id=self._doc_id(target.request_id, "c")) or {}  # type: ignore[attr-defined]
                origins = current.get("merged_from") or {}
                restored = {cid: _restored(dict(doc), origins.get(cid), origins) for cid, doc in target.before.items()}
                from tinydb.table import Document

                for cid, doc in restored.items():
                    doc_id = self._doc_id(cid, "c")  # type: ignore[attr-defined]
                    if contacts.contains(doc_id=doc_id):
                        contacts.remove(doc_ids=[doc_id])
                    contacts.insert(Document(doc, doc_id=doc_id))
            undo = Decision(request_id=target.request_id, at=self.now_iso(), action=Action.UNDO.value, undoes=target.id, other=target.other)  # type: ignore[attr-defined]
            undo.id = f"d{dbs[0].table('decisions').insert(undo.to_doc())}"
        if target.action == MERGE:
            self._rebuild_keys()  # type: ignore[attr-defined]
        return undo


def _restored(before: dict[str, Any], origin: Mapping[str, Any] | None, origins: Mapping[str, Any]) -> dict[str, Any]:
    """A record as a merge found it, with what re-imports changed in its kept copy since."""
    if before.get("merged_from"):  # a merged contact itself: its own records, as they are now
        before["merged_from"] = {cid: origins.get(cid, rec) for cid, rec in before["merged_from"].items()}
        return before
    if origin is not None:
        was = record_of(before)
        before.update({k: v for k, v in origin.items() if was.get(k) != v})
    return before


def merge_contact_rows(table: Table, records: list[Any], report: ImportReport) -> None:
    """An import of contacts, where a merged contact stands for each of its original records: a
    row finds the record it came from (same network, same identity), and the merged contact
    gains its new e-mails, URLs and phones, and follows a changed value it kept from that record."""
    from tui.store.imports import CONTACT_FIELDS, apply_plan
    from tui.store.reconcile import reconcile

    stored = {doc.doc_id: doc for doc in table.all()}
    view: dict[int, Mapping[str, Any]] = {}
    alias: dict[int, tuple[int, str]] = {}
    for doc_id, doc in stored.items():
        origins = doc.get("merged_from")
        if not origins:
            view[doc_id] = doc
            continue
        for origin_id, record in origins.items():
            number = _ALIAS_BASE + len(alias)
            alias[number], view[number] = (doc_id, origin_id), record
    plan = reconcile(view, [record.to_doc() for record in records], CONTACT_FIELDS)
    if alias:
        updates = {doc_id: change for doc_id, change in plan.updates.items() if doc_id not in alias}
        for number, change in plan.updates.items():
            if number in alias:
                doc_id, origin_id = alias[number]
                update = updates.setdefault(doc_id, {})
                update.update(_followed(stored[doc_id] | update, origin_id, change))
        plan.updates = updates
        plan.rows = [(outcome, alias[target][0] if target in alias else target) for outcome, target in plan.rows]
    apply_plan(table, plan, stored, "c", report)


def _followed(doc: Mapping[str, Any], origin_id: str, change: Mapping[str, Any]) -> dict[str, Any]:
    """What a change to one original record of merged contact ``doc`` does to it."""
    from tui.store.reconcile import as_list, union

    record = doc["merged_from"][origin_id]
    update: dict[str, Any] = {"merged_from": {**doc["merged_from"], origin_id: {**record, **change}}}
    for name, value in change.items():
        if name in LIST_FIELDS:
            update[name] = union(as_list(doc.get(name)), as_list(value), _item_key(name))
        elif name not in _OWN_FIELDS and (doc.get(name) or "") == (record.get(name) or ""):
            update[name] = value  # the merged contact kept this record's value: it follows it
    return update

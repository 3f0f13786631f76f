"""Applying an import to the stored tables: the plan comes from the pure :mod:`reconcile`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui.dedup.keys import identity_keys
from tui.models import Request, as_texts
from tui.store.derived import pk, with_keys
from tui.store.reconcile import Plan, reconcile

if TYPE_CHECKING:
    from tinydb.table import Table

    from tui.store.files import DataFile

PERSON_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "title",
    "company",
    "location",
    "emails",
    "urls",
    "source",
    "source_id",
    "tags",
    "notes",
    "phones",
    "nicknames",
    "department",
)
REQUEST_FIELDS = (*PERSON_FIELDS, "message", "sent_at", "connections", "mutual")
CONTACT_FIELDS = (*PERSON_FIELDS, "connected_on")


@dataclass(slots=True)
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Rows not stored: already a contact (same URL or e-mail), or empty."""

    def counts(self) -> dict[str, int]:
        return {k: len(getattr(self, k)) for k in ("added", "updated", "unchanged", "skipped")}


def new_requests(
    contacts: Sequence[Mapping[str, Any]], requests: list[Request], now_iso: Callable[[], str], report: ImportReport
) -> list[Request]:
    """The requests from people who are not already contacts (same e-mail or URL), stamped with
    ``now_iso()`` when they carry no time; the others are reported as skipped."""
    known = {key for doc in contacts for key in identity_keys(as_texts(doc.get("emails")), as_texts(doc.get("urls")))}
    fresh = []
    for request in requests:
        if known.intersection(identity_keys(request.emails, request.urls)):
            report.skipped.append(request.name)
        else:
            request.added_at = request.added_at or now_iso()
            fresh.append(request)
    return fresh


def merge_rows(table: Table, records: list[Any], fields: tuple[str, ...], prefix: str, report: ImportReport) -> None:
    """Insert new records and update changed ones, as :func:`tui.store.reconcile.reconcile` plans it."""
    stored = {doc.doc_id: doc for doc in table.all()}
    apply_plan(table, reconcile(stored, [record.to_doc() for record in records], fields), stored, prefix, report)


def apply_plan(table: Table, plan: Plan, stored: dict[int, Any], prefix: str, report: ImportReport) -> None:
    """Write a reconciled plan to ``table`` (its ``stored`` documents by id) and report each row."""
    if prefix == "r":
        for doc in plan.inserts:
            with_keys(doc)
        for doc_id, change in plan.updates.items():
            if {"emails", "urls", "name", "company", "title", "source", "nicknames"} & change.keys():
                change["_pk"] = pk(stored[doc_id] | change)
    if plan.updates:
        # One pass over the table for all updates. TinyDB applies the callable to doc_ids in the
        # order given (all of which exist: they were read under this same lock).
        changes = iter(plan.updates.values())
        table.update(lambda doc: doc.update(next(changes)), doc_ids=list(plan.updates))
    new_ids = table.insert_multiple(plan.inserts) if plan.inserts else []
    for outcome, target in plan.rows:
        getattr(report, outcome).append(f"{prefix}{target if target > 0 else new_ids[-target - 1]}")


def changed_contacts(contacts: DataFile) -> tuple[tuple[int, ...] | None, list[tuple[str, dict[str, Any]]] | None]:
    """Before ``contacts`` is written: its signature as read, and the contacts (id, document as it
    now is) this write adds or changes, for keys.tail; None when it changed them by other means or
    removed one (keys.idx anew)."""
    assert contacts.data is not None
    stored = contacts.data["contacts"]
    docs = [(f"c{key}", stored.get(key)) for table, key in contacts.touched if table == "contacts"]
    if contacts.whole or any(doc is None for _, doc in docs):
        return contacts.sig, None
    return contacts.sig, [(cid, doc) for cid, doc in docs if doc is not None]

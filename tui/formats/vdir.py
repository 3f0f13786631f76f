"""A vdir: one vCard file per person in a folder, the layout khard and vdirsyncer read (and, through
vdirsyncer, CardDAV servers and phones). Pure: records and what the folder holds in, a plan out;
:mod:`tui.outdir` reads the folder and carries the plan out.

* Each card gets a UID of its own, stable from one export to the next, and a file named after it
  (``<uuid>.vcf``). A card that came from your own address book is never given its UID back: the
  exported card carries only what tui keeps, and syncing it over the original would lose the rest.
* A manifest in the folder (:data:`MANIFEST`, hidden: address books read only ``*.vcf``) remembers
  which file each record was written to and what was written. A changed record keeps its file
  name; a record that is gone has its file removed. A file tui did not write is never touched, and
  a file someone changed since tui wrote it (an edit in khard, a sync from a phone) is left as it
  is, and reported.
* The cards hold the records' text made safe for a terminal (:func:`tui.text.clean`): khard and
  mutt show them there.
"""

from __future__ import annotations

import copy
import hashlib
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from tui.formats.export import vcard
from tui.models import Contact, Person, Request
from tui.text import clean, clean_multiline

MANIFEST = ".tui-export.json"
_NAMESPACE = uuid.UUID("6f0f3c9e-2b53-4c38-9f57-2a4b1e3d7c11")
_LINE_FIELDS = ("name", "first_name", "last_name", "title", "company", "department", "location")
_LIST_FIELDS = ("emails", "urls", "phones", "nicknames")
P = TypeVar("P", bound=Person)


@dataclass
class Plan:
    writes: dict[str, bytes] = field(default_factory=dict)
    """Files to write (new or changed), by name."""
    removes: list[str] = field(default_factory=list)
    """Files this export wrote before, for records that are gone."""
    left: list[str] = field(default_factory=list)
    """Files changed by someone else since tui wrote them: neither rewritten nor removed."""
    unchanged: int = 0
    manifest: dict[str, Any] = field(default_factory=dict)

    def counts(self, before: Mapping[str, Any]) -> dict[str, int]:
        known = before.get("files", {})
        added = sum(1 for name in self.writes if not any(e.get("file") == name for e in known.values()))
        return {
            "added": added,
            "changed": len(self.writes) - added,
            "removed": len(self.removes),
            "unchanged": self.unchanged,
            "left alone": len(self.left),
        }


def digest(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def safe_copy(record: P) -> P:
    """The record with every text field made safe for a terminal (controls and bidi tricks gone)."""
    shown = copy.copy(record)
    for name in _LINE_FIELDS:
        setattr(shown, name, clean(getattr(record, name), None))
    for name in _LIST_FIELDS:
        setattr(shown, name, [kept for kept in (clean(v, None) for v in getattr(record, name)) if kept.strip()])
    shown.notes = clean_multiline(record.notes, None)
    if not (shown.first_name or shown.last_name) and shown.name != shown.company:  # a request has its name alone
        shown.first_name, _, shown.last_name = shown.name.strip().rpartition(" ")
    return shown


def card_uid(record: Person) -> str:
    """A UID for a record tui exports: the same for the same record on every export."""
    return str(uuid.uuid5(_NAMESPACE, f"{record.id}|{record.source}|{record.source_id}"))


def plan(
    records: Sequence[Contact | Request],
    manifest: Mapping[str, Any],
    existing: set[str],
    current: Callable[[str], str | None],
    version: str = "3.0",
) -> Plan:
    """What to write to a vdir holding ``existing`` file names, after the export ``manifest``
    records; ``current(name)`` is the digest of a file as it is now (None when it is missing).
    Only the records of the kinds exported (their id prefix: ``c`` contacts, ``r`` requests) are
    compared with the manifest; the others' entries are kept as they were."""
    before: dict[str, dict[str, str]] = dict(manifest.get("files", {}))
    kinds = {record.id[:1] for record in records}
    result = Plan()
    entries = {rid: entry for rid, entry in before.items() if rid[:1] not in kinds}
    taken = {entry["file"] for entry in before.values()}
    for record in records:
        entry = before.get(record.id)
        uid = entry["uid"] if entry else card_uid(record)
        payload = vcard(safe_copy(record), uid=uid if version == "3.0" else f"urn:uuid:{uid}", version=version).encode(
            "utf-8", "surrogatepass"
        )
        name = entry["file"] if entry else _free_name(uid, lambda n: n in existing or n in taken, payload, current)
        taken.add(name)
        now = current(name) if (entry or name in existing) else None
        if entry and now is not None and now != entry["sha256"]:
            result.left.append(name)  # edited elsewhere since tui wrote it
            entries[record.id] = entry
            continue
        if now == digest(payload):
            result.unchanged += 1
        else:
            result.writes[name] = payload
        entries[record.id] = {"file": name, "uid": uid, "sha256": digest(payload)}
    for rid, entry in before.items():
        if rid[:1] in kinds and rid not in entries:
            now = current(entry["file"])
            if now == entry["sha256"]:
                result.removes.append(entry["file"])
            elif now is not None:
                result.left.append(entry["file"])
    result.manifest = {"version": 1, "files": entries}
    return result


def _free_name(uid: str, used: Callable[[str], bool], payload: bytes, current: Callable[[str], str | None]) -> str:
    """``<uid>.vcf``, unless another file has that name (one tui did not write, or wrote before
    losing its manifest: that one is taken back when it holds exactly this card)."""
    name, n = f"{uid}.vcf", 1
    while used(name) and current(name) != digest(payload):
        name, n = f"{uid}-{n}.vcf", n + 1
    return name

"""The persisted key indexes: ``keys.idx`` (the contacts') with ``keys.tail`` (the contacts added
since), and ``pending.idx`` (the queue's). Each is a cache, checked against the file it comes
from before use (see :mod:`tui.store.derived` for the others)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import orjson

from tui.dedup.keys import KeyIndex
from tui.fileio import atomic_write, read_cache
from tui.gcpause import paused_gc
from tui.models import as_text
from tui.store import journal
from tui.store.derived import KEYS_FILE, PENDING_FILE, current_pk, is_due_doc, keys_from_pk, keys_of, pk, request_index, stored_keys

# -- keys.idx: the contacts' keys ------------------------------------------------------------


def contact_index(contacts: dict[str, dict[str, Any]]) -> KeyIndex:
    """The keys of every contact (the ``contacts`` table), computed now."""
    with paused_gc():
        return KeyIndex.bulk(
            [(f"c{k}", keys_of(doc), as_text(doc.get("name")), as_text(doc.get("company"))) for k, doc in contacts.items()]
        )


TAIL_FILE = "keys.tail"
#: Beyond this many contacts added since keys.idx was written, keys.idx is written anew.
CONTACT_TAIL = 500


def tail_limit(base: KeyIndex) -> int:
    """How many contacts keys.tail may hold over ``base``: :data:`CONTACT_TAIL`, or a twentieth
    of the contacts in a bigger store (an import of 3k into 100k is laid over, not rebuilt)."""
    return max(CONTACT_TAIL, base.size() // 20)


def note_contacts(
    root: Path, before: tuple[int, ...] | None, after: tuple[int, ...] | None, changed: list[tuple[str, dict[str, Any]]]
) -> bool | None:
    """Note in keys.tail the contacts (id, document as it now is) that the write taking
    contacts.json from ``before`` to ``after`` added or changed (``tui add --contact``, an import),
    so that keys.idx with them laid over stays usable without a rebuild of every contact's keys
    (seconds at 30k). A contact noted again replaces its earlier row. Whether the tail is still
    within :func:`tail_limit` (False: lay it into keys.idx now); None when keys.idx (with its
    tail) was not current before the write: then keys.idx is to be rebuilt from every contact."""
    if before is None or after is None:
        return None
    loaded = KeyIndex.load(root / KEYS_FILE)
    built = loaded[1].get("contacts_sig") if loaded is not None else None
    if loaded is None or not isinstance(built, list):
        return None
    tail: dict[str, Any] | None = {"base": built, "sig": list(before), "rows": []} if built == list(before) else _tail(root, built, before)
    if tail is None:
        return None
    if not changed and before == after:
        return True  # nothing changed: keys.idx with its tail is as current as it was
    ids = {contact_id for contact_id, _ in changed}
    rows = [row for row in tail["rows"] if not (isinstance(row, list) and row and row[0] in ids)]
    with paused_gc():
        rows += [[contact_id, pk(doc), as_text(doc.get("name")), as_text(doc.get("company"))] for contact_id, doc in changed]
    tail["rows"], tail["sig"] = rows, list(after)
    try:
        atomic_write(root / TAIL_FILE, orjson.dumps(tail), durable=False)
    except OSError:
        return None
    return len(rows) <= tail_limit(loaded[0])


def _tail(root: Path, built: Any, sig: tuple[int, ...]) -> dict[str, Any] | None:
    """keys.tail when it follows the keys.idx built for ``built`` and leads to the contacts.json
    whose signature is ``sig``; else None."""
    try:
        tail: Any = orjson.loads(read_cache(root / TAIL_FILE) or b"null")  # a hand edit may leave anything
    except orjson.JSONDecodeError:
        return None
    if not isinstance(tail, dict) or tail.get("base") != built or tail.get("sig") != list(sig) or not isinstance(tail.get("rows"), list):
        return None
    return tail


def load_contact_keys(root: Path, sig: tuple[int, ...] | None, with_tail: bool = False) -> KeyIndex | None:
    """keys.idx when it was built from the contacts.json whose signature is ``sig``; with
    ``with_tail``, also keys.idx with the contacts added since (keys.tail) laid over it when
    together they are that contacts.json; else None."""
    loaded = KeyIndex.load(root / KEYS_FILE)
    if loaded is None or sig is None:
        return None
    base, header = loaded
    if header.get("contacts_sig") == list(sig):
        return base
    tail = _tail(root, header.get("contacts_sig"), sig) if with_tail else None
    if tail is None:
        return None
    rows = []
    for row in tail["rows"]:
        if not (isinstance(row, list) and len(row) == 4 and current_pk(row[1])):
            return None
        rows.append((as_text(row[0]), keys_from_pk(row[1]), as_text(row[2]), as_text(row[3])))
    from tui.dedup.delta import DeltaIndex

    with paused_gc():
        return DeltaIndex.over(base, rows, [row[0] for row in rows])  # a contact changed since: its row in keys.idx is out


def save_contact_keys(root: Path, index: KeyIndex, sig: tuple[int, ...]) -> None:
    """Write keys.idx for the contacts.json whose signature is ``sig`` (best effort)."""
    with contextlib.suppress(OSError):
        atomic_write(root / KEYS_FILE, index.to_bytes({"contacts_sig": list(sig)}), durable=False)


# -- pending.idx: the keys of the requests in the queue ----------------------------------------

#: Beyond this many requests changed since pending.idx was written, it is not used (built anew).
PENDING_TAIL = 2_000
#: Beyond this many requests changed since, the app writes pending.idx anew after its analysis.
PENDING_REFRESH = 200


def queueable(doc: dict[str, Any]) -> bool:
    """Pending or deferred: in the triage queue today or on a later day (not decided, not asked)."""
    return as_text(doc.get("status")) in ("pending", "deferred")


def save_pending_keys(root: Path, requests: dict[str, dict[str, Any]], base_sig: tuple[int, ...], token: str, end: int) -> bool:
    """Write pending.idx: the keys of every pending or deferred request (with the day each deferred
    one is due), for the queue.json whose signature is ``base_sig`` followed by its journal up to
    ``end`` (best effort: a cache)."""
    rows = sorted(((k, doc) for k, doc in requests.items() if queueable(doc)), key=lambda kv: int(kv[0]))
    index = request_index((f"r{k}", doc) for k, doc in rows)
    deferred = {f"r{k}": as_text(doc.get("until")) for k, doc in rows if as_text(doc.get("status")) == "deferred"}
    header = {"base": list(base_sig[:3]), "token": token, "end": end, "deferred": deferred}
    try:
        atomic_write(root / PENDING_FILE, index.to_bytes(header), durable=False)
    except OSError:
        return False
    return True


def load_pending_keys(root: Path, journal_path: Path, today: str) -> KeyIndex | None:
    """The keys of the requests due ``today``, from pending.idx and the journal lines written after
    it, without reading queue.json; None when pending.idx does not follow the queue.json there is
    now (a compaction, a restore), or too much has changed since it was written."""
    loaded = KeyIndex.load(root / PENDING_FILE)
    if loaded is None:
        return None
    base, header = loaded
    try:
        st = os.stat(root / "queue.json")
        end, token, deferred = int(header["end"]), str(header["token"]), dict(header["deferred"])
    except (OSError, KeyError, TypeError, ValueError):
        return None
    if header.get("base") != [st.st_ino, st.st_size, st.st_mtime_ns]:
        return None
    changed = _changed_since(journal_path, token, end)
    if changed is None or len(changed) > PENDING_TAIL:
        return None
    not_yet = {rid for rid, until in deferred.items() if not (until and until <= today)}
    tail = [(rid, stored_keys(doc), as_text(doc.get("name"))) for rid, doc in changed.items() if doc is not None and is_due_doc(doc, today)]
    from tui.dedup.delta import DeltaIndex

    with paused_gc():
        return DeltaIndex.over(base, tail, [*changed, *not_yet])  # type: ignore[arg-type]


def _changed_since(path: Path, token: str, end: int) -> dict[str, dict[str, Any] | None] | None:
    """Each request the journal's lines after ``end`` changed, as it now is (None: removed); None
    when the journal is not the one pending.idx was written beside."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {} if end == 0 else None
    head = journal.header(token)
    if not raw.startswith(head):
        return {} if end == 0 else None  # end 0: no journal then, and this one follows another queue.json
    if len(raw) < max(end, len(head)):
        return None
    found = journal.read(raw[max(end, len(head)) :], ("requests", "decisions"), first_line=2)
    if found.damaged:
        return None
    writes = found.writes
    changed: dict[str, dict[str, Any] | None] = {}
    for write in writes:
        changed.update({f"r{key}": doc for table, key, doc in write if table == "requests"})
    return changed

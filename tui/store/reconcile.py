"""Reconciling an import with what is stored: which rows are people already known, which are new.

Pure: the stored documents and the file's rows (as documents) in, a :class:`Plan` of inserts and
updates out. Nothing here opens the database; the store applies the plan. Every rule below is
tested on plain dicts in ``tests/unit/test_reconcile.py``.

Records are compared only within one source (a network, or a file kind): telling that a LinkedIn
contact and an X request are one person is dedup's suggestion and the user's call, never an import's.

Identity comes in three strengths: the **source id**, **profile URLs**, **e-mail addresses**.

1. The strongest kind that *both* records carry decides. Sharing one value of it (one URL, one
   e-mail) means the same person; carrying it with no value in common means different people,
   whatever else agrees. Two rows with the same e-mail but different source ids are two people.
2. Name plus company may link two records only when no kind is carried by both, so that neither
   has an identity the other contradicts (one has an e-mail and the other none, say).
3. Two rows of the same file are never merged by name alone: rows join by identity first; then a
   group of rows still unmatched may take a stored record by name, but only one that no other
   row of this file has already taken. A stored record the row would not change is the same row,
   imported before, and is taken first (so a second import finds what the first one made). When
   several stored records fit otherwise, a row without any identity takes the first that has none
   either; a row with one is a new person rather than a guess.
4. Requests carry the time they were sent. Two requests with the same name sent within
   :data:`SAME_TIME` of each other are one request, whatever their companies, when no identity
   contradicts: LinkedIn's invitation e-mail (profile link, no id) and the Invitations.csv row for
   it (an id made of name and time, and no URL before late 2023) meet this way. Two requests sent
   further apart are never linked by name: a re-request is a new request.

A name that is only the handle in the record's own profile URL (Instagram's ``jdoe`` for
``instagram.com/jdoe``) never replaces a stored name: it stands in until a real one is known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from tui.dedup.normalise import email_key, simple_name_key, url_key
from tui.gcpause import paused_gc

Identity = tuple[frozenset[str], frozenset[str], frozenset[str]]
"""(source ids, profile URL keys, e-mail keys): strongest first."""

#: The fields that make up an :data:`Identity`.
IDENTITY_FIELDS = frozenset(("source_id", "urls", "emails"))
#: How list fields are compared when rows are merged: items equal in this form are one item.
LIST_KEYS: dict[str, Callable[[str], str]] = {"emails": email_key, "urls": url_key}
#: Requests with one name sent this close together are one request (rule 4): an invitation e-mail
#: leaves seconds after the invitation that Invitations.csv records to the minute.
SAME_TIME = timedelta(minutes=15)


@dataclass
class Plan:
    """What an import does to one table."""

    inserts: list[dict[str, Any]] = field(default_factory=list)
    """New documents, in the order they go in (a row that alone makes one is passed on as it came)."""
    updates: dict[int, dict[str, Any]] = field(default_factory=dict)
    """For each stored document that changes: its changed fields only."""
    rows: list[tuple[str, int]] = field(default_factory=list)
    """For each incoming row, in order: ``("added" | "updated" | "unchanged", target)``, where the
    target is a stored document's id, or ``-(i + 1)`` for ``inserts[i]``."""


def as_list(value: Any) -> list[str]:
    """A stored list field as a list of strings (an older store may hold one bare string)."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v]
    return []


def identity(doc: Mapping[str, Any]) -> Identity:
    sid = doc.get("source_id")
    sid = sid.strip() if isinstance(sid, str) else ""
    return (
        frozenset((sid,)) if sid else frozenset(),
        frozenset(k for k in map(url_key, as_list(doc.get("urls"))) if k),
        frozenset(k for k in map(email_key, as_list(doc.get("emails"))) if k),
    )


def same_person(a: Identity, b: Identity) -> bool | None:
    """True or False by the strongest kind of identity both carry; None when they share no kind."""
    for mine, theirs in zip(a, b, strict=True):
        if mine and theirs:
            return not mine.isdisjoint(theirs)
    return None


def _source(doc: Mapping[str, Any]) -> str:
    return str(doc.get("source") or "").lower()


def _name_key(doc: Mapping[str, Any]) -> tuple[str, str, str]:
    return (_source(doc), simple_name_key(str(doc.get("name") or "")), simple_name_key(str(doc.get("company") or "")))


@lru_cache(maxsize=65536)
def sent_time(value: object) -> datetime | None:
    """A ``sent_at`` with a time of day, as a naive UTC datetime; None for a date alone or none (or
    anything not a text: a hand-edited file may hold any JSON value)."""
    if not isinstance(value, str) or len(value) < 16 or not value.isascii():
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        return None


def times_apart(a: Mapping[str, Any], b: Mapping[str, Any]) -> timedelta | None:
    """How far apart two requests were sent, when both say it to the minute."""
    ta, tb = sent_time(a.get("sent_at") or ""), sent_time(b.get("sent_at") or "")
    return abs(ta - tb) if ta is not None and tb is not None else None


def is_handle(doc: Mapping[str, Any]) -> bool:
    """The record's name is only the handle its own profile URL ends in (``jdoe``, ``@jdoe``)."""
    name = str(doc.get("name") or "").strip().lstrip("@").casefold()
    if not name or " " in name:
        return False
    return any(key.rsplit("/", 1)[-1].lstrip("@").casefold() == name for key in map(url_key, as_list(doc.get("urls"))) if "/" in key)


def union(old: list[str], new: list[str], key: Callable[[str], str]) -> list[str]:
    """``old`` plus the items of ``new`` that are not already there in canonical form (an item
    without one, such as a URL that is nobody's profile, only as written)."""
    seen = {key(x) or x for x in old}
    merged = list(old)
    for item in new:
        canonical = key(item) or item
        if canonical not in seen:
            seen.add(canonical)
            merged.append(item)
    return merged


def changes(old: Mapping[str, Any], new: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """The fields of ``new`` that change ``old``: an empty value never erases one; list fields
    gain the items they lack."""
    changed: dict[str, Any] = {}
    for k in fields:
        value = new.get(k)
        if value in (None, "", []) or (k == "name" and old.get("name") and is_handle(new)):
            continue
        if isinstance(value, list):
            present = as_list(old.get(k))
            if all(item in present for item in value):  # the common case of a re-import, without normalising
                continue
            value = union(present, value, LIST_KEYS.get(k, simple_name_key))
        if value != old.get(k):
            changed[k] = value
    return changed


class _Index:
    """Identity keys (within a source) to the people that carry them, first come first."""

    def __init__(self) -> None:
        self._by: dict[tuple[str, int, str], list[int]] = {}

    def add(self, source: str, ident: Identity, target: int) -> None:
        for kind, keys in enumerate(ident):
            for key in keys:
                found = self._by.setdefault((source, kind, key), [])
                if target not in found:
                    found.append(target)

    def find(self, source: str, ident: Identity, identities: Mapping[int, Identity]) -> int | None:
        """The first person with a shared key whom :func:`same_person` says is the same."""
        found = self.find_all(source, ident, identities, first=True)
        return found[0] if found else None

    def find_all(
        self,
        source: str,
        ident: Identity,
        identities: Mapping[int, Identity],
        resolve: Callable[[int], int] = lambda n: n,
        first: bool = False,
    ) -> list[int]:
        """Every person with a shared key whom :func:`same_person` says is the same, strongest
        key first (``resolve`` maps an old target to the one it became)."""
        found: list[int] = []
        for kind, keys in enumerate(ident):
            for key in sorted(keys):
                for target in map(resolve, self._by.get((source, kind, key), ())):
                    if target not in found and same_person(ident, identities[target]):
                        found.append(target)
                        if first:
                            return found
        return found


@dataclass
class _Group:
    """Rows of the file that are one person by identity (rule 1), merged in file order."""

    doc: dict[str, Any]
    ident: Identity
    rows: list[int]


def reconcile(stored: Mapping[int, Mapping[str, Any]], incoming: list[dict[str, Any]], fields: tuple[str, ...]) -> Plan:
    """Match ``incoming`` rows (one file) against ``stored`` documents (by id) and plan the write.

    ``fields`` are the fields a row may change on a record it matches. Neither argument is
    modified."""
    with paused_gc():  # the cyclic GC walking 30k stored documents doubled the time
        return _reconcile(stored, incoming, fields)


def _reconcile(stored: Mapping[int, Mapping[str, Any]], incoming: list[dict[str, Any]], fields: tuple[str, ...]) -> Plan:
    groups = _group_rows(incoming, fields)

    # Stored people, as they will be after the rows matched so far: later rows see earlier changes.
    state: dict[int, Mapping[str, Any]] = dict(stored)
    idents: dict[int, Identity] = {doc_id: identity(doc) for doc_id, doc in stored.items()}
    index = _Index()
    by_name: dict[tuple[str, str, str], list[int]] = {}
    for doc_id, doc in stored.items():
        index.add(_source(doc), idents[doc_id], doc_id)
        by_name.setdefault(_name_key(doc), []).append(doc_id)

    target_of: dict[int, int] = {}  # group number -> stored doc id
    touched: dict[int, set[str]] = {}  # group number -> the fields it changed on that record
    taken: set[int] = set()

    def link(number: int, doc_id: int) -> None:
        target_of[number], touched[number] = doc_id, set()
        taken.add(doc_id)
        changed = changes(state[doc_id], groups[number].doc, fields)
        if changed:
            touched[number] = set(changed)
            state[doc_id] = {**state[doc_id], **changed}
            if changed.keys() & IDENTITY_FIELDS:
                idents[doc_id] = identity(state[doc_id])
                index.add(_source(state[doc_id]), idents[doc_id], doc_id)

    # Rule 1: by identity.
    for number, group in enumerate(groups):
        found = index.find(_source(group.doc), group.ident, idents)
        if found is not None:
            link(number, found)
    # Rule 4: a request by name and send time.
    by_sent: dict[tuple[str, str], list[int]] = {}
    for doc_id, doc in stored.items():
        if sent_time(doc.get("sent_at") or ""):
            by_sent.setdefault(_name_key(doc)[:2], []).append(doc_id)
    for number, group in enumerate(groups):
        if number in target_of or not sent_time(group.doc.get("sent_at") or ""):
            continue
        near = [
            (apart, d)
            for d in by_sent.get(_name_key(group.doc)[:2], ())
            if d not in taken
            and same_person(group.ident, idents[d]) is None
            and (apart := times_apart(group.doc, stored[d])) is not None
            and apart <= SAME_TIME
        ]
        if near:
            link(number, min(near)[1])
    # Rules 2 and 3: by name and company, to a stored record no other row of the file has taken
    # (and, for requests, not one sent at another time: rule 4).
    for number, group in enumerate(groups):
        if number in target_of:
            continue
        pool = [
            d
            for d in by_name.get(_name_key(group.doc), ())
            if d not in taken
            and same_person(group.ident, idents[d]) is None
            and (times_apart(group.doc, stored[d]) or timedelta()) <= SAME_TIME
        ]
        same = [d for d in pool if not changes(state[d], group.doc, fields)]
        if same:  # a record this row would not change: the same row, imported before
            pool = same[:1]
        elif len(pool) > 1:
            pool = [d for d in pool if not any(idents[d])] if not any(group.ident) else []
        if pool:
            link(number, pool[0])

    return _plan(stored, state, groups, target_of, touched, len(incoming))


def _group_rows(incoming: list[dict[str, Any]], fields: tuple[str, ...]) -> list[_Group]:
    """Rule 1 within the file: rows that are the same person by identity become one group. A row
    that two groups both match (one by its source id, one by its URL, say) joins them, unless they
    contradict each other."""
    groups: list[_Group | None] = []
    idents: dict[int, Identity] = {}
    index = _Index()
    alias: dict[int, int] = {}  # absorbed group -> the group it joined

    def resolve(number: int) -> int:
        while number in alias:
            number = alias[number]
        return number

    for row, doc in enumerate(incoming):
        ident, source = identity(doc), _source(doc)
        found = index.find_all(source, ident, idents, resolve) if any(ident) else []
        if not found:
            number = len(groups)
            groups.append(_Group(doc, ident, [row]))  # copied only if a later row changes it
        else:
            number = found[0]
            group = groups[number]
            assert group is not None
            group.rows.append(row)
            changed = changes(group.doc, doc, fields)
            if changed:
                group.doc = group.doc | changed
                group.ident = identity(group.doc)
            joined = False
            for other in found[1:]:
                absorbed = groups[other]
                assert absorbed is not None
                if same_person(group.ident, absorbed.ident) is not False:
                    group.rows += absorbed.rows
                    alias[other], groups[other], joined = number, None, True
            if joined:  # the merged rows, in file order: later values win, as everywhere
                group.rows.sort()
                merged = incoming[group.rows[0]]
                for later in group.rows[1:]:
                    merged = merged | changes(merged, incoming[later], fields)
                group.doc, group.ident = merged, identity(merged)
        idents[number] = groups[number].ident  # type: ignore[union-attr]
        index.add(source, idents[number], number)
    return [g for g in groups if g is not None]


def _plan(
    stored: Mapping[int, Mapping[str, Any]],
    state: Mapping[int, Mapping[str, Any]],
    groups: list[_Group],
    target_of: dict[int, int],
    touched: dict[int, set[str]],
    count: int,
) -> Plan:
    """Inserts for the new people, and each stored record's net change. A row is ``updated`` when
    its group's change is part of that net change; the second and later rows of a group add to the
    first one's record and count as ``unchanged``."""
    plan = Plan()
    outcomes: list[tuple[str, int]] = [("unchanged", 0)] * count
    for doc_id in set(target_of.values()):
        if state[doc_id] is not stored[doc_id]:
            diff = {k: v for k, v in state[doc_id].items() if stored[doc_id].get(k) != v}
            if diff:
                plan.updates[doc_id] = diff
    for number, group in enumerate(groups):
        stored_as = target_of.get(number)
        if stored_as is None:
            plan.inserts.append(group.doc)
            target, first = -len(plan.inserts), "added"
        else:
            target = stored_as
            first = "updated" if touched[number] & plan.updates.get(stored_as, {}).keys() else "unchanged"
        outcomes[group.rows[0]] = (first, target)
        for later in group.rows[1:]:
            outcomes[later] = ("unchanged", target)
    plan.rows = outcomes
    return plan

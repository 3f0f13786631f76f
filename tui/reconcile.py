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
   row of this file has already taken. When several stored records fit, a row without any
   identity takes the first that has none either (the same row, imported before); otherwise the
   row is a new person rather than a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tui.dedup.normalise import email_key, simple_name_key, url_key

Identity = tuple[frozenset[str], frozenset[str], frozenset[str]]
"""(source ids, profile URL keys, e-mail keys): strongest first."""

#: How list fields are compared when rows are merged: items equal in this form are one item.
LIST_KEYS: dict[str, Callable[[str], str]] = {"emails": email_key, "urls": url_key}


@dataclass
class Plan:
    """What an import does to one table."""

    inserts: list[dict[str, Any]] = field(default_factory=list)
    """New documents, in the order they go in."""
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
    for mine, theirs in zip(a, b):
        if mine and theirs:
            return not mine.isdisjoint(theirs)
    return None


def _source(doc: Mapping[str, Any]) -> str:
    return str(doc.get("source") or "").lower()


def _name_key(doc: Mapping[str, Any]) -> tuple[str, str, str]:
    return (_source(doc), simple_name_key(str(doc.get("name") or "")), simple_name_key(str(doc.get("company") or "")))


def union(old: list[str], new: list[str], key: Callable[[str], str]) -> list[str]:
    """``old`` plus the items of ``new`` that are not already there in canonical form."""
    seen = {key(x) for x in old}
    merged = list(old)
    for item in new:
        if key(item) not in seen:
            seen.add(key(item))
            merged.append(item)
    return merged


def changes(old: Mapping[str, Any], new: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """The fields of ``new`` that change ``old``: an empty value never erases one; list fields
    gain the items they lack."""
    changed: dict[str, Any] = {}
    for k in fields:
        value = new.get(k)
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = union(as_list(old.get(k)), value, LIST_KEYS.get(k, simple_name_key))
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
        for kind, keys in enumerate(ident):
            for key in sorted(keys):
                for target in self._by.get((source, kind, key), ()):
                    if same_person(ident, identities[target]):
                        return target
        return None


@dataclass
class _Group:
    """Rows of the file that are one person by identity (rule 1), merged in file order."""

    doc: dict[str, Any]
    rows: list[int]


def reconcile(stored: Mapping[int, Mapping[str, Any]], incoming: list[dict[str, Any]], fields: tuple[str, ...]) -> Plan:
    """Match ``incoming`` rows (one file) against ``stored`` documents (by id) and plan the write.

    ``fields`` are the fields a row may change on a record it matches. Neither argument is
    modified."""
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
    taken: set[int] = set()

    def link(number: int, doc_id: int) -> None:
        target_of[number] = doc_id
        taken.add(doc_id)
        merged = dict(state[doc_id])
        merged.update(changes(merged, groups[number].doc, fields))
        state[doc_id] = merged
        idents[doc_id] = identity(merged)
        index.add(_source(merged), idents[doc_id], doc_id)

    # Rule 1: by identity.
    for number, group in enumerate(groups):
        found = index.find(_source(group.doc), identity(group.doc), idents)
        if found is not None:
            link(number, found)
    # Rules 2 and 3: by name and company, to a stored record no other row of the file has taken.
    for number, group in enumerate(groups):
        if number in target_of:
            continue
        ident = identity(group.doc)
        pool = [d for d in by_name.get(_name_key(group.doc), ()) if d not in taken and same_person(ident, idents[d]) is None]
        if len(pool) > 1:
            pool = [d for d in pool if not any(idents[d])] if not any(ident) else []
        if pool:
            link(number, pool[0])

    return _plan(stored, groups, target_of, fields, len(incoming))


def _group_rows(incoming: list[dict[str, Any]], fields: tuple[str, ...]) -> list[_Group]:
    groups: list[_Group] = []
    idents: dict[int, Identity] = {}
    index = _Index()
    for row, doc in enumerate(incoming):
        ident = identity(doc)
        number = index.find(_source(doc), ident, idents) if any(ident) else None
        if number is None:
            number = len(groups)
            groups.append(_Group(dict(doc), []))
        else:
            group = groups[number]
            group.doc.update(changes(group.doc, doc, fields))
        groups[number].rows.append(row)
        idents[number] = identity(groups[number].doc)
        index.add(_source(doc), idents[number], number)
    return groups


def _plan(stored: Mapping[int, Mapping[str, Any]], groups: list[_Group], target_of: dict[int, int], fields: tuple[str, ...], count: int) -> Plan:
    """Inserts for the new people; for each stored record, the net change of every group of rows
    that matched it. A row is ``updated`` when its group's change is part of that net change; the
    second and later rows of a group add to the first one's record and count as ``unchanged``."""
    plan = Plan()
    outcomes: list[tuple[str, int]] = [("unchanged", 0)] * count
    current: dict[int, dict[str, Any]] = {}
    linked: list[tuple[_Group, int, set[str]]] = []
    for number, group in enumerate(groups):
        doc_id = target_of.get(number)
        if doc_id is None:
            plan.inserts.append(group.doc)
            outcomes[group.rows[0]] = ("added", -len(plan.inserts))
            for later in group.rows[1:]:
                outcomes[later] = ("unchanged", -len(plan.inserts))
            continue
        doc = current.setdefault(doc_id, dict(stored[doc_id]))
        changed = changes(doc, group.doc, fields)
        doc.update(changed)
        linked.append((group, doc_id, set(changed)))
    for doc_id, doc in current.items():
        diff = {k: v for k, v in doc.items() if stored[doc_id].get(k) != v}
        if diff:
            plan.updates[doc_id] = diff
    for group, doc_id, keys in linked:
        updated = bool(keys & plan.updates.get(doc_id, {}).keys())
        outcomes[group.rows[0]] = ("updated" if updated else "unchanged", doc_id)
        for later in group.rows[1:]:
            outcomes[later] = ("unchanged", doc_id)
    plan.rows = outcomes
    return plan

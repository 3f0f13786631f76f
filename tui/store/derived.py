"""Derived data: what the store computes from its data files and keeps, to start and match fast.

None of it is ever the only copy of anything; each is checked against its source before use:

- ``keys.idx``: the contacts' matching keys (a :class:`~tui.dedup.keys.KeyIndex`), with the
  signature of the ``contacts.json`` it was built from; rebuilt when that differs.
- ``queue.head``: the first cards of the oldest-first queue and the queue's length, with the
  signature of ``queue.json`` and the day it was written for; ignored when either differs.
- ``_pk``: each request's matching keys, stored beside it in ``queue.json``, so that queue-wide
  checks never re-normalise: ``[KEYS_VERSION, first, last, company, ...]``. Keys of another
  version (or of none: stored before keys carried one) are never used; the next write of
  ``queue.json`` stores them afresh, as a bumped version rebuilds ``keys.idx``.

- ``pending.idx``: the keys of every pending or deferred request (with the day each deferred
  one comes due), as of one ``queue.json`` and a point in its journal; the journal's lines after
  that point are laid over it (:class:`~tui.dedup.delta.DeltaIndex`), so the app's first card and
  ``tui add`` match against the queue without reading ``queue.json``. Written by the app after
  its analysis and by ``tui add`` when it is missing or out of date, and again after every whole
  write of ``queue.json`` (a compaction) once it exists; never used for a ``queue.json`` it was
  not written for.

- ``queue.map``: where each document lies in ``queue.json`` (:mod:`tui.store.docmap`), so that a
  command reads the few it needs.

- ``requests.rows``: each request's line as ``tui list`` prints it (:mod:`tui.store.rows`).

The cache files are written without fsync: a stale or lost one is ignored and rebuilt.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple, TypeGuard

import orjson

from tui.dedup import keys
from tui.dedup.keys import KeyIndex, PersonKeys, person_keys
from tui.fileio import atomic_write, read_cache
from tui.gcpause import paused_gc
from tui.models import Action, Request, as_text, as_texts, is_due, sort_queue
from tui.store import history

HEAD_SIZE = 20
RESERVE = 500
"""How many more due requests, after the cards, queue.head names in order (refilling the cards)."""
KEYS_FILE = "keys.idx"
HEAD_FILE = "queue.head"
PENDING_FILE = "pending.idx"


# -- _pk: a request's keys, stored with it ---------------------------------------------------


def keys_of(doc: dict[str, Any]) -> PersonKeys:
    """:func:`~tui.dedup.keys.person_keys` of a stored document (a request or a contact), now.

    The one door through which a stored document becomes keys: a value of the wrong type becomes
    text or a list of texts, as it does for a record (:func:`tui.models.as_text`)."""
    get = doc.get
    return person_keys(
        as_text(get("name")),
        as_text(get("company")),
        as_text(get("title")),
        as_text(get("source")),
        as_texts(get("emails")),
        as_texts(get("urls")),
        as_texts(get("nicknames")),
    )


def stored_keys(doc: dict[str, Any]) -> PersonKeys:
    """The matching keys a request was stored with, or computed now when they are missing or
    of another :data:`~tui.dedup.keys.KEYS_VERSION`."""
    stored = doc.get("_pk")
    return keys_from_pk(stored) if current_pk(stored) else keys_of(doc)


def keys_from_pk(stored: list[Any]) -> PersonKeys:
    """The keys a :func:`current_pk` list holds (its lists back to tuples)."""
    return PersonKeys._make((*stored[1:6], tuple(stored[6]), *stored[7:11], tuple(stored[11])))


# The type of each item of a stored ``_pk`` after the version: a hand edit may leave any.
_PK_TYPES = tuple(
    list if f in ("identity", "nicknames") else bool if f in ("mixed_scripts", "lookalikes") else str for f in PersonKeys._fields
)


def current_pk(stored: Any) -> TypeGuard[list[Any]]:
    """Keys of this version, each of its type (lists of texts where there are lists)."""
    return (
        type(stored) is list
        and len(stored) == len(PersonKeys._fields) + 1
        and stored[0] == keys.KEYS_VERSION
        and all(
            type(v) is t and (type(v) is not list or all(type(x) is str for x in v)) for v, t in zip(stored[1:], _PK_TYPES, strict=True)
        )
    )


def pk(doc: dict[str, Any]) -> list[Any]:
    """A request's ``_pk``: the version, then its keys (lists where the keys hold tuples: as JSON
    gives them back, and as the store's scrubbing of lone surrogates reaches them)."""
    return [keys.KEYS_VERSION, *(list(k) if type(k) is tuple else k for k in keys_of(doc))]


def with_keys(doc: dict[str, Any]) -> dict[str, Any]:
    """Store a request's matching keys beside it, so queue-wide checks never re-normalise."""
    doc["_pk"] = pk(doc)
    return doc


def refresh_keys(requests: dict[str, dict[str, Any]]) -> int:
    """Store fresh keys with every request whose ``_pk`` is missing or of another version; how
    many there were."""
    version, size = keys.KEYS_VERSION, len(PersonKeys._fields) + 1
    refreshed = 0
    for doc in requests.values():
        stored = doc.get("_pk")
        if type(stored) is not list or len(stored) != size or stored[0] != version:  # _current's version check, inlined: 30k a write
            with_keys(doc)
            refreshed += 1
    return refreshed


def request_index(rows: Iterable[tuple[str, dict[str, Any]]]) -> KeyIndex:
    """A key index of requests (id, document), from the keys stored with each."""
    with paused_gc():
        return KeyIndex.bulk([(rid, stored_keys(doc), as_text(doc.get("name"))) for rid, doc in rows])


# -- queue.head: the first cards -------------------------------------------------------------


def is_due_doc(doc: dict[str, Any], today: str) -> bool:
    """:func:`tui.models.is_due` for a stored document."""
    return is_due(as_text(doc.get("status")), as_text(doc.get("until")), today)


def _order(key: str, doc: dict[str, Any]) -> tuple[str, int, str]:
    """Where a request stands in the oldest-first queue."""
    return (as_text(doc.get("sent_at")) or as_text(doc.get("added_at")), int(key), key)


def build_head(queue: dict[str, dict[str, Any]], sig: tuple[int, ...] | None, today: str) -> dict[str, Any]:
    """The first cards of the oldest-first queue, the queue's length and the pairs told apart, so
    the app can show its first card (and its matches with the contacts) without reading every
    request; and the ids of the next due requests in order (``next``), from which
    :func:`next_head` refills the cards after a write without reading every request."""
    requests = queue["requests"]
    due = [_order(k, doc) for k, doc in requests.items() if is_due_doc(doc, today)]
    first = [k for *_, k in heapq.nsmallest(HEAD_SIZE + RESERVE, due)]
    distinct = [list(pair) for pair in history.distinct_pairs(queue.get("decisions", {}))]
    return _head(requests, first, len(due), distinct, sig, today)


def _head(
    requests: dict[str, Any],
    first: list[str],
    count: int,
    distinct: list[Any],
    sig: tuple[int, ...] | None,
    today: str,
    known: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """``known``: cards the head before held, as they still are (each read from the queue costs a
    chunk's parse when it is read document by document)."""
    known = known or {}
    docs = {k: known[k] if k in known else requests[k] for k in first[:HEAD_SIZE]}
    return {"sig": list(sig or ()), "today": today, "count": count, "docs": docs, "next": first[HEAD_SIZE:], "distinct": distinct}


def next_head(
    head: dict[str, Any] | None,
    queue: dict[str, dict[str, Any]],
    touched: dict[tuple[str, str], dict[str, Any] | None],
    sig: tuple[int, ...] | None,
    today: str,
    trusted: bool = False,
) -> dict[str, Any]:
    """The head after a write that changed the documents ``touched`` (each as it was before) in
    ``queue``, from ``head``, the head before it (None: unknown; ``trusted``: this process's own,
    not read from the file, whose ids need no checking). Its requests (the cards, then
    ``next``) stay the first due requests in order: one that is no longer due leaves; one that
    became due comes in when it sorts before the last of them, or when every due request is among
    them. Built anew from every request (:func:`build_head`) on a new day, when fewer than a
    screenful of cards are left, or when a pair told apart may have changed."""
    requests = queue["requests"]
    first = _known(head, requests, today, trusted) if head is not None else None
    if first is None or not _pairs_kept(queue.get("decisions", {}), touched):
        return build_head(queue, sig, today)
    count = int(head["count"])  # type: ignore[index]
    entering: list[str] = []
    gone: set[str] = set()
    for (table, key), old in touched.items():
        if table != "requests":
            continue
        doc = requests.get(key)
        was, now = old is not None and is_due_doc(old, today), doc is not None and is_due_doc(doc, today)
        count += now - was
        gone.add(key)
        if now:
            entering.append(key)
    first = [k for k in first if k not in gone]
    if entering:
        outside = count - len(first) - len(entering)  # due, and after every one of ``first``

        def order(k: str) -> tuple[str, int, str]:
            return _order(k, requests[k])

        last = order(first[-1]) if first else None
        for k in [k for k in entering if outside == 0 or (last is not None and order(k) < last)]:
            bisect.insort(first, k, key=order)  # ``first`` is in order: a few documents read, not every one
        first = first[: HEAD_SIZE + RESERVE]
    if len(first) < min(HEAD_SIZE, count):
        return build_head(queue, sig, today)
    cards = head["docs"]  # type: ignore[index]
    return _head(requests, first, count, head["distinct"], sig, today, {k: d for k, d in cards.items() if k not in gone})  # type: ignore[index]


def _known(head: dict[str, Any], requests: dict[str, Any], today: str, trusted: bool) -> list[str] | None:
    """The ids a head holds in order (its cards, then ``next``), or None when it is of another
    day or shape, or (read from the file) names a request that is not there."""
    nxt = head.get("next")
    if head.get("today") != today or not isinstance(nxt, list) or not isinstance(head.get("docs"), dict):
        return None
    first = [*head["docs"], *nxt]
    return first if trusted or all(isinstance(k, str) and k in requests for k in first) else None


def _pairs_kept(decisions: dict[str, Any], touched: dict[tuple[str, str], dict[str, Any] | None]) -> bool:
    """No pair told apart was made or taken back by the decisions a write touched."""
    for (table, key), old in touched.items():
        if table != "decisions":
            continue
        for doc in (old, decisions.get(key)):
            if not isinstance(doc, dict):
                continue
            if doc.get("action") == Action.DISTINCT:
                return False
            if doc.get("action") == Action.UNDO:
                undone = decisions.get(as_text(doc.get("undoes"))[1:])
                if not isinstance(undone, dict) or undone.get("action") == Action.DISTINCT:
                    return False
    return True


def save_head(root: Path, head: dict[str, Any]) -> None:
    """Write queue.head (without fsync: it is checked before use). Raises OSError (the caller
    removes the file)."""
    atomic_write(root / HEAD_FILE, orjson.dumps(head), durable=False)


def read_head(root: Path, sig: tuple[int, ...] | None) -> dict[str, Any] | None:
    """queue.head when it was written from the queue.json whose signature is ``sig``, else None."""
    try:
        doc = orjson.loads(read_cache(root / HEAD_FILE) or b"null")  # (a FIFO, a link to /dev/zero: never read)
    except orjson.JSONDecodeError:
        return None
    return doc if sig is not None and isinstance(doc, dict) and doc.get("sig") == list(sig) else None


class Head(NamedTuple):
    """What queue.head holds: the first cards, how many are due, and the pairs told apart that
    involve those cards (never suggested again)."""

    cards: list[Request]
    due: int
    distinct: list[tuple[str, str]] | None
    """None in a head written before they were kept there."""


def head_cards(doc: dict[str, Any] | None, today: str) -> Head | None:
    """The cards, count and pairs told apart a head holds, or None when there is none for ``today``."""
    if doc is None or doc.get("today") != today:
        return None
    head = [Request.from_doc(d, f"r{k}") for k, d in doc["docs"].items()]
    pairs = doc.get("distinct")
    distinct = [(as_text(p[0]), as_text(p[1])) for p in pairs if isinstance(p, list) and len(p) == 2] if isinstance(pairs, list) else None
    return Head(sort_queue(head, "oldest"), int(doc["count"]), distinct)

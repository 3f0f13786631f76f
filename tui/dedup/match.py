"""Who is this person already? One matcher for every path (``tui add``, ``tui dedup``, the card,
the context of a queue). Pure: no I/O.

Each candidate has a score (0-100: how sure we are, in per cent, that it is the same person), a
kind and the reasons:

* ``identical``: the same e-mail address or profile URL (decisive);
* ``impersonation``: a contact's name written with look-alike letters (its UTS #39 skeleton is the
  contact's, its letters are not: :func:`tui.dedup.confusables.looks_alike`), exactly a contact's
  name on the same network under a new account (and no other company), or an e-mail address or
  profile URL that only looks like a contact's (the same skeleton: :func:`tui.dedup.keys.lookalike_key`);
* ``likely``: the score reaches the ``likely`` threshold and both names agree;
* ``possible``: worth a look; the reasons say what keeps it from being likely ("company unknown").

Candidates come from several blocking rules, whose union keeps recall (:mod:`tui.dedup.blocking`).
Each is weighed field by field (:mod:`tui.dedup.levels`, Fellegi-Sunter weights with term-frequency
adjustments), and the weights of all the candidates of a request become probabilities together,
beside the chance that the request is from someone else: two John Smiths share what a John Smith
request tells, and the commoner a name, the likelier its bearer is a stranger.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from tui.background import Background
from tui.dedup.blocking import candidates, first_name_table, maybe_firsts, similar_many
from tui.dedup.keys import KeyIndex, PersonKeys, record_keys
from tui.dedup.kinds import copies, kind_of
from tui.dedup.weigh import Side
from tui.gcpause import paused_gc

KINDS = ("identical", "impersonation", "likely", "possible")


@dataclass(frozen=True, slots=True)
class Thresholds:
    likely: int = 90
    """Score from which a candidate whose names agree is likely the same person."""
    possible: int = 1
    """Score from which a candidate is shown at all."""


@dataclass(slots=True)
class Match:
    other_id: str
    score: int
    kind: str
    reasons: list[str] = field(default_factory=list)

    def to_doc(self) -> dict[str, Any]:
        return {"id": self.other_id, "score": self.score, "kind": self.kind, "reasons": self.reasons}

    @property
    def rank(self) -> tuple[int, int]:
        return (KINDS.index(self.kind), -self.score)

    @property
    def order(self) -> tuple[int, int, str, int]:
        """Best first; among equals, contacts before requests, oldest first: the same order
        in every run (not the order in which blocking happened to find them)."""
        number = self.other_id[1:]
        return (*self.rank, self.other_id[:1], int(number) if number.isascii() and number.isdigit() else 0)


def identity_matches(emails: Iterable[str], urls: Iterable[str], index: KeyIndex, exclude: str = "") -> list[Match]:
    """Rows of ``index`` sharing an e-mail or profile URL with the person."""
    from tui.dedup.keys import identity_keys

    return [m for _, m in _identity_rows(identity_keys(emails, urls), index, exclude)]


def _identity_rows(keys: Iterable[str], index: KeyIndex, exclude: str) -> list[tuple[int, Match]]:
    reasons: dict[int, list[str]] = {}
    for key in keys:
        kind, value = key[0], key[2:]
        for row in index.rows_with(key):
            reasons.setdefault(row, []).append(f"{'email' if kind == 'e' else 'profile URL'} identical ({value})")
    found = [(row, Match(index.row_id(row), 100, "identical", why)) for row, why in reasons.items()]
    return [(row, m) for row, m in found if m.other_id != exclude]


def _lookalike_rows(keys: Iterable[str], index: KeyIndex, exclude: str) -> list[tuple[int, Match]]:
    """Rows with an address that looks like one of ``keys`` (the same skeleton) and is not it."""
    from tui.dedup.keys import lookalike_key

    reasons: dict[int, list[str]] = {}
    for key in keys:
        for row in index.rows_with(lookalike_key(key)):
            reasons.setdefault(row, []).append(f"look-alike {'email' if key[0] == 'e' else 'profile URL'} ({key[2:]})")
    found = [(row, Match(index.row_id(row), 100, "impersonation", why)) for row, why in reasons.items()]
    return [(row, m) for row, m in found if m.other_id != exclude]


class Matcher:
    """Matches for a person: against contacts, and against the other pending requests.

    Works on loaded indexes as they are (``tui add``: a few lookups in the key file) or on
    materialised ones (``materialise=True``: many lookups, as ``tui dedup`` and the app make).
    """

    def __init__(
        self,
        contacts: KeyIndex,
        pending: KeyIndex | None = None,
        thresholds: Thresholds | None = None,
        distinct: Iterable[tuple[str, str] | frozenset[str]] = (),
        materialise: bool = True,
        pairwise: bool = False,
        batch: bool = False,
    ) -> None:
        self._close: Background | None = None
        self._cancel = threading.Event()
        """Set: the close surnames worked out in the background are no longer wanted (see similar_many)."""
        if batch and materialise:  # all_pending next: its close surnames in C (no GIL) while the indexes are materialised here
            names = _batch_names(pending or KeyIndex())
            self._close = Background(
                similar_many, sorted(set(contacts.surname_list()).union((pending or KeyIndex()).surname_list())), names, self._cancel.is_set
            )
        self.contacts = contacts.materialise() if materialise else contacts
        self.pending = (pending or KeyIndex()).materialise() if materialise or pending is None else pending
        self.thresholds = thresholds or Thresholds()
        self.distinct = {frozenset(pair) for pair in distinct}
        self.pairwise = pairwise
        """Score each candidate on its own, against only the chance that it is someone else: for
        contacts among themselves, where several rows can all be one person (a request is one of
        them at most, so there the candidates share what it tells). Addresses that only look like
        another contact's are not looked for: two of the user's own contacts are not strangers."""
        self._sides = (Side("c", self.contacts, self.thresholds.possible), Side("r", self.pending, self.thresholds.possible))
        self._searched = tuple(side.index for side in self._sides if side.size)
        """The indexes with anyone in them (an empty one has no identity to share)."""
        self._names: dict[str, str] | None = None
        self._pending_row: dict[str, int] | None = None
        self._pending_identity: dict[int, tuple[str, ...]] | None = None

    def _indexes(self) -> tuple[tuple[str, KeyIndex], ...]:
        return (("c", self.contacts), ("r", self.pending))

    def name_of(self, other_id: str) -> str:
        if self._names is None:
            self._names = {}
            for _, index in self._indexes():
                self._names.update(zip(index.ids, index.display, strict=True))
        return self._names.get(other_id, "")

    def keys_of_pending(self, request_id: str) -> PersonKeys | None:
        if self._pending_row is None:
            self._pending_row = {id_: row for row, id_ in enumerate(self.pending.ids)}
            self._pending_identity = self.pending.identities()
        row = self._pending_row.get(request_id)
        if row is None:
            return None
        return self.pending.row_keys(row)._replace(identity=self._pending_identity.get(row, ()))  # type: ignore[union-attr]

    def match(self, q: PersonKeys, own_id: str = "") -> list[Match]:
        """Every candidate for ``q``, best first."""
        return [m for m, _ in self.match_named(q, own_id)]

    def match_named(self, q: PersonKeys, own_id: str = "") -> list[tuple[Match, str]]:
        """Every candidate for ``q``, best first, with the other person's name as written."""
        found: dict[str, tuple[Match, str]] = {}
        for index in self._searched:
            for row, m in _identity_rows(q.identity, index, own_id):
                found[m.other_id] = (m, index.row_display(row))
        for index in self._searched if not self.pairwise else ():  # contacts among themselves: see pairwise
            for row, m in _lookalike_rows(q.identity, index, own_id):
                if not (self.distinct and frozenset((own_id, m.other_id)) in self.distinct):
                    found.setdefault(m.other_id, (m, index.row_display(row)))
        for side in self._sides:
            index = side.index
            if not side.size:
                continue
            weighed = []
            own = side.prefix == "r" and bool(own_id)
            columns = None if index.lazy else index.columns
            names, weigh, row_keys, distinct = side.names, side.weigh, index.row_keys, self.distinct
            floor = side.cutoff - side.bound(q)  # names weighing less cannot be shown
            for row, probe in candidates(index, q, side.cache, side.worth).items():
                other = index.row_id(row) if columns is None else columns["ids"][row]
                if other == own_id or other in found or (distinct and frozenset((own_id, other)) in distinct):
                    continue
                c = row_keys(row) if columns is None else None
                first, last = (c.first, c.last) if c else (columns["firsts"][row], columns["lasts"][row])  # type: ignore[index]
                if probe.first and probe.first != first and probe.first in (c.nicknames if c else columns["nicknames"][row].split()):  # type: ignore[index]
                    first = probe.first  # the name this person goes by (a vCard NICKNAME): see PersonKeys.nicknames
                agree = names(q, probe, own, first, last)
                if agree[0] < floor and not q.lookalikes:
                    continue
                c = c or row_keys(row)
                w = weigh(q, c, agree, keep=q.lookalikes)
                if w is not None:
                    weighed.append((row, other, c, w))
            if not weighed:
                continue
            other_people = 2.0**side.prior
            # A copy of a plainly written name in look-alike letters (another request: see kinds.kind_of) is
            # no rival explanation of who this person is: it takes no share of the chance.
            copied = {row for row, _, c, _ in weighed if side.prefix == "r" and copies(c, q)}
            total = sum(2.0 ** min(w.bits, 60.0) for row, *_, w in weighed if row not in copied) + other_people
            for row, other, c, w in weighed:
                evidence = 2.0 ** min(w.bits, 60.0)
                score = min(99, round(100 * evidence / (evidence + other_people if self.pairwise else total)))
                kind, score, reasons = kind_of(q, c, w, score, self.thresholds, contacts=side.prefix == "c")
                if score >= self.thresholds.possible or kind == "impersonation":
                    found[other] = (Match(other, score, kind, reasons), index.row_display(row))
        return sorted(found.values(), key=lambda pair: pair[0].order)

    def keys_for(self, request: Any) -> PersonKeys:
        """A request's keys: those the pending index holds for its ``id``, or computed now."""
        keys = self.keys_of_pending(request.id)
        return keys if keys is not None else record_keys(request)

    def for_request(self, request: Any) -> list[tuple[Match, str]]:
        """Matches for a pending request (a model with ``id``), with the other person's name."""
        return self.match_named(self.keys_for(request), request.id)

    def all_pending(
        self,
        progress: Any = None,
        workers: int = 1,
        meanwhile: Callable[[], object] | None = None,
        pace: Callable[[], object] | None = None,
    ) -> dict[str, list[Match]]:
        """Matches for every pending request (surnames compared in batches). ``workers`` > 1 splits
        the queue between that many forked processes: only from a single-threaded command line
        (``tui dedup``), never inside the app, whose threads a fork would not carry over.
        ``meanwhile`` is called while the children match (or before matching, in one process):
        the caller's own reading, done while this process would only wait. ``pace`` is called
        every few milliseconds while the surnames are compared (seconds at 100k contacts, in C):
        the app runs the user's changes there (StoreWriter.between)."""
        with paused_gc():  # tens of thousands of small, acyclic objects
            ids = self.pending.ids
            if workers > 1 and len(ids) >= PARALLEL_FROM and _can_fork():
                self.keys_of_pending("")  # the row table and identities, built once before the fork
                self._similar_many(_batch_names(self.pending))  # (and the thread that found close surnames is done: a fork copies none)
                return self._forked(ids, workers, progress, meanwhile)  # each child works out its own slice's keys
            if meanwhile is not None:
                meanwhile()
            queries = [(id_, self.keys_of_pending(id_)) for id_ in ids]
            self.prepare([q for _, q in queries], pace)
            result: dict[str, list[Match]] = {}
            for n, (id_, q) in enumerate(queries):
                if q is not None:
                    result[id_] = self.match(q, id_)
                if progress is not None:
                    progress(n + 1, len(queries))
            return result

    def prepare(self, queries: Iterable[PersonKeys | None], pace: Callable[[], object] | None = None) -> None:
        """Before many :meth:`match` calls: the close surnames and agreeing first names of all their
        names found at once (a chunk of names a ``cdist``), not one name at a time."""
        self._similar_many([n for q in queries if q is not None for n in (q.last, q.first) if len(n) > 1], pace)  # (_batch_names)

    def _similar_many(self, names: list[str], pace: Callable[[], object] | None = None) -> None:
        """Close surnames for all of ``names`` (every request's) at once, for every side (in
        batches: see similar_many): found in the background since the matcher was made, given
        ``batch``; with ``pace``, in the background now, ``pace`` called while it runs."""
        lasts = [side.index.surname_list() for side in self._sides]
        # Paced (the app), one core fewer than the machine has: on every core, the comparison
        # starved the screen's thread (keys took 30-90 ms to move the card on, at 100k on 2 cores).
        workers = -1 if pace is None else max(1, (os.cpu_count() or 1) - 1)
        if pace is not None:
            if self._close is None:
                self._close = Background(similar_many, sorted(set(lasts[0]).union(*lasts[1:])), names, self._cancel.is_set, workers)
            try:
                while not self._close.wait(0.01):
                    pace()
            except BaseException:  # the app is quitting (StoreWriter.between): no thread left in C at exit
                self._cancel.set()
                for _ in range(6000):  # a chunk at most (60 s at the very worst)
                    if self._close.wait(0.01):
                        break
                raise
        close, self._close = (self._close.result() if self._close is not None else None), None
        if close is None:
            close = similar_many(sorted(set(lasts[0]).union(*lasts[1:])), names)  # once for both: most surnames are on both
        for side, own in zip(self._sides, map(set, lasts), strict=True):
            side.cache.setdefault("similar", {}).update({name: [last for last in found if last in own] for name, found in close.items()})
        maybe = maybe_firsts(first_name_table(f for side in self._sides for f in side.index.blocks().named), names, workers)
        for side in self._sides:  # one superset for both: each group's own names are intersected with it
            side.cache.setdefault("maybe", {}).update(maybe)

    def _forked(self, ids: list[str], workers: int, progress: Any, meanwhile: Callable[[], object] | None) -> dict[str, list[Match]]:
        """:meth:`all_pending` in ``workers`` forked children, each given slices of ``ids``; the
        same matches in the same order as one process finds them. The children inherit this
        matcher (its indexes and the surnames compared so far) without a copy, by the fork."""
        global _FORKED
        step = max(200, -(-len(ids) // (workers * 4)))  # a few slices each, so none waits long for the last
        slices = [(at, min(at + step, len(ids))) for at in range(0, len(ids), step)]
        lasts = self.pending.column("lasts")  # by surname: a child's slices share names, so it finds their close ones once
        order, ids = ids, [ids[row] for row in sorted(range(len(ids)), key=lasts.__getitem__)]
        _FORKED = (self, ids)
        try:
            result: dict[str, list[Match]] = {}
            import multiprocessing  # (5 ms: only for a batch this large)

            with multiprocessing.get_context("fork").Pool(workers, initializer=_quiet_child) as pool:
                parts = pool.imap(_match_slice, slices)  # the pool's own threads hand out the slices and collect the results
                if meanwhile is not None:
                    meanwhile()
                for (_, stop), part in zip(slices, parts, strict=True):
                    result.update(part)
                    if progress is not None:
                        progress(stop, len(ids))
            return {id_: result[id_] for id_ in order if id_ in result}
        finally:
            _FORKED = None


def _batch_names(pending: KeyIndex) -> list[str]:
    """The names :meth:`Matcher.all_pending` looks for close surnames of: every request's."""
    return [n for column in ("lasts", "firsts") for n in pending.column(column) if len(n) > 1]


PARALLEL_FROM = 4000
"""Fewer queries than this are matched in one process: a fork costs more than it saves."""

_FORKED: tuple[Matcher, list[str]] | None = None
"""What a forked child of :meth:`Matcher._forked` works on (set in the parent just before the fork)."""


def _quiet_child() -> None:
    """A forked child's start: Ctrl-C is for the command to answer (it ends the pool); a child ends
    with the command, and without a word (what it finds, and any error it meets, goes back through
    the pool: its own stderr would only say that the command is gone)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux): ended with the command
    except (OSError, AttributeError):
        pass
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)
    os.close(quiet)


def _match_slice(bounds: tuple[int, int]) -> dict[str, list[Match]]:
    assert _FORKED is not None
    matcher, ids = _FORKED
    found = {}
    for id_ in ids[bounds[0] : bounds[1]]:
        q = matcher.keys_of_pending(id_)
        if q is not None:
            found[id_] = matcher.match(q, id_)
    return found


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def cpu_workers() -> int:
    """How many processes a command-line batch may use: the CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def quick_match(
    q: PersonKeys, contacts: KeyIndex, pending: KeyIndex | None = None, own_id: str = "", thresholds: Thresholds | None = None
) -> list[tuple[Match, str]]:
    """Matches for one new person, straight from loaded (unsplit) indexes: the ``tui add`` path.
    The same matcher as every other path, reading only the rows it needs."""
    return Matcher(contacts, pending, thresholds, materialise=False).match_named(q, own_id)

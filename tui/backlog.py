"""The backlog as a whole: every pending request's matches and red flags, worked out once, and the
filters that narrow it (by network, red flag, match kind, age, or one mass-sent message).

``tui list`` and the app's queue filter share this, so both narrow the backlog the same way. Pure
over what the store reads; nothing here draws on a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from tui.context import FLAG_CODES, Flag
from tui.models import Request

if TYPE_CHECKING:
    from tui.context import QueueContext
    from tui.dedup.match import Match, Matcher
    from tui.store import Store

#: What ``--match`` takes: a kind, "any" (some match) or "none".
MATCH_CHOICES = ("identical", "impersonation", "likely", "possible", "any", "none")


@dataclass
class Analysis:
    """Matches and context of a whole queue (built by :func:`analyse`, off the UI thread)."""

    matcher: Matcher
    found: dict[str, list[Match]]
    context: QueueContext
    joined: dict[str, str] = field(default_factory=dict)
    """The names of the requests taken in since (see :meth:`take_in`), which the matcher's indexes lack."""

    def matches(self, request: Request) -> list[tuple[Match, str]]:
        """The request's matches with the other person's name: precomputed for the queue,
        computed now for a newcomer; pairs told apart since are left out.

        A newcomer (a request another process added after the analysis, or one an undo brought
        back) is matched here, on the caller's thread, the app's UI thread included: against
        30,000 contacts and 5,000 pending requests that takes 0.3 ms (median; 1.7 ms at most, with
        its red flags), far under a frame, so it is not handed to the store writer."""
        if request.id not in self.found:
            return self.matcher.for_request(request)
        return [
            (m, self.matcher.name_of(m.other_id) or self.joined.get(m.other_id, ""))
            for m in self.found[request.id]
            if frozenset((request.id, m.other_id)) not in self.matcher.distinct
        ]

    def take_in(self, newcomers: list[Request]) -> None:
        """Requests that joined the queue since it was matched: each is matched now (as a card
        does for a newcomer), and a request it matches gets the match too, so that no card calls
        itself clear of the newcomer (the same person on another network, a copy of its name).
        Milliseconds each, on the caller's thread (see :meth:`matches`)."""
        from tui.dedup.match import Match

        for request in newcomers:
            self.joined[request.id] = request.name
            found = self.found[request.id] = [m for m, _ in self.matcher.for_request(request)]
            for m in found:
                others = self.found.get(m.other_id)
                if m.other_id.startswith("r") and others is not None and all(o.other_id != request.id for o in others):
                    others.append(Match(request.id, m.score, m.kind, m.reasons))
                    others.sort(key=lambda o: o.order)
                    if self.context.cache is not None:
                        self.context.cache.pop(m.other_id, None)  # its red flags again, with this match

    def kinds(self, request: Request) -> list[str]:
        return [m.kind for m, _ in self.matches(request)]

    def lines(self, request: Request, matches: list[tuple[Match, str]] | None = None) -> tuple[list[Flag], str, str]:
        """The card's red flags, earlier request and company lines (``matches``: if known already)."""
        kinds = [m.kind for m, _ in matches] if matches is not None else self.kinds(request)
        return self.context.lines(request, kinds)

    def flags(self, request: Request) -> list[Flag]:
        return self.lines(request)[0]

    def group(self, request: Request) -> str:
        """The id of the mass-sent group the request's message belongs to, or ""."""
        return self.context.groups.get(request.id, "")


def analyse(
    store: Store,
    thresholds: Any = None,
    sales_phrases: Sequence[str] = (),
    order: str = "oldest",
    on_context: Callable[[QueueContext], object] | None = None,
    pace: Callable[[], object] | None = None,
) -> Analysis:
    """Match every pending request against the contacts and each other, and work out each card's
    context. Seconds for a large backlog: the app runs it in its store worker. The queue's context
    (mass-sent messages, re-requests, who you know there) comes first, in a fraction of that time,
    and is handed to ``on_context``: with a card's matches known (the first card's, early), its red
    flags need nothing else. ``pace()`` is called between requests and between the long steps
    (every few milliseconds while the surnames are compared): the app gives way to the user's
    keys there, and saves the changes they made meanwhile (StoreWriter.between)."""
    from tui.context import build_context
    from tui.dedup.delta import DeltaIndex
    from tui.dedup.match import Matcher

    step = pace or (lambda: None)
    # The contacts' keys as they are (keys.idx with the contacts added since laid over it) for the
    # context; made one keys.idx (seconds at 100k after an import) only for the matching, after it.
    contacts, distinct = store.contact_keys(quick=True), store.distinct_pairs()
    decided, records = store.decided_keys()
    step()
    pending = store.pending(order=order, waiting=True)
    step()
    # The context first, on the indexes as loaded (the queue's keys from pending.idx when it is
    # current): the card waits for it; the matching of the whole queue, which materialises both
    # indexes (half a second at 100k contacts), comes after.
    quick = store.quick_pending_keys()
    looked_up = Matcher(contacts, quick if quick is not None else store.pending_keys(), thresholds, distinct, materialise=False)
    context = build_context(pending, contacts, decided, records, store.decided_at(), looked_up.keys_for, thresholds, sales_phrases, step)
    if on_context is not None:
        on_context(context)
    step()
    pending_keys = store.pending_keys().materialise(step)  # (each part paced: not one long stretch)
    whole = store.contact_keys() if isinstance(contacts, DeltaIndex) else contacts  # (its columns split already)
    matcher = Matcher(whole.materialise(step), pending_keys, thresholds, distinct)
    found = matcher.all_pending(None if pace is None else lambda done, total: pace(), pace=pace)
    context.precompute(pending, {rid: [m.kind for m in ms] for rid, ms in found.items()}, pace)
    return Analysis(matcher, found, context)


def early_matches(
    store: Store, request: Request, thresholds: Any = None, distinct: Iterable[tuple[str, str]] = ()
) -> tuple[list[tuple[Match, str]], bool]:
    """One request's matches, straight from the key indexes (the ``tui add`` path, milliseconds):
    the first card's, before the whole queue is matched by :func:`analyse`. With the contacts
    always; with the other requests when pending.idx is current (then True), else not looked for."""
    from tui.dedup.keys import record_keys
    from tui.dedup.match import Matcher

    pending = store.quick_pending_keys()
    matcher = Matcher(store.contact_keys(quick=True), pending, thresholds, distinct, materialise=False)
    found = [
        (m, name)
        for m, name in matcher.match_named(record_keys(request), request.id)
        if frozenset((request.id, m.other_id)) not in matcher.distinct
    ]  # as Analysis.matches
    return found, pending is not None


_AGE = re.compile(r"([0-9]{1,5})d?", re.ASCII)


def parse_age(text: str) -> int:
    """Days, written ``30`` or ``30d``; ValueError otherwise."""
    found = _AGE.fullmatch(text.strip().lower())
    if found is None:
        raise ValueError(f"{text!r} is not a number of days (like 30d)")
    return int(found.group(1))


def age_in_days(request: Request, today: str) -> int | None:
    """Days since the request was sent (or, without a date, added); None when neither parses."""
    for stamp in (request.sent_at, request.added_at):
        try:
            return (date.fromisoformat(today) - date.fromisoformat(stamp[:10])).days
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class QueueFilter:
    """What narrows the backlog. Empty fields let everything through."""

    source: str = ""
    flag: str = ""
    """A red flag's code (``FLAG_CODES``)."""
    match: str = ""
    """A match kind, "any" or "none" (``MATCH_CHOICES``)."""
    older_than: int | None = None
    """Days: only requests sent at least this long ago."""
    newer_than: int | None = None
    group: str = ""
    """A mass-sent group: only the requests carrying (nearly) that same message."""

    def __post_init__(self) -> None:
        if self.flag and self.flag not in FLAG_CODES:
            raise ValueError(f"unknown red flag {self.flag!r}; flags are {', '.join(FLAG_CODES)}")
        if self.match and self.match not in MATCH_CHOICES:
            raise ValueError(f"unknown match kind {self.match!r}; use {', '.join(MATCH_CHOICES)}")

    @property
    def empty(self) -> bool:
        return self == QueueFilter()

    @property
    def needs_analysis(self) -> bool:
        """Flags, matches and groups are known only once the backlog is analysed."""
        return bool(self.flag or self.match or self.group)

    def words(self) -> str:
        """The filter in words, for the header: "only linkedin · red flag mass-sent"."""
        parts = []
        if self.source:
            parts.append(f"only {self.source}")
        if self.flag:
            parts.append(f"red flag {self.flag}")
        if self.match:
            parts.append({"any": "with a match", "none": "with no match"}.get(self.match, f"match {self.match}"))
        if self.older_than is not None:
            parts.append(f"older than {self.older_than}d")
        if self.newer_than is not None:
            parts.append(f"newer than {self.newer_than}d")
        if self.group:
            parts.append("the same message")
        return " · ".join(parts)

    def accepts(self, request: Request, analysis: Analysis | None, today: str) -> bool:
        if self.source and request.source.strip().casefold() != self.source.strip().casefold():
            return False
        if self.older_than is not None or self.newer_than is not None:
            age = age_in_days(request, today)
            if (
                age is None
                or (self.older_than is not None and age < self.older_than)
                or (self.newer_than is not None and age > self.newer_than)
            ):
                return False
        if not self.needs_analysis:
            return True
        if analysis is None:
            return False
        if self.group and analysis.group(request) != self.group:
            return False
        if self.flag and self.flag not in {f.code for f in analysis.flags(request)}:
            return False
        if self.match:
            kinds = analysis.kinds(request)
            if self.match == "any":
                return bool(kinds)
            if self.match == "none":
                return not kinds
            return self.match in kinds
        return True

    def apply(self, requests: Iterable[Request], analysis: Analysis | None, today: str) -> list[Request]:
        return [r for r in requests if self.accepts(r, analysis, today)]

"""The context of a whole queue, worked out once (in the store worker, not on the UI thread) and
read by every card: red flags (:mod:`.flags`), re-requests (:mod:`.history`) and who you know
there (:mod:`.company`). Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from tui.context.company import company_line, earlier_by_company, people_by_company
from tui.context.flags import SALES_PHRASES, Flag, message_groups, red_flags
from tui.context.history import PastRequests
from tui.models import Request


@dataclass
class QueueContext:
    """Everything the cards of a queue need beyond the request itself, computed once."""

    alike: dict[str, int]
    history: PastRequests
    people_at: dict[str, list[str]]
    earlier_at: dict[str, Counter[str]]
    sales_phrases: tuple[str, ...] = SALES_PHRASES
    cache: dict[str, tuple[list[Flag], str, str]] | None = None
    groups: dict[str, str] = field(default_factory=dict)
    """For each mass-sent request, the id of its group of (nearly) the same messages."""

    def precompute(self, pending: Sequence[Request], kinds_of: dict[str, list[str]], pace: Callable[[], object] | None = None) -> None:
        """Work out every card's lines now (in the store worker), so showing a card costs nothing;
        ``pace()`` between cards (see :func:`tui.backlog.analyse`)."""
        self.history.all(pending, pace or (lambda: None))
        self.cache = {}
        for r in pending:
            if pace is not None:
                pace()
            try:
                self.cache[r.id] = self.lines(r, kinds_of.get(r.id, []))
            except Exception:  # noqa: BLE001 - worked out again when its card is drawn, which shows the failure
                continue

    def lines(self, request: Request, kinds: Iterable[str]) -> tuple[list[Flag], str, str]:
        """(red flags, the earlier-request line, the who-you-know-there line) for one card."""
        if self.cache is not None and request.id in self.cache:
            return self.cache[request.id]
        flags = red_flags(
            request, alike=self.alike.get(request.id, 0), sales_phrases=self.sales_phrases, impersonation="impersonation" in kinds
        )
        return flags, self.history.line(request), company_line(request, self.people_at, self.earlier_at)


def build_context(
    pending: Sequence[Request],
    contacts: object,
    decided: object,
    decided_records: dict[str, Request],
    decided_at: dict[str, str],
    keys_of: object,
    thresholds: object = None,
    sales_phrases: Sequence[str] = (),
    pace: Callable[[], object] = lambda: None,
) -> QueueContext:
    """Compute the context of a whole queue (in the store worker, not on the UI thread; ``pace()``
    between its steps and requests, see :func:`tui.backlog.analyse`).

    ``contacts`` and ``decided`` are KeyIndexes; ``keys_of(request)`` gives a pending request's keys.
    """
    people_at = people_by_company(contacts)
    pace()
    earlier_at = earlier_by_company(decided, decided_records)
    history = PastRequests(decided, decided_records, decided_at, keys_of, thresholds)  # each card's when asked,
    for request in pending[:2]:  # the first cards' now: the first comparison builds the decided ones' blocks (0.15 s
        history.line(request)  # at 5k decided), which the UI thread, drawing the first card next, must not wait for
    pace()
    alike, groups = message_groups(pending)
    return QueueContext(alike, history, people_at, earlier_at, tuple(sales_phrases) or SALES_PHRASES, groups=groups)

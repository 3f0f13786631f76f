"""The triage queue and this session, as plain logic: no Textual, tested on its own.

The screen renders what this holds and calls its verbs the moment a key is pressed; the store
catches up behind it. ``items`` is every request due for triage, in queue order, the current one
first; a filter narrows what is shown without dropping anything, so the pending count stays the
store's own (``tui list --status pending``) whatever is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

from tui.app.session import Entry, Session
from tui.models import Request, Status, sort_queue

Filter = Callable[[Request], bool]
_STATUS = attrgetter("status")
_PENDING = Status.PENDING.value


class TriageQueue:
    def __init__(self, order: str = "oldest", show_waiting: bool = False) -> None:
        self._items: list[Request] = []
        self._pending: int | None = 0
        """How many of ``items`` are pending: kept up to date as cards come and go (counting
        thousands on every card would cost a frame), worked out again after a wholesale change."""
        self.order = order
        self.show_waiting = show_waiting
        self.session = Session()
        """Every decision made in this session: the summary's counts, and what `u` undoes."""
        self.unloaded = 0
        """Due requests not yet in ``items`` while only the queue's head is loaded."""
        self.unloaded_pending = 0
        self.filter: Filter | None = None
        self.filter_words = ""
        """The filter in words ("only linkedin"), shown in the header."""
        self.ahead: set[str] = set()
        """Ids of the cards an undo not yet written put back (:meth:`undo_ahead`): a refresh read
        before it landed, which still has them decided, keeps them."""
        self.history: list[str] = []
        """Ids of the cards shown before the current one, newest last: what `b` goes back to."""

    # -- the items, and the count that follows them ---------------------------------------------

    @property
    def items(self) -> list[Request]:
        """Every request due for triage, in queue order; the current one is the first shown. Change
        it through the methods below, or by assigning a new list."""
        return self._items

    @items.setter
    def items(self, requests: list[Request]) -> None:
        self._items = list(requests)
        self._pending = None

    def _counted(self, request: Request, step: int) -> None:
        if self._pending is not None and request.status == _PENDING:
            self._pending += step

    def _put(self, index: int, request: Request) -> None:
        self._items.insert(index, request)
        self._counted(request, 1)

    def append(self, request: Request) -> None:
        self._put(len(self._items), request)

    def drop(self, request_id: str) -> None:
        for request in [r for r in self._items if r.id == request_id]:
            self._items.remove(request)
            self._counted(request, -1)

    # -- what is shown -------------------------------------------------------------------------

    def shown(self) -> list[Request]:
        """The requests the filter lets through, in queue order."""
        return self.items if self.filter is None else [r for r in self.items if self.filter(r)]

    @property
    def current(self) -> Request | None:
        if self.filter is None:
            return self.items[0] if self.items else None
        return next((r for r in self.items if self.filter(r)), None)

    def pending_count(self) -> int:
        """Requests still pending, as the store will count them once this session's writes land:
        deferred and asked ones in the queue are not pending."""
        if self._pending is None:
            self._pending = list(map(_STATUS, self._items)).count(_PENDING)
        return self._pending + self.unloaded_pending

    def header(self) -> str:
        """The card's title: how many are pending and, with a filter, how many of them it shows."""
        pending = self.pending_count()
        text = f"{pending} pending"
        if self.filter is not None:
            text = f"{len(self.shown())} shown ({self.filter_words}) · {text}"
        extra = len(self.items) + self.unloaded - pending - self.unloaded_pending
        if extra > 0:
            text += f" · {extra} due again"
        decided = len(self.session)
        if decided:
            text += f" · {decided} decided"
        return text

    # -- moving through it ---------------------------------------------------------------------

    def _remember(self) -> None:
        current = self.current
        if current is not None:
            self.history = [i for i in self.history if i != current.id] + [current.id]

    def _index(self, request_id: str) -> int | None:
        return next((i for i, r in enumerate(self.items) if r.id == request_id), None)

    def pop(self) -> Request | None:
        """Take the current request out (it was decided or merged)."""
        current = self.current
        if current is not None:
            self._remember()
            self._items.remove(current)
            self._counted(current, -1)
        return current

    def skip(self) -> bool:
        """Send the current request to the back of the queue. False when it is the only one shown."""
        current = self.current
        if current is None or len(self.shown()) < 2:
            return False
        self._remember()
        self.items.remove(current)
        self.items.append(current)
        return True

    def jump(self, request_id: str) -> bool:
        """Bring a request to the front (search, going back). False when it is not in the queue."""
        index = self._index(request_id)
        if index is None:
            return False
        current = self.current
        if current is not None and current.id != request_id:
            self._remember()
        self.items.insert(0, self.items.pop(index))
        return True

    def back(self) -> tuple[str, Request | None]:
        """Show the previous card again. Returns ("shown", it), ("decided", the entry's request)
        when it was decided in this session (`u` or the session view undoes that), or ("none", None)."""
        current = self.current
        while self.history:
            previous = self.history.pop()
            if current is not None and previous == current.id:
                continue
            index = self._index(previous)
            if index is not None:
                if current is not None:
                    # The current card goes back to where it was: right after the one shown again.
                    self.items.remove(current)
                    self.items.insert(0, current)
                self.items.insert(0, self.items.pop(self._index(previous)))  # type: ignore[arg-type]
                return "shown", self.items[0]
            entry = next((e for e in reversed(self.session.entries) if e.request.id == previous and e.takes_the_card), None)
            if entry is not None:  # said once; b again goes on to the card before it (an undo puts it back in front)
                return "decided", entry.request
        return "none", None

    def reinsert(self, request: Request) -> None:
        """Put a request back at the front, as the store now has it (an undo, a refused decision)."""
        self.drop(request.id)
        self._put(0, request)

    def replace(self, request: Request) -> None:
        """The same request with new fields (notes, tags), in the same place."""
        index = self._index(request.id)
        if index is not None:
            self._counted(self._items[index], -1)
            self._items[index] = request
            self._counted(request, 1)

    def reorder(self, order: str) -> None:
        self.order = order
        self.items = sort_queue(self.items, order)

    def set_filter(self, accepts: Filter | None, words: str = "") -> None:
        self.filter, self.filter_words = accepts, words if accepts is not None else ""

    # -- loading and fresh results -------------------------------------------------------------

    def load_head(self, head: list[Request], due: int, pending: int | None = None) -> None:
        """The first cards from the head cache, and how many are due (and pending) in all."""
        self.items = head
        self.unloaded = max(0, due - len(head))
        head_pending = list(map(_STATUS, head)).count(_PENDING)
        self.unloaded_pending = max(0, (due if pending is None else pending) - head_pending) if self.unloaded else 0

    def merge(self, pending: list[Request]) -> list[Request]:
        """Bring the queue in line with the store's fresh ``pending`` list, keeping the order of the
        cards already here (the current one first). Requests this session decided stay out even if
        the store has not caught up. Returns the requests that joined."""
        fresh = {r.id: r for r in pending}
        decided = self.session.decided(self.show_waiting)
        kept = [fresh.pop(r.id, r) for r in self.items if r.id in fresh or r.id in self.ahead]
        added = [r for r in fresh.values() if r.id not in decided]
        self.items = kept + added
        self.unloaded = self.unloaded_pending = 0
        return added

    # -- the session ---------------------------------------------------------------------------

    def decide(self, action: str, answers: dict[str, bool] | None = None) -> Entry | None:
        """The current request is decided: out of the queue, into the session."""
        request = self.pop()
        return None if request is None else self.session.add(request, action, answers)

    def decide_many(self, requests: list[Request], action: str) -> Entry:
        """Several requests decided in one step (one undo): out of the queue, one session entry."""
        ids = {r.id for r in requests}
        current = self.current
        if current is not None and current.id in ids:
            self._remember()
        for request in [r for r in self._items if r.id in ids]:
            self._items.remove(request)
            self._counted(request, -1)
        entry = self.session.add(requests[0], action)
        entry.group = list(requests)
        return entry

    def undo_ahead(self, entry: Entry) -> bool:
        """`u` on a decision that took its cards: they come back to the front at once, as they were
        shown, before the store has written the undo (as a decision leaves at once), so the keys
        typed next land on them. The entry leaves the session; :meth:`undo_failed` puts it back.
        False for one that took no card (not the same person): it waits for the store."""
        if not entry.takes_the_card:
            return False
        self.session.remove(entry)
        back = {r.id for r in entry.requests}
        self.items = list(entry.requests) + [r for r in self._items if r.id not in back]  # (one pass: a step of 13k)
        self.ahead |= back
        return True

    def undo_failed(self, entry: Entry, keep: bool) -> None:
        """An undo shown ahead did not land: its cards leave again, and (with ``keep``: it may still
        be undone) the entry is back in the session, where it was."""
        out = {r.id for r in entry.requests}
        self.items = [r for r in self._items if r.id not in out]
        self.ahead -= out
        if keep:
            self.session.put_back(entry)

    def undone(self, entry: Entry | None, requests: list[Request], today: str, answers: dict[str, bool] | None = None) -> bool:
        """Decisions were undone: the requests come back to the front, as the store has them, or
        take the place of the cards an undo shown ahead put back; one this session decided again
        meanwhile stays out. True when the current card changed (so the card's answers start
        again from ``answers``)."""
        if entry is not None:
            self.session.remove(entry)
        before = self.current
        decided = self.session.decided(self.show_waiting)
        self.ahead.difference_update(r.id for r in requests)
        fresh = {r.id: r for r in requests if r.id not in decided}
        due = {rid for rid, r in fresh.items() if r.is_due(today, self.show_waiting)}
        here = {r.id for r in self._items}
        kept = [fresh.get(r.id, r) for r in self._items if r.id not in fresh or r.id in due]  # (one pass)
        self.items = [r for r in fresh.values() if r.id in due and r.id not in here] + kept
        after = self.current
        return (before is None) != (after is None) or (before is not None and after is not None and before.id != after.id)

    def failed(self, entry: Entry, current: Request | None, today: str) -> bool:
        """A decision did not land. With ``current`` (the request as another process left it), it
        comes back only if still due; else the request as it was comes back. True when it did."""
        self.session.remove(entry)
        requests = entry.group or [entry.request]
        if current is not None:
            self.drop(current.id)
            if current.is_due(today, self.show_waiting):
                self._put(0, current)
                return True
            return False
        back = False
        for request in reversed(requests):
            if self._index(request.id) is None:
                self._put(0, request)
                back = True
        return back

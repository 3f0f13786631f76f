"""Triage: one card at a time through the rules.

The screen owns the queue in memory and moves on the moment a key is pressed; the store writer
persists the decision behind it and answers with a message. Each decision carries the status the
card showed: when another process decided the request meanwhile, the store refuses it, and the
screen says so and shows the request as it now is. `u` undoes this session's own decisions only.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from tui.app.messages import DecisionSaved, DecisionUndone, QueueRefreshed, RequestUpdated, StoreFailed, StoreWaiting, undo_job
from tui.app.session import Entry, Session
from tui.app.widgets.key_bar import KeyBar
from tui.app.widgets.request_card import RequestCard
from tui.config import ORDERS
from tui.models import Request, Verdict, sort_queue
from tui.rules import next_unanswered, verdict
from tui.text import clean

ORDER_WORDS = {"oldest": "oldest first", "newest": "newest first", "name": "by name"}

if TYPE_CHECKING:
    from tui.app.app import TuiApp
    from tui.context import QueueContext
    from tui.dedup.match import Match, Matcher


class QueueLoaded(QueueRefreshed):
    """The queue is loaded: the first card can be shown."""


class MatcherReady(Message):
    """The duplicate keys are loaded: the cards can show their matches."""

    def __init__(self, matcher: Matcher, found: dict[str, list[Match]], context: QueueContext) -> None:
        super().__init__()
        self.matcher = matcher
        self.found = found
        self.context = context


class TriageScreen(Screen[None]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="answer-yes"),
        Binding("n", "answer(False)", "No", id="answer-no"),
        *[Binding(str(i), f"jump_rule({i - 1})", f"Rule {i}", show=False, id=f"jump-rule-{i}") for i in range(1, 10)],
        Binding("enter", "confirm", "OK", id="confirm-verdict"),
        Binding("a", "decide('accept')", "Accept", id="accept-request"),
        Binding("d", "decide('decline')", "Decline", id="decline-request"),
        Binding("w", "decide('wider')", "Wider", show=False, id="wider-request"),
        Binding("s", "skip", "Skip", id="skip-request"),
        Binding("z", "defer", "Defer", id="defer-request"),
        Binding("u", "undo", "Undo", id="undo-decision"),
        Binding("e", "edit", "Notes", show=False, id="edit-notes"),
        Binding("m", "matches", "Matches", show=False, id="show-matches"),
        Binding("slash", "search", "Search", show=False, id="search-queue"),
        Binding("o", "cycle_order", "Order", show=False, id="cycle-order"),
        Binding("r", "reply", "Reply", show=False, id="reply-request"),
        Binding("W", "toggle_waiting", "Waiting", show=False, id="toggle-waiting"),
    ]

    def __init__(self) -> None:
        super().__init__(id="triage")
        self.queue: list[Request] = []
        self.answers: dict[str, bool] = {}
        self.current_rule = 0
        self.session = Session()
        """Every decision made in this session: the summary's counts, and what `u` undoes."""
        self.matcher: Matcher | None = None
        self.found: dict[str, list[Match]] = {}
        self.context: QueueContext | None = None
        """Matches of every pending request, computed by the store worker when the app starts."""
        self.loaded = False
        self.unloaded = 0
        """Pending requests not yet in ``queue`` while only the queue's head is loaded."""
        self.started_from_head = False
        self.order = "oldest"
        self.show_waiting = False
        self.confirmed_risks: set[str] = set()
        """Requests that may impersonate a contact and that the user chose to accept all the same."""
        self.accepted_unchecked: list[Request] = []
        """Accepted in the first moments, before the matches were known: checked when they are."""

    @property
    def tui(self) -> TuiApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield RequestCard(id="card")
        yield Static("Loading the queue…", id="summary", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(RequestCard).display = False
        self.order = self.tui.settings.order
        self.show_waiting = self.tui.settings.show_waiting
        store, order = self.tui.store, self.order
        # The writer thread tells us when it waits for another process's lock (thread-safe).
        store.on_lock_wait = lambda holder: self.post_message(StoreWaiting(holder))

        # The first card comes from the queue's head cache when it is current (a small file); the
        # whole queue follows from the store worker, and the match panel once the card is drawn.
        head = store.pending_head() if order == "oldest" and not self.show_waiting else None
        waiting = self.show_waiting
        load_all = lambda: QueueLoaded(store.pending(order=order, waiting=waiting))  # noqa: E731
        if head is None:
            self.tui.writer.submit(load_all, self)
        else:
            self.queue, count = head
            self.unloaded = count - len(self.queue)
            self.started_from_head = True
            self._start_card()
            # Parsing the whole queue would hold the GIL while the first frame is composed.
            drawn = threading.Event()
            self.call_after_refresh(drawn.set)
            self.tui.writer.submit(load_all, self, None, drawn)
        self.set_interval(self.tui.settings.poll_interval, self._poll)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide" and parameters == ("wider",) and not self.tui.settings.two_tier:
            return False  # no wider network: hide the key
        return True

    # -- the queue -----------------------------------------------------------------------------

    @property
    def current(self) -> Request | None:
        return self.queue[0] if self.queue else None

    def _proposed(self) -> Verdict | None:
        return verdict(self.tui.settings.rules, self.answers, self.tui.settings.two_tier)

    def render_card(self) -> None:
        card = self.query_one(RequestCard)
        summary = self.query_one("#summary", Static)
        request = self.current
        if request is None and self.unloaded:
            return  # the head is used up; the rest of the queue is a moment away
        if request is None:
            card.display = False
            summary.display = True
            summary.update(self._summary() if self.loaded else Content("Loading the queue…"))
            return
        summary.display = False
        card.display = True
        done = len(self.session)
        total = done + len(self.queue) + self.unloaded
        try:
            matches = self._matches(request)
            context = self.context.lines(request, [m.kind for m, _ in matches]) if self.context else ([], "", "")
            card.show(request, done + 1, total, self.tui.settings.rules, self.answers, self.current_rule, self._proposed(), matches, context)
        except Exception as exc:  # one bad record shows as such on its card, and never takes the app down
            card.show_broken(request, done + 1, total, exc, self.tui.settings.rules, self.answers, self.current_rule, self._proposed())

    def _matches(self, request: Request) -> list[tuple[Match, str]]:
        """The card's matches: precomputed for the queue, computed here for a newcomer."""
        if self.matcher is None:
            return []
        if request.id not in self.found:
            return self.matcher.for_request(request)
        return [(m, self.matcher.name_of(m.other_id)) for m in self.found[request.id]
                if frozenset((request.id, m.other_id)) not in self.matcher.distinct]

    def _summary(self) -> Content:
        counts, noes = self.session.counts(), self.session.noes()
        rules = self.tui.settings.rules
        lines = [
            Content.styled("The queue is empty.", "bold"),
            Content(""),
            Content(f"This session: {counts['accept'] + counts['wider']} accepted"
                    + (f" ({counts['wider']} to the wider network)" if counts["wider"] else "")
                    + f", {counts['decline']} declined, {counts['defer']} deferred"
                    + (f", {counts['ask']} asked and waiting for a reply." if counts["ask"] else ".")),
            Content(""),
            Content("Noes by rule:"),
            *[Content(f"  {i + 1}. {clean(rule.question, 70)}  {noes[rule.id]}") for i, rule in enumerate(rules)],
            Content(""),
            Content.styled("u undoes the last decision · t shows stats · q quits", "dim"),
        ]
        return Content("\n").join(lines)

    def _start_card(self, answers: dict[str, bool] | None = None) -> None:
        self.answers = dict(answers or {})
        first = next_unanswered(self.tui.settings.rules, self.answers)
        self.current_rule = 0 if first is None else first
        self.render_card()

    # -- answering -----------------------------------------------------------------------------

    def action_answer(self, yes: bool) -> None:
        if self.current is None:
            return
        rules = self.tui.settings.rules
        self.answers[rules[self.current_rule].id] = yes
        following = next_unanswered(rules, self.answers, self.current_rule)
        if following is not None:
            self.current_rule = following
        self.render_card()

    def action_jump_rule(self, index: int) -> None:
        if self.current is not None and index < len(self.tui.settings.rules):
            self.current_rule = index
            self.answers.pop(self.tui.settings.rules[index].id, None)
            self.render_card()

    def action_confirm(self) -> None:
        proposed = self._proposed()
        if self.current is None:
            return
        if proposed is None:
            self.notify("Answer every rule first, or press a / d to decide now.", markup=False)
            return
        self.action_decide(proposed.value)

    def action_decide(self, action: str, until: str = "") -> None:
        request = self.current
        if request is None:
            return
        if action == "wider" and not self.tui.settings.two_tier:
            self.notify("The wider network is off; switch on two_tier in config.", markup=False)
            return
        if action in ("accept", "wider") and self._ask_before_accepting(request, action):
            return
        answers = dict(self.answers)
        store = self.tui.store
        self.queue.pop(0)
        entry = self.session.add(request, action, answers)
        self._start_card()

        def save() -> DecisionSaved:
            # The status the card showed: the store refuses the decision if it is not that any more.
            decision = store.record_decision(request.id, action, answers, until=until, expected=request.status)
            entry.decision_id = decision.id
            return DecisionSaved(request, decision)

        # The write keeps its place in the writer's queue but starts once the next card is drawn:
        # otherwise the writer thread takes the GIL from the frame being rendered.
        drawn = threading.Event()
        self.call_after_refresh(drawn.set)
        self.tui.writer.submit(save, self, entry, drawn)

    def _ask_before_accepting(self, request: Request, action: str) -> bool:
        """A request that may impersonate a contact is accepted only once confirmed (asked once)."""
        from tui.app.screens.modals import ConfirmScreen, impersonated, impersonation_risk

        if self.matcher is None:
            self.accepted_unchecked.append(request)  # told when the matches arrive
            return False
        risky = impersonated(self._matches(request))
        if not risky or request.id in self.confirmed_risks:
            return False

        def answered(sure: object) -> None:
            if sure and self.current is not None and self.current.id == request.id:
                self.confirmed_risks.add(request.id)
                self.action_decide(action)

        risk = impersonation_risk(request, risky, "Accepting connects you with a stranger who borrows their name.")
        self.app.push_screen(ConfirmScreen("Accept a possible impersonator?", risk, "Accept anyway"), answered)
        return True

    def action_skip(self) -> None:
        if len(self.queue) > 1:
            self.queue.append(self.queue.pop(0))
            self._start_card()
        elif self.queue:
            self.notify("This is the last request in the queue.", markup=False)

    def action_defer(self) -> None:
        from tui.app.screens.modals import DeferScreen

        if self.current is not None:
            self.app.push_screen(DeferScreen(date.fromisoformat(self.tui.store.today())), lambda until: until and self.action_decide("defer", until))

    def action_undo(self) -> None:
        """Undo this session's newest decision (another process's, or an earlier session's, only
        from the history screen)."""
        entry = self.session.next_to_undo()
        if entry is None:
            self.notify("Nothing to undo in this session. The history (h) can undo any decision.", markup=False)
            return
        store = self.tui.store

        def undo() -> DecisionUndone | None:
            if entry.decision_id is None:
                return None  # its write failed, and StoreFailed said so
            return undo_job(store, entry.decision_id)()

        self.tui.writer.submit(undo, self, entry)

    def action_edit(self) -> None:
        from tui.app.screens.modals import EditScreen

        request = self.current
        if request is None:
            return
        store = self.tui.store

        def save(result: tuple[str, list[str]] | None) -> None:
            if result is not None:
                notes, tags = result
                self.tui.writer.submit(lambda: RequestUpdated(store.update_request(request.id, notes=notes, tags=tags)), self)

        self.app.push_screen(EditScreen(request), save)

    def action_matches(self) -> None:
        from tui.app.screens.modals import MatchScreen

        request = self.current
        if request is None or self.matcher is None:
            return
        store, matcher = self.tui.store, self.matcher

        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is None or self.current is None or self.current.id != request.id:
                return
            what, other = choice
            entry = self.session.add(request, what, other=other)
            if what == "merge":
                self.queue.pop(0)
                self._start_card()
                self.notify(f"Merged into {other}. u undoes it.", markup=False)
            else:
                matcher.distinct.add(frozenset((request.id, other)))
                if self.context is not None and self.context.cache is not None:
                    self.context.cache.pop(request.id, None)  # its flags may change without that match
                self.render_card()
                self.notify("Noted: not the same person. They will not be suggested again.", markup=False)

            def save() -> DecisionSaved:
                if what == "merge":
                    decision = store.merge(request.id, other, expected=request.status)
                else:
                    decision = store.mark_distinct(request.id, other)
                entry.decision_id = decision.id
                return DecisionSaved(request, decision)

            self.tui.writer.submit(save, self, entry)

        self.app.push_screen(MatchScreen(request, self._matches(request)), chosen)

    def action_reply(self) -> None:
        from tui.app.screens.modals import ReplyScreen
        from tui.context import DEFAULT_REPLIES, fill_template

        request = self.current
        if request is None:
            return
        templates = [(name, fill_template(text, request)) for name, text in (self.tui.settings.replies or DEFAULT_REPLIES)]

        def sent(text: str | None) -> None:
            if text is not None and self.current is not None and self.current.id == request.id:
                self.action_decide("ask")
                self.notify("Marked as asked: waiting for a reply (W shows waiting requests).", markup=False)

        self.app.push_screen(ReplyScreen(request, templates), sent)

    def action_toggle_waiting(self) -> None:
        self.show_waiting = not self.show_waiting
        store, order, waiting = self.tui.store, self.order, self.show_waiting
        self.tui.writer.submit(lambda: QueueRefreshed(store.pending(order=order, waiting=waiting)), self)
        self.notify("Showing requests waiting for a reply." if waiting else "Hiding requests waiting for a reply.", markup=False)

    def action_cycle_order(self) -> None:
        self.order = ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)]
        self.queue = sort_queue(self.queue, self.order)
        self._start_card()
        self.notify(f"Queue order: {ORDER_WORDS[self.order]}.", markup=False)

    def action_search(self) -> None:
        from tui.app.screens.modals import SearchScreen

        def jump(request_id: str | None) -> None:
            for i, request in enumerate(self.queue):
                if request.id == request_id:
                    self.queue.insert(0, self.queue.pop(i))
                    self._start_card()
                    return

        self.app.push_screen(SearchScreen(self.queue), jump)

    # -- messages from the store writer --------------------------------------------------------

    @on(QueueLoaded)
    def _loaded(self, message: QueueLoaded) -> None:
        had_head = bool(self.queue) or self.unloaded
        self.loaded = True
        self.unloaded = 0
        if had_head:
            self._merge(message.pending, announce=False)
        else:
            self.queue = list(message.pending)
            self._start_card()
        store, settings, order = self.tui.store, self.tui.settings, self.order

        def build() -> MatcherReady:
            # Matching, rapidfuzz and the queue's context load here, after the first frame.
            from tui.context import build_context
            from tui.dedup.match import Matcher, Thresholds

            thresholds = Thresholds(settings.likely_threshold, settings.possible_threshold)
            matcher = Matcher(store.contact_keys(), store.pending_keys(), thresholds, store.distinct_pairs())
            found = matcher.all_pending()
            decided, records = store.decided_keys()
            pending = store.pending(order=order, waiting=True)
            context = build_context(pending, matcher.contacts, decided, records, store.decided_at(), matcher.keys_for, thresholds, settings.sales_phrases)
            context.precompute(pending, {rid: [m.kind for m in ms] for rid, ms in found.items()})
            return MatcherReady(matcher, found, context)

        self.call_after_refresh(lambda: self.tui.writer.submit(build, self))

    @on(MatcherReady)
    def _matcher_ready(self, message: MatcherReady) -> None:
        self.matcher, self.found, self.context = message.matcher, message.found, message.context
        self.render_card()
        from tui.app.screens.modals import impersonated, impersonation_risk

        for request in self.accepted_unchecked:
            if risky := impersonated(self.matcher.for_request(request)):
                risk = impersonation_risk(request, risky, f"It was accepted before this was known: `tui undo {request.id}` undoes just that.")
                self.notify(risk, title="Accepted a possible impersonator", severity="warning", markup=False, timeout=30)
        self.accepted_unchecked.clear()

    @on(DecisionSaved)
    def _saved(self, message: DecisionSaved) -> None:
        self.tui.last_saved = message.decision

    @on(DecisionUndone)
    def _undone(self, message: DecisionUndone) -> None:
        """A decision was undone: this session's (`u`) or any (the history screen)."""
        request, undo = message.request, message.undo
        if request is None or undo is None:
            return
        entry = self.session.by_decision(undo.undoes)
        if entry is not None:
            self.session.remove(entry)
        if message.undone_action == "distinct":  # the pair may be suggested again; the queue is as it was
            if self.matcher is not None:
                self.matcher.distinct.discard(frozenset((request.id, undo.other)))
                self.found.pop(request.id, None)  # matched again, with the pair allowed
            self.render_card()
            self.notify(f"Undid 'not the same person' for {clean(request.name, 60)}.", markup=False)
            return
        self.queue = [r for r in self.queue if r.id != request.id]
        if request.is_due(self.tui.store.today(), self.show_waiting):
            self.queue.insert(0, request)
            self._start_card(message.answers)
        else:
            self.render_card()
        self.notify(f"Undid {undo.verdict or 'the decision'} on {clean(request.name, 60)}.", markup=False)

    @on(RequestUpdated)
    def _updated(self, message: RequestUpdated) -> None:
        self.queue = [message.request if r.id == message.request.id else r for r in self.queue]
        self.render_card()

    @on(StoreFailed)
    def _failed(self, message: StoreFailed) -> None:
        entry = message.entry
        if entry is None:
            self.notify(message.error, title="Not done", severity="error", markup=False, timeout=10)
        elif entry.decision_id is not None:  # saved, so this is its undo that did not land
            if message.conflict:  # and it never will from here: the history shows why
                self.session.remove(entry)
            else:
                entry.undoing = False
            self.notify(message.error, title="Not undone", severity="error", markup=False, timeout=10)
        else:
            self._decision_failed(entry, message)

    def _decision_failed(self, entry: Entry, message: StoreFailed) -> None:
        """A decision did not land: put the screen back as the store has it, and say why."""
        self.session.remove(entry)
        request, current = entry.request, message.current
        self.notify(f"{clean(request.name, 60)}: {message.error}", title="Not saved", severity="error", markup=False, timeout=10)
        if entry.action == "distinct":
            if self.matcher is not None:
                self.matcher.distinct.discard(frozenset((request.id, entry.other)))
            self.render_card()
            return
        if current is not None:  # decided elsewhere meanwhile: show it as it now is, if still due
            self.queue = [r for r in self.queue if r.id != request.id]
            if current.is_due(self.tui.store.today(), self.show_waiting):
                self.queue.insert(0, current)
                self._start_card()
            else:
                self.render_card()
        elif all(r.id != request.id for r in self.queue):
            self.queue.insert(0, request)
            self._start_card()

    @on(StoreWaiting)
    def _waiting(self, message: StoreWaiting) -> None:
        who = clean(str(message.holder), 120) if message.holder else "another process"
        self.notify(f"Waiting for the store lock held by {who}. Decisions are kept in order and saved when it is free.",
                    title="Store busy", severity="warning", markup=False, timeout=10)

    # -- other processes -----------------------------------------------------------------------

    def _poll(self) -> None:
        store, order, waiting = self.tui.store, self.order, self.show_waiting

        def check() -> QueueRefreshed | None:
            return QueueRefreshed(store.pending(order=order, waiting=waiting)) if store.refresh() else None

        self.tui.writer.submit(check, self)

    @on(QueueRefreshed)
    def _refreshed(self, message: QueueRefreshed) -> None:
        if not isinstance(message, QueueLoaded):
            self._merge(message.pending, announce=True)

    def _merge(self, pending: list[Request], announce: bool) -> None:
        """Bring the queue in line with ``pending``, keeping the card on screen and its answers."""
        fresh = {r.id: r for r in pending}
        # Decided in this session (the store may not have caught up); asked ones show when waiting ones do.
        decided = self.session.decided(self.show_waiting)
        current = self.current
        kept = [fresh.pop(r.id) for r in self.queue if r.id in fresh]
        added = [r for r in fresh.values() if r.id not in decided]
        self.queue = kept + added
        if added and announce:
            self.notify(f"{len(added)} new request{'s' if len(added) != 1 else ''} joined the queue.", markup=False)
        if self.current is None or current is None or self.current.id != current.id:
            self._start_card()
        else:
            self.render_card()


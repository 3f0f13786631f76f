"""Triage: one card at a time through the rules.

Optimistic, with one writer: a key changes the screen at once (the next card; an undo, the card it
brings back) and hands the write to the store writer, which persists it and answers with a small
past-tense message; a failure rolls the screen back and says why. The queue and this session are
plain logic (:class:`TriageQueue`); this screen only renders them. Each decision carries the status
the card showed: when another process decided the request meanwhile, the store refuses it, and the
screen says so and shows the request as it now is. Dialogs (the check before accepting a possible
impersonator among them), the backlog tools (filter, bulk, session) and undo are in triage_tools.py.
"""

from __future__ import annotations

import gc
import threading
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.app.jobs import first_matches, load_queue
from tui.app.messages import (
    AnalysisReady,
    ContextReady,
    DecisionSaved,
    QueueLoaded,
    StoreWaiting,
)
from tui.app.queue import TriageQueue
from tui.app.screens.triage_outcomes import TriageOutcomes
from tui.app.screens.triage_tools import TriageTools
from tui.app.widgets.key_bar import KeyBar
from tui.app.widgets.request_card import RequestCard
from tui.app.widgets.summary import empty_queue
from tui.backlog import QueueFilter
from tui.gcpause import paused_gc
from tui.models import Request, Verdict
from tui.rules import certain_verdict, next_unanswered
from tui.text import clean

if TYPE_CHECKING:
    from tui.app.app import TuiApp
    from tui.backlog import Analysis
    from tui.context import QueueContext
    from tui.dedup.match import Match, Thresholds
    from tui.fileio import LockHolder

__all__ = ["AnalysisReady", "QueueLoaded", "TriageScreen"]


class TriageScreen(TriageTools, TriageOutcomes):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="answer-yes"),
        Binding("n", "answer(False)", "No", id="answer-no"),
        *[Binding(str(i), f"jump_rule({i - 1})", f"Rule {i}", show=False, id=f"jump-rule-{i}") for i in range(1, 10)],
        Binding("enter", "confirm", "OK", id="confirm-verdict"),
        Binding("a", "decide('accept')", "Accept", id="accept-request"),
        Binding("d", "decide('decline')", "Decline", id="decline-request"),
        Binding("w", "decide('wider')", "Wider", show=False, id="wider-request"),
        Binding("s", "skip", "Skip", id="skip-request"),
        Binding("u", "undo", "Undo", id="undo-decision"),
        Binding("z", "defer", "Defer", id="defer-request"),
        Binding("b", "back", "Back", id="previous-card"),
        Binding("f", "filter", "Filter", id="filter-queue"),
        Binding("e", "edit", "Notes", show=False, id="edit-notes"),
        Binding("m", "matches", "Matches", show=False, id="show-matches"),
        Binding("o", "open_profile", "Open profile", show=False, id="open-profile"),
        Binding("at", "copy_email", "Copy e-mail", show=False, id="copy-email"),
        Binding("slash", "search", "Search", show=False, id="search-queue"),
        Binding("O", "cycle_order", "Order", show=False, id="cycle-order"),
        Binding("r", "reply", "Reply", show=False, id="reply-request"),
        Binding("W", "toggle_waiting", "Waiting", show=False, id="toggle-waiting"),
        Binding("B", "bulk", "Decide all shown", show=False, id="bulk-decide"),
        Binding("S", "session", "This session", show=False, id="show-session"),
    ]

    def __init__(self) -> None:
        super().__init__(id="triage")
        self.q = TriageQueue()
        self.analysis: Analysis | None = None
        """Matches and red flags of the whole queue, worked out by the store worker after the first card."""
        self._analysed_contacts: object = None
        """The contacts the analysis matched against (their file's signature): when they change, the
        queue is matched again, and until then the cards say "checking…" (a new contact can make a
        request an impersonator: no card may call it clear from the old matches)."""
        self._analysing = False
        self._analyse_again = False
        self._queue_context: QueueContext | None = None
        """The queue's context, while its matches are still being worked out (see ContextReady)."""
        self._early: tuple[str, list[tuple[Match, str]], bool] | None = None
        """(request id, its matches with the contacts): the first card's, found before it is drawn."""
        self.answers: dict[str, bool] = {}
        self.current_rule = 0
        self.loaded = False
        self.ever = -1
        """How many requests the store holds at all, once loaded (0: a first run)."""
        self.started_from_head = False
        self._drawn_at: object = None
        """The screen size the card was last laid out for."""
        self.queue_filter = QueueFilter()
        self.confirmed_risks: set[str] = set()
        """Requests that may impersonate a contact and that the user chose to accept all the same."""
        self.waiting_accept: tuple[str, str] | None = None
        """(request id, action): an accept pressed while the card still said "checking…", made
        (or asked about) once the matches are known, unless the card changed meanwhile."""

    # The queue as the tests and the other screens see it.
    @property
    def queue(self) -> list[Request]:
        return self.q.items

    @property
    def current(self) -> Request | None:
        return self.q.current

    @property
    def session(self):  # type: ignore[no-untyped-def]
        return self.q.session

    @property
    def unloaded(self) -> int:
        return self.q.unloaded

    @property
    def tui(self) -> TuiApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield RequestCard(id="card")
        with VerticalScroll(id="summary-box"):  # a first run's guide is taller than 80x24: it scrolls
            yield Static("Loading the queue…", id="summary", markup=False)
        yield Static("", id="notice", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(RequestCard).display = False
        self.query_one("#notice").display = False
        self.q.order, self.q.show_waiting = self.tui.settings.order, self.tui.settings.show_waiting
        store, order, waiting = self.tui.store, self.q.order, self.q.show_waiting

        # The writer thread tells us when it waits for another process's lock (thread-safe).
        def waiting_for(holder: LockHolder | None) -> None:
            self.post_message(StoreWaiting(holder))

        store.on_lock_wait = waiting_for

        # The first card comes from the queue's head cache when it is current (a small file); the
        # whole queue follows from the store worker, and the matches once the card is drawn.
        head = store.pending_head() if order == "oldest" and not waiting else None
        if head is None:  # the first card comes with the queue, and its matches with the contacts
            thresholds = self._thresholds()
            self.tui.writer.submit(lambda: load_queue(store, order, waiting, thresholds), self)
        else:
            self.q.load_head(head.cards, head.due)
            self.started_from_head = True
            first = self.q.current
            self._start_card()
            # The card's matches (from the key indexes: milliseconds) and then the whole queue come
            # from the writer once the card's frame is composed (the refresh after the one this
            # mount asks for: the card's layout comes with the first).
            drawn = threading.Event()
            self.call_after_refresh(lambda: self.call_after_refresh(drawn.set))
            if first is not None and head.distinct is not None:
                thresholds, distinct = self._thresholds(), head.distinct
                self.tui.writer.submit(lambda: first_matches(store, first, thresholds, distinct), self, None, drawn)
            self.tui.writer.submit(lambda: load_queue(store, order, waiting), self, None, drawn)
        self.set_interval(self.tui.settings.poll_interval, self._poll)

    def on_resize(self, event: events.Resize) -> None:
        if self._drawn_at not in (None, event.size):  # the first card was drawn for this size already
            self.call_after_refresh(self.render_card)  # the rules re-wrap, the message box re-fits, wide shows details
        self._drawn_at = event.size

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # No wider network: hide its key.
        return not (action == "decide" and parameters == ("wider",) and not self.tui.settings.two_tier)

    # -- the card ------------------------------------------------------------------------------

    def _proposed(self) -> Verdict | None:
        return certain_verdict(self.tui.settings.rules, self.answers, self.tui.settings.two_tier)

    def render_card(self) -> None:
        card = self.query_one(RequestCard)
        summary = self.query_one("#summary", Static)
        request = self.q.current
        if request is None and self.q.unloaded:
            return  # the head is used up; the rest of the queue is a moment away
        box = self.query_one("#summary-box")
        if request is None:
            card.display = False
            box.display = True
            summary.update(empty_queue(self, self.tui.settings.rules))
            box.focus()  # Down and PgDn scroll it
            return
        box.display = False
        card.display = True
        analysis, rules = self.analysis, self.tui.settings.rules
        header = ("DEMO (sample data, a temporary copy) · " if self.tui.demo else "") + self.q.header()
        early = self._early if analysis is None and self._early and self._early[0] == request.id else None
        try:
            matches = early[1] if early is not None else None if analysis is None else analysis.matches(request)
            lines = analysis.lines(request, matches) if analysis is not None else None
            if early is not None and early[2] and self._queue_context is not None:  # before the queue is matched: its context does
                lines = self._queue_context.lines(request, [m.kind for m, _ in early[1]])
            card.show(
                request,
                header,
                rules,
                self.answers,
                self.current_rule,
                self._proposed(),
                matches,
                lines,
                requests_checked=early is None or early[2],
            )
        except Exception as exc:  # noqa: BLE001 (one bad record shows as such on its card, and never takes the app down)
            card.show_broken(request, header, exc, rules, self.answers, self.current_rule, self._proposed())

    def _start_card(self, answers: dict[str, bool] | None = None) -> None:
        """A new card: its answers start again (or from ``answers``), and the last notice goes
        (an accept waiting for the matches with it)."""
        self.answers = dict(answers or {})
        self.waiting_accept = None
        first = next_unanswered(self.tui.settings.rules, self.answers)
        self.current_rule = 0 if first is None else first
        self.say("")
        self.render_card()

    def say(self, text: str) -> None:
        """A notice about the card, in a line of its own above the keys (never over the rules); it
        goes when the card changes. Warnings and errors are toasts, at the top."""
        notice = self.query_one("#notice", Static)
        if text or notice.display:
            notice.update(clean(text, 300))
            notice.display = bool(text)

    # -- answering -----------------------------------------------------------------------------

    def action_answer(self, yes: bool) -> None:
        if self.q.current is None:
            return
        rules = self.tui.settings.rules
        self.answers[rules[self.current_rule].id] = yes
        following = next_unanswered(rules, self.answers, self.current_rule)
        if following is not None:
            self.current_rule = following
        self.render_card()

    def action_jump_rule(self, index: int) -> None:
        if self.q.current is not None and index < len(self.tui.settings.rules):
            self.current_rule = index
            self.answers.pop(self.tui.settings.rules[index].id, None)
            self.render_card()

    def action_confirm(self) -> None:
        proposed = self._proposed()
        if self.q.current is None:
            return
        if proposed is None:
            self.say("Answer the rules first (y/n), or press a / d to decide now.")
            return
        self.action_decide(proposed.value)

    def action_decide(self, action: str, until: str = "") -> None:
        request = self.q.current
        if request is None:
            return
        if action == "wider" and not self.tui.settings.two_tier:
            self.say("The wider network is off; switch on two_tier in config.")
            return
        if action in ("accept", "wider") and self._ask_before_accepting(request, action):
            return
        answers = dict(self.answers)
        store = self.tui.store
        entry = self.q.decide(action, answers)
        self._start_card()

        def save() -> DecisionSaved:
            # The status the card showed: the store refuses the decision if it is not that any more.
            decision = store.record_decision(request.id, action, answers, until=until, expected=request.status)
            entry.decision_id = decision.id  # type: ignore[union-attr]
            return DecisionSaved(request, decision)

        # The write keeps its place in the writer's queue but starts once the next card is drawn:
        # otherwise the writer thread takes the GIL from the frame being rendered.
        drawn = threading.Event()
        self.call_after_refresh(drawn.set)
        self.tui.writer.submit(save, self, entry, drawn)

    # -- moving --------------------------------------------------------------------------------

    def action_skip(self) -> None:
        if self.q.skip():
            self._start_card()
        elif self.q.current is not None:
            self.say("This is the last request shown.")

    def action_back(self) -> None:
        what, request = self.q.back()
        if what == "shown":
            self._start_card()
        elif what == "decided" and request is not None:
            self.say(f"{clean(request.name, 60)} was decided in this session: u undoes the newest decision, S lists them all.")
        else:
            self.say("No earlier card in this session.")

    # -- messages from the store writer --------------------------------------------------------

    @on(QueueLoaded)
    def _loaded(self, message: QueueLoaded) -> None:
        had_head = bool(self.q.items) or self.q.unloaded
        self.loaded, self.ever = True, message.ever
        if had_head:
            self._merge(message.pending, announce=False)
        else:
            self.q.items = list(message.pending)
            self._early = message.early
            self._start_card()
        # The parsed store (and, once in, the analysis) are long-lived: left out of the cyclic GC's
        # sweeps, which walked them all (150-290 ms at 30k contacts) inside a key now and then.
        gc.freeze()
        self.call_after_refresh(self._analyse)

    def _analyse(self) -> None:
        """Match the whole queue and work out its context, in the store worker (once at a time:
        asked again meanwhile, it runs again after)."""
        if self._analysing:
            self._analyse_again = True
            return
        self._analysing = True
        store, settings, order = self.tui.store, self.tui.settings, self.q.order

        thresholds = self._thresholds()

        def pace() -> None:
            # Between two requests: the user's keys first, then the changes they made meanwhile.
            self.tui.give_way()
            self.tui.writer.between()

        def build() -> AnalysisReady:
            # The queue's matches and context, after the first frame, giving way to the user's keys.
            from tui.backlog import analyse

            contacts = store.contacts_signature()
            on_context = lambda context: self.post_message(ContextReady(context))  # noqa: E731 (from the store worker's thread: post_message is thread-safe)
            with paused_gc():  # then frozen with the rest (see _loaded), before a sweep walks it all
                analysis = analyse(store, thresholds, settings.sales_phrases, order, on_context, pace)
                gc.freeze()
            return AnalysisReady(analysis, contacts)

        self.tui.writer.submit(build, self, optional=True)
        self.tui.writer.submit(lambda: (store.save_pending_keys(), None)[1], self, optional=True)  # for the next start's first card

    def _thresholds(self) -> Thresholds:
        from tui.dedup.match import Thresholds

        return Thresholds(self.tui.settings.likely_threshold, self.tui.settings.possible_threshold)

    @on(AnalysisReady)
    def _analysed(self, message: AnalysisReady) -> None:
        self._analysing = False
        if self._analyse_again:  # the contacts changed while it ran: this one is stale already
            self._analyse_again = False
            self._analyse()
            return
        self.analysis, self._analysed_contacts, self._queue_context = message.analysis, message.contacts, None
        self.analysis.take_in([r for r in self.q.items if r.id not in self.analysis.found])  # joined while it ran
        self.apply_filter(self.queue_filter, quiet=True)
        self.render_card()
        waiting, self.waiting_accept = self.waiting_accept, None
        if waiting is not None and self.q.current is not None and self.q.current.id == waiting[0]:
            self.say("")
            self.action_decide(waiting[1])  # asks first if it may impersonate a contact
            self.tui.accept_made(waiting, asking=self.app.screen is not self)

"""The triage screen's tools beyond the rules: dialogs (defer, notes, matches, reply, search), the
person's profile and e-mail, and the backlog tools (filter, bulk step, this session's decisions).

A mixin of :class:`~tui.app.screens.triage.TriageScreen`: it works on the screen's queue
(``self.q``) and hands every write, and every read of the store, to the store writer.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import Any

from tui.app.jobs import undo_job
from tui.app.messages import DecisionSaved, DecisionsSaved, DecisionUndone, QueueRefreshed, RecordsRead, RequestUpdated
from tui.app.screens.triage_base import TriageBase
from tui.app.session import Entry
from tui.backlog import QueueFilter
from tui.config import ORDERS
from tui.models import Request
from tui.text import clean

ORDER_WORDS = {"oldest": "oldest first", "newest": "newest first", "name": "by name"}


def can_open_a_browser() -> bool:
    """Whether a browser can be opened from here: not over SSH, and a desktop is there."""
    if any(os.environ.get(v) for v in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")):
        return False
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


class TriageTools(TriageBase):
    # -- undo ----------------------------------------------------------------------------------

    def action_undo(self) -> None:
        """Undo this session's newest decision (any of it from the session view, S; any at all from the history, h)."""
        if self.waiting_accept is not None:  # the newest is an accept still waiting for the check: nothing saved yet
            self.waiting_accept = None
            return self.say("The accept waiting for the check is taken back; nothing was saved.")
        entry = self.q.session.next_to_undo()
        if entry is None:
            self.say("Nothing to undo in this session. The history (h) can undo any decision.")
            return
        self.undo_entry(entry)

    def undo_entry(self, entry: Entry) -> None:
        store = self.tui.store

        def undo() -> DecisionUndone | None:
            if entry.decision_id is None:
                return None  # its write failed, and StoreFailed said so
            return undo_job(store, entry.decision_id)()

        if self.q.undo_ahead(entry):
            self._start_card(None if len(entry.requests) > 1 else entry.answers)
        self.tui.writer.submit(undo, self, entry)

    # -- dialogs -------------------------------------------------------------------------------

    def _ask_before_accepting(self, request: Request, action: str) -> bool:
        """A request that may impersonate a contact is accepted only once confirmed (asked once)."""
        from tui.app.screens.modals import ConfirmScreen, impersonated, impersonation_risk

        if self.analysis is None:  # "checking…": an impersonator must not slip through unasked
            self.waiting_accept = (request.id, action)
            self.say("Still checking this request against your contacts: it is accepted (or you are asked) once that is done.")
            return True
        risky = impersonated(self.analysis.matches(request))
        if not risky or request.id in self.confirmed_risks:
            return False

        def answered(sure: object) -> None:
            if sure and self.q.current is not None and self.q.current.id == request.id:
                self.confirmed_risks.add(request.id)
                self.action_decide(action)

        risk = impersonation_risk(request, risky, "Accepting connects you with a stranger who borrows their name.")
        self.app.push_screen(ConfirmScreen("Accept a possible impersonator?", risk, "Accept anyway"), answered)
        return True

    def action_defer(self) -> None:
        from tui.app.screens.modals import DeferScreen

        if self.q.current is not None:

            def chosen(until: str | None) -> None:
                if until:
                    self.action_decide("defer", until)

            self.app.push_screen(DeferScreen(date.fromisoformat(self.tui.store.today())), chosen)

    def action_edit(self) -> None:
        from tui.app.screens.modals import EditScreen

        request = self.q.current
        if request is None:
            return
        store = self.tui.store

        def save(result: tuple[str, list[str]] | None) -> None:
            if result is not None:
                notes, tags = result
                self.tui.writer.submit(lambda: RequestUpdated(store.update_request(request.id, notes=notes, tags=tags)), self)

        self.app.push_screen(EditScreen(request), save)

    def action_matches(self) -> None:
        """Every match, side by side with the request's own values. The candidates' records are
        read by the store writer; the dialog opens when they arrive."""
        request, analysis = self.q.current, self.analysis
        if request is None:
            return
        if analysis is None:
            self.say("Still checking for matches…")
            return
        matches, store = analysis.matches(request), self.tui.store

        def read() -> RecordsRead:
            others: dict[str, Any] = store.records(match.other_id for match, _ in matches)  # one gone meanwhile: by name only
            return RecordsRead("matches", (request, matches, others))

        self.tui.writer.submit(read, self)

    def on_records_read(self, message: RecordsRead) -> None:
        if message.what != "matches":
            return
        from tui.app.screens.modals import MatchScreen

        request, matches, others = message.records
        if self.q.current is None or self.q.current.id != request.id:
            return  # the card moved on meanwhile
        self.app.push_screen(MatchScreen(request, matches, others), lambda choice: self._matched(request, choice))

    def _matched(self, request: Any, choice: tuple[str, str] | None) -> None:
        if choice is None or self.q.current is None or self.q.current.id != request.id:
            return
        what, other = choice
        store = self.tui.store
        if what == "merge":
            entry = self.q.decide("merge")
            entry.other = other  # type: ignore[union-attr]
            self._start_card()
            self.say(f"Merged {clean(request.name, 60)} into {other}. u undoes it.")
        else:
            entry = self.q.session.add(request, what, other=other)
            if self.analysis is not None:
                self.analysis.matcher.distinct.add(frozenset((request.id, other)))
                if self.analysis.context.cache is not None:
                    self.analysis.context.cache.pop(request.id, None)  # its flags may change without that match
            self.render_card()
            self.say("Noted: not the same person. They will not be suggested again.")

        def save() -> DecisionSaved:
            if what == "merge":
                decision = store.merge(request.id, other, expected=request.status)
            else:
                decision = store.mark_distinct(request.id, other)
            entry.decision_id = decision.id  # type: ignore[union-attr]
            return DecisionSaved(request, decision)

        self.tui.writer.submit(save, self, entry)

    def action_reply(self) -> None:
        """Reply templates: the chosen text is copied; "Ask why" marks the request as asked and
        waiting, "Decline kindly" declines it (a template's ``action`` says which)."""
        from tui.app.screens.modals import ReplyScreen
        from tui.context import DEFAULT_REPLIES, fill_template

        request = self.q.current
        if request is None:
            return
        templates = [
            (label, fill_template(text, request), action) for label, text, action in (self.tui.settings.replies or DEFAULT_REPLIES)
        ]

        def sent(chosen: tuple[str, str] | None) -> None:
            if chosen is None or self.q.current is None or self.q.current.id != request.id:
                return
            action = chosen[1]
            if action == "ask":
                self.action_decide("ask")
                self.say("Copied. Marked as asked: waiting for a reply (W shows waiting requests).")
            elif action == "decline":
                self.action_decide("decline")
                self.say(f"Copied. Declined {clean(request.name, 60)}.")
            else:
                self.say("Copied.")

        self.app.push_screen(ReplyScreen(request, templates), sent)

    def action_toggle_waiting(self) -> None:
        self.q.show_waiting = not self.q.show_waiting
        store, order, waiting = self.tui.store, self.q.order, self.q.show_waiting
        self.tui.writer.submit(lambda: QueueRefreshed(store.pending(order=order, waiting=waiting)), self)
        self.say("Showing requests waiting for a reply." if waiting else "Hiding requests waiting for a reply.")

    def action_cycle_order(self) -> None:
        self.q.reorder(ORDERS[(ORDERS.index(self.q.order) + 1) % len(ORDERS)])
        self._start_card()
        self.say(f"Queue order: {ORDER_WORDS[self.q.order]}.")

    def action_search(self) -> None:
        from tui.app.screens.modals import SearchScreen

        def jump(request_id: str | None) -> None:
            if request_id and self.q.jump(request_id):
                if self.q.current is not None and self.q.current.id != request_id:
                    self.apply_filter(QueueFilter())  # found outside the filter: show everything
                    self.q.jump(request_id)
                self._start_card()

        self.app.push_screen(SearchScreen(self.q.items), jump)

    # -- the person ----------------------------------------------------------------------------

    def action_open_profile(self) -> None:
        """Open the profile in a browser; where there is none (over SSH), show the URL and copy it
        (OSC 52, where the terminal allows)."""
        request = self.q.current
        if request is None:
            return
        url = next((u.strip() for u in request.urls if u.strip().lower().startswith(("http://", "https://"))), "")
        if not url:
            self.say("No profile URL given.")
            return
        whole, shown = clean(url, None), clean(url, 300)  # opened or copied whole; a long one shown cut short
        if self.app.is_web or can_open_a_browser():
            self.app.open_url(whole)
            self.say(f"Opening {shown}")
        else:
            self.app.copy_to_clipboard(whole)
            self.say(f"Profile: {shown} (copied where the terminal allows)")

    def action_copy_email(self) -> None:
        request = self.q.current
        if request is None:
            return
        if not request.emails:
            self.say("No e-mail address given.")
            return
        address = clean(request.emails[0], 200)
        self.app.copy_to_clipboard(address)
        self.say(f"Copied {address} (where the terminal allows)")

    # -- the backlog ---------------------------------------------------------------------------

    def apply_filter(self, chosen: QueueFilter, quiet: bool = False) -> None:
        """Narrow the queue (nothing leaves it: the pending count stays the store's)."""
        self.queue_filter = chosen
        today, before = self.tui.store.today(), self.q.current
        if chosen.empty:
            self.q.set_filter(None)
        else:
            self.q.set_filter(lambda r: chosen.accepts(r, self.analysis, today), chosen.words())
        if quiet and getattr(self.q.current, "id", None) == getattr(before, "id", None):
            return
        self._start_card()
        if not quiet:
            self.say(f"Showing {len(self.q.shown())}: {chosen.words()}." if not chosen.empty else "Showing the whole queue.")

    def action_filter(self) -> None:
        from tui.app.screens.backlog import FilterScreen

        if not self.loaded:
            return
        self.app.push_screen(
            FilterScreen(self.q.items, self.q.current, self.analysis, self.tui.store.today(), self.queue_filter),
            lambda chosen: None if chosen is None else self.apply_filter(chosen),
        )

    def action_bulk(self) -> None:
        """Decide every request the filter shows, in one step with one note (one undo)."""
        from tui.app.screens.backlog import BulkScreen

        if self.queue_filter.empty:
            self.say("Set a filter first (f): B decides every request it shows, in one step.")
            return
        shown = self.q.shown()
        if not shown:
            return
        self.app.push_screen(
            BulkScreen(shown, self.queue_filter.words(), date.fromisoformat(self.tui.store.today())),
            lambda choice: None if choice is None else self._decide_all(shown, *choice),
        )

    def _decide_all(self, requests: list[Any], action: str, note: str, until: str) -> None:
        store = self.tui.store
        expected = {r.id: r.status for r in requests}
        entry = self.q.decide_many(requests, action)
        entry.note = note
        self._start_card()
        done = {"decline": "Declined", "defer": f"Deferred until {until}"}.get(action, action)
        self.say(f"{done}: {len(requests)} requests in one step. u undoes it.")

        def save() -> DecisionsSaved:
            decisions, refused = store.record_decisions(list(expected), action, note=note, until=until, expected=expected)
            if decisions:
                entry.decision_id = decisions[0].group
            return DecisionsSaved(decisions, refused, entry)

        self.tui.writer.submit(save, self, entry)

    def action_session(self) -> None:
        from tui.app.screens.backlog import SessionScreen

        def undo(entry: Any) -> None:
            if entry is not None and self.q.session.take_for_undo(entry):
                self.undo_entry(entry)

        self.app.push_screen(SessionScreen(self.q.session), undo)

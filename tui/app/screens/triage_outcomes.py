"""How the triage screen takes the store writer's answers about outcomes: a bulk step saved, an
undo done, a write that failed (rolled back, and said why), a wait for another process's lock;
and how it polls for other processes' writes and merges the fresh queue in.

Also what comes before the queue's analysis: the first card's matches and the queue's context.

A mixin of :class:`~tui.app.screens.triage.TriageScreen`; handlers are found by their names
(``on_decision_undone``...), and alone change the screen's state for these messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on

from tui.app.messages import (
    ContextReady,
    DecisionsSaved,
    DecisionUndone,
    EarlyMatches,
    QueueLoaded,
    QueueRefreshed,
    RequestUpdated,
    StoreFailed,
    StoreWaiting,
)
from tui.app.screens.triage_base import TriageBase
from tui.app.session import Entry
from tui.text import clean

if TYPE_CHECKING:
    from tui.models import Request


class TriageOutcomes(TriageBase):
    def on_decisions_saved(self, message: DecisionsSaved) -> None:
        today, entry = self.tui.store.today(), message.entry
        for refused in message.refused:
            current = refused.current
            if current is None:
                continue
            if entry is not None:
                entry.group = [r for r in entry.group if r.id != current.id]
            if current.is_due(today, self.q.show_waiting):
                self.q.append(current)
        if entry is not None and not message.decisions:
            self.q.session.remove(entry)  # nothing of it landed: nothing to undo
        if message.refused:  # the line said all were decided: say how many were
            decided, asked = len(message.decisions), len(message.decisions) + len(message.refused)
            self.say(
                f"{decided} of {asked} decided in one step; {len(message.refused)} changed meanwhile and left as they were."
                + (" u undoes the step." if decided else "")
            )
            names = "; ".join(clean(str(c), 120) for c in message.refused[:5])
            self.notify(
                f"{len(message.refused)} left as they were, changed meanwhile: {names}",
                title="Bulk step",
                severity="warning",
                markup=False,
                timeout=15,
            )
        self.render_card()

    def on_decision_undone(self, message: DecisionUndone) -> None:
        """A decision was undone: this session's (`u`, the session view) or any (the history screen)."""
        request, undo = message.request, message.undo
        if request is None or undo is None:
            return
        entry = self.q.session.by_decision(undo.group or undo.undoes)
        if message.undone_action == "distinct":  # the pair may be suggested again; the queue is as it was
            if entry is not None:
                self.q.session.remove(entry)
            if self.analysis is not None:
                self.analysis.matcher.distinct.discard(frozenset((request.id, undo.other)))
                self.analysis.found.pop(request.id, None)  # matched again, with the pair allowed
            self.render_card()
            self.say(f"Undid 'not the same person' for {clean(request.name, 60)}.")
            return
        several = len(message.requests) > 1
        if self.q.undone(entry, message.requests, self.tui.store.today()):
            self._start_card(None if several else message.answers)
        else:
            self.render_card()
        what = (
            f"{len(message.requests)} decisions of one step"
            if several
            else f"{undo.verdict or message.undone_action or 'the decision'} on {clean(request.name, 60)}"
        )
        self.say(f"Undid {what}.")

    def on_store_failed(self, message: StoreFailed) -> None:
        entry = message.entry
        if entry is None:
            self.notify(message.error, title="Not done", severity="error", markup=False, timeout=10)
        elif entry.decision_id is not None:  # saved, so this is its undo that did not land
            # (and it never will from here after a conflict: the history shows why)
            if entry.takes_the_card:  # its cards came back ahead of the store: they leave again
                before = self.q.current
                self.q.undo_failed(entry, keep=not message.conflict)
                if self.q.current is not before:
                    self._start_card()
            elif message.conflict:
                self.q.session.remove(entry)
            else:
                entry.undoing = False
            self.notify(message.error, title="Not undone", severity="error", markup=False, timeout=10)
        else:
            self._decision_failed(entry, message)

    def _decision_failed(self, entry: Entry, message: StoreFailed) -> None:
        """A decision did not land: put the screen back as the store has it, and say why."""
        request = entry.request
        who = clean(request.name, 60) + (f" and {len(entry.group) - 1} more" if len(entry.group) > 1 else "")
        self.notify(f"{who}: {message.error}", title="Not saved", severity="error", markup=False, timeout=10)
        if entry.action == "distinct":
            self.q.session.remove(entry)
            if self.analysis is not None:
                self.analysis.matcher.distinct.discard(frozenset((request.id, entry.other)))
            self.render_card()
            return
        before = self.q.current
        self.q.failed(entry, message.current, self.tui.store.today())
        after = self.q.current
        if getattr(after, "id", None) != getattr(before, "id", None):  # another card (or none): it starts afresh
            self._start_card()
        else:
            self.render_card()

    def on_store_waiting(self, message: StoreWaiting) -> None:
        who = clean(str(message.holder), 120) if message.holder else "another process"
        self.notify(
            f"Waiting for the store lock held by {who}. Decisions are kept in order and saved when it is free.",
            title="Store busy",
            severity="warning",
            markup=False,
            timeout=10,
        )

    # -- other processes -----------------------------------------------------------------------

    def _poll(self) -> None:
        store, order, waiting = self.tui.store, self.q.order, self.q.show_waiting

        def check() -> QueueRefreshed | None:
            changed, contacts = store.refresh(), store.contacts_signature()  # our own merges change contacts too
            if not changed and (self._analysed_contacts is None or contacts == self._analysed_contacts):
                return None
            return QueueRefreshed(store.pending(order=order, waiting=waiting), len(store.requests()), contacts, store.undone_ids())

        self.tui.writer.submit(check, self)

    @on(EarlyMatches)
    def _early_matches(self, message: EarlyMatches) -> None:
        if self.analysis is None:
            self._early = message.early
            current = self.q.current
            if current is not None and current.id == message.early[0]:
                self.render_card()

    @on(ContextReady)
    def _context_ready(self, message: ContextReady) -> None:
        if self.analysis is None and not self._analyse_again:
            self._queue_context = message.context
            self.render_card()

    @on(RequestUpdated)
    def _updated(self, message: RequestUpdated) -> None:
        self.q.replace(message.request)
        self.render_card()

    @on(QueueRefreshed)
    def _refreshed(self, message: QueueRefreshed) -> None:
        if not isinstance(message, QueueLoaded):
            self.ever = message.ever if message.ever >= 0 else self.ever
            if self.analysis is not None and message.contacts is not None and message.contacts != self._analysed_contacts:
                self.analysis, self._early = None, None  # "checking…" until the queue is matched against the new contacts
                self._analyse()
            self.q.session.forget(message.undone)  # undone by another process (`tui undo`): in the queue again, if due
            added = self._merge(message.pending, announce=True)
            if added and self.analysis is not None:  # (still being matched: taken in once done, see _analysed)
                self.analysis.take_in([r for r in added if r.id not in self.analysis.found])
                self.render_card()

    def _merge(self, pending: list[Request], announce: bool) -> list[Request]:
        """Bring the queue in line with ``pending``, keeping the card on screen and its answers."""
        before = self.q.current
        added = self.q.merge(pending)
        after = self.q.current
        if getattr(after, "id", None) != getattr(before, "id", None):  # another card (or none): it starts afresh
            self._start_card()
        else:
            self.render_card()
        if added and announce:
            self.say(f"{len(added)} new request{'s' if len(added) != 1 else ''} joined the queue.")
        return added

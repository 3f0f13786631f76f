"""Store-writer jobs that more than one screen submits (:meth:`tui.app.writer.StoreWriter.submit`):
each runs on the writer's thread and returns the message for the screen that asked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tui.app.messages import DecisionUndone, EarlyMatches, QueueLoaded
from tui.models import Decision, Request
from tui.store import Store


def load_queue(store: Store, order: str, waiting: bool, thresholds: Any = None) -> QueueLoaded:
    """The whole queue, for the triage screen. With ``thresholds`` (no head cache gave the first
    card), also the first card's matches (with the contacts, and with the other requests when
    pending.idx is current), so that it is drawn with them."""
    loaded = QueueLoaded(store.pending(order=order, waiting=waiting), len(store.requests()))
    if thresholds is not None:  # no head cache gave the first card: leave one for the next start
        store.save_head()
        if loaded.pending:
            loaded.early = first_matches(store, loaded.pending[0], thresholds, store.distinct_pairs()).early
    return loaded


def first_matches(store: Store, first: Request, thresholds: Any, distinct: list[tuple[str, str]]) -> EarlyMatches:
    """The first card's matches (with the other requests when pending.idx is current), straight
    from the key indexes: milliseconds, in the writer (for a card drawn from the head cache, after
    its first frame; else with the queue, :func:`load_queue`)."""
    from tui.backlog import early_matches

    return EarlyMatches((first.id, *early_matches(store, first, thresholds, distinct)))


def undo_job(store: Store, decision_id: str) -> Callable[[], DecisionUndone]:
    """The store-writer job behind every undo key: revert one decision (or the bulk step it belongs
    to, whole), report what it was. The store refuses (Conflict) a decision already undone, or
    overtaken by a newer one."""

    def undo() -> DecisionUndone:
        target = store.get(decision_id)
        if isinstance(target, Decision) and target.group and target.action != "undo":
            undos = store.undo_group(target.group)
            requests = [store.get_request(u.request_id) for u in undos]
            return DecisionUndone(requests[0], undos[0], {}, target.action, requests)
        done = store.undo(decision_id)
        undone = store.get(done.undoes)
        request = store.get_request(done.request_id) if done.request_id.startswith("r") else None  # else a contact decision
        return DecisionUndone(request, done, getattr(undone, "answers", {}), getattr(undone, "action", ""))

    return undo

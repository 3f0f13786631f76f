"""Messages posted by the store worker. Small, past tense; only their handlers change widgets."""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message

from tui.models import Decision, Request
from tui.store import Store


class DecisionSaved(Message):
    def __init__(self, request: Request, decision: Decision) -> None:
        super().__init__()
        self.request = request
        self.decision = decision


class DecisionUndone(Message):
    """``answers`` are those of the decision that was undone, to pre-fill the card again."""

    def __init__(self, request: Request | None, undo: Decision | None, answers: dict[str, bool] | None = None, undone_action: str = "") -> None:
        super().__init__()
        self.request = request
        self.undo = undo
        self.answers = answers or {}
        self.undone_action = undone_action


class RequestUpdated(Message):
    def __init__(self, request: Request) -> None:
        super().__init__()
        self.request = request


class QueueRefreshed(Message):
    """Another process changed the store; ``pending`` is the fresh queue."""

    def __init__(self, pending: list[Request]) -> None:
        super().__init__()
        self.pending = pending


class StoreFailed(Message):
    """A write failed. ``request`` is the request whose decision did not land, if any."""

    def __init__(self, error: str, request: Request | None = None) -> None:
        super().__init__()
        self.error = error
        self.request = request


class HistoryChanged(Message):
    """The decision history changed; tables showing it should reload."""


def undo_job(store: Store) -> Callable[[], DecisionUndone]:
    """The store-writer job behind every undo key: revert the newest decision, report what it was."""

    def undo() -> DecisionUndone:
        done = store.undo_last()
        if done is None:
            return DecisionUndone(None, None)
        undone = store.get(done.undoes)
        return DecisionUndone(store.get_request(done.request_id), done, getattr(undone, "answers", {}), getattr(undone, "action", ""))

    return undo

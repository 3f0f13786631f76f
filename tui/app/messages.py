"""Messages posted by the store worker. Small, past tense; only their handlers change widgets."""

from __future__ import annotations

from textual.message import Message

from tui.models import Decision, Request


class DecisionSaved(Message):
    def __init__(self, request: Request, decision: Decision) -> None:
        super().__init__()
        self.request = request
        self.decision = decision


class DecisionUndone(Message):
    def __init__(self, request: Request | None, undo: Decision | None) -> None:
        super().__init__()
        self.request = request
        self.undo = undo


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

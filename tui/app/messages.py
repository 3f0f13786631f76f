"""Messages posted by the store worker. Small, past tense; only their handlers change widgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message

from tui.app.session import Entry
from tui.fileio import LockHolder
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
    """A write failed. ``entry`` is the session's decision that did not land (or, when it is
    being undone, whose undo did not), if any. ``current`` is the request as the store now has it
    when a decision was refused because the request changed meanwhile. ``conflict``: the store
    refused the write because of what another write did (so trying again will not help)."""

    def __init__(self, error: str, entry: Entry | None = None, current: Request | None = None, conflict: bool = False) -> None:
        super().__init__()
        self.error = error
        self.entry = entry
        self.current = current
        self.conflict = conflict

    @property
    def request(self) -> Request | None:
        return self.entry.request if self.entry is not None else None


class StoreWaiting(Message):
    """A write has waited a second for the store lock, which another process holds."""

    def __init__(self, holder: LockHolder | None) -> None:
        super().__init__()
        self.holder = holder


class HistoryChanged(Message):
    """The decision history changed; tables showing it should reload."""


def undo_job(store: Store, decision_id: str) -> Callable[[], DecisionUndone]:
    """The store-writer job behind every undo key: revert one decision, report what it was. The
    store refuses (Conflict) a decision already undone, or overtaken by a newer one."""

    def undo() -> DecisionUndone:
        done = store.undo(decision_id)
        undone = store.get(done.undoes)
        request = store.get_request(done.request_id) if done.request_id.startswith("r") else None  # else a contact decision
        return DecisionUndone(request, done, getattr(undone, "answers", {}), getattr(undone, "action", ""))

    return undo


class ContactGroupsFound(Message):
    """Groups of duplicate contacts, found by a worker, with their members' fields (``groups`` None: only
    some members' fields, read again)."""

    def __init__(self, groups: list[Any] | None, docs: dict[str, dict[str, Any]]) -> None:
        super().__init__()
        self.groups = groups
        self.docs = docs


class ContactsMerged(Message):
    """A group of contacts was merged, or recorded as not the same people (``decision.action``)."""

    def __init__(self, step: Any, decision: Decision) -> None:
        super().__init__()
        self.step = step
        self.decision = decision


class ContactsUndone(Message):
    def __init__(self, step: Any, undo: Decision) -> None:
        super().__init__()
        self.step = step
        self.undo = undo

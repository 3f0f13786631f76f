"""Every message of the app. Posted by the store worker (or a worker reading the store), small and
past tense; only their handlers change widgets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

from tui.app.session import Entry
from tui.fileio import LockHolder
from tui.models import Decision, Request
from tui.store import Conflict

if TYPE_CHECKING:  # matching (and rapidfuzz) loads after the first card is drawn
    from tui.backlog import Analysis
    from tui.context import QueueContext
    from tui.dedup.match import Match


class DecisionSaved(Message):
    def __init__(self, request: Request, decision: Decision) -> None:
        super().__init__()
        self.request = request
        self.decision = decision


class DecisionsSaved(Message):
    """A bulk step landed: ``decisions`` in one group; ``refused`` the requests another process
    changed meanwhile (left as they are)."""

    def __init__(self, decisions: list[Decision], refused: list[Conflict], entry: Entry | None = None) -> None:
        super().__init__()
        self.decisions = decisions
        self.refused = refused
        self.entry = entry


class DecisionUndone(Message):
    """``answers`` are those of the decision that was undone, to pre-fill the card again.
    ``requests``: every request it brought back (several for a bulk step)."""

    def __init__(
        self,
        request: Request | None,
        undo: Decision | None,
        answers: dict[str, bool] | None = None,
        undone_action: str = "",
        requests: list[Request] | None = None,
    ) -> None:
        super().__init__()
        self.request = request
        self.undo = undo
        self.answers = answers or {}
        self.undone_action = undone_action
        self.requests = requests if requests is not None else ([request] if request is not None else [])


class RequestUpdated(Message):
    def __init__(self, request: Request) -> None:
        super().__init__()
        self.request = request


class QueueRefreshed(Message):
    """Another process changed the store; ``pending`` is the fresh queue."""

    def __init__(self, pending: list[Request], ever: int = -1, contacts: object = None, undone: set[str] | None = None) -> None:
        super().__init__()
        self.pending = pending
        self.ever = ever
        """How many requests the store holds at all (-1: not counted)."""
        self.contacts = contacts
        """The contacts file's signature now (None: not looked at)."""
        self.undone = undone or set()
        """The ids of the decisions undone in the store as read (this session's among them: by another process)."""


class QueueLoaded(QueueRefreshed):
    """The queue is loaded: the first card can be shown."""

    early: tuple[str, list[tuple[Match, str]], bool] | None = None
    """The first card's id, its matches, and whether those with the other requests are among them."""
    """(the first card's id, its matches with the contacts), when they were found with the queue."""


class EarlyMatches(Message):
    """The first card's matches, straight from the key indexes (the ``tui add`` path): the card
    drawn from the head cache shows them before the whole queue is matched."""

    def __init__(self, early: tuple[str, list[tuple[Match, str]], bool]) -> None:
        super().__init__()
        self.early = early


class ContextReady(Message):
    """The queue's context is worked out, before its matches: a card whose matches are known (the
    first card's, early) can show its red flags."""

    def __init__(self, context: QueueContext) -> None:
        super().__init__()
        self.context = context


class AnalysisReady(Message):
    """The matches and red flags of the whole queue are worked out: the cards can show them."""

    def __init__(self, analysis: Analysis, contacts: object = None) -> None:
        super().__init__()
        self.analysis = analysis
        self.contacts = contacts
        """The contacts file's signature the analysis was built from."""


class RowChosen(Message):
    """A row of a lazy table was chosen (Enter, or a double click): ``index`` into its rows."""

    def __init__(self, table: Any, index: int) -> None:
        super().__init__()
        self.table = table
        self.index = index


class RecordsRead(Message):
    """A screen's read of the store, done by a worker: ``what`` names it, ``records`` hold it."""

    def __init__(self, what: str, records: Any) -> None:
        super().__init__()
        self.what = what
        self.records = records


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
    """A contact merge or "not the same" was undone (``undo`` None: the history holds none to undo)."""

    def __init__(self, step: Any, undo: Decision | None) -> None:
        super().__init__()
        self.step = step
        self.undo = undo


class ContactGroupChecked(Message):
    """A group of duplicate contacts, read again before it is shown: its members' fields as the
    store has them now, and for each member gone (another process merged it away) where it went."""

    def __init__(self, group: Any, docs: dict[str, dict[str, Any]], gone: dict[str, str]) -> None:
        super().__init__()
        self.group = group
        self.docs = docs
        self.gone = gone

"""This session's decisions: what the summary counts, and what `u` undoes, newest first.

Plain logic, no Textual. An entry is made the moment a key is pressed. The store writer fills in
its decision id when the decision is saved, in the writer's own thread, before it runs any later
job; so an undo queued right behind a decision finds the id. Decisions made by other processes, or
in an earlier session, are never entries: `u` cannot reach them (the history screen can).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tui.models import Request, ascii_int


@dataclass(eq=False)
class Entry:
    request: Request
    """The request as the screen showed it (its status is what the decision expects)."""
    action: str
    """accept, wider, decline, defer, ask, merge or distinct."""
    answers: dict[str, bool] = field(default_factory=dict)
    other: str = ""
    """For merge and distinct: the other record."""
    decision_id: str | None = None
    """Set by the store writer once the decision is saved."""
    undoing: bool = False
    """An undo of it is queued."""
    group: list[Request] = field(default_factory=list)
    """For a bulk decision: every request it decided, in one step (one undo); ``request`` is the first."""
    note: str = ""

    @property
    def requests(self) -> list[Request]:
        return self.group or [self.request]

    @property
    def takes_the_card(self) -> bool:
        """The request left the queue with this decision ("not the same person" leaves it)."""
        return self.action != "distinct"


class Session:
    def __init__(self) -> None:
        self.entries: list[Entry] = []
        """Oldest first."""

    def __len__(self) -> int:
        """How many cards this session has decided (for "n of m")."""
        return sum(len(e.requests) for e in self.entries if e.takes_the_card)

    def add(self, request: Request, action: str, answers: dict[str, bool] | None = None, other: str = "") -> Entry:
        entry = Entry(request, action, dict(answers or {}), other)
        self.entries.append(entry)
        return entry

    def remove(self, entry: Entry) -> None:
        if entry in self.entries:
            self.entries.remove(entry)

    def next_to_undo(self) -> Entry | None:
        """The newest entry whose undo is not queued yet, now marked as being undone."""
        entry = next((e for e in reversed(self.entries) if not e.undoing), None)
        if entry is not None:
            entry.undoing = True
        return entry

    def take_for_undo(self, entry: Entry) -> bool:
        """Mark any one entry (the session view's choice) as being undone; False if it already is."""
        if entry not in self.entries or entry.undoing:
            return False
        entry.undoing = True
        return True

    def put_back(self, entry: Entry) -> None:
        """An entry whose undo did not land, back where it was (entries in the order their
        decisions were saved), and undoable again."""
        if entry not in self.entries:
            entry.undoing = False
            self.entries.append(entry)
            self.entries.sort(key=_saved_order)

    def forget(self, undone: set[str]) -> None:
        """Drop the entries whose decision the store has undone (another process did: this
        session's own undos leave it at once), so that their requests may join the queue again."""
        self.entries = [e for e in self.entries if e.decision_id is None or e.decision_id not in undone]

    def by_decision(self, decision_id: str) -> Entry | None:
        return next((e for e in self.entries if e.decision_id == decision_id), None)

    def counts(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for e in self.entries:
            counts[e.action] += len(e.requests)
        return counts

    def noes(self) -> Counter[str]:
        """How often each rule was answered no in this session's decisions."""
        return Counter(rule for e in self.entries if e.takes_the_card for rule, yes in e.answers.items() if not yes)

    def decided(self, show_waiting: bool) -> set[str]:
        """Ids of the requests this session took out of the queue (the store may not have caught up
        yet). Asked ones stay in it when waiting requests are shown."""
        return {r.id for e in self.entries if e.takes_the_card and not (show_waiting and e.action == "ask") for r in e.requests}


def _saved_order(entry: Entry) -> tuple[bool, int]:
    """Entries in the order their decisions were saved (those not saved yet last)."""
    number = ascii_int((entry.decision_id or "")[1:])
    return number is None, number or 0

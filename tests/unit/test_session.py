"""The triage session as plain logic: what `u` undoes, in which order, and what the summary counts."""

from __future__ import annotations

from tui.app.session import Session
from tui.models import Request


def request(rid: str) -> Request:
    return Request(name=f"Person {rid}", id=rid)


class TestUndoOrder:
    def test_newest_first_and_never_twice(self) -> None:
        session = Session()
        first = session.add(request("r1"), "accept")
        second = session.add(request("r2"), "decline", {"drink": False})
        assert session.next_to_undo() is second
        assert session.next_to_undo() is first  # the second's undo is queued: the next goes further back
        assert session.next_to_undo() is None

    def test_an_undone_entry_leaves_and_a_failed_undo_can_be_tried_again(self) -> None:
        session = Session()
        entry = session.add(request("r1"), "accept")
        entry.decision_id = "d7"
        assert session.by_decision("d7") is entry
        assert session.next_to_undo() is entry
        entry.undoing = False  # the undo did not land (a full disk): `u` may try it again
        assert session.next_to_undo() is entry
        session.remove(entry)
        assert session.by_decision("d7") is None and session.next_to_undo() is None


class TestCounts:
    def test_counts_noes_and_cards_taken(self) -> None:
        session = Session()
        session.add(request("r1"), "accept", {"drink": True})
        session.add(request("r2"), "decline", {"drink": False, "business": False})
        session.add(request("r3"), "distinct", other="c4")  # the card stays in the queue
        session.add(request("r4"), "ask")
        assert len(session) == 3
        assert session.counts()["decline"] == 1 and session.noes() == {"drink": 1, "business": 1}
        assert session.decided(show_waiting=False) == {"r1", "r2", "r4"}
        assert session.decided(show_waiting=True) == {"r1", "r2"}

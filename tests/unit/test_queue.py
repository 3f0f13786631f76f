"""The triage queue as plain logic, without Textual: moves, fresh results, undo, the count."""

from __future__ import annotations

import subprocess
import sys

from tui.app.queue import TriageQueue
from tui.models import Request

TODAY = "2026-11-20"


def req(rid: str, status: str = "pending", source: str = "linkedin", until: str = "") -> Request:
    return Request(name=f"Person {rid}", id=rid, status=status, source=source, until=until, sent_at=f"2026-10-{int(rid[1:]):02d}")


def queue(*ids: str) -> TriageQueue:
    q = TriageQueue()
    q.items = [req(i) for i in ids]
    return q


def ids(q: TriageQueue) -> list[str]:
    return [r.id for r in q.items]


class TestMoves:
    def test_pop_skip_jump(self) -> None:
        q = queue("r1", "r2", "r3")
        assert q.skip() and ids(q) == ["r2", "r3", "r1"]
        assert q.jump("r3") and ids(q) == ["r3", "r2", "r1"]
        assert q.pop().id == "r3" and q.current.id == "r2"  # type: ignore[union-attr]
        assert not q.jump("r9")

    def test_skip_keeps_the_count_and_never_resets_it(self) -> None:
        q = queue("r1", "r2", "r3")
        q.decide("accept")
        assert q.header() == "2 pending · 1 decided"
        q.skip()
        assert q.header() == "2 pending · 1 decided"

    def test_the_last_one_cannot_be_skipped(self) -> None:
        q = queue("r1")
        assert not q.skip() and ids(q) == ["r1"]

    def test_back_shows_the_previous_card_again(self) -> None:
        q = queue("r1", "r2", "r3")
        q.skip()  # r1 to the back
        assert q.current.id == "r2"  # type: ignore[union-attr]
        assert q.back() == ("shown", q.items[0]) and ids(q) == ["r1", "r2", "r3"]

    def test_back_to_a_decided_card_says_so(self) -> None:
        q = queue("r1", "r2")
        q.decide("decline")
        what, request = q.back()
        assert what == "decided" and request.id == "r1" and ids(q) == ["r2"]  # type: ignore[union-attr]
        assert q.back() == ("none", None)  # asked again: nothing before it

    def test_back_again_goes_past_a_decided_card(self) -> None:
        """Accept A, skip B, decline C: from D, b says C was decided, b again shows B."""
        q = queue("r1", "r2", "r3", "r4")
        q.decide("accept")
        q.skip()
        q.decide("decline")
        assert q.current.id == "r4"  # type: ignore[union-attr]
        assert q.back()[0] == "decided"
        what, request = q.back()
        assert what == "shown" and request.id == "r2"  # type: ignore[union-attr]

    def test_back_with_nothing_before(self) -> None:
        assert queue("r1").back() == ("none", None)


class TestFreshResults:
    def test_merge_keeps_the_order_drops_the_gone_and_adds_the_new(self) -> None:
        q = queue("r1", "r2", "r3")
        q.skip()
        added = q.merge([req("r1"), req("r3"), req("r4"), req("r2")])
        assert [r.id for r in added] == ["r4"] and ids(q) == ["r2", "r3", "r1", "r4"]
        added = q.merge([req("r1"), req("r4")])  # r2, r3 decided elsewhere
        assert added == [] and ids(q) == ["r1", "r4"]

    def test_what_this_session_decided_stays_out_until_the_store_catches_up(self) -> None:
        q = queue("r1", "r2")
        q.decide("accept")
        q.merge([req("r1"), req("r2")])  # the write has not landed yet
        assert ids(q) == ["r2"]

    def test_the_head_then_the_whole_queue(self) -> None:
        q = TriageQueue()
        q.load_head([req("r1"), req("r2")], due=5, pending=4)
        assert q.pending_count() == 4 and q.unloaded == 3
        q.merge([req(f"r{i}") for i in range(1, 5)] + [req("r5", "deferred", until=TODAY)])
        assert q.pending_count() == 4 and q.header() == "4 pending · 1 due again"


class TestUndoAndFailure:
    def test_undo_brings_the_request_back_in_front(self) -> None:
        q = queue("r1", "r2")
        entry = q.decide("accept")
        assert q.undone(entry, [req("r1")], TODAY)
        assert ids(q) == ["r1", "r2"] and len(q.session) == 0

    def test_an_undone_deferral_not_due_stays_out(self) -> None:
        q = queue("r1", "r2")
        entry = q.decide("decline")
        assert not q.undone(entry, [req("r1", "deferred", until="2027-01-01")], TODAY)
        assert ids(q) == ["r2"]

    def test_a_refused_decision_comes_back_as_the_store_has_it(self) -> None:
        q = queue("r1", "r2")
        entry = q.decide("accept")
        assert entry is not None
        assert not q.failed(entry, req("r1", "declined"), TODAY)  # decided elsewhere: gone
        assert ids(q) == ["r2"] and len(q.session) == 0
        entry = q.decide("accept")
        assert q.failed(entry, None, TODAY) and ids(q) == ["r2"]  # a full disk: the card is back

    def test_a_bulk_step_is_one_entry_and_one_undo(self) -> None:
        q = queue("r1", "r2", "r3", "r4")
        group = [q.items[1], q.items[3]]
        entry = q.decide_many(group, "decline")
        assert ids(q) == ["r1", "r3"] and len(q.session) == 2 and q.session.counts()["decline"] == 2
        assert q.session.next_to_undo() is entry
        q.undone(entry, [req("r2"), req("r4")], TODAY)
        assert ids(q) == ["r2", "r4", "r1", "r3"] and len(q.session) == 0


class TestCountAndFilter:
    def test_the_count_is_the_stores_pending_whatever_is_shown(self) -> None:
        q = TriageQueue(show_waiting=True)
        q.items = [req("r1"), req("r2", source="facebook"), req("r3", "asked"), req("r4", "deferred", until=TODAY)]
        assert q.pending_count() == 2
        q.set_filter(lambda r: r.source == "facebook", "only facebook")
        assert q.current.id == "r2" and [r.id for r in q.shown()] == ["r2"]  # type: ignore[union-attr]
        assert q.header().startswith("1 shown (only facebook) · 2 pending")
        q.decide("decline")
        assert q.current is None and q.pending_count() == 1 and ids(q) == ["r1", "r3", "r4"]
        q.set_filter(None)
        assert q.current.id == "r1"  # type: ignore[union-attr]


def test_no_textual_needed() -> None:
    code = "import sys, tui.app.queue; print('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_the_kept_count_always_equals_a_recount() -> None:
    import random

    rng = random.Random(7)
    q = queue(*[f"r{i}" for i in range(1, 40)])
    q.items[3].status = "deferred"
    q.items = list(q.items)
    for step in range(400):
        op = rng.choice(["decide", "skip", "jump", "back", "reinsert", "replace", "drop", "append", "undone", "failed"])
        some = rng.choice(q.items) if q.items else req("r99")
        if op == "decide":
            q.decide("accept")
        elif op == "skip":
            q.skip()
        elif op == "jump":
            q.jump(some.id)
        elif op == "back":
            q.back()
        elif op == "reinsert":
            q.reinsert(req(some.id, rng.choice(["pending", "deferred", "asked"])))
        elif op == "replace":
            q.replace(req(some.id, rng.choice(["pending", "deferred"])))
        elif op == "drop":
            q.drop(some.id)
        elif op == "append":
            q.append(req(f"r{100 + step}"))
        elif op == "undone" and q.session.entries:
            entry = q.session.entries[-1]
            q.undone(entry, [req(entry.request.id)], TODAY)
        elif op == "failed" and q.session.entries:
            q.failed(q.session.entries[-1], None, TODAY)
        assert q.pending_count() == sum(1 for r in q.items if r.status == "pending"), (step, op)


class TestUndoAhead:
    def test_a_card_an_undo_brought_back_stays_while_the_store_has_not_written_the_undo(self) -> None:
        """A refresh read before the undo was written lists the request as decided still: the card
        the undo put back is kept (it was dropped, and the next key landed on another card)."""
        q = queue("r1", "r2")
        entry = q.decide("decline")
        entry.decision_id = "d1"  # type: ignore[union-attr]
        assert q.undo_ahead(entry) and ids(q) == ["r1", "r2"]  # type: ignore[arg-type]
        q.merge([req("r2")])  # the store as it was before the undo landed
        assert ids(q) == ["r1", "r2"] and q.header() == "2 pending"
        assert not q.undone(None, [req("r1")], TODAY) and ids(q) == ["r1", "r2"]  # the undo lands: the same card
        q.merge([req("r2")])  # (now a refresh without r1 means another process decided it)
        assert ids(q) == ["r2"]

    def test_an_undo_that_fails_takes_its_card_out_and_puts_the_entry_back(self) -> None:
        q = queue("r1", "r2")
        entry = q.decide("decline")
        entry.decision_id = "d1"  # type: ignore[union-attr]
        q.undo_ahead(entry)  # type: ignore[arg-type]
        q.undo_failed(entry, keep=True)  # type: ignore[arg-type]
        assert ids(q) == ["r2"] and q.session.entries == [entry] and not entry.undoing  # type: ignore[union-attr]
        q.merge([req("r2")])
        assert ids(q) == ["r2"]

    def test_an_undo_of_a_large_step_puts_its_cards_back_in_one_pass(self) -> None:
        """An outside attack: `u` on a bulk step of 13,336 froze the screen for 8-10 s (each card
        taken out of and put back into the queue of 20k one by one). Counted in the cards' ids
        read, not in seconds: a few passes over the queue, not one a card."""

        class Watched(Request):
            reads, limit = 0, 0

            def __getattribute__(self, name: str) -> object:
                if name == "id":
                    Watched.reads += 1
                    if Watched.reads > Watched.limit:
                        raise AssertionError("the queue was gone through once a card")
                return super().__getattribute__(name)

        q = TriageQueue()
        q.items = [Watched(name=f"Person {i}", id=f"r{i}", sent_at=f"2026-10-{1 + i % 28:02d}") for i in range(1, 20_001)]
        step = q.items[:12_000]
        Watched.limit = 10**9
        entry = q.decide_many(step, "decline")
        entry.decision_id = "d1"
        fresh = [req(r.id) for r in step]
        Watched.reads, Watched.limit = 0, 20 * 20_000
        assert q.undo_ahead(entry)
        assert ids(q)[:3] == ["r1", "r2", "r3"] and len(q.items) == 20_000 and q.header() == "20000 pending"
        assert not q.undone(None, fresh, TODAY) and len(q.items) == 20_000
        q.undo_failed(entry, keep=True)
        assert len(q.items) == 8_000 and q.header().startswith("8000 pending")

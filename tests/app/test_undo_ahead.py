"""An undo is shown at once, as a decision is: the card it brings back is on the screen before the
store has written the undo, so the keys typed next land on that card, not on the one that was shown
before the undo came back (an outside attack, keys 50 ms apart: `d u d` declined the next person)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.app.conftest import build, notices, settle, until
from tui.store import Store


async def decline_the_first(pilot: Pilot) -> tuple[str, str]:
    """Once the app has settled, `d` on the first card, saved: (its id, the next card's id)."""
    await settle(pilot)
    queue = pilot.app.screen.q  # type: ignore[attr-defined]
    first = queue.current.id
    await pilot.press("d")
    await settle(pilot)
    return first, queue.current.id


def slow_undo(monkeypatch: pytest.MonkeyPatch, release: threading.Event) -> None:
    """Every undo waits in the store writer until ``release`` is set (at most 10 s)."""
    real = Store.undo

    def undo(self: Store, *args: object, **kwargs: object) -> object:
        release.wait(10)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "undo", undo)


class TestUndoAhead:
    async def test_a_key_typed_before_the_undo_is_written_lands_on_the_card_it_brought_back(
        self, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        release = threading.Event()
        slow_undo(monkeypatch, release)
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            first, second = await decline_the_first(pilot)
            assert second != first
            await pilot.press("u")
            assert screen.q.current.id == first  # type: ignore[attr-defined]
            await pilot.press("a")  # accept, typed before the undo is written
            release.set()
            await settle(pilot)
            assert screen.q.current.id == second  # type: ignore[attr-defined]
        store = Store.open(sample_store.root)
        assert store.get_request(first).status == "accepted"
        assert store.get_request(second).status == "pending"

    async def test_an_undo_that_fails_takes_the_card_back_out_and_says_so(
        self, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from tui.store.errors import Conflict

        def refuse(self: Store, *args: object, **kwargs: object) -> object:
            raise Conflict("decided again since, by another process")

        monkeypatch.setattr(Store, "undo", refuse)
        app, seen = build(sample_store, tmp_path), []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            screen = app.screen
            first, second = await decline_the_first(pilot)
            await pilot.press("u")
            await settle(pilot)
            assert screen.q.current.id == second  # type: ignore[attr-defined]
            assert first not in [r.id for r in screen.q.items]  # type: ignore[attr-defined]
            await until(pilot, lambda: any(n.startswith("Not undone") for n in notices(seen)), what="no notice")
        assert Store.open(sample_store.root).get_request(first).status == "declined"

    async def test_an_undone_card_decided_again_before_the_undo_lands_does_not_come_back(
        self, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        release = threading.Event()
        slow_undo(monkeypatch, release)
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            first, _ = await decline_the_first(pilot)
            await pilot.press("u", "d")  # undo, then decline it again: both before the undo lands
            release.set()
            await settle(pilot)
            assert screen.q.current.id != first  # type: ignore[attr-defined]
            assert first not in [r.id for r in screen.q.items]  # type: ignore[attr-defined]
        assert Store.open(sample_store.root).get_request(first).status == "declined"


class TestUndoOfAWaitingAccept:
    async def test_u_takes_back_an_accept_still_waiting_for_the_check_not_the_decision_before(
        self, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An outside attack: `d`, then `a` while the card still said "checking…" (the accept waits
        for the check against the contacts), then `u`: the earlier decline was undone, and the
        waiting accept silently dropped."""
        from tests.app.test_writer_changes import slow_matching

        done = threading.Event()
        slow_matching(monkeypatch, done)
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            await until(pilot, lambda: screen._analysing, what="the matching did not start")  # type: ignore[attr-defined]
            first = screen.q.current.id  # type: ignore[attr-defined]
            await pilot.press("d")
            await until(pilot, lambda: screen.q.current.id != first, what="the decline did not move on")  # type: ignore[attr-defined]
            second = screen.q.current.id  # type: ignore[attr-defined]
            await pilot.press("a")
            assert screen.waiting_accept is not None  # type: ignore[attr-defined]
            await pilot.press("u")
            assert screen.waiting_accept is None and screen.q.current.id == second  # type: ignore[attr-defined]
            done.set()
            await until(pilot, lambda: screen.analysis is not None, timeout=20, what="the matching did not end")  # type: ignore[attr-defined]
            await settle(pilot)
        store = Store.open(sample_store.root)
        assert store.get_request(first).status == "declined" and store.get_request(second).status == "pending"


class TestARefusedUndoAndTheKeyAfterIt:
    async def test_a_key_typed_on_the_card_of_a_refused_undo_is_refused_too_and_said(
        self, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An outside attack: `d`, another process accepts the request (`tui decide --force`), `u`
        then `d` before the undo is refused: the `d` recorded nothing, and nothing said so."""
        release = threading.Event()
        slow_undo(monkeypatch, release)
        app, seen = build(sample_store, tmp_path), []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            screen = app.screen
            first, second = await decline_the_first(pilot)
            Store.open(sample_store.root).record_decision(first, "accept")  # another process, --force
            await pilot.press("u", "d")
            release.set()
            await settle(pilot)
            said = notices(seen)
            assert any(n.startswith("Not undone") for n in said), said
            assert any(n.startswith("Not saved") for n in said), said
            assert first not in [r.id for r in screen.q.items] and screen.q.current.id == second  # type: ignore[attr-defined]
        store = Store.open(sample_store.root)
        assert store.get_request(first).status == "accepted" and store.get_request(second).status == "pending"


class TestAnUndoByAnotherProcess:
    async def test_the_screen_takes_back_a_decision_of_this_session_another_process_undid(
        self, sample_store: Store, tmp_path: Path
    ) -> None:
        """An outside attack: `d`, then `tui undo` from a shell: the screen kept the request out
        (a decision of this session) and counted it decided, until some other change came in;
        `u` then said "already undone" and the count went wrong."""
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            first = screen.q.current.id  # type: ignore[attr-defined]
            pending = screen.q.pending_count()  # type: ignore[attr-defined]
            await pilot.press("d")
            await settle(pilot)
            assert screen.q.pending_count() == pending - 1  # type: ignore[attr-defined]
            Store.open(sample_store.root).undo_last(first)  # a shell's `tui undo`
            await until(pilot, lambda: first in [r.id for r in screen.q.items], timeout=10, what="the undone request never came back")  # type: ignore[attr-defined]
            assert screen.q.pending_count() == pending and len(screen.q.session) == 0  # type: ignore[attr-defined]

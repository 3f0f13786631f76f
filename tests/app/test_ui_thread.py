"""What the screens leave off the UI thread: the contacts screen's folding and cleaning of every
contact (126 ms and 123 ms at 30k contacts) is done by the store writer with the read; a key in
its search folds the query once, not once per contact."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.app.conftest import build, settle
from tui.store import Store


class TestContactsScreen:
    async def test_contacts_are_folded_by_the_store_writer(
        self, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from tui.app.screens import contacts as screen
        from tui.app.widgets.lazy_table import LazyTable

        on_ui: list[str] = []
        real = screen.fold

        def fold(text: str) -> str:
            if threading.current_thread() is threading.main_thread():
                on_ui.append(text)
            return real(text)

        monkeypatch.setattr(screen, "fold", fold)
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)
            assert app.screen.query_one(LazyTable).row_count == 42
            assert on_ui == []
            await pilot.press("j")
            await pilot.pause()
            assert on_ui == ["j"]  # the query, once
            assert {row[0] for row in app.screen.query_one(LazyTable).rows} >= {"José Álvarez"}

    async def test_loading_is_said_until_the_contacts_arrive(self, sample_store: Store, tmp_path: Path) -> None:
        from textual.widgets import Static

        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            gate = threading.Event()

            def busy() -> None:
                gate.wait(10)

            app.writer.submit(busy, app)  # the writer is busy: the contacts are not read yet
            await pilot.press("c")
            await pilot.pause()
            assert "Reading the contacts" in str(app.screen.query_one("#contacts-count", Static).visual)
            gate.set()
            await settle(pilot)
            assert "42 of 42 contacts" in str(app.screen.query_one("#contacts-count", Static).visual)


class TestCollector:
    async def test_what_the_triage_screen_loaded_is_left_out_of_the_collectors_sweeps(self, sample_store: Store, tmp_path: Path) -> None:
        """The parsed store and the queue's analysis are millions of long-lived objects at 30k
        contacts; a full sweep of the cyclic GC walks them all (150-290 ms), and one falls inside a
        key now and then: the key's p95 at 30k was 150 ms. Once the queue and its analysis are in,
        they are frozen out of the sweeps (gc.freeze)."""
        import gc

        app = build(sample_store, tmp_path)
        gc.unfreeze()
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await settle(pilot)
                screen = app.screen
                assert screen.analysis is not None
                frozen = gc.get_freeze_count()
                assert frozen > 0
                tracked = {id(o) for generation in range(3) for o in gc.get_objects(generation)}
                assert id(screen.analysis) not in tracked and id(screen.q.items) not in tracked
        finally:
            gc.unfreeze()


class TestAnalysisGivesWay:
    async def test_the_queues_matching_pauses_while_the_user_types(
        self, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The whole queue is matched in the store worker after the first card (seconds at 30k
        contacts), on the UI thread's interpreter: while keys come, it gives way between requests
        (a key's p95 was 62-160 ms while it ran), and runs at full speed again when they stop."""
        import time

        import tui.backlog
        from tui.dedup.match import Matcher

        real = Matcher.all_pending
        paced: list[float] = []

        def watched(self: Matcher, progress: object = None, *args: object, **kwargs: object) -> object:
            assert progress is not None, "the app's matching takes no pace"

            def tick(done: int, total: int) -> None:
                start = time.monotonic()
                progress(done, total)  # type: ignore[operator]
                paced.append(time.monotonic() - start)

            return real(self, tick, *args, **kwargs)

        monkeypatch.setattr(Matcher, "all_pending", watched)
        release = threading.Event()
        real_analyse = tui.backlog.analyse
        monkeypatch.setattr(tui.backlog, "analyse", lambda *a, **k: (release.wait(30), real_analyse(*a, **k))[1])
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("right")  # a key, just before the matching starts
            release.set()
            await settle(pilot)
            assert app.screen.analysis is not None
            assert paced and max(paced) >= 0.001  # it gave way right after the key
            await pilot.pause(0.5)  # no key since: full speed
            start = time.monotonic()
            app.give_way()
            assert time.monotonic() - start < 0.001


class TestFirstCard:
    async def test_the_first_cards_matches_are_found_by_the_store_writer(
        self, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The card drawn from the head cache gets its matches from the key indexes (the `tui add`
        path); that read of the store, and the imports of the matcher, are the writer's, after the
        card's frame: on the UI thread they held the first frame back by 55 ms at 100k contacts."""
        import tui.backlog

        threads: list[bool] = []
        real = tui.backlog.early_matches

        def early(*args, **kwargs):  # type: ignore[no-untyped-def]
            threads.append(threading.current_thread() is threading.main_thread())
            return real(*args, **kwargs)

        monkeypatch.setattr(tui.backlog, "early_matches", early)
        sample_store.record_decision(sample_store.pending()[0].id, "decline")  # queue.head written for the queue as it is
        app = build(Store.open(sample_store.root), tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.screen.started_from_head
            assert threads and not any(threads), threads

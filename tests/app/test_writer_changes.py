"""The user's changes never wait behind the queue's matching: the store writer runs them between
its steps (StoreWriter.between), in their order; reads and caches keep their place after it.
At 100k contacts, an undo pressed while the queue was being matched came back after 17-20 s."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from textual.message import Message

from tests.app.conftest import build, settle, until
from tui.app.writer import StoreWriter
from tui.store import Store


class Inbox:
    """Stands in for the screen a job replies to."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def post_message(self, message: Message) -> bool:
        self.messages.append(message)
        return True


class TestBetweenSteps:
    def test_jobs_queued_behind_a_long_job_run_at_its_steps_in_order_and_optional_ones_keep_their_place(self) -> None:
        writer, inbox, ran = StoreWriter(), Inbox(), []
        thread = threading.Thread(target=writer.run)
        thread.start()
        queued = threading.Event()

        def long_job() -> None:
            ran.append("long: start")
            queued.wait(5)
            for _ in range(3):
                writer.between()
            ran.append("long: end")

        writer.submit(long_job, inbox, optional=True)  # type: ignore[arg-type]
        writer.submit(lambda: ran.append("cache") and None, inbox, optional=True)  # type: ignore[arg-type]
        writer.submit(lambda: ran.append("decline r1") and None, inbox, what="decline r1")  # type: ignore[arg-type]
        writer.submit(lambda: ran.append("read") and None, inbox)  # type: ignore[arg-type]
        writer.submit(lambda: ran.append("undo r1") and None, inbox, what="undo r1")  # type: ignore[arg-type]
        queued.set()
        assert writer.wait_idle(5)
        writer.stop()
        thread.join(5)
        assert ran == ["long: start", "decline r1", "read", "undo r1", "long: end", "cache"]

    def test_between_from_another_thread_runs_nothing(self) -> None:
        writer, inbox, ran = StoreWriter(), Inbox(), []
        writer.submit(lambda: ran.append("decline r1") and None, inbox, what="decline r1")  # type: ignore[arg-type]
        writer.between()  # the UI thread, say: never the writer's jobs
        assert ran == [] and not writer.idle

    def test_a_stop_ends_an_optional_long_job_at_its_next_step_and_drops_optional_jobs_never_changes(self) -> None:
        """Quitting while the queue is matched (17-18 s at 100k contacts before): the matching is a
        read, so it ends at its next step; the changes queued are still saved."""
        writer, inbox, ran = StoreWriter(), Inbox(), []
        thread = threading.Thread(target=writer.run)
        thread.start()
        started = threading.Event()

        def long_job() -> None:
            ran.append("long: start")
            started.set()
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                time.sleep(0.005)
                writer.between()
            ran.append("long: end")

        writer.submit(long_job, inbox, optional=True)  # type: ignore[arg-type]
        assert started.wait(5)
        writer.submit(lambda: ran.append("cache") and None, inbox, optional=True)  # type: ignore[arg-type]
        writer.submit(lambda: ran.append("decline r1") and None, inbox, what="decline r1")  # type: ignore[arg-type]
        began = time.monotonic()
        writer.stop()
        thread.join(5)
        assert not thread.is_alive() and time.monotonic() - began < 2
        assert ran == ["long: start", "decline r1"] and writer.report() is None


def slow_matching(monkeypatch: pytest.MonkeyPatch, done: threading.Event) -> None:
    """The matching of a large queue, step by step: 20 s of steps, or until ``done`` is set."""
    from tui.dedup.match import Matcher

    real = Matcher.all_pending

    def slow(self: Matcher, progress: object = None, *args: object, **kwargs: object) -> object:
        deadline = time.monotonic() + 20
        while not done.is_set() and time.monotonic() < deadline:
            time.sleep(0.005)
            if progress is not None:
                progress(0, 1)  # type: ignore[operator]
        return real(self, progress, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Matcher, "all_pending", slow)


class TestUndoDuringTheMatching:
    async def test_an_undo_comes_back_while_the_queue_is_still_being_matched(
        self, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        undone = threading.Event()
        slow_matching(monkeypatch, undone)
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            await until(pilot, lambda: screen._analysing, what="the matching did not start")  # type: ignore[attr-defined]
            first = screen.q.current.id  # type: ignore[attr-defined]
            await pilot.press("d")
            await until(pilot, lambda: screen.q.current.id != first, what="the decline did not move on")  # type: ignore[attr-defined]
            await pilot.press("u")
            await until(pilot, lambda: screen.q.current.id == first, timeout=5, what="the undo did not bring the card back")  # type: ignore[attr-defined]
            assert screen._analysing  # type: ignore[attr-defined]
            assert Store.open(sample_store.root).get_request(first).status == "pending"
            undone.set()
            await settle(pilot)

    async def test_quitting_while_the_queue_is_matched_ends_at_once_with_the_decision_saved(
        self, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """At 100k contacts, q pressed in the first seconds took 17-18 s to end the app."""
        slow_matching(monkeypatch, threading.Event())
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            await until(pilot, lambda: screen._analysing, what="the matching did not start")  # type: ignore[attr-defined]
            first = screen.q.current.id  # type: ignore[attr-defined]
            await pilot.press("d")
            started = time.monotonic()
            await pilot.press("q")
            await until(pilot, lambda: not app.is_running, timeout=5, what="the app did not end")
        assert time.monotonic() - started < 5 and app.writer.report() is None
        assert Store.open(sample_store.root).get_request(first).status == "declined"


class TestPacedWhileSurnamesAreCompared:
    def test_pace_is_called_while_the_close_surnames_are_worked_out_in_c(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The batch comparison of surnames (rapidfuzz's cdist: seconds at 100k contacts, one call)
        runs in the background while the matching calls ``pace``: before, nothing ran meanwhile."""
        from tui.dedup import match
        from tui.dedup.keys import build
        from tui.models import Contact, Request

        real = match.similar_many

        def slow(*args: object) -> object:
            time.sleep(0.2)
            return real(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(match, "similar_many", slow)
        contacts = build([Contact(id=f"c{i}", name=f"Ann Smith{i}") for i in range(20)])
        pending = build([Request(id="r1", name="Ann Smith1"), Request(id="r2", name="Bob Jones")])
        calls: list[float] = []
        found = match.Matcher(contacts, pending).all_pending(pace=lambda: calls.append(time.monotonic()))
        assert len(calls) >= 5 and [m.other_id for m in found["r1"]][:1] == ["c1"]

    def test_the_paced_comparison_leaves_a_core_to_the_screen(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """On every core, rapidfuzz's cdist starved the UI thread while the app matched the queue:
        at 100k contacts on 2 cores, keys typed 50 ms apart took 30 ms (median), 60-90 ms (p95),
        to move the card on. Paced (the app), one core fewer than the machine has; unpaced (the
        command line, which has nothing to draw), every core."""
        import os

        from tui.dedup import blocking, match
        from tui.dedup.keys import build
        from tui.models import Contact, Request

        workers: list[int] = []
        real = blocking.process.cdist

        def counted(*args: object, **kwargs: object) -> object:
            workers.append(kwargs["workers"])  # type: ignore[arg-type]
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(blocking.process, "cdist", counted)
        contacts = build([Contact(id=f"c{i}", name=f"Ann Smith{i}") for i in range(20)])
        pending = build([Request(id="r1", name="Ann Smith1"), Request(id="r2", name="Bob Jones")])
        match.Matcher(contacts, pending).all_pending(pace=lambda: None)
        assert workers and set(workers) == {max(1, (os.cpu_count() or 1) - 1)}
        workers.clear()
        match.Matcher(contacts, pending).all_pending()
        assert workers and set(workers) == {-1}

    def test_a_matching_ended_at_a_step_leaves_no_thread_comparing_surnames(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A thread left in rapidfuzz's C++ when the interpreter exits aborts the process
        ("FATAL: exception not rethrown", exit -6): it was so after a quit in the matching."""
        from tui.dedup import match
        from tui.dedup.keys import build
        from tui.models import Contact, Request

        chunks: list[int] = []

        def endless(lasts: object, names: object, cancelled: object, workers: int = -1) -> object:
            while not cancelled():  # type: ignore[operator]
                chunks.append(1)
                time.sleep(0.01)
            return {}

        class Quit(Exception):
            pass

        def pace() -> None:
            if len(chunks) > 5:
                raise Quit

        monkeypatch.setattr(match, "similar_many", endless)
        before = set(threading.enumerate())
        contacts = build([Contact(id=f"c{i}", name=f"Ann Smith{i}") for i in range(5)])
        with pytest.raises(Quit):
            match.Matcher(contacts, build([Request(id="r1", name="Ann Smith1")])).all_pending(pace=pace)
        assert set(threading.enumerate()) <= before  # the comparing thread has ended

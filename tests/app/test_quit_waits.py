"""However the app ends, it waits for the last write: a decision still waiting for the store lock
when the app exits (the palette's Quit, or any ``app.exit()``, not only `q`) lands once the lock is
free, and nothing is reported lost (TuiApp.on_unmount: ``writer.wait_idle``). A real holder process."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.app.conftest import build, settle
from tui.store import Store

# Takes the store lock as a writer does, says so, and lets go when told (a line on stdin).
HOLDER = """
import pathlib, sys
from tui.store.lock import store_lock
with store_lock(pathlib.Path(sys.argv[1])):
    print("go", flush=True)
    sys.stdin.readline()
"""


@pytest.fixture
def holder(store: Store) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen([sys.executable, "-P", "-c", HOLDER, str(store.root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "go"
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


async def decline_behind_the_lock(pilot) -> None:  # type: ignore[no-untyped-def]
    """Decline the first card while another process holds the store: the decision waits."""
    await settle(pilot)
    await pilot.press("d")
    await pilot.pause()
    assert not pilot.app.writer.idle, "the decline waits for the holder's lock"


def let_go(holder: subprocess.Popen[str]) -> None:
    assert holder.stdin is not None
    holder.stdin.write("\n")
    holder.stdin.flush()


class TestExitWaitsForTheLastWrite:
    async def test_a_decision_queued_behind_the_lock_lands_when_the_app_exits(
        self, store: Store, tmp_path: Path, holder: subprocess.Popen[str]
    ) -> None:
        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await decline_behind_the_lock(pilot)
            # The holder lets go a moment after the app has begun to exit (while it waits for the writer).
            # (A sleeping thread, not threading.Timer: a Timer's timed wait takes an absolute deadline,
            # which libfaketime moves a year away when the suite runs a year ahead.)
            threading.Thread(target=lambda: (time.sleep(0.5), let_go(holder)), daemon=True).start()
            app.exit()
        assert wait_until(lambda: app.writer.ended, 10)
        assert holder.wait(timeout=10) == 0
        assert app.writer.report() is None
        assert Store.open(store.root).get_request("r1").status == "declined"

    async def test_an_exit_gives_a_lock_that_never_comes_a_few_seconds_then_reports_the_decision(
        self, store: Store, tmp_path: Path, holder: subprocess.Popen[str]
    ) -> None:
        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await decline_behind_the_lock(pilot)
            started = time.monotonic()
            app.exit()
        ended = wait_until(lambda: app.writer.ended, 40)  # `tui triage` (asyncio.run) waits for the writer's thread too
        took = time.monotonic() - started
        assert ended and took < 15, f"the exit waited {took:.0f} s for a lock that never came (the store's lock timeout is 30 s)"
        report = app.writer.report()
        assert report is not None and "decline r1 (Ann Lee)" in report and f"PID {holder.pid}" in report
        let_go(holder)
        assert holder.wait(timeout=10) == 0
        assert Store.open(store.root).get_request("r1").status == "pending"

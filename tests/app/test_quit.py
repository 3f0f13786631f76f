"""Quitting while a decision waits for the store lock (held by a stopped process): the app says so
at once, naming the holder, and never freezes; `q` again quits without saving, and the exit
status and one line on stderr say what was not saved. Real holder processes (setsid, SIGSTOP)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app.conftest import build, notices, settle, until
from tests.pty_session import PtySession
from tests.stress.conftest import HOLDER
from tui.store import Store


@pytest.fixture
def stopped_holder(store: Store) -> Iterator[subprocess.Popen[str]]:
    """A process in its own session holding the store lock, stopped (SIGSTOP)."""
    holder = subprocess.Popen(
        [sys.executable, "-P", "-c", HOLDER, str(store.root)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
        stdin=subprocess.DEVNULL,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "go"
    holder.send_signal(signal.SIGSTOP)
    try:
        yield holder
    finally:
        holder.send_signal(signal.SIGCONT)
        holder.kill()
        holder.wait()


class TestQuitWhileTheLockIsHeld:
    async def test_says_whom_it_waits_for_and_q_again_quits_without_saving(
        self, store: Store, tmp_path: Path, stopped_holder: subprocess.Popen[str]
    ) -> None:
        app = build(store, tmp_path)
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            await pilot.press("d")
            await until(pilot, lambda: not app.writer.idle)  # the decline waits for the lock
            started = time.monotonic()
            await pilot.press("q")
            await until(pilot, lambda: any("q again" in n for n in notices(seen)), timeout=2)  # else the screen froze
            told = [n for n in notices(seen) if "q again" in n]
            assert told and f"PID {stopped_holder.pid}" in told[0] and "waiting for the store" in told[0] and "decline r1" in told[0], (
                notices(seen)
            )
            assert app.is_running
            await pilot.press("q")
            await until(pilot, lambda: not app.is_running, timeout=5)
        assert time.monotonic() - started < 5
        assert app.writer.report() is not None and "decline r1" in app.writer.report()  # type: ignore[operator]
        stopped_holder.send_signal(signal.SIGCONT)
        stopped_holder.kill()
        stopped_holder.wait()
        assert Store.open(store.root).get_request("r1").status == "pending"

    async def test_a_first_q_waits_for_the_lock_and_then_quits_with_everything_saved(
        self, store: Store, tmp_path: Path, stopped_holder: subprocess.Popen[str]
    ) -> None:
        app = build(store, tmp_path)
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            await pilot.press("d", "q")
            await until(pilot, lambda: any("q again" in n for n in notices(seen)), timeout=5)  # the q is handled: it waits
            assert app.is_running
            stopped_holder.send_signal(signal.SIGCONT)
            stopped_holder.kill()  # its lock goes with it
            await until(pilot, lambda: not app.is_running, timeout=5)
        assert app.writer.report() is None
        assert Store.open(store.root).get_request("r1").status == "declined"


def run_triage_on_a_pty(data: Path, keys: list[tuple[str, float]]) -> tuple[int, str, float]:
    """`tui triage` on a pseudo-terminal: each key, then a pause; the exit status, everything it
    wrote (the screen, then stderr after it), and how long it took to end after the last key."""
    session = PtySession(["triage"], {"TUI_DATA_DIR": str(data), "TUI_CONFIG_DIR": str(data.parent / "config"), "TERM": "xterm-256color"})
    try:
        session.read_until(b"Ann Lee")
        for key, pause in keys:
            session.press(key, pause)
        last = time.monotonic()
        while time.monotonic() - last < 10:
            session.read_for(0.1)  # returns at once when the terminal is closed: sleep instead
            done, status = os.waitpid(session.pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status), session.output.decode("utf-8", "replace"), time.monotonic() - last
            time.sleep(0.05)
        os.kill(session.pid, signal.SIGKILL)
        os.waitpid(session.pid, 0)
        raise AssertionError(f"tui triage still running 10 s after the last key: {session.output[-2000:]!r}")
    finally:
        os.close(session.fd)


@pytest.mark.slow
class TestTheExitStatus:
    def test_quit_without_saving_exits_1_naming_what_was_lost(self, store: Store, stopped_holder: subprocess.Popen[str]) -> None:
        code, output, took = run_triage_on_a_pty(store.root, [("d", 1.0), ("q", 1.5), ("q", 0.1)])
        assert code == 1 and took < 5, (code, took)
        line = next(line for line in output.splitlines() if "not saved" in line and "error" in line)
        assert "decline r1" in line and f"PID {stopped_holder.pid}" in line, line

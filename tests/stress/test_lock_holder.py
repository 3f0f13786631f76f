"""A lock held by a stopped process (SIGSTOP, a laptop lid, a debugger): reading goes on as if it
were not there, a writer says within a second whom it waits for, and `tui doctor` names the holder.
Real processes throughout."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import subprocess_env, tui_command
from tests.figures import FIGURES
from tests.stress.conftest import HOLDER, Child, tui
from tui.models import Request
from tui.store import Store, StoreBusy

pytestmark = pytest.mark.slow


@pytest.fixture
def stopped_holder(sample: Path) -> Iterator[Child]:
    holder = Child(HOLDER, str(sample))
    holder.wait_ready()
    holder.proc.send_signal(signal.SIGSTOP)
    try:
        yield holder
    finally:
        if holder.proc.returncode is None:
            holder.proc.send_signal(signal.SIGCONT)
            holder.kill_after(0)


def test_readers_do_not_wait_for_a_stopped_holder(sample: Path, stopped_holder: Child) -> None:
    # Caches that a reader would rebuild: rebuilding them must not need the lock either.
    (sample / "keys.idx").unlink()
    (sample / "queue.head").unlink()
    for args in (["list"], ["list", "--contacts"], ["show", "r2"], ["export", "--format", "json"], ["stats"], ["dedup"]):
        started = time.monotonic()
        result = tui(sample, *args, timeout=20)
        took = time.monotonic() - started
        assert result.returncode == 0, (args, result.stderr)
        assert result.stderr == "" and took < 5, (args, took)
        FIGURES["reads beside a stopped lock holder"] += 1
    assert "Bob Fletcher" in tui(sample, "show", "r1").stdout


def test_a_writer_says_whom_it_waits_for_within_a_second(sample: Path, stopped_holder: Child) -> None:
    pid = stopped_holder.proc.pid
    writer = subprocess.Popen(
        [*tui_command(), "add", "Wanda Waiting"],
        env=subprocess_env(sample),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in writer.stderr], daemon=True).start()  # type: ignore[union-attr]
    started = time.monotonic()
    try:
        line = lines.get(timeout=5)
        waited = time.monotonic() - started
        assert f"waiting for the store lock held by PID {pid} (" in line, line
        assert waited < 2.5, f"told after {waited:.1f} s"  # ~1 s, plus the interpreter's start
        assert writer.poll() is None, "the writer gave up instead of waiting"
    finally:
        stopped_holder.proc.send_signal(signal.SIGCONT)
        stopped_holder.kill_after(0)  # the holder ends: its lock goes with it
    assert writer.wait(timeout=20) == 0
    assert "Wanda Waiting" in tui(sample, "list").stdout
    FIGURES["writers told whom they waited for"] += 1


def test_doctor_names_the_holder_and_is_not_healthy(sample: Path, stopped_holder: Child) -> None:
    pid = stopped_holder.proc.pid
    started = time.monotonic()
    result = tui(sample, "doctor", timeout=20)
    assert time.monotonic() - started < 5
    assert result.returncode == 3, result
    assert f"PID {pid}" in result.stdout and "stopped" in result.stdout
    assert "NOT healthy" in result.stdout and not result.stdout.strip().endswith("\nhealthy")
    report = json.loads(tui(sample, "doctor", "--json").stdout)
    assert report["healthy"] is False and report["lock_holder"]["pid"] == pid and report["lock_holder"]["stopped"] is True


def test_a_writer_that_gives_up_says_who_held_the_lock(sample: Path, stopped_holder: Child) -> None:
    store = Store.open(sample, lock_timeout=1.5)
    told: list[str] = []
    store.on_lock_wait = lambda holder: told.append(str(holder))
    with pytest.raises(StoreBusy) as info:
        store.add_request(Request(name="Never"))
    assert f"PID {stopped_holder.proc.pid}" in str(info.value) and "nothing was changed" in str(info.value)
    assert told and f"PID {stopped_holder.proc.pid}" in told[0]

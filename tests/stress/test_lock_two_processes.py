"""The store lock between two real processes (tui.fileio.ProcessLock, as tui.store.lock takes it):
one holder at a time, the waiter told who holds it, a lock that dies with its holder, and no lost
update when two processes read, change and write one file under it."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.stress.conftest import Child
from tui.fileio import LockTimeout
from tui.store.lock import store_lock

# Takes the lock, says so, and holds it until a line comes on stdin (or it is killed).
HOLDER = """
import pathlib, sys
from tui.store.lock import store_lock
with store_lock(pathlib.Path(sys.argv[1])):
    print("go", flush=True)
    sys.stdin.readline()
print("released", flush=True)
"""

# Adds 1 to the number in counter.txt, n times, each time under the lock, with a pause between
# the read and the write: without the lock, two such processes lose each other's additions.
COUNTER = """
import pathlib, sys, time
from tui.store.lock import store_lock
root, n = pathlib.Path(sys.argv[1]), int(sys.argv[2])
counter = root / "counter.txt"
print("go", flush=True)
for _ in range(n):
    with store_lock(root):
        value = int(counter.read_text())
        time.sleep(0.002)
        counter.write_text(str(value + 1))
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    root.mkdir()
    return root


@pytest.fixture
def holder(root: Path) -> Iterator[Child]:
    holder = Child(HOLDER, str(root), stdin=True)
    holder.wait_ready()
    yield holder
    if holder.proc.poll() is None:
        holder.kill_after(0)


def test_one_holder_at_a_time_and_the_waiter_is_told_who(root: Path, holder: Child) -> None:
    lock = store_lock(root, timeout=0.3)
    assert not lock.try_acquire()
    with pytest.raises(LockTimeout) as caught:
        lock.acquire()
    assert caught.value.holder is not None and caught.value.holder.pid == holder.proc.pid
    assert holder.finish() == ""
    assert lock.try_acquire()  # free once the holder has let go
    lock.release()


def test_the_lock_dies_with_its_holder(root: Path, holder: Child) -> None:
    assert not store_lock(root).try_acquire()
    holder.proc.send_signal(signal.SIGKILL)
    holder.proc.wait()
    lock = store_lock(root, timeout=5)
    started = time.monotonic()
    lock.acquire()
    assert time.monotonic() - started < 1
    lock.release()


def test_two_processes_changing_one_file_under_the_lock_lose_nothing(root: Path) -> None:
    (root / "counter.txt").write_text("0")
    rounds = 60
    procs = [
        subprocess.Popen([sys.executable, "-P", "-c", COUNTER, str(root), str(rounds)], stdout=subprocess.PIPE, text=True) for _ in range(2)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "go"
    for proc in procs:
        assert proc.wait(timeout=60) == 0
    assert int((root / "counter.txt").read_text()) == 2 * rounds

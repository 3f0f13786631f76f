"""Helpers for the stress suite: child processes that say when they are ready, and the figures the
suite measured, printed at the end of every run (the issue asks for them in the closing note)."""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT, subprocess_env, tui_command
from tui.sample import SAMPLE_FILES

READY = "go"

# Takes the store lock as a writer does (inside a transaction, the lock file naming its PID), says
# so, then waits to be stopped.
HOLDER = """
import sys, time
from tui.store import Store
store = Store.open(sys.argv[1])
with store._locked():
    print("go", flush=True)
    time.sleep(600)
"""


class Child:
    """A Python child process running ``script``; it prints ``go`` once its imports are done,
    then one line per acknowledged write. Lines are collected by a thread as they arrive."""

    def __init__(self, script: str, *args: str, env: dict[str, str] | None = None, stdin: bool = False) -> None:
        full_env = dict(os.environ, **(env or {}))
        self.proc = subprocess.Popen(
            [sys.executable, "-P", "-c", script, *args],
            env=full_env,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.acked: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put(None)

    def wait_ready(self, timeout: float = 60.0) -> None:
        line = self.lines.get(timeout=timeout)
        if line != READY:
            stderr = self.proc.stderr.read() if self.proc.stderr else ""
            raise AssertionError(f"child did not start: {line!r} {stderr}")

    def wait_acks(self, count: int, timeout: float = 60.0) -> None:
        """Until ``count`` writes are acknowledged: a kill timed from here lands among writes however
        slow the machine is, not before the first one."""
        while len(self.acked) < count:
            line = self.lines.get(timeout=timeout)
            if line is None:
                self.lines.put(None)
                raise AssertionError(f"the child exited after {len(self.acked)} writes")
            if line:
                self.acked.append(line)

    def kill_after(self, delay: float) -> bool:
        """SIGKILL after ``delay`` seconds unless it has already exited. True when it was killed."""
        try:
            self.proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self._reader.join()
        while (line := self.lines.get()) is not None:
            if line:
                self.acked.append(line)
        return self.proc.returncode == -signal.SIGKILL

    def finish(self, timeout: float = 120.0) -> str:
        """Close its stdin, wait for a normal exit; return stderr."""
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        assert self.proc.stderr is not None
        stderr = self.proc.stderr.read()  # the reader thread owns stdout
        self.proc.wait(timeout=timeout)
        self._reader.join()
        while (line := self.lines.get()) is not None:
            if line:
                self.acked.append(line)
        return stderr


def tui(data: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The installed ``tui`` on ``data``, as a user's shell runs it."""
    return subprocess.run(
        [*tui_command(), *args], env=subprocess_env(data), capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """The sample world imported file by file by real `tui` processes, and r1 accepted."""
    data = tmp_path / "data"
    for name, kind in SAMPLE_FILES:
        assert tui(data, "import", str(ROOT / "sample_data" / name), *(["--as", kind] if kind else [])).returncode == 0
    assert tui(data, "decide", "r1", "accept").returncode == 0
    return data


@contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A real tmpfs mounted at ``where``. Mounting needs root (CI runs as root); elsewhere the
    test is skipped, with the reason."""
    where.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.fixture
def rng() -> random.Random:
    return random.Random(int(os.environ.get("TUI_STRESS_SEED", "20261127")))


def stray_temps(data: Path) -> list[Path]:
    return list(data.glob(".*.tmp"))

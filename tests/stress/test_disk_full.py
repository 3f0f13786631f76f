"""The disk fills up during a write: by a file-size limit (RLIMIT_FSIZE), and by a real 1 MB tmpfs.

Either way the original files are intact, no temp file is left, the error names the file, and the
next write, once there is room, works.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app.conftest import build, notifications, settle
from tests.conftest import store_bytes, subprocess_env, tui_command
from tests.figures import FIGURES
from tests.stress.conftest import stray_temps, tmpfs
from tui.app.messages import StoreFailed
from tui.sample import load_sample
from tui.store import Store

pytestmark = pytest.mark.slow

BIG_NOTE = "x" * 100_000  # under the 128 KiB limit of one argument


def run_tui(data: Path, *args: str, fsize: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run([*tui_command(), *args], env=subprocess_env(data), capture_output=True, text=True, preexec_fn=limit, timeout=60)


def assert_refused_cleanly(data: Path, before: dict[str, bytes], result: subprocess.CompletedProcess[str], reason: str) -> None:
    # Exit 1 with the message, never killed by SIGXFSZ (-25): the app's own handling of the error.
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    line = result.stderr.strip()
    # The file named is the queue's: queue.json, or its journal when the write was one line for it.
    assert "\n" not in line and re.search(
        rf"{re.escape(str(data))}/queue\.(json|jnl): write failed \({reason}\); the store is unchanged", line
    ), line
    assert store_bytes(data) == before
    assert stray_temps(data) == []
    Store.open(data)  # still opens


def test_file_size_limit_during_add(tmp_path: Path) -> None:
    data = tmp_path / "data"
    load_sample(data)
    before = store_bytes(data)
    limit = max(len(b) for b in before.values()) + 50_000  # the store fits; the store plus the note does not
    result = run_tui(data, "add", "Nora Note", "--message", BIG_NOTE, fsize=limit)
    assert_refused_cleanly(data, before, result, "File too large")
    assert run_tui(data, "add", "Nora Note", "--message", BIG_NOTE).returncode == 0
    assert Store.open(data).requests()[-1].message == BIG_NOTE
    FIGURES["disk-full writes refused with the store intact"] += 1


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MB tmpfs (the RLIMIT_FSIZE test covers the same path where mounting is impossible)."""
    with tmpfs(tmp_path / "small", "1m") as mount:
        yield mount


def fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` until only about ``leave`` bytes are free."""
    filler = disk / "filler"
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    with filler.open("wb") as f, contextlib.suppress(OSError):  # full before the end: that is the point
        f.write(b"\0" * max(0, free - leave))
    return filler


def test_full_tmpfs_during_add_and_during_a_triage_decision(small_disk: Path, tmp_path: Path) -> None:
    data = small_disk / "data"
    load_sample(data)
    filler = fill(small_disk, leave=64 * 1024)
    before = store_bytes(data)
    result = run_tui(data, "add", "Nora Note", "--message", BIG_NOTE)
    assert_refused_cleanly(data, before, result, "No space left on device")
    FIGURES["disk-full writes refused with the store intact"] += 1
    filler.unlink()
    assert run_tui(data, "add", "Nora Note", "--message", BIG_NOTE).returncode == 0


async def test_full_disk_during_a_decision_in_the_app(small_disk: Path, tmp_path: Path) -> None:
    data = small_disk / "data"
    store = load_sample(data)
    store.update_request(store.pending()[0].id, notes=BIG_NOTE)  # the queue file is big: rewriting it needs room
    seen: list[object] = []
    app = build(store, tmp_path)
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await settle(pilot)
        first = app.screen.current.id  # type: ignore[attr-defined]
        fill(small_disk, leave=16 * 1024)
        before = store_bytes(data)
        for key in ("y", "y", "y", "enter"):
            await pilot.press(key)
        await settle(pilot)
        failures = [m for m in seen if isinstance(m, StoreFailed)]
        assert (
            failures and "No space left on device" in failures[0].error and re.search(r"queue\.(json|jnl): write failed", failures[0].error)
        )
        assert app.screen.current.id == first, "the card whose decision did not land is back on screen"  # type: ignore[attr-defined]
        assert store_bytes(data) == before and stray_temps(data) == []
        assert any("Not saved" in (n.title or "") for n in notifications(seen))  # the user is told
    assert Store.open(data).get_request(first).status == "pending"
    FIGURES["disk-full writes refused with the store intact"] += 1

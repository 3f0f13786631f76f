"""A store on a read-only filesystem, or in directories the user may not write: every read works;
every write says in one line why it cannot, and changes nothing. Real `tui` processes."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TUI, store_bytes
from tests.figures import FIGURES
from tests.stress.conftest import tmpfs, tui
from tui.sample import load_sample

pytestmark = pytest.mark.slow

READS = (["list"], ["list", "--contacts"], ["show", "r1"], ["export", "--format", "json"], ["stats"], ["dedup"])
WRITES = (
    ["add", "Ann Lee"],
    ["add", "Cara", "--contact"],
    ["decide", "r2", "decline"],
    ["undo"],
    ["merge", "r3", "c1", "--force"],  # a write: --force, so that the matcher does not refuse the pair first
    ["distinct", "r4", "c2"],
    ["import", str(ROOT / "sample_data" / "requests.csv"), "--as", "requests"],
)


def populate(data: Path) -> None:
    store = load_sample(data)
    store.record_decision("r1", "accept")
    # Caches a reader would like to rebuild: on a read-only store it must do without writing them.
    (data / "keys.idx").unlink()
    (data / "queue.head").unlink()


def check(data: Path, run) -> None:  # type: ignore[no-untyped-def]
    before = store_bytes(data)
    for args in READS:
        result = run(*args)
        assert result.returncode == 0 and "Traceback" not in result.stderr, (args, result.stderr)
        FIGURES["reads of a read-only store"] += 1
    assert "Bob Fletcher" in run("show", "r1").stdout
    for args in WRITES:
        result = run(*args)
        line = result.stderr.strip()
        assert result.returncode == 1, (args, result)
        assert "Traceback" not in result.stderr and "\n" not in line, (args, result.stderr)
        assert line.startswith("error: ") and "cannot be written" in line and "nothing was changed" in line, (args, line)
        FIGURES["writes refused on a read-only store, in one line"] += 1
    doctor = run("doctor")  # the files are fine, but nothing can be written: not healthy
    assert doctor.returncode == 3 and "cannot be written" in doctor.stdout and "NOT healthy" in doctor.stdout, doctor
    assert store_bytes(data) == before


def test_a_read_only_mount(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "mnt", "20m") as mount:
        data = mount / "data"
        populate(data)
        remount = subprocess.run(["mount", "-o", "remount,ro", str(mount)], capture_output=True, text=True)
        if remount.returncode:
            pytest.skip(f"cannot remount the tmpfs read-only: {remount.stderr.strip()}")
        check(data, lambda *args: tui(data, *args))
        assert "Read-only file system" in tui(data, "add", "Ann").stderr


PR_CAPBSET_DROP = 24


def without_privileges() -> None:
    """In the child before exec: as root, drop every capability from the bounding set, so that
    the program runs as a root that file modes bind (root ignores them otherwise)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in range(64):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)


def test_directories_the_user_may_not_write(tmp_path: Path) -> None:
    data = tmp_path / "data"
    populate(data)
    for path in [data, *data.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    env = dict(os.environ, TUI_DATA_DIR=str(data), TUI_CONFIG_DIR=str(tmp_path / "config"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [TUI, *args], env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, preexec_fn=without_privileges
        )

    try:
        probe = subprocess.run(
            [sys.executable, "-c", f"open({str(data / 'probe')!r}, 'w')"], capture_output=True, preexec_fn=without_privileges
        )
        if probe.returncode == 0:
            pytest.skip("file modes do not bind here (privileges could not be dropped), so chmod shows nothing")
        check(data, run)
        assert "Permission denied" in run("add", "Ann").stderr
    finally:
        for path in [data, *data.rglob("*")]:
            path.chmod(0o700 if path.is_dir() else 0o600)

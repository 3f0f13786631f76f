"""The guardrails CI runs: ruff (lint and format) and mypy, with the settings in pyproject.toml, on
the checkout these tests came from (tests run against the installed wheel; the tools read the
source tree). Skipped where the tests run outside a checkout."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TREES = ["tui", "tests", "bench"]

pytestmark = pytest.mark.skipif(
    not (ROOT / "pyproject.toml").is_file() or not (ROOT / "tui").is_dir(),
    reason="not run from a checkout: no pyproject.toml and tui/ beside tests/",
)


def run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    exe = BIN / tool
    if not exe.is_file():
        pytest.skip(f"{tool} is not installed beside {sys.executable} (pip install '.[test]')")
    return subprocess.run([str(exe), *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_check_is_clean() -> None:
    result = run("ruff", "check", "--no-cache", "--output-format", "concise", *TREES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_leaves_every_file_as_it_is() -> None:
    result = run("ruff", "format", "--check", "--no-cache", *TREES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean(tmp_path_factory: pytest.TempPathFactory) -> None:
    # A cache of our own (not .mypy_cache in the checkout, which a parallel worker may be writing).
    cache = tmp_path_factory.getbasetemp() / "mypy-cache"
    started = time.monotonic()
    result = run("mypy", "--cache-dir", str(cache), "--no-error-summary")
    took = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert took < 120, f"mypy took {took:.0f} s"

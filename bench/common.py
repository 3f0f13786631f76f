"""Helpers shared by the benchmark scripts: timing, medians and the result line."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NEUTRAL_CWD = tempfile.mkdtemp(prefix="tui-bench-cwd-")
"""An empty directory to run ``python -c`` in: run from the checkout, it would import the
checkout's ``tui`` (which has no themes beside it) instead of the installed one."""


def wall(cmd: Sequence[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env, cwd=NEUTRAL_CWD)
    return time.perf_counter() - start


def interleaved(runs: int, *cmds: Callable[[], float]) -> list[list[float]]:
    """Time each callable ``runs`` times, alternating, so machine noise hits all of them alike."""
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(runs):
        for slot, cmd in zip(times, cmds, strict=True):
            slot.append(cmd())
    return times


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def report(name: str, measured: str, target: str, ok: bool) -> bool:
    print(f"{name:<44} {measured:<34} target {target:<14} {'PASS' if ok else 'FAIL'}")
    return ok


def plain_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell: byte-code caching on (this sandbox turns it off, which
    would make every run recompile the sources and measure the compiler instead of the app)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def env_for(data: Path) -> dict[str, str]:
    return plain_env(TUI_DATA_DIR=str(data), TUI_CONFIG_DIR=str(data / "config"))


def tui_cmd() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m tui``."""
    script = Path(sys.executable).with_name("tui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui"]

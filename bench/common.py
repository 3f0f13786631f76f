"""Helpers shared by the benchmark scripts: processes timed from outside, sizes, medians, results.

Every figure is measured the way a user meets it: the installed ``tui`` started as a new process
(the TUI on a real pseudo-terminal, :mod:`bench.terminal`), at the three sizes of
:data:`bench.worlds.SIZES`, beside a baseline timed in the same run, alternating with it. Each
script prints one line per figure and size (median, p95, runs, the ratio to its floor, the target,
the load average) and the growth between the sizes, and saves the same to
``bench/results/<script>.json`` for ``bench/table.py``, which turns them into the README's table.

Run the scripts with the interpreter of a venv where tui is *installed* (``pip install .``, not
``-e``): the checkout goes on ``sys.path`` after site-packages, so ``import tui`` is the installed
package, and :func:`tui_cmd` is the console script beside that interpreter.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Where each script saves its figures ($TUI_BENCH_RESULTS, else bench/results/).
RESULTS = Path(os.environ.get("TUI_BENCH_RESULTS") or ROOT / "bench" / "results")

NEUTRAL_CWD = tempfile.mkdtemp(prefix="tui-bench-cwd-")
"""An empty directory to run every child in: run from the checkout, ``python -c`` would import the
checkout's ``tui`` (which has no themes beside it) instead of the installed one."""

#: The floor of a cold command: the interpreter and the three libraries any tui command stands on.
FLOOR = (sys.executable, "-c", "import typer, tinydb, rapidfuzz")
TIME = Path("/usr/bin/time")


def wall(cmd: Sequence[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env, cwd=NEUTRAL_CWD)
    return time.perf_counter() - start


@dataclass
class Run:
    seconds: float
    peak_mib: float
    code: int
    stdout: bytes = b""


def spawn(cmd: Sequence[str], env: dict[str, str] | None = None, check: bool = True, stdin: bytes | None = None) -> Run:
    """Run ``cmd`` as a new process in :data:`NEUTRAL_CWD`: its wall time from spawn to exit, its
    output and its peak resident memory. The peak comes from GNU time (``/usr/bin/time -f %M``),
    which starts the command from its own small process: Linux carries the peak of the process that
    calls exec into the new program's, so a command started straight from this (large) benchmark
    would report the benchmark's size."""
    env = plain_env() if env is None else env
    fd, peak_file = tempfile.mkstemp(prefix="tui-bench-peak-")
    os.close(fd)
    full = [str(TIME), "-f", "%M", "-o", peak_file, *cmd] if TIME.exists() else list(cmd)
    read_out, write_out = os.pipe()
    actions: list[tuple[int, ...]] = [(os.POSIX_SPAWN_DUP2, write_out, 1), (os.POSIX_SPAWN_CLOSE, read_out)]
    read_in = write_in = -1
    if stdin is not None:
        read_in, write_in = os.pipe()
        actions += [(os.POSIX_SPAWN_DUP2, read_in, 0), (os.POSIX_SPAWN_CLOSE, write_in)]
    else:
        actions.append((os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0))
    here = os.getcwd()
    os.chdir(NEUTRAL_CWD)  # posix_spawn has no cwd of its own; the child starts in ours
    try:
        start = time.perf_counter()
        pid = os.posix_spawnp(full[0], full, env, file_actions=actions)
    finally:
        os.chdir(here)
    os.close(write_out)
    if stdin is not None:
        os.close(read_in)
        os.write(write_in, stdin)
        os.close(write_in)
    chunks = []
    while chunk := os.read(read_out, 1 << 16):
        chunks.append(chunk)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    os.close(read_out)
    code = os.waitstatus_to_exitcode(status)
    try:
        peak = float(Path(peak_file).read_text().split()[-1]) / 1024 if TIME.exists() else usage.ru_maxrss / 1024
    except (IndexError, ValueError):  # GNU time writes "Command exited with non-zero status N" first
        peak = usage.ru_maxrss / 1024
    os.unlink(peak_file)
    if check and code != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {code}")
    return Run(seconds, peak, code, b"".join(chunks))


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


def load() -> float:
    """The machine's load average over the last minute (2 cores; other work runs beside)."""
    return os.getloadavg()[0]


def report(name: str, measured: str, target: str, ok: bool) -> bool:
    print(f"{name:<44} {measured:<34} target {target:<14} {'PASS' if ok else 'FAIL'}")
    return ok


def plain_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell: byte-code caching on (this sandbox turns it off, which
    would make every run recompile the sources and measure the compiler instead of the app), and
    output buffered (this sandbox sets PYTHONUNBUFFERED, which makes every line a system call)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")}
    env.update(extra)
    return env


def env_for(data: Path) -> dict[str, str]:
    return plain_env(TUI_DATA_DIR=str(data), TUI_CONFIG_DIR=str(data / "config"))


def tui_cmd() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m tui``."""
    script = Path(sys.executable).with_name("tui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui"]


# -- what every script prints and records ------------------------------------------------------


@dataclass
class Figure:
    """One measured figure at one size, as the README's table shows it."""

    figure: str
    size: str
    measured: float
    unit: str
    floor: float | None
    """The baseline timed in the same run (None: the target is absolute)."""
    floor_name: str
    target: float
    """The most the ratio (with a floor) or the measured value (without) may be."""
    runs: int
    p95: float | None = None
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)
    load: float = field(default_factory=load)
    """The load average when the figure was taken."""
    when: str = field(default_factory=lambda: time.strftime("%Y-%m-%d %H:%M"))

    @property
    def ratio(self) -> float | None:
        return self.measured / self.floor if self.floor else None

    @property
    def ok(self) -> bool:
        value = self.ratio if self.ratio is not None else self.measured
        return value <= self.target

    def line(self) -> str:
        measured = f"{fmt(self.measured)} {self.unit}" + (f" (p95 {fmt(self.p95)})" if self.p95 is not None else "")
        if self.floor is not None:
            against = f"{self.ratio:.2f}x {self.floor_name} {fmt(self.floor)} {self.unit}"
            target = f"<= {self.target:g}x"
        else:
            against = self.floor_name
            target = f"<= {self.target:g} {self.unit}"
        verdict = "PASS" if self.ok else "FAIL"
        return f"{self.figure:<38} {self.size:>5}  {measured:<24} {against:<40} {target:<10} {verdict}  n={self.runs} load {self.load:.1f}"


def fmt(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


class Recorder:
    """Prints figures as they come, the growth between sizes, and saves them for bench/table.py."""

    def __init__(self, script: str) -> None:
        self.script = script
        self.figures: list[Figure] = []

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        print(figure.line(), flush=True)
        if figure.note:
            print(f"    {figure.note}", flush=True)
        return figure

    def growth(self) -> None:
        """For each figure measured at more than one size: how it grew from the smallest."""
        by_name: dict[str, list[Figure]] = {}
        for f in self.figures:
            by_name.setdefault(f.figure, []).append(f)
        for name, figures in by_name.items():
            if len(figures) > 1 and figures[0].measured:
                base = figures[0]
                steps = ", ".join(f"{f.size} {f.measured / base.measured:.2f}x" for f in figures[1:])
                print(f"  growth of {name!r} from {base.size}: {steps}")

    def save(self) -> bool:
        """Write the figures to ``bench/results/<script>.json``, over those of the same figure and
        size from an earlier run; the others saved there (another size, run apart) are kept."""
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{self.script}.json"
        new = [asdict(f) | {"ratio": f.ratio, "ok": f.ok} for f in self.figures]
        measured = {(f["figure"], f["size"]) for f in new}
        kept = json.loads(path.read_text())["figures"] if path.exists() else []
        doc = {
            "script": self.script,
            "when": time.strftime("%Y-%m-%d %H:%M"),
            "python": sys.version.split()[0],
            "cores": os.cpu_count(),
            "figures": [f for f in kept if (f["figure"], f["size"]) not in measured] + new,
        }
        path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
        self.growth()
        return all(f.ok for f in self.figures)


def options(doc: str | None, runs: int, sizes: str = "1k,30k,100k") -> argparse.Namespace:
    """``--sizes 1k,30k`` and ``--runs N``, common to every script."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=sizes, help=f"comma-separated, of 1k, 30k, 100k (default {sizes})")
    parser.add_argument("--runs", type=int, default=runs, help=f"paired runs per figure (default {runs})")
    args = parser.parse_args()
    args.sizes = [s for s in args.sizes.split(",") if s]
    return args


def warm(*cmds: tuple[Sequence[str], dict[str, str]]) -> None:
    """Run each command twice, untimed: byte-code written, the page cache warm, as any installed
    app that has run before."""
    for _ in range(2):
        for cmd, env in cmds:
            spawn(cmd, env, check=False)


def cold_ratio(
    rec: Recorder,
    figure: str,
    size: str,
    runs: int,
    cmd: Callable[[int], Sequence[str]],
    env: dict[str, str],
    target: float,
    before: Callable[[int], None] | None = None,
) -> Figure:
    """``cmd(i)`` as a new process against the floor, alternating, ``runs`` pairs: median wall
    times, the p95 and the ratio. ``before(i)`` runs untimed before each timed run."""
    floors, times, peaks = [], [], []
    for i in range(runs):
        floors.append(spawn(FLOOR).seconds)
        if before is not None:
            before(i)
        run = spawn(cmd(i), env)
        times.append(run.seconds)
        peaks.append(run.peak_mib)
    return rec.add(
        Figure(
            figure,
            size,
            median(times) * 1000,
            "ms",
            median(floors) * 1000,
            "floor",
            target,
            runs,
            p95=percentile(times, 95) * 1000,
            extra={"peak_mib": max(peaks)},
        )
    )

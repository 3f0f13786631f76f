"""Two (or more) installed versions of tui, the same cold commands, the same world, one run: each
command as a new process, the floor (``python -c "import typer, tinydb, rapidfuzz"``) and every
version in turn, so that machine noise hits them alike. For measuring a change: install the code
before it in one venv and after it in another, then

    python bench/compare.py --tui before=/venv-a/bin/tui --tui after=/venv-b/bin/tui --sizes 100k

prints, per command and size, each version's median and p95, its ratio to the floor, and its
median peak memory; then each version's change from the first. The imports run each time on a
fresh (hard-linked) copy of the world, or into an empty store. Saved as bench/results/compare.json
(not part of the README's table).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.common import FLOOR, Figure, Recorder, env_for, median, percentile, spawn, warm
from bench.worlds import SIZES, connections_csv, world

#: name -> (arguments for the n-th run of a world with p pending requests, an untimed command to
#: run before it or None). decide takes requests from the first half of the queue, undo from the second.
Args = Callable[[int, int], list[str]]
COMMANDS: dict[str, tuple[Args, Args | None]] = {
    "show": (lambda n, p: ["show", f"r{1 + 7 * n % p}"], None),
    "list --status pending": (lambda n, p: ["list", "--status", "pending"], None),
    "decide": (lambda n, p: ["decide", f"r{1 + n % (p // 2)}", "decline"], None),
    "undo": (lambda n, p: ["undo", f"r{1 + p // 2 + n % (p // 2)}"], lambda n, p: ["decide", f"r{1 + p // 2 + n % (p // 2)}", "accept"]),
    "add": (lambda n, p: ["add", f"Compare Person {n}", "--company", "Acme Ltd", "--email", f"cmp{n}@example.org"], None),
    "add --contact": (lambda n, p: ["add", "--contact", f"Compare Contact {n}", "--email", f"cmpc{n}@example.org"], None),
    "query": (lambda n, p: ["query", "smith"], None),
    # Each on a fresh copy of the world (see FRESH): 3k new people, then 30k into an empty store.
    "import 3k": (lambda n, p: ["import", "{csv3k}"], None),
    "import 30k (empty store)": (lambda n, p: ["import", "{csv30k}"], None),
}
#: Commands that run on a fresh copy of the world each time (a hard-linked copy: untimed, quick),
#: or on an empty data directory.
FRESH = {"import 3k": "world", "import 30k (empty store)": "empty"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tui", action="append", required=True, help="NAME=PATH of an installed tui console script (twice or more)")
    parser.add_argument("--sizes", default="100k", help="comma-separated, of 1k, 30k, 100k (default 100k)")
    parser.add_argument("--runs", type=int, default=11, help="runs of each version per command (default 11)")
    parser.add_argument("--commands", default=",".join(COMMANDS), help=f"comma-separated, of: {', '.join(COMMANDS)}")
    args = parser.parse_args()
    versions = dict(spec.split("=", 1) for spec in args.tui)
    rec = Recorder("compare")
    for size in args.sizes.split(","):
        pending = SIZES[size][1]
        with tempfile.TemporaryDirectory() as tmp:
            data = world(size, Path(tmp) / "data")
            env = env_for(data)
            warm(*[([path, "show", "r1"], env) for path in versions.values()])
            files = {"{csv3k}": Path(tmp) / "Connections-3k.csv", "{csv30k}": Path(tmp) / "Connections-30k.csv"}
            files["{csv3k}"].write_bytes(connections_csv(3_000, seed=4))
            files["{csv30k}"].write_bytes(connections_csv(30_000, seed=3))
            for command in args.commands.split(","):
                argv, before = COMMANDS[command]
                fresh = FRESH.get(command)
                floors: list[float] = []
                times: dict[str, list[float]] = {name: [] for name in versions}
                peaks: dict[str, list[float]] = {name: [] for name in versions}
                for i in range(args.runs):
                    floors.append(spawn(FLOOR).seconds)
                    order = list(versions.items())
                    order = order[i % len(order) :] + order[: i % len(order)]  # each goes first in turn
                    for k, (name, path) in enumerate(order):
                        n = i * len(order) + k
                        if fresh is not None:
                            env = env_for(Path(tmp) / f"fresh-{n}")
                            if fresh == "world":
                                world(size, Path(tmp) / f"fresh-{n}")
                        if before is not None:
                            spawn([path, *before(n, pending)], env)
                        run = spawn([path, *[str(files.get(a, a)) for a in argv(n, pending)]], env)
                        if fresh is not None:
                            shutil.rmtree(Path(tmp) / f"fresh-{n}", ignore_errors=True)
                            env = env_for(data)
                        times[name].append(run.seconds)
                        peaks[name].append(run.peak_mib)
                first = None
                for name in versions:
                    figure = rec.add(
                        Figure(
                            f"cold tui {command} [{name}]",
                            size,
                            median(times[name]) * 1000,
                            "ms",
                            median(floors) * 1000,
                            "floor",
                            99.0,
                            args.runs,
                            p95=percentile(times[name], 95) * 1000,
                            extra={"peak_mib": median(peaks[name])},
                        )
                    )
                    first = first or figure
                    print(
                        f"    peak {median(peaks[name]):.0f} MiB; vs {next(iter(versions))}: "
                        f"{figure.measured - first.measured:+.0f} ms ({figure.measured / first.measured - 1:+.1%})"
                    )
    rec.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The reading commands a script calls, each a new process, at the three sizes, against the floor
(``python -c "import typer, tinydb, rapidfuzz"``) timed alternately: `tui show r<n>` and
`tui list --status pending` (every pending request, one line each, to a pipe).
Target: at most 1.5x the floor at 30k / 5k (and 1k), 2x at 100k / 20k.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.common import Recorder, cold_ratio, env_for, options, tui_cmd, warm
from bench.worlds import SIZES, world

TARGET = {"1k": 1.5, "30k": 1.5, "100k": 2.0}


def main() -> int:
    args = options(__doc__, runs=11)
    rec = Recorder("commands")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            data = world(size, Path(tmp) / "data")
            env = env_for(data)
            warm(([*tui_cmd(), "show", "r1"], env))
            pending, runs = SIZES[size][1], args.runs
            cold_ratio(
                rec, "cold tui show", size, runs, lambda i, n=pending // runs: [*tui_cmd(), "show", f"r{1 + i * n}"], env, TARGET[size]
            )
            cold_ratio(
                rec,
                "cold tui list --status pending",
                size,
                args.runs,
                lambda i: [*tui_cmd(), "list", "--status", "pending"],
                env,
                TARGET[size],
            )
    return 0 if rec.save() else 1


if __name__ == "__main__":
    sys.exit(main())

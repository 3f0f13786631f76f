"""The reading commands a script calls, each a new process, at the three sizes, against the floor
(``python -c "import typer, tinydb, rapidfuzz"``) timed alternately: `tui show r<n>` and
`tui list --status pending` (every pending request, one line each, to a pipe).
Target: at most 1.5x the floor at 30k / 5k (and 1k), 2x at 100k / 20k.

`tui list` starts from requests.rows (tui/store/rows.py), with the journal's changes laid over
them: before each timed list, a `tui decide` (untimed) declines one more pending request, so that
each list has one more change to lay over, as a script that decides and lists would. The first
list after a compaction (or a restore, or an upgrade) finds no rows for the new queue.json and
reads every request: timed too, with requests.rows removed before each run, and reported with the
target it would have (it is one list in each compaction's worth of writes, a quarter of
queue.json: thousands of decisions at 100k).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.common import Recorder, cold_ratio, env_for, options, spawn, tui_cmd, warm
from bench.worlds import SIZES, world
from tui.store.rows import ROWS_FILE

TARGET = {"1k": 1.5, "30k": 1.5, "100k": 2.0}


def decide(request_id: str, env: dict[str, str]) -> None:
    spawn([*tui_cmd(), "decide", request_id, "decline"], env)


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
            listing = [*tui_cmd(), "list", "--status", "pending"]
            warm((listing, env))  # the rows made, as by the first list a user runs
            ids = [line.split()[0] for line in spawn(listing, env).stdout.decode().splitlines()[: 2 * runs]]
            cold_ratio(
                rec,
                "cold tui list --status pending",
                size,
                runs,
                lambda i, listing=listing: listing,
                env,
                TARGET[size],
                before=lambda i, ids=ids, env=env: decide(ids[i], env),
            )
            cold_ratio(
                rec,
                "cold tui list --status pending, no rows",
                size,
                runs,
                lambda i, listing=listing: listing,
                env,
                TARGET[size],
                before=lambda i, rows=data / ROWS_FILE: rows.unlink(missing_ok=True),
            )
    return 0 if rec.save() else 1


if __name__ == "__main__":
    sys.exit(main())

"""`tui import` of a LinkedIn Connections.csv, each a new process, at the three sizes.

1. **30k rows into an empty store**, against ``bench/import_floor.py`` (read the CSV with the csv
   module, a record per row, orjson, fsync) timed alternately. Target: at most 3x.
2. **3k new rows into a world** (1k, 30k / 5k, 100k / 20k), wall time. Target: at most 1 s at
   100k (reported at every size). Peak memory is printed with each.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.common import Figure, Recorder, env_for, median, options, percentile, plain_env, spawn, tui_cmd, warm
from bench.worlds import connections_csv, world

FLOOR_SCRIPT = Path(__file__).with_name("import_floor.py")


def main() -> int:
    args = options(__doc__, runs=5)
    rec = Recorder("import")
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        big, small = scratch / "Connections-30k.csv", scratch / "Connections-3k.csv"
        big.write_bytes(connections_csv(30_000, seed=3))
        small.write_bytes(connections_csv(3_000, seed=4))
        warm(
            ([sys.executable, str(FLOOR_SCRIPT), str(big), str(scratch / "floor.json")], plain_env()),
            ([*tui_cmd(), "--version"], plain_env()),
        )
        floors, times, peaks = [], [], []
        for n in range(args.runs):
            floors.append(spawn([sys.executable, str(FLOOR_SCRIPT), str(big), str(scratch / "floor.json")]).seconds)
            run = spawn([*tui_cmd(), "import", str(big)], env_for(scratch / f"empty{n}"))
            times.append(run.seconds)
            peaks.append(run.peak_mib)
        rec.add(
            Figure(
                "import 30k rows into an empty store",
                "30k",
                median(times) * 1000,
                "ms",
                median(floors) * 1000,
                "floor script",
                3.0,
                args.runs,
                p95=percentile(times, 95) * 1000,
                note=f"peak memory {max(peaks):.0f} MiB",
            )
        )
        for size in args.sizes:
            times, peaks = [], []
            for n in range(args.runs):
                data = world(size, scratch / f"w-{size}-{n}")
                run = spawn([*tui_cmd(), "import", str(small)], env_for(data))
                times.append(run.seconds)
                peaks.append(run.peak_mib)
            rec.add(
                Figure(
                    "import 3k new rows into a world",
                    size,
                    median(times) * 1000,
                    "ms",
                    None,
                    "wall",
                    1000.0,
                    args.runs,
                    p95=percentile(times, 95) * 1000,
                    note=f"peak memory {max(peaks):.0f} MiB",
                )
            )
    return 0 if rec.save() else 1


if __name__ == "__main__":
    sys.exit(main())

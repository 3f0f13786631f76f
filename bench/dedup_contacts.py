"""Speed of `tui dedup --contacts --json`: the whole installed command, from process start to the
last line, at 1k, 30k and 100k contacts, beside a baseline timed in the same run: `tui list
--contacts --json`, which reads and prints every contact and matches nothing. Median of 3 runs
each. Target: the groups among 30k contacts in at most 2 s.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.common import env_for, median, report, tui_cmd
from bench.worlds import make_big_store


def timed(data: Path, *args: str) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run([*tui_cmd(), *args], env=env_for(data), capture_output=True, check=True)
    return time.perf_counter() - start, done.stdout.count(b"\n")


def main(sizes: tuple[int, ...] = (1_000, 30_000, 100_000), runs: int = 3) -> int:
    ok = True
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data"
            make_big_store(data, contacts=size, pending=0)
            timed(data, "dedup", "--contacts", "--json")  # keys.idx built once, as any earlier command would
            groups, base, lines = [], [], 0
            for _ in range(runs):  # interleaved, so both see the same load
                wall, lines = timed(data, "dedup", "--contacts", "--json")
                groups.append(wall)
                base.append(timed(data, "list", "--contacts", "--json")[0])
            g, b = median(groups), median(base)
            target = size == 30_000
            passed = report(
                f"tui dedup --contacts --json, {size:,} contacts",
                f"median {g:.2f} s ({g / b:.2f}x list --contacts {b:.2f} s); {lines} groups",
                "<= 2 s" if target else "(for information)",
                g <= 2.0 or not target,
            )
            ok = ok and passed
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(tuple(int(a) for a in sys.argv[1:]) or (1_000, 30_000, 100_000)))

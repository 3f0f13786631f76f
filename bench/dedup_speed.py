"""Speed of duplicate detection at 30k contacts.

1. The whole ``tui dedup --json`` command, 5k pending requests against 30k contacts and each
   other, from process start to the last line: median of 5 runs, with its CPU time and peak
   memory. Target: at most 2 s wall.
2. The matching alone, in-process (build the matcher from the stored keys, match all): at least
   100x faster than a naive loop of ``process.extractOne`` (rapidfuzz's default WRatio) over the
   contacts' names, timed on 100 requests in the same run and scaled to 5k.
3. One ``tui add`` duplicate check against 30k contacts, in a fresh process once its modules are
   imported (start-up is what bench/add.py measures): load the key index, fold the name, match.
   Target: at most 15 ms.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.common import NEUTRAL_CWD, env_for, median, plain_env, report, tui_cmd
from bench.worlds import make_big_store

ONE_ADD = """
import sys, time
from tui.store import Store
from tui.dedup.keys import person_keys
from tui.dedup.match import quick_match
import rapidfuzz.process
store = Store.open(sys.argv[1])
start = time.perf_counter()
keys = person_keys("Bob Smith", "Acme Ltd", "CEO", "linkedin", ["bob@example.org"], ["https://linkedin.com/in/bob-new"])
found = quick_match(keys, store.contact_keys())
print(time.perf_counter() - start)
"""


def dedup_command(data: Path, runs: int = 5) -> bool:
    """``tui dedup --json`` in a fresh process, start to last line: wall, CPU and peak memory."""
    walls, cpus, lines = [], [], 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([*tui_cmd(), "dedup", "--json"], env=env_for(data), capture_output=True, check=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        lines = done.stdout.count(b"\n")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    ok = report(
        "tui dedup --json, 5k pending x 30k contacts",
        f"median {median(walls):.2f} s wall ({median(cpus):.2f} s CPU)",
        "<= 2 s",
        median(walls) <= 2.0,
    )
    print(f"{'  peak memory':<44} {peak:.0f} MiB; {lines} requests with matches (at most 5 each)")
    return ok


def main() -> int:
    from rapidfuzz import process

    from tui.dedup.match import Matcher, Thresholds
    from tui.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        make_big_store(data, contacts=30_000, pending=5_000)
        store = Store.open(data)
        store.contact_keys()  # built once, as after any import
        ok = dedup_command(data)
        start = time.perf_counter()
        matcher = Matcher(store.contact_keys(), store.pending_keys(), Thresholds(), store.distinct_pairs())
        found = matcher.all_pending()
        ours = time.perf_counter() - start
        names = [c.name for c in store.contacts()]
        sample = [r.name for r in store.pending()[:100]]
        start = time.perf_counter()
        for name in sample:
            process.extractOne(name, names)
        naive = (time.perf_counter() - start) * 5_000 / len(sample)
        ok &= report(
            "matching alone, 5k x 30k, in-process",
            f"{ours:.2f} s, {naive / ours:.0f}x a naive extractOne loop ({naive:.0f} s)",
            ">= 100x",
            naive / ours >= 100,
        )
        print(f"{'  matches found':<44} {sum(len(v) for v in found.values())} for {len(found)} requests")
        env = plain_env()
        runs = [
            float(
                subprocess.run(
                    [sys.executable, "-c", ONE_ADD, str(data)], env=env, capture_output=True, text=True, check=True, cwd=NEUTRAL_CWD
                ).stdout
            )
            for _ in range(7)
        ]
        ok &= report(
            "one tui add check vs 30k contacts, in-process",
            f"median {median(runs) * 1000:.1f} ms (fresh process)",
            "<= 15 ms",
            median(runs) <= 0.015,
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

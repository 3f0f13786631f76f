"""Time for one decision to become durable (fsynced and renamed) at 30k contacts / 5k pending.

Measured through the store exactly as the app uses it: one long-lived handle, a decision per
card. The baseline is the bare cost of an atomic, fsynced write of the same queue file, measured
in the same run: the gap between the two is the store's own overhead.
Target: median at most 50 ms.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.common import median, percentile, report
from bench.worlds import make_big_store
from tui.fileio import atomic_write

DECISIONS = 40


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        store = make_big_store(Path(tmp) / "data", contacts=30_000, pending=5_000)
        queue = [r.id for r in store.pending()[:DECISIONS]]
        timings, bare = [], []
        payload = (store.root / "queue.json").read_bytes()
        for i, request_id in enumerate(queue):
            start = time.perf_counter()
            store.record_decision(request_id, "accept" if i % 2 else "decline", {"drink": bool(i % 2)})
            timings.append(time.perf_counter() - start)
            start = time.perf_counter()
            atomic_write(Path(tmp) / "bare.json", payload)
            bare.append(time.perf_counter() - start)
    med, p95, base = median(timings) * 1000, percentile(timings, 95) * 1000, median(bare) * 1000
    return (
        0
        if report(
            "decision durable, 30k contacts / 5k pending",
            f"median {med:.1f} ms, p95 {p95:.1f} ms ({med / base:.2f}x bare write {base:.1f} ms)",
            "<= 50 ms",
            med <= 50,
        )
        else 1
    )


if __name__ == "__main__":
    sys.exit(main())

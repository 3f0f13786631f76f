"""A decision, at the three sizes: durable in-process, and `tui decide` / `tui undo` from outside.

1. **Durable, in-process**: one long-lived store, as the app's writer holds it; each call to
   ``record_decision`` returns once the decision is on disk. Beside it, timed in the same loop:
   appending a line to a file with fsync and an atomic small-file write (temp file, fsync, rename,
   fsync of the directory); after the loop, for information, an atomic write of a copy of the
   world's whole ``queue.json``, which the JSON layout rewrote on every decision (not inside the
   loop: the megabytes it leaves to commit would be waited for by the next decision's fsync). Target: median at most 3 ms at every
   size, and flat: the largest size at most 1.5x the smallest. The steady state: the day's first
   decision, which copies the data into a daily backup, is timed on its own (and its copy written
   out before the loop, else the next decisions' fsyncs would write it out).
2. **Cold `tui decide r<n> decline`** and **`tui undo r<n>`**, each a new process, against the
   floor (``python -c "import typer, tinydb, rapidfuzz"``) alternating with it. Target: at most
   1.5x at 30k / 5k, 2x at 100k / 20k (1k: 1.5x).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.common import Figure, Recorder, cold_ratio, env_for, median, options, percentile, spawn, tui_cmd, warm
from bench.worlds import world
from tui.fileio import atomic_write

DECISIONS = 60
COLD_TARGET = {"1k": 1.5, "30k": 1.5, "100k": 2.0}


def in_process(rec: Recorder, size: str, data: Path, scratch: Path) -> Figure:
    from tui.store import Store

    store = Store.open(data)
    queue = [r.id for r in store.pending()[: DECISIONS + 5]]
    start = time.perf_counter()
    store.record_decision(queue[0], "decline")  # the day's first write: it copies the data into a daily backup
    first_of_day = time.perf_counter() - start
    for request_id in queue[1:5]:  # the first writes of a process are not the steady state
        store.record_decision(request_id, "decline")
    # The daily copy's pages would otherwise be written out inside the timed decisions' fsyncs
    # (ext4 writes a file's new blocks before the metadata that the next fsync commits): that is
    # the day's first decision's cost, reported beside the figure, not the steady state's.
    start = time.perf_counter()
    os.sync()
    written_out = time.perf_counter() - start
    timings, appends, small, whole = [], [], [], []
    queue_bytes = (data / "queue.json").read_bytes()
    line = b'{"request_id": "r123", "action": "accept", "at": "2026-11-20T09:30:00Z", "answers": {"drink": true}}\n'
    fd = os.open(scratch / "journal", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    for i, request_id in enumerate(queue[5:]):
        start = time.perf_counter()
        store.record_decision(request_id, "accept" if i % 2 else "decline", {"drink": bool(i % 2)})
        timings.append(time.perf_counter() - start)
        start = time.perf_counter()
        os.write(fd, line)
        os.fsync(fd)
        appends.append(time.perf_counter() - start)
        start = time.perf_counter()
        atomic_write(scratch / "small.json", line * 10)
        small.append(time.perf_counter() - start)
    os.close(fd)
    # Apart, after: each write of the whole queue leaves megabytes for the file system to commit,
    # which the next decision's fsync would wait for (interleaved, it made the decision itself
    # look 1.5x slower at 30k and 100k than at 1k, where the copy is 0.1 MiB).
    for _ in range(max(5, len(timings) // 6)):
        start = time.perf_counter()
        atomic_write(scratch / "queue.json", queue_bytes)
        whole.append(time.perf_counter() - start)
    return rec.add(
        Figure(
            "decision durable, in-process",
            size,
            median(timings) * 1000,
            "ms",
            None,
            f"append+fsync {median(appends) * 1000:.2f} ms, atomic small write {median(small) * 1000:.2f} ms",
            3.0,
            len(timings),
            p95=percentile(timings, 95) * 1000,
            note=(
                f"an atomic write of the whole queue.json ({len(queue_bytes) / 2**20:.1f} MiB), as the JSON layout did per decision: "
                f"{median(whole) * 1000:.1f} ms; the day's first decision (the daily backup's copy) {first_of_day * 1000:.0f} ms, "
                f"and writing that copy out {written_out * 1000:.0f} ms"
            ),
            extra={
                "first_of_day_ms": first_of_day * 1000,
                "daily_copy_written_out_ms": written_out * 1000,
                "append_fsync_ms": median(appends) * 1000,
                "atomic_small_ms": median(small) * 1000,
                "atomic_queue_ms": median(whole) * 1000,
            },
        )
    )


def cold(rec: Recorder, size: str, runs: int, env: dict[str, str]) -> None:
    """Cold `tui decide` and `tui undo` against the floor: each undo takes back a decision made
    (untimed) just before it."""
    listed = spawn([*tui_cmd(), "list", "--status", "pending"], env).stdout.decode().splitlines()
    pending = [line.split()[0] for line in listed][: 2 * runs + 4]
    cold_ratio(rec, "cold tui decide", size, runs, lambda i: [*tui_cmd(), "decide", pending[i], "decline"], env, COLD_TARGET[size])
    undone = iter(pending[runs : 2 * runs])
    targets: list[str] = []

    def decide_first(i: int) -> None:
        targets.append(next(undone))
        spawn([*tui_cmd(), "decide", targets[-1], "accept"], env)

    cold_ratio(rec, "cold tui undo", size, runs, lambda i: [*tui_cmd(), "undo", targets[i]], env, COLD_TARGET[size], before=decide_first)


def main() -> int:
    args = options(__doc__, runs=11)
    rec = Recorder("decide")
    durable = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            data = world(size, Path(tmp) / "data")
            durable.append(in_process(rec, size, data, Path(tmp)))
            env = env_for(data)
            warm(([*tui_cmd(), "show", "r1"], env))
            cold(rec, size, args.runs, env)
    if len(durable) > 1:
        growth = durable[-1].measured / durable[0].measured
        rec.add(
            Figure(
                "decision durable: largest / smallest size",
                f"{durable[-1].size}/{durable[0].size}",
                growth,
                "x",
                None,
                "flat",
                1.5,
                durable[-1].runs,
            )
        )
    return 0 if rec.save() else 1


if __name__ == "__main__":
    sys.exit(main())

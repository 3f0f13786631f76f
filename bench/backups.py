"""How big backups/ grows against the live data, over a month of use at each size.

In-process, with the store's clock moved a day at a time: every day 100 decisions, 10 requests
added, a contact added, and once a week 100 contacts imported. Sizes count each file once (hard
links share their blocks). Target: backups/ at most 2x the live data files at the end.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.common import Figure, Recorder, options
from bench.worlds import people, world

DAYS = 30


def disk_usage(paths: list[Path]) -> int:
    seen, total = set(), 0
    for path in paths:
        for p in [path] if path.is_file() else path.rglob("*"):
            st = os.lstat(p)
            if p.is_file() and st.st_ino not in seen:
                seen.add(st.st_ino)
                total += st.st_blocks * 512
    return total


def month(data: Path) -> tuple[int, int]:
    from tui.models import Contact, Request
    from tui.store import DATA_FILES, Store

    now = [datetime(2026, 11, 1, 9, 0, tzinfo=UTC)]
    store = Store.open(data, clock=lambda: now[0])
    extra_contacts, _, _ = people(100 * (DAYS // 7 + 1), 0, seed=9)
    for day in range(DAYS):
        now[0] += timedelta(days=1)
        for i in range(10):
            store.add_request(Request(name=f"Daily Request {day}-{i}", company="Acme Ltd"))
        store.add_contact(Contact(name=f"Daily Contact {day}"))
        for request in store.pending()[:100]:
            now[0] += timedelta(seconds=20)
            store.record_decision(request.id, "decline" if day % 3 else "accept")
        if day % 7 == 6:
            store.import_records(extra_contacts[day // 7 * 100 : day // 7 * 100 + 100], [])
    live = disk_usage([data / name for name in DATA_FILES if (data / name).exists()])
    return live, disk_usage([data / "backups"])


def main() -> int:
    args = options(__doc__, runs=1)
    rec = Recorder("backups")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            live, kept = month(world(size, Path(tmp) / "data"))
            rec.add(
                Figure(
                    "backups/ after a month of use",
                    size,
                    kept / live,
                    "x live",
                    None,
                    f"{kept / 2**20:.1f} MiB for {live / 2**20:.1f} MiB of data",
                    2.0,
                    DAYS,
                )
            )
    return 0 if rec.save() else 1


if __name__ == "__main__":
    sys.exit(main())

"""Import a 30k-row LinkedIn Connections.csv into an empty store with `tui import`.

Target: at most 3 s wall (a new process, as a user runs it). The baseline printed beside it is the
same process importing nothing but the interpreter and libraries (`tui --version`).
"""

from __future__ import annotations

import csv
import io
import random
import sys
import tempfile
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.common import env_for, median, report, tui_cmd, wall
from bench.worlds import person

ROWS = 30_000


def connections_csv(rows: int, seed: int = 3) -> bytes:
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"])
    for i in range(rows):
        p = person(rng, i)
        writer.writerow(
            [p["first_name"], p["last_name"], p["urls"][0], p["emails"][0] if i % 3 else "", p["company"], p["title"], "08 Feb 2026"]
        )  # type: ignore[index]
    preamble = 'Notes:\r\n"When exporting your connection data, you may notice that some of the email addresses are missing."\r\n\r\n'
    return ("\ufeff" + preamble + buffer.getvalue().rstrip("\r\n")).encode("utf-8")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "Connections.csv"
        export.write_bytes(connections_csv(ROWS))
        runs, base = [], []
        for n in range(3):
            env = env_for(Path(tmp) / f"data{n}")
            base.append(wall([*tui_cmd(), "--version"], env))
            runs.append(wall([*tui_cmd(), "import", str(export)], env))
    seconds = median(runs)
    return (
        0
        if report(
            f"import a {ROWS // 1000}k-row Connections.csv",
            f"median {seconds:.2f} s ({seconds / median(base):.0f}x a bare `tui --version`, {median(base) * 1000:.0f} ms)",
            "<= 3 s",
            seconds <= 3.0,
        )
        else 1
    )


if __name__ == "__main__":
    sys.exit(main())

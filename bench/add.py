"""`tui add` (a request, with its duplicate check against contacts and pending requests) and
`tui add --contact`, each a new process, at the three sizes, against the floor
(``python -c "import typer, tinydb, rapidfuzz"``) timed alternately in the same run.
Target: at most 1.5x the floor at 30k / 5k (and 1k), 2x at 100k / 20k.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.common import Recorder, cold_ratio, env_for, options, tui_cmd, warm
from bench.worlds import world

TARGET = {"1k": 1.5, "30k": 1.5, "100k": 2.0}


def main() -> int:
    args = options(__doc__, runs=11)
    rec = Recorder("add")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            data = world(size, Path(tmp) / "data")
            env = env_for(data)
            warm(([*tui_cmd(), "add", "Warm Up"], env))
            cold_ratio(
                rec,
                "cold tui add (a request)",
                size,
                args.runs,
                lambda i: [*tui_cmd(), "add", f"Bench Person {i}", "--company", "Acme Ltd", "--email", f"bench{i}@example.org"],
                env,
                TARGET[size],
            )
            cold_ratio(
                rec,
                "cold tui add --contact",
                size,
                args.runs,
                lambda i: [*tui_cmd(), "add", "--contact", f"Bench Contact {i}", "--email", f"contact{i}@example.org"],
                env,
                TARGET[size],
            )
    return 0 if rec.save() else 1


if __name__ == "__main__":
    sys.exit(main())

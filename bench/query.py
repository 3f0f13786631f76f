"""`tui query` (contacts for mutt and aerc), each lookup a new process as mutt's query_command
starts one, at the three sizes, against the floor (``python -c "import typer, tinydb, rapidfuzz"``)
timed alternately. Terms: a surname shared by many contacts, a first name with nicknames, and an
e-mail fragment. Target: at most 1.5x the floor at 30k contacts (and 1k); 2x at 100k.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.common import Recorder, cold_ratio, env_for, options, tui_cmd, warm
from bench.worlds import world

TERMS = ("smith", "bob", "mary-brown")
TARGET = {"1k": 1.5, "30k": 1.5, "100k": 2.0}


def main() -> int:
    args = options(__doc__, runs=11)
    rec = Recorder("query")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            data = world(size, Path(tmp) / "data")
            env = env_for(data)
            warm(([*tui_cmd(), "query", "warm"], env))
            for term in TERMS:
                cold_ratio(
                    rec, f"cold tui query {term!r}", size, args.runs, lambda i, term=term: [*tui_cmd(), "query", term], env, TARGET[size]
                )
    return 0 if rec.save() else 1


if __name__ == "__main__":
    sys.exit(main())

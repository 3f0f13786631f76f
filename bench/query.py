"""`tui query` against a store of 30k contacts, as a ratio to importing its three libraries.

Each run is a new process, as mutt's query_command starts one per lookup. The key index is built
before timing (any command that reads the contacts builds it once after they change).
Target: median at most 1.5x `python -c "import typer, tinydb, rapidfuzz"`, timed alternately in
the same run.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.common import env_for, interleaved, median, plain_env, report, tui_cmd, wall
from bench.worlds import make_big_store

RUNS = 11
#: A surname shared by a few hundred contacts, a first name with nicknames, and an e-mail fragment.
TERMS = ("smith", "bob", "sarah-dlamini")


def measure(term: str, data: Path) -> bool:
    env = env_for(data)
    base_cmd = [sys.executable, "-c", "import typer, tinydb, rapidfuzz"]
    base, query = interleaved(RUNS, lambda: wall(base_cmd, plain_env()), lambda: wall([*tui_cmd(), "query", term], env))
    ratio = median(query) / median(base)
    return report(
        f"tui query {term!r}, 30k contacts",
        f"{median(query) * 1000:.0f} ms = {ratio:.2f}x baseline ({median(base) * 1000:.0f} ms)",
        "<= 1.5x",
        ratio <= 1.5,
    )


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        make_big_store(data, contacts=30_000, pending=500).contact_keys()  # keys.idx, as after any import
        for _ in range(2):  # warm the page cache and write .pyc files, as any installed app has
            wall([sys.executable, "-c", "import typer, tinydb, rapidfuzz"], plain_env())
            wall([*tui_cmd(), "query", "warm"], env_for(data))
        results = [measure(term, data) for term in TERMS]
    sys.exit(0 if all(results) else 1)

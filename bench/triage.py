"""The triage screen as a user meets it: the installed `tui triage` on a real pseudo-terminal (80x24).

At each size, timed from spawning the process, alternating with the baseline:

1. **First frame**: until the first card (its title, "N pending") is on the screen; against a
   minimal Textual app (a Static and a Footer) on the same kind of terminal, until its text shows.
   Target: at most 1.25x.
2. **Complete card**: until the screen shows the first card with its matches among contacts *and*
   other requests, and its red flags: a match label (the first card of every world has the name of
   someone already in the network) or "No contact or other request looks like", a flags line ("No
   red flags" or "Red flags:"), and nothing still "checking". Against the same minimal app.
   Target: at most 1.5x at 30k / 5k, 2x at 100k / 20k.
3. **Key to next card**: once the card is complete, `d` (decline) is typed every 50 ms; each key's
   latency runs from the moment it is written to the pty until the card title counting it ("k
   decided") arrives on it. The same measure on a minimal app (a counter) is the baseline.
   Target: p95 at most 16 ms.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.common import Figure, Recorder, env_for, median, options, percentile, plain_env, tui_cmd
from bench.terminal import Terminal
from bench.worlds import world

MINIMAL = """
from textual.app import App
from textual.widgets import Static, Footer
class Minimal(App):
    BINDINGS = [("q", "quit", "Quit")]
    def compose(self):
        yield Static("hello, minimal app")
        yield Footer()
Minimal().run()
"""

COUNTER = """
from textual.app import App
from textual.widgets import Static
class Counter(App):
    BINDINGS = [("d", "bump", "Bump"), ("q", "quit", "Quit")]
    n = 0
    def compose(self):
        yield Static("1000000 pending", id="n")
    def action_bump(self):
        self.n += 1
        self.query_one("#n", Static).update(f"{1000000 - self.n} pending · {self.n} decided")
Counter().run()
"""

FIRST_CARD = r"\b\d+ pending"
MATCHED = re.compile(
    r"ALREADY A CONTACT|POSSIBLE IMPERSONATOR|LIKELY SAME PERSON|POSSIBLE MATCH|SAME PERSON, ANOTHER REQUEST|No contact or other request looks like"
)
FLAGS = re.compile(r"No red flags|Red flags:")
DECIDED = r"\b(\d+) decided"


def card_complete(screen: str) -> bool:
    """The card with its matches (among contacts and other requests) and its red flags."""
    return bool(MATCHED.search(screen) and FLAGS.search(screen)) and "checking" not in screen


KEYS = 60
GAP = 0.05
COMPLETE_TARGET = {"1k": 1.5, "30k": 1.5, "100k": 2.0}


def minimal_launch() -> float:
    term = Terminal([sys.executable, "-c", MINIMAL], plain_env())
    try:
        when, _ = term.wait_for("hello, minimal app")
        return when - term.started
    finally:
        term.close()


def triage_launch(data: Path) -> tuple[float, float]:
    """Seconds from spawn to the first card, and to the complete card."""
    term = Terminal([*tui_cmd(), "triage"], env_for(data))
    try:
        first, _ = term.wait_for(FIRST_CARD)
        done = term.wait_screen(card_complete)
        return first - term.started, done - term.started
    finally:
        term.close()


def key_latencies(cmd: list[str], env: dict[str, str], ready: Callable[[str], bool], gap: float = GAP) -> list[float]:
    """Type ``d`` every ``gap`` seconds; each key's time until "k decided" arrives."""
    term = Terminal(cmd, env)
    try:
        term.wait_screen(ready, timeout=180)
        at = term.position()
        time.sleep(0.5)  # let the start settle, as a user reads the first card
        sent = []
        for _ in range(KEYS):
            sent.append(term.send(b"d"))
            time.sleep(gap)
        latencies = []
        for k, start in enumerate(sent, start=1):
            when, at = term.wait_for_count(DECIDED, k, at, timeout=30)  # a frame may show two keys' card at once
            latencies.append(when - start)
        return latencies
    finally:
        term.close()


def main() -> int:
    args = options(__doc__, runs=5)
    rec = Recorder("triage")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            data = world(size, Path(tmp) / "data")
            minimal_launch(), triage_launch(data)  # byte-code written, the page cache warm
            base, first, complete = [], [], []
            for _ in range(args.runs):
                base.append(minimal_launch())
                f, c = triage_launch(data)
                first.append(f)
                complete.append(c)
            floor = median(base) * 1000
            rec.add(
                Figure(
                    "triage: first card on a pty",
                    size,
                    median(first) * 1000,
                    "ms",
                    floor,
                    "minimal app",
                    1.25,
                    args.runs,
                    p95=percentile(first, 95) * 1000,
                )
            )
            rec.add(
                Figure(
                    "triage: complete first card on a pty",
                    size,
                    median(complete) * 1000,
                    "ms",
                    floor,
                    "minimal app",
                    COMPLETE_TARGET[size],
                    args.runs,
                    p95=percentile(complete, 95) * 1000,
                )
            )
            keys = key_latencies([*tui_cmd(), "triage"], env_for(data), card_complete)
            counter = key_latencies([sys.executable, "-c", COUNTER], plain_env(), lambda screen: "1000000 pending" in screen)
            rec.add(
                Figure(
                    "triage: key to next card on a pty, p95",
                    size,
                    percentile(keys, 95) * 1000,
                    "ms",
                    None,
                    f"minimal app p95 {percentile(counter, 95) * 1000:.1f} ms",
                    16,
                    len(keys),
                    note=f"median {median(keys) * 1000:.1f} ms "
                    f"(minimal app {median(counter) * 1000:.1f} ms), keys {GAP * 1000:.0f} ms apart",
                )
            )
    return 0 if rec.save() else 1


if __name__ == "__main__":
    sys.exit(main())

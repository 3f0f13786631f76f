"""Acceptance rate, the rule that says no most often, a breakdown by source, and a chart. The
store is read and counted by the store worker, never on the UI thread (7 ms for 5,000 requests);
the UI thread only lays out the few lines of the result."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.app.messages import RecordsRead
from tui.rules import Rule
from tui.stats import summarize
from tui.text import clean

BAR_WIDTH = 30


def bar(value: int, biggest: int) -> str:
    filled = round(BAR_WIDTH * value / biggest) if biggest else 0
    return "█" * filled + "·" * (BAR_WIDTH - filled)


def stats_content(summary: dict[str, Any], rules: tuple[Rule, ...]) -> Content:
    by_status, rate = summary["by_status"], summary["acceptance_rate"]
    questions = {rule.id: rule.question for rule in rules}
    received = summary["total"] - by_status.get("sent", 0)
    sent = f"   (and {by_status['sent']} you sent)" if by_status.get("sent") else ""
    lines = [
        Content.styled("Stats", "bold"),
        Content(""),
        Content(
            f"Requests received: {received}   pending {by_status['pending']}   accepted {by_status['accepted']}"
            f"   declined {by_status['declined']}   deferred {by_status['deferred']}   asked {by_status.get('asked', 0)}"
            f"   merged {by_status.get('merged', 0)}{sent}"
        ),
        Content(f"Acceptance rate: {'-' if rate is None else f'{rate:.0%}'} of {summary['decided']} decided"),
    ]
    noes = summary["rule_noes"]
    ranked = sorted(noes.values(), reverse=True)
    top = next(iter(noes.items()), None)
    if top and top[1] and (len(ranked) < 2 or ranked[0] > ranked[1]):  # a tie names no rule
        lines.append(Content.assemble("Says no most often: ", (clean(questions.get(top[0], top[0]), 70), "bold")))
    lines += [Content(""), Content.styled("Noes by rule", "bold")]
    biggest = max(noes.values(), default=0)
    for rule_id, count in noes.items():
        lines.append(Content.assemble(f"{clean(rule_id, 12):<12} ", (bar(count, biggest), "$accent"), f" {count}"))
    lines += [Content(""), Content.styled("By source      accepted / declined / pending", "bold")]
    for source, counts in summary["by_source"].items():
        lines.append(
            Content(
                f"{clean(source, 12):<14} {counts.get('accepted', 0):>8} / {counts.get('declined', 0):>8} / {counts.get('pending', 0):>7}"
            )
        )
    return Content("\n").join(lines)


class StatsScreen(Screen[None]):
    BINDINGS = [Binding("escape,t", "app.pop_screen", "Back", id="close-stats")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats-body"):
            yield Static("Counting…", id="stats-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        store, rules = self.app.store, self.app.settings.rules  # type: ignore[attr-defined]
        self.app.writer.submit(lambda: RecordsRead("stats", summarize(store.requests(), rules)), self)  # type: ignore[attr-defined]

    @on(RecordsRead)
    def _counted(self, message: RecordsRead) -> None:
        if message.what == "stats":
            self.query_one("#stats-text", Static).update(stats_content(message.records, self.app.settings.rules))  # type: ignore[attr-defined]

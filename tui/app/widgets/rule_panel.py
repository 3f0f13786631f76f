"""The rules, each with the answer so far and its full question, then the verdict or the hint.

A verdict shows as soon as it is certain: a no settles a decline before the other rules are
answered (they stay answerable, and Enter confirms)."""

from __future__ import annotations

import textwrap

from textual.content import Content
from textual.widgets import Static

from tui.models import VERDICT_WORDS, Verdict
from tui.rules import Rule
from tui.text import clean


class RulePanel(Static):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]

    def show(self, rules: tuple[Rule, ...], answers: dict[str, bool], current: int, verdict: Verdict | None) -> None:
        lines = []
        open_rules = sum(1 for rule in rules if rule.id not in answers)
        width = max(20, (self.content_region.width or self.app.size.width - 4) - 11)
        for i, rule in enumerate(rules):
            answer = answers.get(rule.id)
            mark = "▶" if i == current and open_rules else " "
            shown = ("YES", "bold $answer-yes") if answer is True else ("NO ", "bold $answer-no") if answer is False else (" ? ", "dim")
            # A long question wraps under itself, clear of the answers.
            wrapped = textwrap.wrap(clean(rule.question), width) or [""]
            lines.append(Content.assemble(f"{mark} ", "[", shown, "] ", f"{i + 1}. ", "\n".join([wrapped[0], *("           " + w for w in wrapped[1:])])))
        if verdict is None:
            lines.append(Content.styled(f"y/n answer · {open_rules} to go · a accept · d decline · s skip", "dim"))
        else:
            still = f" · {open_rules} rule{'s' if open_rules != 1 else ''} still open" if open_rules else ""
            lines.append(Content.assemble(("Verdict: ", "bold"), (VERDICT_WORDS[verdict], f"bold reverse $verdict-{verdict.value}"),
                                          (f"  ⏎ confirms · a/d override{still}", "dim")))
        self.update(Content("\n").join(lines))

"""The rules, each with the answer so far and its full question, then the verdict or the hint.

A verdict shows as soon as it is certain: a no settles a decline before the other rules are
answered (they stay answerable, and Enter confirms)."""

from __future__ import annotations

import textwrap
from functools import lru_cache

from textual.content import Content

from tui.app.widgets.fitted import FittedStatic
from tui.models import VERDICT_WORDS, Verdict
from tui.rules import Rule
from tui.text import clean


@lru_cache(maxsize=64)
def question_text(question: str, width: int) -> str:
    """A long question wraps under itself, clear of the answers (worked out once per width)."""
    wrapped = textwrap.wrap(clean(question), width) or [""]
    return "\n".join([wrapped[0], *("           " + w for w in wrapped[1:])])


class RulePanel(FittedStatic):
    def show(self, rules: tuple[Rule, ...], answers: dict[str, bool], current: int, verdict: Verdict | None) -> None:
        lines = []
        open_rules = sum(1 for rule in rules if rule.id not in answers)
        width = max(20, (self.content_region.width or self.app.size.width - 4) - 11)
        for i, rule in enumerate(rules):
            answer = answers.get(rule.id)
            mark = "▶" if i == current and open_rules else " "
            shown = ("YES", "bold $answer-yes") if answer is True else ("NO ", "bold $answer-no") if answer is False else (" ? ", "dim")
            lines.append(Content.assemble(f"{mark} ", "[", shown, "] ", f"{i + 1}. ", question_text(rule.question, width)))
        if verdict is None:
            lines.append(Content.styled(f"y/n answer · {open_rules} to go · a accept · d decline · s skip", "dim"))
        else:
            still = f" · {open_rules} rule{'s' if open_rules != 1 else ''} still open" if open_rules else ""
            lines.append(
                Content.assemble(
                    ("Verdict: ", "bold"),
                    (VERDICT_WORDS[verdict], f"bold reverse $verdict-{verdict.value}"),
                    (f"  ⏎ confirms · a/d override{still}", "dim"),
                )
            )
        self.show_content(Content("\n").join(lines))

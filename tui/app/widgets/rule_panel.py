"""The rules, each with its full question and the answer so far, then the proposed verdict."""

from __future__ import annotations

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
        for i, rule in enumerate(rules):
            answer = answers.get(rule.id)
            mark = "▶" if i == current and verdict is None else " "
            shown = ("YES", "bold $answer-yes") if answer is True else ("NO ", "bold $answer-no") if answer is False else (" ? ", "dim")
            lines.append(Content.assemble(f"{mark} {i + 1}. ", clean(rule.question), " ", "[", shown, "]"))
        if verdict is None:
            unanswered = sum(1 for rule in rules if rule.id not in answers)
            lines.append(Content.styled(f"y/n to answer · {unanswered} to go · a accept · d decline · s skip", "dim"))
        else:
            lines.append(
                Content.assemble(
                    ("Verdict: ", "bold"),
                    (VERDICT_WORDS[verdict], f"bold reverse $verdict-{verdict.value}"),
                    ("  Enter confirms · a/d override", "dim"),
                )
            )
        # One line per rule and one for the verdict: the height is fixed for the session.
        if self.styles.height is None or self.styles.height.value != len(lines):
            self.styles.height = len(lines)
            self.update(Content("\n").join(lines))
        else:
            self.update(Content("\n").join(lines), layout=False)

"""The rule set and the verdict policy. Pure functions, no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tui.models import Verdict


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    """Short, stable identifier used in answers and on the command line (``--answer drink=yes``)."""
    question: str
    """The full question, as shown on the card."""
    inner: bool = False
    """With the two-tier policy: failing only inner-circle rules means the wider network."""


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("drink", "Would I meet them and have a drink with them after a meeting?", inner=True),
    Rule("recommend", "Would I happily recommend them to my clients?"),
    Rule("business", "Would I do business with them?"),
)
VALUES_RULE = Rule("values", "Do they share my values?", inner=True)


def verdict(rules: Sequence[Rule], answers: Mapping[str, bool], two_tier: bool = False) -> Verdict | None:
    """The proposed verdict, or None while a rule is unanswered.

    Default policy: every rule yes accepts, any no declines. With ``two_tier``, a request whose
    only noes are on inner-circle rules goes to the wider network instead of being declined.
    """
    if any(rule.id not in answers for rule in rules):
        return None
    failed = [rule for rule in rules if not answers[rule.id]]
    if not failed:
        return Verdict.ACCEPT
    if two_tier and all(rule.inner for rule in failed):
        return Verdict.WIDER
    return Verdict.DECLINE


def certain_verdict(rules: Sequence[Rule], answers: Mapping[str, bool], two_tier: bool = False) -> Verdict | None:
    """The verdict once no answer still to come can change it, else None.

    Every rule answered gives :func:`verdict`. Before that, a no already settles a decline: any no
    does, and with ``two_tier`` a no on a rule outside the inner circle does (a no on an
    inner-circle rule alone leaves the wider network open, so the rest still matter)."""
    settled = verdict(rules, answers, two_tier)
    if settled is not None:
        return settled
    noes = [rule for rule in rules if answers.get(rule.id) is False]
    if noes and (not two_tier or any(not rule.inner for rule in noes)):
        return Verdict.DECLINE
    return None


def next_unanswered(rules: Sequence[Rule], answers: Mapping[str, bool], after: int = -1) -> int | None:
    """Index of the first unanswered rule after ``after`` (wrapping round), or None."""
    count = len(rules)
    for step in range(1, count + 1):
        index = (after + step) % count
        if rules[index].id not in answers:
            return index
    return None


def parse_answer(text: str) -> bool:
    """``yes``/``y``/``true``/``1`` or ``no``/``n``/``false``/``0``."""
    value = text.strip().lower()
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("no", "n", "false", "0"):
        return False
    raise ValueError(f"{text!r} is not yes or no")

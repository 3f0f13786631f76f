"""The verdict policy, the rule set from config, and config errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.config import ConfigError, Settings, load
from tui.models import Verdict
from tui.rules import DEFAULT_RULES, VALUES_RULE, Rule, certain_verdict, next_unanswered, parse_answer, verdict

YES = {"drink": True, "recommend": True, "business": True}


class TestVerdict:
    def test_unanswered_gives_no_verdict(self) -> None:
        assert verdict(DEFAULT_RULES, {"drink": True, "recommend": True}) is None

    def test_all_yes_accepts_any_no_declines(self) -> None:
        assert verdict(DEFAULT_RULES, YES) is Verdict.ACCEPT
        for rule in DEFAULT_RULES:
            assert verdict(DEFAULT_RULES, YES | {rule.id: False}) is Verdict.DECLINE

    def test_two_tier(self) -> None:
        # Only "drink" is an inner-circle rule by default.
        assert verdict(DEFAULT_RULES, YES | {"drink": False}, two_tier=True) is Verdict.WIDER
        assert verdict(DEFAULT_RULES, YES | {"drink": False, "business": False}, two_tier=True) is Verdict.DECLINE
        assert verdict(DEFAULT_RULES, YES | {"drink": False}, two_tier=False) is Verdict.DECLINE

    def test_a_no_makes_the_decline_certain_before_every_rule_is_answered(self) -> None:
        assert certain_verdict(DEFAULT_RULES, {"drink": True}) is None
        assert certain_verdict(DEFAULT_RULES, {"drink": False}) is Verdict.DECLINE
        assert certain_verdict(DEFAULT_RULES, YES) is Verdict.ACCEPT
        # Two tiers: a no on the inner-circle rule alone leaves the wider network open.
        assert certain_verdict(DEFAULT_RULES, {"drink": False}, two_tier=True) is None
        assert certain_verdict(DEFAULT_RULES, {"drink": False, "business": True}, two_tier=True) is None
        assert certain_verdict(DEFAULT_RULES, {"business": False}, two_tier=True) is Verdict.DECLINE
        assert certain_verdict(DEFAULT_RULES, YES | {"drink": False}, two_tier=True) is Verdict.WIDER

    def test_next_unanswered_wraps(self) -> None:
        assert next_unanswered(DEFAULT_RULES, {"recommend": True}, after=1) == 2
        assert next_unanswered(DEFAULT_RULES, {"business": True, "recommend": True}, after=2) == 0
        assert next_unanswered(DEFAULT_RULES, YES) is None

    def test_parse_answer(self) -> None:
        assert parse_answer("Yes") is True and parse_answer("n") is False
        with pytest.raises(ValueError):
            parse_answer("maybe")


class TestConfig:
    def write(self, tmp_path: Path, text: str) -> Path:
        path = tmp_path / "config.toml"
        path.write_text(text)
        return path

    def test_missing_file_is_all_defaults(self, tmp_path: Path) -> None:
        assert load(tmp_path / "none.toml") == Settings()

    def test_values_rule_custom_rules_and_switching_one_off(self, tmp_path: Path) -> None:
        settings = load(
            self.write(
                tmp_path,
                """
values_rule = true
two_tier = true
order = "newest"
[[rules]]
id = "local"
question = "Nearby?"
inner = true
[[rules]]
id = "recommend"
enabled = false
[keymap]
accept-request = "A"
""",
            )
        )
        assert [r.id for r in settings.rules] == ["drink", "business", "values", "local"]
        assert VALUES_RULE in settings.rules and Rule("local", "Nearby?", inner=True) in settings.rules
        assert settings.two_tier and settings.order == "newest" and settings.keymap == {"accept-request": "A"}

    @pytest.mark.parametrize(
        "text, message",
        [
            ('order = "oldest"\nb = = 2', "line 2"),
            ("order = 'sideways'", "order: expected one of"),
            ("two_tier = 'yes'", "two_tier: expected bool"),
            ("[[rules]]\nid = 'bad id!'\nquestion='x'", "rules[0].id"),
            ("[[rules]]\nid = 'x'", "rules[0].question: expected str"),
            ("[dedup]\nlikely = 'high'", "dedup.likely: expected int"),
        ],
    )
    def test_errors_name_file_and_key(self, tmp_path: Path, text: str, message: str) -> None:
        path = self.write(tmp_path, text)
        with pytest.raises(ConfigError) as info:
            load(path)
        assert str(path) in str(info.value) and message in str(info.value)

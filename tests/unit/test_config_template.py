"""`tui config` writes every setting at its default: uncommenting all of them changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

from tui.config import DEDUP_KEYS, REPLY_KEYS, RULE_KEYS, TOP_KEYS, Settings, load
from tui.config_template import template
from tui.context import DEFAULT_REPLIES, SALES_PHRASES

SETTING_LINE = re.compile(r"^# (?=\[|[a-z_-]+ = |    \"|\])", re.MULTILINE)


def test_every_setting_is_there() -> None:
    text = template()
    for key in (*TOP_KEYS, *DEDUP_KEYS, *RULE_KEYS, *REPLY_KEYS):
        assert re.search(rf"^# \[*{re.escape(key)}\b", text, re.MULTILINE), key


def test_uncommented_it_gives_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(SETTING_LINE.sub("", template()))
    settings, default = load(path), Settings()
    assert settings.warnings == ()
    for name in ("rules", "two_tier", "order", "theme", "likely_threshold", "possible_threshold", "poll_interval", "show_waiting"):
        assert getattr(settings, name) == getattr(default, name), name
    assert settings.sales_phrases == SALES_PHRASES and settings.replies == DEFAULT_REPLIES
    assert settings.keymap == {"accept-request": "a"}  # the key it already has

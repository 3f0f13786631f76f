"""The commented config.toml that ``tui config`` writes: every setting, its default, what it does.

Every setting line is commented out, so the file changes nothing until a line is uncommented;
``tests/unit/test_config_template.py`` checks that uncommenting all of them gives the defaults and
that no setting is missing."""

from __future__ import annotations

import json


def template() -> str:
    """The file's text, built from the defaults themselves (so it cannot drift from them)."""
    from tui.config import Settings
    from tui.context import DEFAULT_REPLIES, SALES_PHRASES
    from tui.rules import DEFAULT_RULES

    default = Settings()

    phrases = ",\n".join(f"#     {json.dumps(p)}" for p in SALES_PHRASES)
    rules = "\n".join(
        f"# [[rules]]\n# id = {json.dumps(r.id)}\n# question = {json.dumps(r.question)}\n# inner = {str(r.inner).lower()}\n# enabled = true\n"
        for r in DEFAULT_RULES
    )
    replies = "\n".join(
        f"# [[replies]]\n# name = {json.dumps(name)}\n# text = {json.dumps(text)}\n# action = {json.dumps(action)}\n"
        for name, text, action in DEFAULT_REPLIES
    )
    return TEMPLATE.format(
        phrases=phrases,
        rules=rules,
        replies=replies,
        likely=default.likely_threshold,
        possible=default.possible_threshold,
        poll=default.poll_interval,
    )


TEMPLATE = """\
# tui configuration. Every setting is optional: each line below shows the default, commented out.
# Uncomment a line and change it to use it. `tui locate` shows where this file lives.

# Queue order: "oldest" (by sent date), "newest", or "name".
# order = "oldest"

# Keep a wider network as well as the inner circle: failing only inner-circle rules (inner = true)
# then means "wider network" instead of "decline".
# two_tier = false

# Also ask "Do they share my values?" (an inner-circle rule).
# values_rule = false

# Show requests you asked and are waiting on in the triage queue (W switches it in the app).
# show_waiting = false

# Theme: see `tui themes`. Choosing one in the app (Ctrl+P, Theme) saves it here.
# theme = "tui-dark"

# Seconds between checks for changes made by other tui processes while the app runs (0.1-3600).
# poll_interval = {poll}

# Phrases that mark a sales pitch (lower case). Setting this replaces the built-in list below.
# sales_phrases = [
{phrases},
# ]

# Match scores (0-100, possible <= likely) from which a candidate is a likely / possible match.
# [dedup]
# likely = {likely}
# possible = {possible}

# The rules, asked in this order. An entry with a built-in id changes that rule, or switches it off
# with enabled = false; a new id adds a rule of your own (inner = true: an inner-circle rule).
{rules}
# Reply templates ({{first_name}}, {{last_name}}, {{name}}, {{company}} are filled in). Setting any
# replaces the built-in ones below. action: what choosing one does after copying its text:
# "ask" (the request waits for a reply), "decline", or "copy" (nothing more).
{replies}
# Keys: binding id = keys (comma separated). `?` in the app lists every id.
# [keymap]
# accept-request = "a"
"""

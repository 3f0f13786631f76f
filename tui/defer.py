"""Deferring a request: the presets (one list, for `tui decide --until` and the app's defer dialog)
and the dates a user may type. Pure: the store's today comes in."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tui.errors import BadInput
from tui.text import clean

#: (key, label, days ahead): the keys are what `tui decide --until` takes, the labels what the dialog shows.
PRESETS = (("tomorrow", "Tomorrow", 1), ("next-week", "Next week", 7), ("next-month", "Next month", 30))


def parse_until(text: str, today: date) -> str:
    """A deferral date after ``today``: a preset, ``+Nd`` or ``YYYY-MM-DD``; else bad input."""
    presets = {key: days for key, _, days in PRESETS}
    days = re.fullmatch(r"\+([0-9]+)d", text, re.ASCII)
    try:
        if text in presets:
            when = today + timedelta(days=presets[text])
        elif days:
            when = today + timedelta(days=int(days.group(1)))
        else:
            when = date.fromisoformat(text)
    except OverflowError:
        raise BadInput(f"--until {clean(text, 40)!r}: too far ahead (dates end at {date.max})") from None
    except ValueError:
        raise BadInput(f"--until {clean(text, 40)!r}: use YYYY-MM-DD, +Nd, tomorrow, next-week or next-month") from None
    if when <= today:
        raise BadInput(f"--until {clean(text, 40)!r}: pick a date after today ({today})")
    return when.isoformat()

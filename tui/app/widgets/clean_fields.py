"""Input fields for text that may hold a stranger's words (notes, tags).

An Input or a TextArea draws what it holds, escape sequences included. The dialog fills them with
cleaned text; these also clean what is pasted in, so nothing they hold can reach the terminal raw.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

from tui.text import clean, clean_multiline


class CleanInput(Input):
    """An Input that takes pasted text cleaned, on one line."""

    def on_paste(self, event: events.Paste) -> None:
        event.text = clean(event.text, None)  # then Input's own handler inserts it


class CleanTextArea(TextArea):
    """A TextArea that takes pasted text cleaned, line breaks kept."""

    def on_paste(self, event: events.Paste) -> None:
        event.text = clean_multiline(event.text, None)

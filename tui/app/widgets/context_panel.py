"""Red flags, an earlier request from the same person, and who you know at their company."""

from __future__ import annotations

from textual.content import Content

from tui.app.widgets.fitted import FittedStatic
from tui.context import Flag
from tui.text import clean


class ContextPanel(FittedStatic):
    """The red flags (words, never colour alone), then the earlier request, then the company; each
    wraps rather than being cut off."""

    MIN_LINES = 2

    def show(self, context: tuple[list[Flag], str, str] | None) -> None:
        """None while the queue's context is being worked out."""
        if context is None:
            self.show_content(Content.styled("… checking for red flags", "dim italic"))
            return
        flags, history, company = context
        if flags:
            lines = [Content.assemble(("⚑ ", "bold $warning"), ("Red flags: ", "bold"), " · ".join(clean(f.words, 120) for f in flags))]
        else:
            lines = [Content.styled("✓ No red flags", "dim")]
        if history:
            lines.append(Content.assemble(("↺ ", "bold $warning"), clean(history, 300)))
        if company:
            lines.append(Content.assemble(("◎ ", "bold"), clean(company, 300)))
        self.show_content(Content("\n").join(lines))

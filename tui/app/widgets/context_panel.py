"""Red flags, an earlier request from the same person, and who you know at their company."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tui.context import Flag
from tui.text import clean


class ContextPanel(Static):
    """Two lines: the red flags (words, never colour alone), then the history or the company."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]

    def show(self, flags: list[Flag], history: str, company: str) -> None:
        if flags:
            first = Content.assemble(("⚑ ", "bold $warning"), ("Red flags: ", "bold"), " · ".join(clean(f.words, 120) for f in flags))
        else:
            first = Content.styled("✓ No red flags", "dim")
        second = Content.assemble(("↺ ", "bold $warning"), clean(history, 200)) if history else (
            Content.assemble(("◎ ", "bold"), clean(company, 200)) if company else Content(""))
        self.update(Content("\n").join([first, second]), layout=False)

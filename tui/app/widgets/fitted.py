"""A Static that asks for a layout pass only when its height changes.

A layout pass costs milliseconds, and a card swap must stay under 8 ms: most cards have as many
lines of matches, red flags and rules as the one before, so their text is swapped in place."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class FittedStatic(Static):
    MIN_LINES = 1
    """Never fewer rows than this (app.tcss gives the same min-height): cards with fewer lines
    still take these rows, so the common card needs no layout pass."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._lines: tuple[int, int] | None = None

    def show_content(self, content: Content) -> None:
        """Show ``content``; lay the screen out again only if it needs more or fewer lines."""
        width = self.content_region.width
        lines = (width, max(self.MIN_LINES, line_count(content, width))) if width > 0 else None
        same = lines is not None and lines == self._lines
        self._lines = lines
        self.update(content, layout=not same)


def line_count(content: Content, width: int) -> int:
    """How many lines ``content`` takes at ``width``: counted directly when no line needs wrapping
    (the usual case), else wrapped."""
    from rich.cells import cell_len

    plain = content.plain.split("\n")
    if all(cell_len(line) <= width for line in plain):
        return len(plain)
    return len(content.wrap(width))

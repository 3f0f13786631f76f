"""A table that draws only the rows on screen: 30,000 contacts cost what 20 do.

Rows are tuples of plain strings, already cleaned by the caller (tui.text); they are drawn as
text, never markup. Arrows, `j`/`k`, Page Up/Down, Home/End move the cursor; Enter (or a click)
chooses the row.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.app.messages import RowChosen


class LazyTable(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    LazyTable {
        background: $surface;
    }
    LazyTable > .lazy-table--header {
        text-style: bold;
        background: $panel;
    }
    LazyTable > .lazy-table--cursor {
        background: $block-cursor-blurred-background;
        color: $foreground;
    }
    LazyTable:focus > .lazy-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """
    COMPONENT_CLASSES = {"lazy-table--header", "lazy-table--cursor"}
    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False, id="table-down"),
        Binding("up,k", "move(-1)", "Up", show=False, id="table-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table-page-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table-page-up"),
        Binding("home", "move(-1000000000)", "First", show=False, id="table-first"),
        Binding("end", "move(1000000000)", "Last", show=False, id="table-last"),
        Binding("enter", "choose", "Open", id="table-choose"),
    ]

    def __init__(self, columns: tuple[tuple[str, int], ...], **kwargs: object) -> None:
        """``columns``: (title, share of the width) for each column."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.columns = columns
        self.rows: list[tuple[str, ...]] = []
        self.cursor = 0

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self.rows = rows
        self.cursor = min(self.cursor, max(0, len(rows) - 1))
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        self.scroll_to(y=0, animate=False)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def _cells(self, row: tuple[str, ...], width: int) -> str:
        total = sum(share for _, share in self.columns)
        text = ""
        for (_, share), cell in zip(self.columns, row, strict=False):
            room = max(4, width * share // total)
            cell = cell if len(cell) < room else cell[: room - 2] + "…"
            text += cell.ljust(room)
        return text[:width].ljust(width)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:  # the header stays put
            style = self.get_component_rich_style("lazy-table--header")
            return Strip([Segment(self._cells(tuple(t for t, _ in self.columns), width), style)])
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self.rows):
            return Strip([Segment(" " * width, self.rich_style)])
        style = self.get_component_rich_style("lazy-table--cursor") if index == self.cursor else self.rich_style
        return Strip([Segment(self._cells(self.rows[index], width), style or Style())])

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.rows) + 1)

    def action_move(self, step: int) -> None:
        if not self.rows:
            return
        self.cursor = max(0, min(len(self.rows) - 1, self.cursor + step))
        visible = max(1, self.size.height - 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False)
        self.refresh()

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height - 2))

    def action_choose(self) -> None:
        if self.rows:
            self.post_message(RowChosen(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            index = int(self.scroll_offset.y) + event.y - 1
            if index < len(self.rows):
                self.cursor = index
                self.refresh()
                if event.chain >= 2:
                    self.action_choose()

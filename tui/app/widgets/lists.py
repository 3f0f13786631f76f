"""Lists and tables for the app's screens: `j`/`k` move as well as the arrows, and the highlighted
row stays readable in every theme and at 16 colours.

An option drawn with its own colours (a match kind in red, reasons dimmed) keeps them on the
highlight, which then reads grey or red on bright blue. :class:`ReadableOptionList` draws the
highlighted option plain, in the theme's own cursor colours, and the others with their colours."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, OptionList
from textual.widgets.option_list import Option


class KeyTable(DataTable[object]):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="list-down"),
        Binding("k", "cursor_up", "Up", show=False, id="list-up"),
    ]


class ReadableOptionList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="list-down"),
        Binding("k", "cursor_up", "Up", show=False, id="list-up"),
    ]

    def __init__(self, *options: Option, **kwargs: object) -> None:
        super().__init__(*options, **kwargs)  # type: ignore[arg-type]
        self._styled: dict[int, Content] = {}
        self._plain_at: int | None = None

    def _plainly(self, index: int | None) -> None:
        """Draw option ``index`` plain (the highlight's colours apply), the previous one styled again."""
        if self._plain_at is not None and self._plain_at in self._styled and self._plain_at < self.option_count:
            self.replace_option_prompt_at_index(self._plain_at, self._styled.pop(self._plain_at))
        self._plain_at = None
        if index is None or index >= self.option_count:
            return
        prompt = self.get_option_at_index(index).prompt
        if isinstance(prompt, Content) and prompt.spans:
            self._styled[index] = prompt
            self.replace_option_prompt_at_index(index, Content(prompt.plain))
            self._plain_at = index

    @on(OptionList.OptionHighlighted)
    def _highlight_moved(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list is self:
            self._plainly(event.option_index)

    def clear_options(self):  # type: ignore[no-untyped-def]
        self._styled.clear()
        self._plain_at = None
        return super().clear_options()

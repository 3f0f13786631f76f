"""Every key, generated from the bindings of the screen below and of the app."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def binding_rows(screen: Screen[object]) -> list[tuple[str, str, str]]:
    """(keys, description, binding id) for the active bindings of ``screen``, as remapped."""
    rows = []
    seen = set()
    for _key, active in screen.active_bindings.items():
        binding = active.binding
        ident = binding.id or binding.action
        if binding.id is None or ident in seen:
            continue  # Textual's own scrolling and focus keys are not ours to document
        seen.add(ident)
        if ident.startswith("jump-rule-"):
            if ident == "jump-rule-1":
                rows.append(("1…9", "Jump to rule N", "jump-rule-N"))
            continue
        rows.append((screen.app.get_key_display(binding), binding.description or binding.action, binding.id or ""))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "app.pop_screen", "Close", id="close-help")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__(id="help")
        self.under = under

    def compose(self) -> ComposeResult:
        rows = binding_rows(self.under)
        width = max((len(k) for k, _, _ in rows), default=4) + 2
        lines = [Content.styled("Keys", "bold"), Content("")]
        lines += [Content.assemble((keys.ljust(width), "bold $accent"), description.ljust(22), (ident, "dim")) for keys, description, ident in rows]
        lines += [
            Content(""),
            Content.styled("Remap any key in config.toml: [keymap] accept-request = \"A\"", "dim"),
            Content.assemble(("ctrl+p".ljust(width), "bold $accent"), "Command palette: every action, searchable"),
        ]
        with VerticalScroll(classes="dialog", id="help-body"):
            yield Static(Content("\n").join(lines), markup=False)

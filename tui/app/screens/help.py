"""Every key, generated from the bindings of the screen below and of the app."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.guide import ADD_EXAMPLE, EXPORTS
from tui.text import clean


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
        rows = [*binding_rows(self.under), ("ctrl+p", "Command palette: every action, searchable", "")]
        width = max(len(k) for k, _, _ in rows) + 2
        lines = [Content.styled("Keys", "bold"), Content("")]
        lines += [
            Content.assemble((keys.ljust(width), "bold $accent"), description.ljust(24), (ident, "dim"))
            for keys, description, ident in rows
        ]
        config = self.app.paths.config_file  # type: ignore[attr-defined]
        lines += [
            Content(""),
            Content.styled("Configuration", "bold"),
            Content.assemble(
                "Config file: ",
                (clean(str(config), 300), "bold"),
                "" if config.exists() else "  (not written yet: `tui config` writes one, every setting commented)",
            ),
            Content.styled('Remap any key there by its id: [keymap] accept-request = "A"', "dim"),
            Content(""),
            Content.styled("Getting your requests in", "bold"),
        ]
        for network, path, exported in EXPORTS:
            lines += [
                Content.assemble((f"{network}: ", "bold"), path),
                Content.styled(f"    then: tui import FILE, with {exported}", "dim"),
            ]
        lines.append(Content.styled(f"Anything else (X, e-mail): {ADD_EXAMPLE}", "dim"))
        with VerticalScroll(classes="dialog", id="help-body"):
            yield Static(Content("\n").join(lines), markup=False)

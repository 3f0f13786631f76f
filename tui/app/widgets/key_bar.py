"""A one-line bar of the screen's keys, as remapped by the keymap.

Textual's Footer builds a widget per key and restyles each one at start-up, which costs tens of
milliseconds before the first card appears; this bar is a single line of Content.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.call_after_refresh(self.refresh_keys)

    def refresh_keys(self) -> None:
        """Rebuild the bar from the screen's active bindings (after a keymap change, say)."""
        parts: list[Content] = []
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not active.enabled or (binding.id or binding.action) in seen:
                continue
            seen.add(binding.id or binding.action)
            parts.append(Content.assemble((f" {self.app.get_key_display(binding)} ", "bold $footer-key-foreground"), binding.description))
        self.update(Content(" ").join(parts), layout=False)

"""A one-line bar of the screen's keys, as remapped by the keymap; each key can be clicked.

Textual's Footer builds a widget per key and restyles each one at start-up, which costs tens of
milliseconds before the first card appears; this bar is a single line of Content. When the
terminal is too narrow for every key, the least needed go first; help and quit always stay.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.dom import DOMNode
from textual.widgets import Static

ALWAYS = ("show-help", "quit")
"""Kept however narrow the terminal is."""


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
        self._spans: list[tuple[int, int, Binding, DOMNode]] = []

    def on_resize(self, event: events.Resize) -> None:
        """Also the first fill: a Resize comes once the bar has its width."""
        self.refresh_keys()

    def refresh_keys(self) -> None:
        """Rebuild the bar from the screen's active bindings (after a keymap change, say)."""
        keys: list[tuple[Binding, DOMNode, str]] = []
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not active.enabled or (binding.id or binding.action) in seen:
                continue
            seen.add(binding.id or binding.action)
            keys.append((binding, active.node, self.app.get_key_display(binding)))
        width = self.size.width or self.app.size.width

        def needed(pad: int) -> int:
            return sum(len(k) + len(b.description) + pad for b, _, k in keys) - 1

        # Roomy (" y Yes  n No"), else compact ("y Yes n No"), dropping the least needed keys (the
        # last shown, but never help and quit) until the bar fits.
        compact = needed(3) > width
        while len(keys) > len(ALWAYS) and needed(2 if compact else 3) > width:
            drop = next(i for i in range(len(keys) - 1, -1, -1) if keys[i][0].id not in ALWAYS)
            keys.pop(drop)
        parts: list[Content] = []
        self._spans = []
        x = 0
        for binding, node, key in keys:
            shown = key if compact else f" {key} "
            part = Content.assemble((shown, "bold $footer-key-foreground"), (" " if compact else "") + binding.description)
            self._spans.append((x, x + len(part.plain), binding, node))
            x += len(part.plain) + 1
            parts.append(part)
        self.update(Content(" ").join(parts), layout=False)

    def on_click(self, event: events.Click) -> None:
        """A click on a key does what the key does."""
        for start, end, binding, node in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.call_later(self.app.run_action, binding.action, node)
                return

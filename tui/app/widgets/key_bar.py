"""A one-line bar of the screen's keys, as remapped by the keymap; each key can be clicked.

Textual's Footer builds a widget per key and restyles each one at start-up, which costs tens of
milliseconds before the first card appears; this bar is a single line of Content. When the
terminal is too narrow for every key, the least needed go first (:data:`DROP_FIRST`, then from
the end); the keys to answer and decide, help and quit always stay.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.dom import DOMNode
from textual.widgets import Static

ALWAYS = ("show-help", "quit", "answer-yes", "answer-no", "accept-request", "decline-request", "defer-request")
"""Kept however narrow the terminal is (at 60 columns they take 51)."""
DROP_FIRST = ("filter-queue", "previous-card", "confirm-verdict", "undo-decision")
"""Shown while there is room, and the first to go when there is not, in this order: the card's
hint line names Enter when a verdict is certain, and `u` is in the help."""


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

        # Roomy (" y Yes  n No"), else compact ("y Yes n No"), dropping the least needed keys
        # (those of DROP_FIRST, then the last shown, never those of ALWAYS) until the bar fits.
        compact = needed(3) > width
        while needed(2 if compact else 3) > width:
            droppable = [i for i, (b, _, _) in enumerate(keys) if b.id not in ALWAYS]
            if not droppable:
                break
            ranked = [i for dropping in DROP_FIRST for i in droppable if keys[i][0].id == dropping]
            keys.pop((ranked or droppable[::-1])[0])
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

"""What the parts of the triage screen share: the state :class:`TriageScreen` keeps and the methods
it defines, declared once so that each part (:mod:`triage_tools`, :mod:`triage_outcomes`) and the
summary type-check on their own. At run time this is just a Screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from tui.app.app import TuiApp
    from tui.app.queue import TriageQueue
    from tui.app.session import Entry
    from tui.backlog import Analysis, QueueFilter
    from tui.context import QueueContext
    from tui.dedup.match import Match


class TriageBase(Screen[None]):
    if TYPE_CHECKING:
        q: TriageQueue
        analysis: Analysis | None
        confirmed_risks: set[str]
        loaded: bool
        ever: int
        queue_filter: QueueFilter
        waiting_accept: tuple[str, str] | None
        _analysed_contacts: object
        _early: tuple[str, list[tuple[Match, str]], bool] | None
        _queue_context: QueueContext | None
        _analyse_again: bool

        @property
        def tui(self) -> TuiApp: ...

        def render_card(self) -> None: ...

        def say(self, text: str) -> None: ...

        def _start_card(self, answers: dict[str, bool] | None = None) -> None: ...

        def action_decide(self, action: str, until: str = "") -> None: ...

        def undo_entry(self, entry: Entry) -> None: ...

        def _analyse(self) -> None: ...

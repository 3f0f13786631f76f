"""Every decision, newest first, by this session, an earlier one or another process; u undoes the
highlighted one (the store refuses a decision already undone, or overtaken by a newer one on the
same request, and says so)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.app.messages import HistoryChanged, undo_job
from tui.text import clean


class HistoryScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,h", "app.pop_screen", "Back", id="close-history"),
        Binding("u", "undo", "Undo this one", id="undo-history"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Decisions, newest first", id="history-title", markup=False)
        yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("When", "Request", "Action", "Note")
        self._fill()
        table.focus()

    def _fill(self) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        names = {r.id: r.name for r in store.requests()}
        undone = store.undone_ids()
        table = self.query_one(DataTable)
        table.clear()
        for d in reversed(store.decisions()):
            action = f"undo of {d.undoes}" if d.action == "undo" else d.action + (" (undone)" if d.id in undone else "")
            if d.until:
                action += f" until {d.until}"
            table.add_row(Text(d.at.replace("T", " ").rstrip("Z")), Text(clean(names.get(d.request_id, d.request_id), 30)), Text(action), Text(clean(d.note, 30)), key=d.id)

    def action_undo(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        decision_id = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        # The triage screen owns the queue and this session's decisions, so it hears the result
        # (and any refusal); then this table reloads.
        writer = self.app.writer  # type: ignore[attr-defined]
        writer.submit(undo_job(self.app.store, str(decision_id)), self.app.get_screen("triage"))  # type: ignore[attr-defined]
        writer.submit(HistoryChanged, self)

    @on(HistoryChanged)
    def _changed(self) -> None:
        self._fill()

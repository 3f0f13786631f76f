"""Every decision, newest first, by this session, an earlier one or another process; u undoes the
highlighted one (the store refuses a decision already undone, or overtaken by a newer one on the
same request, and says so). A merge or "not the same person" names the other person; a bulk step
is marked as one. The store is read, and the rows worked out, by the store worker, never on the UI
thread (63 ms for 5,000 decisions). Filling the table with them is left on the UI thread: 140-170
ms for 5,000 decisions, a pause once as the screen opens (a table that draws only the rows on
screen, as the contacts' LazyTable does, would remove it)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.app.jobs import undo_job
from tui.app.messages import HistoryChanged, RecordsRead
from tui.app.widgets.lists import KeyTable
from tui.models import Action
from tui.store import NotFound, Store
from tui.text import clean


def history_rows(store: Store) -> list[tuple[str, tuple[str, str, str, str]]]:
    """(decision id, (when, request, action, note)) for every decision, newest first."""
    names = {r.id: r.name for r in store.requests()}
    contacts: dict[str, str] = {}

    def name_of(record_id: str) -> str:
        if record_id.startswith("r"):
            return names.get(record_id, "")
        if record_id not in contacts:
            try:
                contacts[record_id] = store.get(record_id).name  # type: ignore[union-attr]
            except NotFound:  # merged away or never there: no name
                contacts[record_id] = ""
        return contacts[record_id]

    undone = store.undone_ids()
    rows = []
    for d in reversed(store.decisions()):
        if d.action == Action.UNDO:
            action = f"undo of {d.undoes}"
        elif d.action == Action.MERGE:
            action = f"merge into {d.other} {clean(name_of(d.other), 30)}"
        elif d.action == Action.DISTINCT:
            action = f"not the same as {d.other} {clean(name_of(d.other), 30)}"
        else:
            action = d.action
        if d.action != Action.UNDO and d.id in undone:
            action += " (undone)"
        if d.until:
            action += f" until {d.until}"
        if d.group and d.action != Action.UNDO:
            action += f" (step {d.group})"
        rows.append(
            (d.id, (d.at.replace("T", " ").rstrip("Z"), clean(names.get(d.request_id, d.request_id), 30), action, clean(d.note, 30)))
        )
    return rows


class HistoryScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,h", "app.pop_screen", "Back", id="close-history"),
        Binding("u", "undo", "Undo this one", id="undo-history"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Decisions, newest first", id="history-title", markup=False)
        yield KeyTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(KeyTable)
        table.add_columns("When", "Request", "Action", "Note")
        self._read()
        table.focus()

    def _read(self) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        self.app.writer.submit(lambda: RecordsRead("history", history_rows(store)), self)  # type: ignore[attr-defined]

    @on(RecordsRead)
    def _fill(self, message: RecordsRead) -> None:
        if message.what != "history":
            return
        table = self.query_one(KeyTable)
        row = table.cursor_row
        table.clear()
        rows: list[tuple[str, Any]] = message.records
        for key, cells in rows:
            table.add_row(*(Text(c) for c in cells), key=key)
        if rows:
            table.move_cursor(row=min(row, len(rows) - 1))

    def action_undo(self) -> None:
        table = self.query_one(KeyTable)
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
        self._read()

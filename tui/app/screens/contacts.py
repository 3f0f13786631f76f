"""Contacts in a table, searchable without caring about case or accents."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from tui.app.widgets.clean_fields import CleanInput
from tui.dedup.names import fold
from tui.models import Contact
from tui.text import clean

SHOWN = 500


def matches_query(query: str, folded: str) -> bool:
    """Every word of the query is in the contact's folded text, as typed or as a nickname or full
    form of it: "bob fletcher" finds Robert Fletcher, "jose" finds José."""
    from tui.dedup.names import first_name_forms

    words = folded.split()
    for token in fold(query).split():
        if token in folded:
            continue
        if not any(form in words for form in first_name_forms(token)[1:]):
            return False
    return True


class ContactsScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="close-contacts"),
        Binding("slash", "focus_search", "Search", id="search-contacts"),
    ]

    def __init__(self) -> None:
        super().__init__(id="contacts")
        self.contacts: list[Contact] = []
        self.folded: list[str] = []

    def compose(self) -> ComposeResult:
        yield CleanInput(placeholder="search name, company, title, e-mail… (accents and case ignored)", id="contacts-search")
        yield Static("", id="contacts-count", markup=False)
        yield DataTable(id="contacts-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.contacts = self.app.store.contacts()  # type: ignore[attr-defined]
        self.folded = [fold(f"{c.name} {c.company} {c.title} {' '.join(c.emails)}") for c in self.contacts]
        table = self.query_one(DataTable)
        table.add_columns("Name", "Company", "Title", "Source")
        self._fill("")
        table.focus()

    def _fill(self, query: str) -> None:
        hits = [c for c, f in zip(self.contacts, self.folded) if matches_query(query, f)] if query.strip() else self.contacts
        table = self.query_one(DataTable)
        table.clear()
        # Cells are Text, never str: DataTable parses plain strings as markup.
        table.add_rows(
            [Text(clean(c.name, 40)), Text(clean(c.company, 30)), Text(clean(c.title, 30)), Text(clean(c.source, 12))] for c in hits[:SHOWN]
        )
        more = f" (showing the first {SHOWN})" if len(hits) > SHOWN else ""
        self.query_one("#contacts-count", Static).update(f"{len(hits)} of {len(self.contacts)} contacts{more}")

    @on(Input.Changed, "#contacts-search")
    def _search(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#contacts-search")
    def _to_table(self) -> None:
        self.query_one(DataTable).focus()

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

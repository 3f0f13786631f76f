"""Contacts in a table that draws only what is on screen, searchable without caring about case or
accents; typing searches at once. Enter on a row shows the contact. The store is read by the store
worker, never on the UI thread."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from tui.app.messages import RecordsRead, RowChosen
from tui.app.screens.modals import _Modal
from tui.app.widgets.clean_fields import CleanInput
from tui.app.widgets.lazy_table import LazyTable
from tui.dedup.names import fold
from tui.models import Contact
from tui.output import show_lines
from tui.text import clean


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


class ContactScreen(_Modal[object]):
    """One contact, every field, cleaned."""

    def __init__(self, contact: Contact) -> None:
        super().__init__()
        self.contact = contact

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="contact-dialog"):
            yield Static(Content.styled(clean(self.contact.name, 80) or "(no name)", "bold"), classes="dialog-title", markup=False)
            yield Static(Content("\n".join(show_lines(self.contact))), markup=False)
            yield Static("Esc closes", classes="dialog-hint", markup=False)


class ContactsScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="close-contacts"),
        Binding("slash", "focus_search", "Search", id="search-contacts"),
    ]

    def __init__(self) -> None:
        super().__init__(id="contacts")
        self.contacts: list[Contact] = []
        self.folded: list[str] = []
        self.hits: list[Contact] = []

    def compose(self) -> ComposeResult:
        yield CleanInput(
            placeholder="type to search name, company, title, e-mail (accents and case ignored) · ↓ to the list", id="contacts-search"
        )
        yield Static("Reading the contacts…", id="contacts-count", markup=False)
        yield LazyTable((("Name", 3), ("Company", 3), ("Title", 3), ("Source", 1)), id="contacts-table")
        yield Footer()

    def on_mount(self) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        self.app.writer.submit(lambda: RecordsRead("contacts", store.contacts()), self)  # type: ignore[attr-defined]
        self.query_one("#contacts-search", Input).focus()

    @on(RecordsRead)
    def _read(self, message: RecordsRead) -> None:
        if message.what == "contacts":
            self.contacts = message.records
            self.folded = [fold(f"{c.name} {c.company} {c.title} {' '.join(c.emails)}") for c in self.contacts]
            self._fill(self.query_one("#contacts-search", Input).value)

    def _fill(self, query: str) -> None:
        self.hits = (
            [c for c, f in zip(self.contacts, self.folded, strict=True) if matches_query(query, f)] if query.strip() else self.contacts
        )
        self.query_one(LazyTable).set_rows(
            [(clean(c.name, 60), clean(c.company, 60), clean(c.title, 60), clean(c.source, 20)) for c in self.hits]
        )
        self.query_one("#contacts-count", Static).update(f"{len(self.hits)} of {len(self.contacts)} contacts · Enter shows one")

    @on(Input.Changed, "#contacts-search")
    def _search(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#contacts-search")
    def _to_table(self) -> None:
        self.query_one(LazyTable).focus()

    def key_down(self) -> None:
        if self.focused is self.query_one("#contacts-search"):
            self.query_one(LazyTable).focus()

    @on(RowChosen)
    def _chosen(self, event: RowChosen) -> None:
        if event.index < len(self.hits):
            self.app.push_screen(ContactScreen(self.hits[event.index]))

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

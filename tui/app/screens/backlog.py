"""The backlog's dialogs: narrow the queue (filter), decide all it shows in one step (bulk), and
this session's decisions, any one of which can be undone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.app.screens.modals import _Modal
from tui.app.session import Entry, Session
from tui.app.widgets.clean_fields import CleanInput
from tui.app.widgets.lists import KeyTable, ReadableOptionList
from tui.backlog import QueueFilter
from tui.context import FLAG_CODES
from tui.models import Request
from tui.text import clean

if TYPE_CHECKING:
    from tui.backlog import Analysis

MATCH_WORDS = {
    "any": "With a match",
    "impersonation": "Possible impersonators",
    "identical": "Already a contact",
    "likely": "Likely the same person",
    "possible": "Possible matches",
    "none": "No match at all",
}
FLAG_WORDS = {
    "no-message": "no message",
    "generic": "a generic message",
    "mass-sent": "mass-sent (the same message as others)",
    "sales-pitch": "a sales pitch",
    "buzzwords": "a headline of buzzwords",
    "new-profile": "a new profile for a known name",
    "huge-network": "a huge network",
    "no-mutual": "no mutual connections",
}
AGES = (
    ("older than 30 days", {"older_than": 30}),
    ("older than 90 days", {"older_than": 90}),
    ("in the last 7 days", {"newer_than": 7}),
)
CLEAR = {"source": "", "flag": "", "match": "", "older_than": None, "newer_than": None, "group": ""}


class FilterScreen(_Modal[object]):
    """Each way to narrow the queue, with how many it would show. A choice narrows what is already
    chosen (a network and a red flag, say); "Everything" shows the whole queue again."""

    def __init__(self, items: list[Request], current: Request | None, analysis: Analysis | None, today: str, chosen: QueueFilter) -> None:
        super().__init__()
        self.items, self.current, self.analysis, self.today, self.chosen = items, current, analysis, today, chosen
        self.choices: dict[str, QueueFilter] = {}

    def _option(self, key: str, words: str, change: dict[str, Any]) -> Option:
        candidate = replace(self.chosen, **change) if change != CLEAR else QueueFilter()
        needs = candidate.needs_analysis and self.analysis is None
        count = "checking…" if needs else str(len(candidate.apply(self.items, self.analysis, self.today)))
        self.choices[key] = candidate
        return Option(Content.assemble(words, (f"  {count}", "dim")), id=key, disabled=needs or count == "0")

    def compose(self) -> ComposeResult:
        options = [self._option("all", "Everything: the whole queue", CLEAR)]
        if self.current is not None and self.analysis is not None and self.analysis.group(self.current):
            options.append(self._option("group", "The same message as this card", {"group": self.analysis.group(self.current)}))
        sources = sorted({r.source.strip().casefold() for r in self.items if r.source.strip()})
        options += [self._option(f"source:{s}", f"Only {clean(s, 30)}", {"source": s}) for s in sources]
        options += [self._option(f"match:{k}", words, {"match": k}) for k, words in MATCH_WORDS.items()]
        options += [self._option(f"flag:{code}", f"Red flag: {FLAG_WORDS.get(code, code)}", {"flag": code}) for code in FLAG_CODES]
        options += [
            self._option(f"age:{i}", f"Sent {words}", {"older_than": None, "newer_than": None, **change})
            for i, (words, change) in enumerate(AGES)
        ]
        with Vertical(classes="dialog"):
            now = self.chosen.words() or "the whole queue"
            yield Label(Content(f"Show… (now: {now})"), classes="dialog-title", markup=False)
            yield ReadableOptionList(*options, id="filter-options")
            yield Static("Enter narrows to it · Esc closes · B then decides all shown in one step", classes="dialog-hint", markup=False)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option.id or "all"])


class BulkScreen(_Modal[object]):
    """Every request the filter shows, to review, then one step for all of them with one note. The
    buttons start on Cancel: Enter out of habit decides nothing."""

    def __init__(self, requests: list[Request], words: str, today: date) -> None:
        super().__init__()
        self.requests, self.words, self.today = requests, words, today

    def compose(self) -> ComposeResult:
        count = len(self.requests)
        with Vertical(classes="dialog", id="bulk-dialog"):
            yield Label(Content(f"Decide all {count} shown ({self.words}) in one step"), classes="dialog-title", markup=False)
            yield ReadableOptionList(
                *[
                    Option(
                        Content.assemble(
                            clean(r.name, 40), ("  " + clean(r.company, 30) + "  " + clean(r.message.replace("\n", " "), 60), "dim")
                        ),
                        id=r.id,
                    )
                    for r in self.requests
                ],
                id="bulk-list",
            )
            yield CleanInput(placeholder="one note for all of them (optional)", id="bulk-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("Cancel"), id="bulk-cancel", variant="primary")
                yield Button(Content(f"Decline all {count}"), id="bulk-decline", variant="error")
                yield Button(Content(f"Defer all {count} a week"), id="bulk-defer")
            yield Static(
                "Tab to a button, Enter · one undo (u) takes the whole step back · Esc cancels", classes="dialog-hint", markup=False
            )

    def on_mount(self) -> None:
        self.query_one("#bulk-cancel", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        note = self.query_one("#bulk-note", Input).value.strip()
        if event.button.id == "bulk-decline":
            self.dismiss(("decline", note, ""))
        elif event.button.id == "bulk-defer":
            self.dismiss(("defer", note, (self.today + timedelta(days=7)).isoformat()))
        else:
            self.dismiss(None)


STATE = {True: "saved", False: "saving…"}


class SessionScreen(_Modal[object]):
    """Every decision made since launch, newest first; `u` (or Enter) undoes the highlighted one."""

    BINDINGS = [Binding("u,enter", "undo", "Undo this one", id="undo-session")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.rows: dict[str, Entry] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="session-dialog"):
            yield Label(f"This session: {len(self.session)} decided", classes="dialog-title", markup=False)
            table = KeyTable(id="session-table", cursor_type="row", zebra_stripes=True)
            table.add_columns("#", "Action", "Request", "State")
            for n, entry in reversed(list(enumerate(self.session.entries, 1))):
                who = clean(entry.request.name, 40)
                if len(entry.requests) > 1:
                    who = f"{len(entry.requests)} requests: {who}, …"
                action = entry.action + (f" {entry.other}" if entry.other else "")
                state = "undoing…" if entry.undoing else STATE[entry.decision_id is not None]
                self.rows[str(n)] = entry
                table.add_row(Text(str(n)), Text(action), Text(who), Text(state), key=str(n))
            yield table
            yield Static(
                "u or Enter undoes the highlighted decision · j/k move · Esc closes"
                if self.session.entries
                else "Nothing decided yet in this session.",
                classes="dialog-hint",
                markup=False,
            )

    def action_undo(self) -> None:
        table = self.query_one(KeyTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self.dismiss(self.rows.get(str(key)))

"""Duplicate contacts, one group at a time: a side-by-side table of the members' fields, where
Enter keeps the highlighted value of its field (for a list, every member's is kept until one is
chosen). ``g`` merges the group, ``x`` records that they are not the same people (never suggested
again), ``s`` skips it, ``u`` undoes this screen's last merge or "not the same".

Optimistic, like the card: a key moves on at once and hands the write to the store writer, whose
message (:class:`ContactsMerged`, :class:`ContactsUndone`, ``StoreFailed``) confirms it or puts the
group back. Every value shown is a stranger's text: cleaned, and never markup."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.app.contact_review import FIELDS, ContactReview, Done
from tui.app.messages import ContactGroupsFound, ContactsMerged, ContactsUndone, StoreFailed
from tui.store.contact_merge import ALL
from tui.text import clean

if TYPE_CHECKING:
    from tui.app.app import TuiApp


def cell(value: Any, kept: bool) -> Text:
    """One value of one member, cleaned; the kept one marked in words, not only in colour."""
    items = value if isinstance(value, list) else [value] if value else []
    text = "\n".join(clean(str(v), 200) for v in items) or "–"
    return Text(("✓ " if kept else "  ") + text, style="bold" if kept else "")


class ContactGroupsScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="close-dedup-contacts"),
        Binding("g", "merge", "Merge", id="merge-contacts"),
        Binding("x", "distinct", "Not the same", id="distinct-contacts"),
        Binding("s", "skip", "Skip", id="skip-group"),
        Binding("u", "undo", "Undo", id="undo-contacts"),
        Binding("enter", "keep", "Keep this value", id="keep-value", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.review: ContactReview | None = None

    @property
    def tui(self) -> TuiApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static("Duplicate contacts: looking…", id="dedup-title", markup=False)
        yield Static("", id="dedup-reasons", markup=False)
        yield DataTable(id="dedup-table", cursor_type="cell", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self._find()

    @work(thread=True, exclusive=True, group="contact-groups")
    def _find(self) -> None:
        """Read the store in a worker, never on the UI thread."""
        from tui.dedup.contact_groups import find_groups
        from tui.dedup.match import Thresholds

        store, settings = self.tui.store, self.tui.settings
        likely = settings.likely_threshold
        found = find_groups(store.contact_keys(), Thresholds(likely, likely), store.distinct_contacts())
        docs = store.contact_docs({cid for group in found for cid in group.members})
        self.post_message(ContactGroupsFound(found, docs))

    @on(ContactGroupsFound)
    def _found(self, message: ContactGroupsFound) -> None:
        if message.groups is None:  # fresh fields of some members
            if self.review is not None:
                self.review.docs.update(message.docs)
                self.render_group()
            return
        done = self.review.done if self.review is not None else []  # `u` still reaches what this visit did
        self.review = ContactReview(message.groups, message.docs, done=[step for step in done if step.decision_id])
        self.render_group()
        self.query_one(DataTable).focus()

    # -- rendering -----------------------------------------------------------------------------

    def render_group(self) -> None:
        review, table = self.review, self.query_one(DataTable)
        title, reasons = self.query_one("#dedup-title", Static), self.query_one("#dedup-reasons", Static)
        table.clear(columns=True)
        if review is None:
            return
        group = review.current
        if group is None:
            title.update(Text(f"Duplicate contacts: none left to review ({len(review.done)} done this time)"))
            reasons.update(Text("Esc goes back; u undoes the last merge or 'not the same'."))
            return
        count = len(review.groups)
        title.update(Text(f"Duplicate contacts · group {review.position + 1} of {count} · {group.kind} {group.score} · "
                          f"{len(group.members)} contacts"))
        reasons.update(Text("\n".join(clean(r, 200) for r in group.reasons[:3]) + (f"\n… {len(group.reasons) - 3} more" if len(group.reasons) > 3 else "")))
        table.add_column(Text("Field"), key="field", width=15)
        width = max(12, (self.size.width - 20) // len(group.members) - 2)  # every member side by side
        for member in group.members:
            table.add_column(Text(member), key=member, width=width)
        for name, label in FIELDS:
            kept = review.kept(name)
            row = [cell(review.docs.get(m, {}).get(name), kept in (m, ALL)) for m in group.members]
            table.add_row(Text(label + (" (all)" if kept == ALL else "")), *row, key=name, height=None)

    # -- actions -------------------------------------------------------------------------------

    def action_keep(self) -> None:
        review, table = self.review, self.query_one(DataTable)
        group = review.current if review else None
        if group is None or not table.row_count:
            return
        row, column = table.cursor_coordinate
        if column == 0:
            return
        name = FIELDS[row][0]
        review.choose(name, group.members[column - 1])  # type: ignore[union-attr]
        self.render_group()
        table.move_cursor(row=row, column=column)

    def action_skip(self) -> None:
        if self.review is not None and self.review.current is not None:
            self.review.skip()
            self.render_group()

    def action_merge(self) -> None:
        review = self.review
        group = review.current if review else None
        if group is None:
            return
        if group.kind not in ("identical", "likely"):
            from tui.app.screens.modals import ConfirmScreen

            names = ", ".join(f"{m} {clean(str(review.docs.get(m, {}).get('name', '')), 40)}" for m in group.members)  # type: ignore[union-attr]
            risk = f"{names} share no e-mail address, profile or id, and their names match only as possible: they may be different people."
            self.app.push_screen(ConfirmScreen("Merge these contacts?", risk, "Merge"), lambda ok: self._merge() if ok else None)
            return
        self._merge()

    def _merge(self) -> None:
        review = self.review
        assert review is not None
        choices, store = review.choices(), self.tui.store
        step = review.take()
        self.render_group()
        self.tui.writer.submit(lambda: ContactsMerged(step, store.merge_contacts(step.group.members, choices)), self)

    def action_distinct(self) -> None:
        review = self.review
        if review is None or review.current is None:
            return
        store = self.tui.store
        step = review.take()
        self.render_group()
        self.tui.writer.submit(lambda: ContactsMerged(step, store.mark_contacts_distinct(step.group.members)), self)

    def action_undo(self) -> None:
        review = self.review
        step = review.last() if review else None
        if step is None or step.decision_id is None:
            self.notify("Nothing to undo here.", markup=False)
            return
        store, decision_id = self.tui.store, step.decision_id
        review.put_back(step)  # type: ignore[union-attr]
        self.render_group()
        self.tui.writer.submit(lambda: ContactsUndone(step, store.undo(decision_id)), self)

    # -- what the store writer says ------------------------------------------------------------

    @on(ContactsMerged)
    def _saved(self, message: ContactsMerged) -> None:
        message.step.decision_id = message.decision.id
        what = "Merged" if message.decision.action == "merge-contacts" else "Not the same people:"
        self.notify(f"{what} {', '.join(message.step.group.members)} ({message.decision.id}); u undoes it.", markup=False)

    @on(ContactsUndone)
    def _undone(self, message: ContactsUndone) -> None:
        self.notify(f"Undid {message.undo.undoes}: {', '.join(message.step.group.members)} are back.", markup=False)
        self._reload(message.step)

    def _reload(self, step: Done) -> None:
        """The members' fields, as the undo gave them back (read by a worker, not this thread)."""
        store, members = self.tui.store, step.group.members
        self.tui.writer.submit(lambda: ContactGroupsFound(None, store.contact_docs(members)), self)

    @on(StoreFailed)
    def _failed(self, message: StoreFailed) -> None:
        """A merge, "not the same" or undo did not land (another process changed these contacts
        meanwhile, a full disk): say why, and show the groups as the store now has them."""
        self.notify(f"Not saved: {message.error}", severity="error", markup=False)
        self._find()

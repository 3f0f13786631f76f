"""Duplicate contacts, one group at a time: a side-by-side table of the members' fields, where
Enter keeps the highlighted value of its field (a list keeps every member's items; Enter chooses
whose come first). ``g`` merges the group, ``x`` records that they are not the same people (never suggested
again), ``s`` skips it, ``u`` undoes the last merge or "not the same" (this visit's, else the
newest in the stored history: after a restart too). Groups come best first.

Each group is read again from the store before it is shown (by the writer, not this thread): a
group whose member another process merged away meanwhile is dropped, the user is told where that
member went, and the groups are looked for again. A merge itself re-checks its members under the
store's lock, and one that finds a member gone is refused and said so (``StoreFailed``).

Optimistic, like the card: a key moves on at once and hands the write to the store writer, whose
message (:class:`ContactsMerged`, :class:`ContactsUndone`, ``StoreFailed``) confirms it or puts the
group back. Every value shown is a stranger's text: cleaned, and never markup."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui.app.contact_review import FIELDS, ContactReview, Done
from tui.app.messages import ContactGroupChecked, ContactGroupsFound, ContactsMerged, ContactsUndone, StoreFailed
from tui.app.widgets.key_bar import KeyBar
from tui.dedup.contact_groups import Group, contact_id_key, doubt_words, doubted
from tui.store.contact_merge import ALL, LIST_FIELDS
from tui.text import clean

if TYPE_CHECKING:
    from tui.app.app import TuiApp


def cell(value: Any, kept: bool) -> Text:
    """One value of one member, cleaned; the kept one marked in words, not only in colour."""
    items = value if isinstance(value, list) else [value] if value else []
    text = "\n".join(clean(str(v), 200) for v in items) or "–"
    return Text(("✓ " if kept else "  ") + text, style="bold" if kept else "")


class ValuesTable(DataTable[Text]):
    """The side-by-side table. Enter is its own binding (it selects the cell: :meth:`ContactGroupsScreen._selected`),
    not a priority one of the screen's: a cursor move read with it (``→⏎`` in one read over a laggy
    link) goes through the app's bindings first, in the order typed, and Enter acts on the cell the
    cursor is then on. A priority binding would run before the move."""

    BINDINGS = [Binding("enter", "select_cursor", "Keep", id="keep-value")]


class ContactGroupsScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", show=False, id="close-dedup-contacts"),  # as everywhere; listed in help
        Binding("g", "merge", "Merge", id="merge-contacts"),
        Binding("x", "distinct", "Not same", id="distinct-contacts"),  # short labels: the key bar fits 60 columns
        Binding("s", "skip", "Skip", id="skip-group"),
        Binding("u", "undo", "Undo", id="undo-contacts"),
        Binding("enter", "keep", "Keep", show=False, id="keep-value"),  # the palette's; the key is the table's (ValuesTable)
    ]

    def __init__(self) -> None:
        super().__init__()
        self.review: ContactReview | None = None
        self._checked: Group | None = None
        """The group last read again before it was shown."""
        self._show_first: list[str] | None = None
        """Members of a group to show first once the groups are found again (one an undo gave back)."""

    @property
    def tui(self) -> TuiApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static("Duplicate contacts: looking…", id="dedup-title", markup=False)
        yield Static("", id="dedup-reasons", markup=False)
        yield ValuesTable(id="dedup-table", cursor_type="cell", zebra_stripes=True)
        yield KeyBar()  # as the card's: from 60 columns it keeps every key, help and quit

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
        old = self.review
        done = old.done if old is not None else []  # `u` still reaches what this visit did
        self.review = ContactReview(message.groups, message.docs, done=[step for step in done if step.decision_id])
        members = [g.members for g in message.groups]
        if self._show_first in members:
            self.review.position = members.index(self._show_first)
        elif old is not None and message.groups:  # found again: stay about where the user was
            self.review.position = min(old.position, len(message.groups) - 1)
        self._show_first, self._checked = None, None
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
        number, count = review.counter()
        title.update(Text(f"Duplicate contacts · group {number} of {count} · {group.kind} {group.score} · {len(group.members)} contacts"))
        reasons.update(
            Text(
                "\n".join(clean(r, 200) for r in group.reasons[:3])
                + (f"\n… {len(group.reasons) - 3} more" if len(group.reasons) > 3 else "")
            )
        )
        table.add_column(Text("Field"), key="field", width=15)
        width = max(12, (self.size.width - 20) // len(group.members) - 2)  # every member side by side
        for member in group.members:
            table.add_column(Text(member), key=member, width=width)
        for name, label in FIELDS:
            kept = review.kept(name)
            row = [cell(review.docs.get(m, {}).get(name), kept in (m, ALL)) for m in group.members]
            table.add_row(
                Text(label + (" (all)" if kept == ALL else " (first)" if name in LIST_FIELDS else "")), *row, key=name, height=None
            )
        if group is not self._checked:
            self._check(group)

    def _check(self, group: Group) -> None:
        """Read ``group`` again (the writer does): its members' fields now, and where any that is gone went."""
        self._checked, store = group, self.tui.store

        def read() -> ContactGroupChecked:
            docs = store.contact_docs(group.members)
            return ContactGroupChecked(group, docs, {m: store.merged_into(m) for m in group.members if m not in docs})

        self.tui.writer.submit(read, self)

    @on(ContactGroupChecked)
    def _group_checked(self, message: ContactGroupChecked) -> None:
        review = self.review
        if review is None or not any(g is message.group for g in review.groups):
            return
        if message.gone:
            review.drop(message.group)
            gone = "; ".join(f"{m} was {where[2:]}" if where else f"{m} is no longer a contact" for m, where in message.gone.items())
            self.notify(
                f"The group {', '.join(message.group.members)} changed meanwhile ({gone}): looking for the groups again.", markup=False
            )
            self.render_group()
            self._find()
            return
        fresh = {m: doc for m, doc in message.docs.items() if review.docs.get(m) != doc}
        if fresh:
            review.docs.update(fresh)
            if review.current is message.group:
                self.render_group()

    # -- actions -------------------------------------------------------------------------------

    def action_keep(self) -> None:
        """Keep the value under the table's cursor (from the palette; Enter selects the cell)."""
        self._keep_at(self.query_one(DataTable).cursor_coordinate)

    @on(DataTable.CellSelected)
    def _selected(self, event: DataTable.CellSelected) -> None:
        """Enter (or a click) on a cell: keep its value, the cell's the table selected, as it was then."""
        event.stop()
        self._keep_at(event.coordinate)

    def _keep_at(self, where: Coordinate) -> None:
        review, table = self.review, self.query_one(DataTable)
        group = review.current if review else None
        if group is None or not table.row_count:
            return
        row, column = where
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
        doubts = group.doubts or doubted(group.members, group.links)  # as `tui merge-contacts` checks: every pair
        if doubts:
            from tui.app.screens.modals import ConfirmScreen

            docs = review.docs  # type: ignore[union-attr]
            names = doubt_words(doubts, lambda m: f"{m} {clean(str(docs.get(m, {}).get('name', '')), 40)}")
            risk = (
                f"{names} share no e-mail address, profile or id, and their names match only as possible, "
                "if at all: they may be different people."
            )
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
        review, store = self.review, self.tui.store
        step = review.last() if review else None
        if step is None or step.decision_id is None:  # nothing of this visit's: the newest in the history

            def from_history() -> ContactsUndone:
                undone = store.undo_last_contacts()
                if undone is None:
                    return ContactsUndone(None, None)
                target, undo = undone
                return ContactsUndone(Done(Group([target.request_id, *target.other.split()]), target.id), undo)

            self.tui.writer.submit(from_history, self)
            return
        decision_id = step.decision_id
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
        if message.undo is None:
            self.notify("Nothing to undo: the history holds no merge of contacts or 'not the same' in force.", markup=False)
            return
        self.notify(f"Undid {message.undo.undoes}: {', '.join(message.step.group.members)} are back.", markup=False)
        if self.review is not None and any(g is message.step.group for g in self.review.groups):  # put back by u
            self._reload(message.step)
        else:  # undone from the history: its group is found again, and shown first
            self._show_first = sorted(message.step.group.members, key=contact_id_key)
            self._find()

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

"""Small modal screens: defer, edit notes and tags, matches, a risky step confirmed, search."""

from __future__ import annotations

from typing import TYPE_CHECKING

from datetime import date, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from tui.app.widgets.clean_fields import CleanInput, CleanTextArea
from tui.app.widgets.match_panel import label
from tui.models import Request
from tui.text import clean, clean_multiline

if TYPE_CHECKING:  # matching (and rapidfuzz) loads after the first card is drawn
    from tui.dedup.match import Match


class _Modal(ModalScreen[object]):
    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="close-dialog")]

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class DeferScreen(_Modal):
    """Defer until a date: tomorrow, next week, next month, or one typed in."""

    PRESETS = (("tomorrow", "Tomorrow", 1), ("next-week", "Next week", 7), ("next-month", "Next month", 30))

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Defer until…", classes="dialog-title")
            yield OptionList(
                *[Option(f"{label} ({(self.today + timedelta(days=days)).isoformat()})", id=key) for key, label, days in self.PRESETS],
                id="defer-presets",
            )
            yield CleanInput(placeholder="or a date: YYYY-MM-DD, Enter", id="defer-date")

    @on(OptionList.OptionSelected)
    def _preset(self, event: OptionList.OptionSelected) -> None:
        days = {key: d for key, _, d in self.PRESETS}[event.option.id or "next-week"]
        self.dismiss((self.today + timedelta(days=days)).isoformat())

    @on(Input.Submitted, "#defer-date")
    def _typed(self, event: Input.Submitted) -> None:
        try:
            when = date.fromisoformat(event.value.strip())
        except ValueError:
            self.notify("Use a date like 2026-12-24.", severity="warning", markup=False)
            return
        if when <= self.today:
            self.notify("Pick a date after today.", severity="warning", markup=False)
            return
        self.dismiss(when.isoformat())


class EditScreen(_Modal):
    """Notes and tags of a request. Ctrl+S saves.

    The fields show the stored text cleaned (an Input and a TextArea draw what they hold, escape
    sequences included). A field the user did not change is saved as the stored original, so
    opening and saving the dialog loses nothing; a changed field is saved as it stands."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", id="save-notes")]

    def __init__(self, request: Request) -> None:
        super().__init__()
        self.request = request
        self.shown_tags = ", ".join(clean(tag, None) for tag in request.tags)
        self.shown_notes = clean_multiline(request.notes, None)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(f"Notes and tags: {clean(self.request.name, 50)}"), classes="dialog-title", markup=False)
            yield CleanInput(self.shown_tags, placeholder="tags, comma separated", id="edit-tags")
            yield CleanTextArea(self.shown_notes, id="edit-notes")
            yield Static("Ctrl+S saves · Esc cancels", classes="dialog-hint", markup=False)

    def action_save(self) -> None:
        typed_tags = self.query_one("#edit-tags", Input).value
        typed_notes = self.query_one("#edit-notes", TextArea).text
        tags = list(self.request.tags) if typed_tags == self.shown_tags else [t.strip() for t in typed_tags.split(",") if t.strip()]
        notes = self.request.notes if typed_notes == self.shown_notes else typed_notes
        self.dismiss((notes, tags))


class MatchScreen(_Modal):
    """Every match for the request, with reasons. The user, never the app, merges or tells apart."""

    BINDINGS = [
        Binding("g", "merge", "Merge into", id="merge-match"),
        Binding("x", "distinct", "Not the same", id="distinct-match"),
    ]

    def __init__(self, request: Request, matches: list[tuple[Match, str]]) -> None:
        super().__init__()
        self.request, self.matches = request, matches

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(f"Matches for {clean(self.request.name, 50)}"), classes="dialog-title", markup=False)
            if not self.matches:
                yield Static("No contact or pending request looks like this person.", markup=False)
            else:
                yield OptionList(
                    *[
                        Option(
                            Content.assemble(
                                (label(match), f"bold $match-{match.kind}"),
                                f"  {match.score}  {match.other_id}  ",
                                clean(name, 40),
                                "\n   ",
                                ("; ".join(clean(r, 80) for r in match.reasons), "dim"),
                            ),
                            id=match.other_id,
                        )
                        for match, name in self.matches
                    ],
                    id="match-list",
                )
            yield Static("g merge into the highlighted record · x not the same person · Esc closes", classes="dialog-hint", markup=False)

    def _highlighted(self) -> str | None:
        options = self.query(OptionList)
        if not options or options.first().highlighted is None:
            return None
        return options.first().get_option_at_index(options.first().highlighted).id

    def action_merge(self) -> None:
        other = self._highlighted()
        if other is None:
            return
        risky = impersonated(self.matches)
        if not risky:
            self.dismiss(("merge", other))
            return
        risk = impersonation_risk(self.request, risky, f"Merging gives {other} this stranger's profile: every later "
                                  "request from it would look like your contact, already known.")
        self.app.push_screen(ConfirmScreen("Merge a possible impersonator?", risk, "Merge anyway"),
                             lambda sure: sure and self.dismiss(("merge", other)))

    def action_distinct(self) -> None:
        other = self._highlighted()
        if other is not None:
            self.dismiss(("distinct", other))


def impersonated(matches: list[tuple[Match, str]]) -> list[tuple[Match, str]]:
    """The contacts a request may impersonate (look-alike letters, a cloned profile)."""
    return [(m, name) for m, name in matches if m.kind == "impersonation"]


def impersonation_risk(request: Request, risky: list[tuple[Match, str]], consequence: str) -> str:
    """The risk in words: who may be impersonated, why it looks so, and what the step would do."""
    who = "; ".join(f"{m.other_id} {clean(name, 40)} ({', '.join(clean(r, 80) for r in m.reasons)})" for m, name in risky)
    return f"{clean(request.name, 50)} may be impersonating your contact {who}. {consequence}"


class ConfirmScreen(_Modal):
    """A risky step, with the risk named. Enter starts on Cancel, so a key pressed out of habit never
    confirms: Tab (or →) to the confirm button, then Enter. Dismisses with True only when confirmed."""

    def __init__(self, title: str, risk: str, confirm: str) -> None:
        super().__init__()
        self.title_text, self.risk, self.confirm = title, risk, confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.title_text), classes="dialog-title", markup=False)
            yield Static(Content(self.risk), id="confirm-risk", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("Cancel"), id="confirm-cancel", variant="primary")
                yield Button(Content(self.confirm), id="confirm-ok", variant="error")
            yield Static("Tab then Enter confirms · Enter or Esc cancels", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#confirm-cancel", Button).focus()

    def key_right(self) -> None:
        self.focus_next()

    def key_left(self) -> None:
        self.focus_previous()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-ok")

    def action_dismiss_none(self) -> None:
        self.dismiss(False)


class SearchScreen(_Modal):
    """Find a request in the queue by name, company or title; Enter jumps to it."""

    def __init__(self, queue: list[Request]) -> None:
        super().__init__()
        self.queue = queue

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield CleanInput(placeholder="search the queue…", id="search-input")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, text: str) -> None:
        from tui.app.screens.contacts import matches_query
        from tui.dedup.names import fold

        results = self.query_one(OptionList)
        results.clear_options()
        hits = [r for r in self.queue if matches_query(text, fold(f"{r.name} {r.company} {r.title}"))][:50]
        results.add_options(Option(Content(f"{clean(r.name, 40)} — {clean(r.company, 30)}"), id=r.id) for r in hits)
        if hits:
            results.highlighted = 0

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        results = self.query_one(OptionList)
        if results.highlighted is not None:
            self.dismiss(results.get_option_at_index(results.highlighted).id)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def key_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def key_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()


class ReplyScreen(_Modal):
    """Reply templates, filled in for this sender. Choosing one copies it to the clipboard (OSC 52,
    where the terminal allows) and shows it for copying by hand; Enter then marks the request as
    asked and waiting for a reply."""

    BINDINGS = [Binding("enter", "done", "Asked", show=False, id="reply-sent")]

    def __init__(self, request: Request, templates: list[tuple[str, str]]) -> None:
        super().__init__()
        self.request = request
        self.templates = templates
        self.chosen: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(f"Reply to {clean(self.request.name, 50)}"), classes="dialog-title", markup=False)
            yield OptionList(*[Option(Content(clean(name, 40)), id=str(i)) for i, (name, _) in enumerate(self.templates)], id="reply-templates")
            yield Static("", id="reply-text", markup=False)
            yield Static("Pick a template · Enter marks the request as asked · Esc cancels", classes="dialog-hint", markup=False)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.chosen = self.templates[int(event.option.id or 0)][1]
        self.app.copy_to_clipboard(self.chosen)
        self.query_one("#reply-text", Static).update(
            Content.assemble(clean_multiline(self.chosen, 2000), ("\n\nCopied to the clipboard where the terminal allows it; copy it from here otherwise.", "dim"))
        )
        self.query_one("#reply-templates", OptionList).disabled = True  # Enter now means "asked"

    def action_done(self) -> None:
        if self.chosen is not None:
            self.dismiss(self.chosen)

"""Small modal screens: defer, edit notes and tags, matches, a risky step confirmed, search."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from tui.app.widgets.clean_fields import CleanInput, CleanTextArea
from tui.app.widgets.lists import ReadableOptionList
from tui.app.widgets.match_panel import label
from tui.defer import PRESETS
from tui.models import Request
from tui.text import clean, clean_multiline

if TYPE_CHECKING:  # matching (and rapidfuzz) loads after the first card is drawn
    from tui.dedup.match import Match


ResultT = TypeVar("ResultT")


class _Modal(ModalScreen[ResultT | None]):
    """A dialog; Escape dismisses it with None. ``ResultT``: what it dismisses with otherwise."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="close-dialog")]

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class DeferScreen(_Modal[str]):
    """Defer until a date: a preset (:data:`tui.defer.PRESETS`), or one typed in."""

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Defer until…", classes="dialog-title")
            yield OptionList(
                *[Option(f"{label} ({(self.today + timedelta(days=days)).isoformat()})", id=key) for key, label, days in PRESETS],
                id="defer-presets",
            )
            yield CleanInput(placeholder="or a date: YYYY-MM-DD, Enter", id="defer-date")

    @on(OptionList.OptionSelected)
    def _preset(self, event: OptionList.OptionSelected) -> None:
        days = {key: d for key, _, d in PRESETS}[event.option.id or "next-week"]
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


class EditScreen(_Modal[tuple[str, list[str]]]):
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


def _short_url(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/")


def compare_rows(request: Request, other: Any) -> list[tuple[str, str, str]]:
    """(what, the request's value, the candidate's value) for each thing worth comparing."""
    when = getattr(other, "connected_on", "") or getattr(other, "sent_at", "")[:10]
    return [
        ("name", request.name, getattr(other, "name", "")),
        ("company", request.company, getattr(other, "company", "")),
        ("title", request.title, getattr(other, "title", "")),
        ("e-mails", ", ".join(request.emails), ", ".join(getattr(other, "emails", []))),
        ("URLs", ", ".join(map(_short_url, request.urls)), ", ".join(map(_short_url, getattr(other, "urls", [])))),
        ("network", request.source, getattr(other, "source", "")),
        ("sent/connected" if getattr(other, "connected_on", "") else "sent", request.sent_at[:10], when),
    ]


class MatchScreen(_Modal[object]):
    """Every match for the request, side by side with the request's own values (company, title,
    e-mails, URLs, network, connected on), with the reasons. The user, never the app, merges or
    tells apart."""

    BINDINGS = [
        Binding("g", "merge", "Merge into", id="merge-match"),
        Binding("x", "distinct", "Not the same", id="distinct-match"),
    ]

    def __init__(self, request: Request, matches: list[tuple[Match, str]], others: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.request, self.matches, self.others = request, matches, others or {}

    def _prompt(self, match: Match, name: str) -> Content:
        width = max(10, (min(self.app.size.width, 110) - 30) // 2)  # two columns beside the labels, inside the dialog
        head = Content.assemble((label(match), f"bold $match-{match.kind}"), f"  {match.score}  {match.other_id}  ", clean(name, 50))
        lines = [head, Content.assemble((f"   {'':<14} ", "dim"), (f"{'this request':<{width}} ", "bold"), (f"{match.other_id}", "bold"))]
        other = self.others.get(match.other_id)
        for what, mine, theirs in compare_rows(self.request, other) if other is not None else ():
            same = bool(mine) and clean(mine).casefold() == clean(theirs).casefold()  # whole values: cut short, two URLs could look one
            mine, theirs = clean(mine, width - 1) or "—", clean(theirs, width - 1) or "—"
            lines.append(Content.assemble((f"   {what:<14} ", "dim"), f"{mine:<{width}} ", theirs, (" =" if same else "", "dim")))
        lines.append(Content.assemble(("   why: ", "dim"), ("; ".join(clean(r, 80) for r in match.reasons), "dim")))
        return Content("\n").join(lines)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="match-dialog"):
            yield Label(Content(f"Matches for {clean(self.request.name, 50)}"), classes="dialog-title", markup=False)
            if not self.matches:
                yield Static("No contact or pending request looks like this person.", markup=False)
            else:
                yield ReadableOptionList(*[Option(self._prompt(m, name), id=m.other_id) for m, name in self.matches], id="match-list")
            yield Static(
                "g merge into the highlighted record · x not the same person · j/k move · Esc closes", classes="dialog-hint", markup=False
            )

    def _highlighted(self) -> str | None:
        options = self.query(OptionList)
        highlighted = options.first().highlighted if options else None
        return None if highlighted is None else options.first().get_option_at_index(highlighted).id

    def action_merge(self) -> None:
        other = self._highlighted()
        if other is None:
            return
        risky = impersonated(self.matches)
        if not risky:
            self.dismiss(("merge", other))
            return
        risk = impersonation_risk(
            self.request,
            risky,
            f"Merging gives {other} this stranger's profile: every later request from it would look like your contact, already known.",
        )
        self.app.push_screen(
            ConfirmScreen("Merge a possible impersonator?", risk, "Merge anyway"), lambda sure: sure and self.dismiss(("merge", other))
        )

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


class ConfirmScreen(_Modal[bool]):
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


class SearchScreen(_Modal[str]):
    """Find a request in the queue by name, company or title; Enter jumps to it."""

    def __init__(self, queue: list[Request]) -> None:
        super().__init__()
        self.queue = queue
        self.folded: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield CleanInput(placeholder="search the queue…", id="search-input")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        from tui.app.screens.contacts import searched_text

        self.folded = [searched_text(r.name, r.company, r.title) for r in self.queue]  # once, not at every key
        self._fill("")

    def _fill(self, text: str) -> None:
        from tui.app.screens.contacts import query_test

        results = self.query_one(OptionList)
        results.clear_options()
        test = query_test(text)
        hits = [r for r, folded in zip(self.queue, self.folded, strict=True) if test(folded)][:50]
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


REPLY_DONE = {
    "ask": "Enter marks the request as asked and waiting for a reply",
    "decline": "Enter declines the request",
    "copy": "Enter closes",
}


class ReplyScreen(_Modal[tuple[str, str]]):
    """Reply templates, filled in for this sender. Choosing one copies it to the clipboard (OSC 52,
    where the terminal allows) and shows it for copying by hand; Enter then does the template's
    action: "ask" marks the request as asked and waiting, "decline" declines it, "copy" nothing more.
    Dismisses with (text, action)."""

    BINDINGS = [Binding("enter", "done", "Done", show=False, id="reply-sent")]

    def __init__(self, request: Request, templates: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.request = request
        self.templates = templates
        self.chosen: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(f"Reply to {clean(self.request.name, 50)}"), classes="dialog-title", markup=False)
            yield OptionList(*[Option(Content(clean(t[0], 40)), id=str(i)) for i, t in enumerate(self.templates)], id="reply-templates")
            yield Static("", id="reply-text", markup=False)
            yield Static("Pick a template: it is copied · Esc cancels", classes="dialog-hint", markup=False)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        _, text, action = self.templates[int(event.option.id or 0)]
        self.chosen = (text, action)
        self.app.copy_to_clipboard(text)
        self.query_one("#reply-text", Static).update(
            Content.assemble(
                clean_multiline(text, 2000),
                (
                    "\n\nCopied to the clipboard where the terminal allows it; copy it from here otherwise.\n"
                    + REPLY_DONE.get(action, REPLY_DONE["copy"])
                    + " · Esc cancels",
                    "dim",
                ),
            )
        )
        self.query_one("#reply-templates", OptionList).disabled = True  # Enter now means "asked"

    def action_done(self) -> None:
        if self.chosen is not None:
            self.dismiss(self.chosen)

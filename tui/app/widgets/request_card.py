"""The card: who is asking, what they wrote, and what we already know about them.

Three layouts, chosen by the screen's width class (``-narrow`` below 80 columns, ``-standard``,
``-wide`` from 120): narrow and standard stack the message above the matches and red flags; wide
puts a second column beside the message with the person's details, matches, red flags and who you
know there. The rules and the verdict sit below, outside the part that shrinks, so they are never
clipped. The message box is as tall as its text, up to a cap, and scrolls beyond it.

Every piece of request text goes through :mod:`tui.text` and is rendered as ``Content``, never as
markup: a name like ``[@click=app.quit]x[/]`` shows literally and does nothing when clicked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.app.widgets.context_panel import ContextPanel
from tui.app.widgets.fitted import FittedStatic
from tui.app.widgets.match_panel import MatchPanel
from tui.app.widgets.rule_panel import RulePanel
from tui.context import Flag
from tui.models import Request, Verdict
from tui.output import headline_parts
from tui.rules import Rule
from tui.text import clean, clean_multiline

if TYPE_CHECKING:  # matching (and rapidfuzz) loads after the first card is drawn
    from tui.dedup.match import Match

NOTHING_GIVEN = "no title, company or location given"


def headline(request: Request) -> Content:
    parts = headline_parts(request, title=120, company=80, location=60)
    return Content(" · ".join(parts)) if parts else Content.styled(NOTHING_GIVEN, "dim italic")


def identity(request: Request) -> Content:
    """The e-mail addresses and profile URLs, on one line: what the person says they are."""
    pieces = [clean(e, 80) for e in request.emails[:2]] + [clean(u, 120) for u in request.urls[:2]]
    if not pieces:
        return Content.styled("no e-mail or profile URL given", "dim italic")
    return Content(" · ".join(pieces))


def extras(request: Request) -> Content:
    pieces: list[str | tuple[str, str]] = []
    if request.tags:
        pieces += [("tags ", "dim"), ", ".join(clean(t, 40) for t in request.tags)]
    if request.notes:
        pieces += [("   notes ", "dim") if pieces else ("notes ", "dim"), clean(request.notes, 200)]
    return Content.assemble(*pieces) if pieces else Content("")


def sent_line(request: Request) -> str:
    source = clean(request.source, 20) or "unknown network"
    sent = clean(request.sent_at[:16].replace("T", " "), 20) or clean(request.added_at[:10], 20) or "an unknown date"
    return f"{source} · sent {sent}"


def details(request: Request) -> Content:
    """The wide layout's column of who the person says they are, one fact a line."""
    rows: list[tuple[str, str]] = [
        ("title", clean(request.title, 200)),
        ("company", clean(request.company, 200)),
        ("location", clean(request.location, 120)),
        *[("e-mail", clean(e, 200)) for e in request.emails],
        *[("profile", clean(u, 300)) for u in request.urls],
        ("network", clean(request.source, 40)),
        ("connections", clean(request.connections, 20)),
        ("mutual", clean(request.mutual, 20)),
        ("tags", ", ".join(clean(t, 40) for t in request.tags)),
        ("notes", clean(request.notes, 300)),
    ]
    lines = [Content.assemble((f"{label:<12}", "dim"), value) for label, value in rows if value]
    if not (request.title or request.company or request.location):
        lines.insert(0, Content.styled(NOTHING_GIVEN, "dim italic"))
    return Content("\n").join(lines)


class RequestCard(Vertical):
    """One request. ``show`` swaps in another without rebuilding the widgets."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._message = ""

    def compose(self) -> ComposeResult:
        yield Static(id="card-name", markup=False)
        yield Static(id="card-headline", markup=False)
        yield Static(id="card-identity", markup=False)
        yield Static(id="card-extras", markup=False)
        with Vertical(id="card-body"):
            with VerticalScroll(id="card-message"):
                yield FittedStatic(id="card-message-text")
            with Vertical(id="card-side"):
                yield FittedStatic(id="card-details")
                yield MatchPanel(id="card-matches")
                yield ContextPanel(id="card-context")
        yield RulePanel(id="card-rules")

    def show(
        self,
        request: Request,
        header: str,
        rules: tuple[Rule, ...],
        answers: dict[str, bool],
        current_rule: int,
        verdict: Verdict | None,
        matches: list[tuple[Match, str]] | None,
        context: tuple[list[Flag], str, str] | None,
        requests_checked: bool = True,
    ) -> None:
        """``matches`` and ``context`` are None while they are being worked out ("checking…");
        ``requests_checked`` False: ``matches`` holds those with the contacts only, so far."""
        # Content, not str: a title string is parsed as markup, and the network's name, the date
        # and a filter's words come from strangers.
        self.border_title = Content(header)
        self.border_subtitle = Content(sent_line(request))
        # One-line fields: swapped in place, no layout pass (a card swap must stay under 8 ms).
        self.query_one("#card-name", Static).update(Content(clean(request.name, 120) or "(no name)"), layout=False)
        self.query_one("#card-headline", Static).update(headline(request), layout=False)
        self.query_one("#card-identity", Static).update(identity(request), layout=False)
        extra = extras(request)
        field = self.query_one("#card-extras", Static)
        field.update(extra, layout=False)
        if field.display != bool(extra.plain):
            field.display = bool(extra.plain)
        if self.screen.has_class("-wide"):  # shown only there
            self.query_one("#card-details", FittedStatic).show_content(details(request))
        self._message = clean_multiline(request.message)
        no_message = "(no message: this network sends none)" if request.source.strip().casefold() == "facebook" else "(no message)"
        self.query_one("#card-message-text", FittedStatic).show_content(
            Content(self._message) if self._message else Content.styled(no_message, "dim italic")
        )
        self.query_one("#card-message", VerticalScroll).scroll_home(animate=False)
        self._fit_message()
        self.query_one(MatchPanel).show(matches, requests_checked)
        self.query_one(ContextPanel).show(context)
        self.query_one(RulePanel).show(rules, answers, current_rule, verdict)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_message()

    def _fit_message(self) -> None:
        """As tall as the text (wrapped to the box's width), at most a third of the screen; the
        box shrinks first when the screen is short, so the rules always fit."""
        box = self.query_one("#card-message", VerticalScroll)
        width = box.content_region.width or max(20, self.app.size.width - 8)
        lines = len(Content(self._message or "x").wrap(max(10, width - 1)))
        cap = max(3, self.app.size.height // 3)
        height = max(1, min(lines, cap))
        if box.styles.max_height is None or box.styles.max_height.value != height:
            box.styles.max_height = height

    def show_broken(
        self,
        request: Request,
        header: str,
        error: Exception,
        rules: tuple[Rule, ...],
        answers: dict[str, bool],
        current_rule: int,
        verdict: Verdict | None,
    ) -> None:
        """A record that failed to draw: said so, with its id and the error, and still decidable."""
        self.border_title = Content(header)
        self.border_subtitle = Content("")
        record_id = clean(str(request.id), 20)
        self.query_one("#card-name", Static).update(Content(f"Request {record_id} could not be shown"))
        self.query_one("#card-headline", Static).update(Content(clean(f"{type(error).__name__}: {error}", 160)))
        for field in ("#card-identity", "#card-extras", "#card-details"):
            self.query_one(field, Static).update(Content(""))
        hint = f"`tui show {record_id}` prints what it holds. It can still be decided, skipped or deferred."
        self._message = hint
        self.query_one("#card-message-text", FittedStatic).show_content(Content.styled(hint, "dim italic"))
        # Nothing of it was matched or checked: no all-clear check marks.
        self.query_one(MatchPanel).show_content(Content.styled("Matches not checked: the record could not be read.", "dim italic"))
        self.query_one(ContextPanel).show_content(Content.styled("Red flags not checked.", "dim italic"))
        self.query_one(RulePanel).show(rules, answers, current_rule, verdict)

"""The card: who is asking, what they wrote, and what we already know about them.

Every piece of request text goes through :mod:`tui.text` and is rendered as ``Content``, never as
markup: a name like ``[@click=app.quit]x[/]`` shows literally and does nothing when clicked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.app.widgets.context_panel import ContextPanel
from tui.app.widgets.match_panel import MatchPanel
from tui.app.widgets.rule_panel import RulePanel
from tui.models import Request, Verdict
from tui.rules import Rule
from tui.text import clean, clean_multiline

if TYPE_CHECKING:  # matching (and rapidfuzz) loads after the first card is drawn
    from tui.dedup.match import Match


def headline(request: Request) -> Content:
    parts = [p for p in (clean(request.title, 120), clean(request.company, 80), clean(request.location, 60)) if p]
    return Content(" · ".join(parts) if parts else "no title, company or location given")


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


class RequestCard(Vertical):
    """One request. ``show`` swaps in another without rebuilding the widgets."""

    def compose(self) -> ComposeResult:
        yield Static(id="card-name", markup=False)
        yield Static(id="card-headline", markup=False)
        yield Static(id="card-extras", markup=False)
        with VerticalScroll(id="card-message"):
            yield Static(id="card-message-text", markup=False)
        yield MatchPanel(id="card-matches")
        yield ContextPanel(id="card-context")
        yield RulePanel(id="card-rules")

    def show(self, request: Request, position: int, total: int, rules: tuple[Rule, ...], answers: dict[str, bool],
             current_rule: int, verdict: Verdict | None, matches: list[tuple[Match, str]],
             context: tuple[list, str, str] = ([], "", "")) -> None:
        self.border_title = f"{position} of {total} pending"
        self.border_subtitle = sent_line(request)
        # Fixed one-line fields: no layout pass is needed when they change (it costs milliseconds).
        self.query_one("#card-name", Static).update(Content(clean(request.name, 120) or "(no name)"), layout=False)
        self.query_one("#card-headline", Static).update(headline(request), layout=False)
        self.query_one("#card-extras", Static).update(extras(request), layout=False)
        message = clean_multiline(request.message)
        self.query_one("#card-message-text", Static).update(Content(message) if message else Content.styled("(no message)", "dim italic"))
        self.query_one("#card-message", VerticalScroll).scroll_home(animate=False)
        self.query_one(MatchPanel).show(matches)
        self.query_one(ContextPanel).show(*context)
        self.query_one(RulePanel).show(rules, answers, current_rule, verdict)

    def show_broken(self, request: Request, position: int, total: int, error: Exception, rules: tuple[Rule, ...],
                    answers: dict[str, bool], current_rule: int, verdict: Verdict | None) -> None:
        """A record that failed to draw: said so, with its id and the error, and still decidable."""
        self.border_title = f"{position} of {total} pending"
        self.border_subtitle = ""
        record_id = clean(str(request.id), 20)
        self.query_one("#card-name", Static).update(Content(f"Request {record_id} could not be shown"), layout=False)
        self.query_one("#card-headline", Static).update(Content(clean(f"{type(error).__name__}: {error}", 160)), layout=False)
        self.query_one("#card-extras", Static).update(Content(""), layout=False)
        hint = f"`tui show {record_id}` prints what it holds. It can still be decided, skipped or deferred."
        self.query_one("#card-message-text", Static).update(Content.styled(hint, "dim italic"))
        self.query_one(MatchPanel).show([])
        self.query_one(ContextPanel).show([], "", "")
        self.query_one(RulePanel).show(rules, answers, current_rule, verdict)

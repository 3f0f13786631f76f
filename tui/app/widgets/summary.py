"""What the triage screen shows without a card: loading, a first run, a filter that shows
nothing, or the session's summary once the queue is empty."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from tui.guide import first_run_lines
from tui.rules import Rule
from tui.text import clean

if TYPE_CHECKING:
    from tui.app.screens.triage_base import TriageBase


def empty_queue(screen: TriageBase, rules: tuple[Rule, ...]) -> Content:
    q = screen.q
    if not screen.loaded:
        return Content("Loading the queue…")
    if screen.ever == 0:
        lines = [Content.styled("Welcome to tui.", "bold"), Content("")]
        lines += [Content(line) for line in first_run_lines()]
        lines += [Content(""), Content.styled("? shows every key and where the config file is · q quits", "dim")]
        return Content("\n").join(lines)
    if q.filter is not None and q.items:
        return Content("\n").join(
            [
                Content.styled("Nothing pending matches the filter.", "bold"),
                Content(""),
                Content(f"Filter: {q.filter_words} · {q.pending_count()} pending in all."),
                Content.styled("f changes the filter (Everything shows the whole queue again)", "dim"),
            ]
        )
    counts, noes = q.session.counts(), q.session.noes()
    lines = [
        Content.styled("The queue is empty.", "bold"),
        Content(""),
        Content(
            f"This session: {counts['accept'] + counts['wider']} accepted"
            + (f" ({counts['wider']} to the wider network)" if counts["wider"] else "")
            + f", {counts['decline']} declined, {counts['defer']} deferred"
            + (f", {counts['ask']} asked and waiting for a reply" if counts["ask"] else "")
            + (f", {counts['merge']} merged" if counts["merge"] else "")
            + "."
        ),
        Content(""),
        Content("Noes by rule:"),
        *[Content(f"  {i + 1}. {clean(rule.question, 70)}  {noes[rule.id]}") for i, rule in enumerate(rules)],
        Content(""),
        Content.styled("S lists this session's decisions (any one can be undone) · u undoes the newest · t shows stats · q quits", "dim"),
    ]
    return Content("\n").join(lines)

"""Re-requests: someone asking again after a decision (the card says when, and what was decided).
Pure: the decided requests' keys come in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tui.models import Request


def _same_name_and_network(request: Request, before: Request) -> bool:
    """The same name as written, on the same network: a re-request, even where the scores cannot
    say more (a Facebook request carries no company)."""
    from tui.dedup.normalise import simple_name_key

    return before.source == request.source and simple_name_key(before.name) == simple_name_key(request.name)


def re_requests(
    pending: Sequence[Request],
    decided: Any,
    decided_records: dict[str, Request],
    decided_at: dict[str, str],
    keys_of: Any,
    thresholds: object = None,
    pace: Callable[[], object] = lambda: None,
) -> dict[str, str]:
    """For each pending request from someone decided before, the card's line saying so: when,
    what was decided, how sure the match is, the rules said no to, and the last line of the notes.

    ``decided`` is a KeyIndex of the decided requests; ``keys_of(request)`` gives a pending request's
    keys. The names are compared with the decided ones all at once (:meth:`Matcher.prepare`), and
    ``pace()`` is called between requests (see :func:`tui.backlog.analyse`).
    """
    from tui.dedup.keys import KeyIndex
    from tui.dedup.match import Matcher

    history: dict[str, str] = {}
    if len(decided):
        past = Matcher(decided, KeyIndex(), thresholds)  # type: ignore[arg-type]
        queries = [keys_of(request) for request in pending]
        past.prepare(queries, pace)
        for request, q in zip(pending, queries, strict=True):
            pace()
            best = next(
                (
                    m
                    for m in past.match(q, request.id)
                    if m.kind != "possible" or m.score >= 95 or _same_name_and_network(request, decided_records[m.other_id])
                ),
                None,
            )
            if best is None:
                continue
            before = decided_records[best.other_id]
            when = (decided_at.get(best.other_id) or before.sent_at)[:10]
            noes = [rule for rule, yes in before.answers.items() if not yes]
            how = {"identical": "same profile", "impersonation": "same name, another account", "likely": "likely the same person"}.get(
                best.kind, "same name"
            )
            text = f"{'Asked' if before.status == 'asked' else before.status.capitalize()} before, {when} ({how}, {best.other_id})"
            if noes:
                text += f": said no to {', '.join(noes)}"
            if before.notes:
                text += f" — note: {before.notes.splitlines()[-1]}"
            history[request.id] = text
    return history

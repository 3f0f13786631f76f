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


class PastRequests:
    """Re-requests: for each pending request from someone decided before, the card's line saying
    so (when, what was decided, how sure the match is, the rules said no to, and the last line of
    the notes); "" for the others.

    ``decided`` is a KeyIndex of the decided requests; ``keys_of(request)`` gives a pending
    request's keys. One card's line is worked out when it is asked for (:meth:`line`: one
    comparison, a fraction of a millisecond, on the caller's thread, the UI's included); the whole
    queue's at once by :meth:`all` (in the store writer), which compares the names with the
    decided ones a chunk at a time (:meth:`Matcher.prepare`). At 20k pending requests and 5,000
    decided ones, that is seconds: the first card never waits for it. The two ways use two
    matchers, so that a card drawn while :meth:`all` runs never shares one with it.
    """

    def __init__(
        self, decided: Any, decided_records: dict[str, Request], decided_at: dict[str, str], keys_of: Any, thresholds: object = None
    ) -> None:
        from tui.dedup.keys import KeyIndex
        from tui.dedup.match import Matcher

        self.lines: dict[str, str] = {}
        self._one, self._batch = (Matcher(decided, KeyIndex(), thresholds) if len(decided) else None for _ in range(2))  # type: ignore[arg-type]
        self._records, self._at, self._keys_of = decided_records, decided_at, keys_of

    def line(self, request: Request) -> str:
        """One card's line (the request's keys from the record itself: the queue's key index may
        not be read yet, and reading it here would hold up the caller)."""
        from tui.dedup.keys import record_keys

        if request.id not in self.lines:
            self.lines[request.id] = "" if self._one is None else self._line(self._one, request, record_keys(request))
        return self.lines[request.id]

    def all(self, pending: Sequence[Request], pace: Callable[[], object] = lambda: None) -> dict[str, str]:
        """Every line of ``pending`` not worked out yet, with ``pace()`` between requests (see
        :func:`tui.backlog.analyse`); returns the lines that say something, by request id."""
        todo = [r for r in pending if r.id not in self.lines]
        if self._batch is not None and todo:
            queries = [self._keys_of(request) for request in todo]
            self._batch.prepare(queries, pace)
            for request, q in zip(todo, queries, strict=True):
                pace()
                self.lines[request.id] = self._line(self._batch, request, q)
        return {rid: text for rid, text in self.lines.items() if text}

    def _line(self, past: Any, request: Request, q: Any) -> str:
        best = next(
            (
                m
                for m in past.match(q, request.id)
                if m.kind != "possible" or m.score >= 95 or _same_name_and_network(request, self._records[m.other_id])
            ),
            None,
        )
        if best is None:
            return ""
        before = self._records[best.other_id]
        when = (self._at.get(best.other_id) or before.sent_at)[:10]
        noes = [rule for rule, yes in before.answers.items() if not yes]
        how = {"identical": "same profile", "impersonation": "same name, another account", "likely": "likely the same person"}.get(
            best.kind, "same name"
        )
        text = f"{'Asked' if before.status == 'asked' else before.status.capitalize()} before, {when} ({how}, {best.other_id})"
        if noes:
            text += f": said no to {', '.join(noes)}"
        if before.notes:
            text += f" — note: {before.notes.splitlines()[-1]}"
        return text


def re_requests(
    pending: Sequence[Request],
    decided: Any,
    decided_records: dict[str, Request],
    decided_at: dict[str, str],
    keys_of: Any,
    thresholds: object = None,
    pace: Callable[[], object] = lambda: None,
) -> dict[str, str]:
    """The re-request lines of a whole queue at once (see :class:`PastRequests`)."""
    return PastRequests(decided, decided_records, decided_at, keys_of, thresholds).all(pending, pace)

"""Likely duplicates of the request on the card, each with why it matches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from tui.app.widgets.fitted import FittedStatic
from tui.text import clean

if TYPE_CHECKING:  # matching (and rapidfuzz) loads after the first card is drawn
    from tui.dedup.match import Match

#: Words and a symbol for each kind: meaning never rests on colour alone.
KIND_LABEL = {
    "identical": "✖ ALREADY A CONTACT",
    "impersonation": "⚠ POSSIBLE IMPERSONATOR",
    "likely": "≈ LIKELY SAME PERSON",
    "possible": "? POSSIBLE MATCH",
}
MAX_SHOWN = 2
"""Lines of matches at 80x24 (with more, the last says how many more): one more for each four rows
beyond 28, up to :data:`MOST_SHOWN`."""
MOST_SHOWN = 6


def room(height: int) -> int:
    """How many lines of matches a terminal ``height`` rows tall gives the card."""
    return min(MOST_SHOWN, MAX_SHOWN + max(0, (height - 28) // 4))


CHECKING = "… checking for contacts and requests like this one"
CHECKING_REQUESTS = "… checking other requests"


def label(match: Match) -> str:
    """The words for a match: an identical pending request is a second request, not a contact."""
    if match.kind == "identical" and match.other_id.startswith("r"):
        return "= SAME PERSON, ANOTHER REQUEST"
    return KIND_LABEL.get(match.kind, match.kind)


class MatchPanel(FittedStatic):
    """Each match on its own line with its reasons, wrapped rather than cut off."""

    MIN_LINES = 2

    def show(self, matches: list[tuple[Match, str]] | None, requests_checked: bool = True) -> None:
        """``matches`` pairs each match with the other person's display name; None while the
        matches are being worked out (never a check mark before they are known).
        ``requests_checked`` False: the matches with the contacts are known, those with the other
        requests not yet."""
        if matches is None:
            self.show_content(Content.styled(CHECKING, "dim italic"))
            return
        limit = room(self.app.size.height)
        if not requests_checked:
            lines = self._match_lines(matches, limit) if matches else [Content.styled("No contact looks like this person.", "dim")]
            self.show_content(Content("\n").join([*lines, Content.styled(CHECKING_REQUESTS, "dim italic")]))
            return
        if not matches:
            self.show_content(Content.styled("✓ No contact or other request looks like this person.", "dim"))
            return
        self.show_content(Content("\n").join(self._match_lines(matches, limit)))

    @staticmethod
    def _match_lines(matches: list[tuple[Match, str]], limit: int) -> list[Content]:
        shown = matches[:limit] if len(matches) <= limit else matches[: limit - 1]
        lines = []
        for match, name in shown:
            reasons = "; ".join(clean(r, 80) for r in match.reasons)
            lines.append(
                Content.assemble(
                    (label(match), f"bold $match-{match.kind}"),
                    f" {match.score} ",
                    (f"{match.other_id} ", "dim"),
                    clean(name, 60),
                    (f" — {reasons}", "dim"),
                )
            )
        if len(matches) > len(shown):
            lines.append(Content.styled(f"… and {len(matches) - len(shown)} more (m compares them all)", "dim"))
        return lines

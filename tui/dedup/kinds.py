"""The kind of a weighed candidate (impersonation, likely or possible), its score and its reasons:
look-alike letters, a cloned profile (the same name under another account of a network), and what
keeps a match from being likely."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from tui.dedup import common_names
from tui.dedup import levels as lv
from tui.dedup.confusables import looks_alike, same_letters
from tui.dedup.keys import PersonKeys
from tui.dedup.normalise import simple_name_key
from tui.dedup.weigh import Weighed

if TYPE_CHECKING:
    from tui.dedup.match import Thresholds

_written = lru_cache(maxsize=100_000)(simple_name_key)
NO_NETWORK = frozenset({"", "manual"})
"""Sources that name no network: a record added by hand."""


def copies(c: PersonKeys, q: PersonKeys) -> bool:
    """Whether ``c`` (another pending request) writes the name that ``q`` writes plainly in
    look-alike letters: a stranger's copy of it."""
    return c.lookalikes and not q.lookalikes and looks_alike(q.exact, c.exact)


def kind_of(q: PersonKeys, c: PersonKeys, w: Weighed, score: int, thresholds: Thresholds, contacts: bool) -> tuple[str, int, list[str]]:
    """The kind of a weighed candidate, its score and reasons."""
    reasons = w.reasons()
    mine, theirs = _written(q.exact), _written(c.exact)
    folded_alike = q.lookalikes and (not c.lookalikes or mine != theirs) and w.first == lv.EXACT and w.last == lv.EXACT
    if folded_alike or looks_alike(q.exact, c.exact):
        if not contacts and copies(c, q):  # that one is the suspect (flagged from its own side), not this one
            why = "another request writes this name with look-alike letters"
            return "possible", min(score, thresholds.likely - 1), [reasons[0], why, "not likely: it may impersonate this one"]
        return "impersonation", 100, [reasons[0], "look-alike letters in the name"]
    namesakes = w.common or (q.first in common_names.FIRST and q.last in common_names.LAST)  # (on the network: the world's names)
    copied = w.company in (lv.EXACT, lv.TYPO) or (w.company == lv.MISSING and not namesakes)
    if contacts and copied and same_letters(q.exact, c.exact):
        # A cloned profile copies the name (and the company) onto a new account on the same network:
        # its letters, however it spaces them (a blank glyph, a Hangul filler). The
        # network is where both came from (a request's source is where it arrived), or one whose
        # profiles both have, wherever the records came from ("manual": added by hand, no network).
        # Many people share a common name on a network: for one, the company must be copied too.
        network = _other_account(q.identity, c.identity)
        if not network and q.source == c.source and q.source not in NO_NETWORK and not _shared_url(q.identity, c.identity):
            network = q.source
        if network:
            return "impersonation", 100, [*reasons, f"same name, a different {network} account"]
    names_agree = w.first in lv.AGREE and w.last in lv.AGREE
    if score >= thresholds.likely and names_agree:
        return "likely", score, reasons
    blockers = []
    if not names_agree:
        blockers.append("a name is missing" if lv.MISSING in (w.first, w.last) else "the names differ")
    if w.company in (lv.MISSING, lv.DIFFERENT):
        blockers.append(reasons[1])
    if w.common:
        blockers.append("common name")
    score = min(score, thresholds.likely - 1)
    kept = [r for r in reasons[1:] if r not in blockers]  # each said once
    return "possible", score, [reasons[0], *kept, "not likely: " + ("; ".join(blockers) or "not sure enough")]


def _shared_url(mine: tuple[str, ...], theirs: tuple[str, ...]) -> bool:
    """Whether one profile URL is both's, or either has none (then no new account can be told)."""
    urls, their_urls = {k for k in mine if k.startswith("u:")}, {k for k in theirs if k.startswith("u:")}
    return not (urls and their_urls) or bool(urls & their_urls)


def _other_account(mine: tuple[str, ...], theirs: tuple[str, ...]) -> str:
    """The network on which both hold a profile and none of them is the other's ("linkedin"), or
    "" (no network in common, or a profile in common)."""
    hosts: dict[str, tuple[set[str], set[str]]] = {}
    for side, keys in enumerate((mine, theirs)):
        for key in keys:
            if key.startswith("u:"):
                hosts.setdefault(key[2:].split("/", 1)[0], (set(), set()))[side].add(key)
    if any(a & b for a, b in hosts.values()):
        return ""
    return next((host.split(".")[0] for host, (a, b) in sorted(hosts.items()) if a and b), "")

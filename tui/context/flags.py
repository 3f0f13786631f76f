"""Red flags on a request, in words: no or a generic message, the same message sent to many
(mass-sent), a sales pitch, a headline of buzzwords, a huge network, no mutual connections, a new
profile for a name you know. Pure; hints only, nothing here decides anything."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tui.dedup.normalise import strip_invisible
from tui.models import Request, count_value

#: Phrases of a sales pitch; config can replace them (``sales_phrases``).
SALES_PHRASES = (
    "i help businesses",
    "i help companies",
    "i help founders",
    "more leads",
    "generate leads",
    "lead generation",
    "grow your business",
    "scale your business",
    "quick call",
    "15 minute call",
    "15-minute call",
    "book a call",
    "hop on a call",
    "six-figure",
    "six figure",
    "6-figure",
    "7-figure",
    "seven figures",
    "10x",
    "guaranteed",
    "passive income",
    "exclusive opportunity",
    "investment opportunity",
    "dm me",
    "free audit",
    "free consultation",
)
#: The texts networks fill in when the sender writes nothing of their own.
GENERIC_MESSAGES = (
    "i'd like to add you to my professional network",
    "i would like to add you to my professional network",
    "i'd like to join your linkedin network",
    "i'd like to connect with you",
    "let's connect",
    "hi, let's connect",
    "please accept my invitation",
)
BUZZWORDS = (
    "growth hacking",
    "growth hacker",
    "thought leader",
    "visionary",
    "ninja",
    "guru",
    "rockstar",
    "evangelist",
    "serial entrepreneur",
    "disruptor",
    "game changer",
    "10x",
    "web3",
    "nft",
    "crypto",
    "keynote speaker",
    "lead gen",
    "7 figures",
    "6 figures",
    "influencer",
    "coach",
    "investor",
    "ai",
)
HUGE_NETWORK = 10_000
_WORDS = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    words: str


def _norm(text: str) -> str:
    """The words of ``text``, case-folded, read past the invisible characters (the display's
    table, :func:`tui.dedup.normalise.strip_invisible`): "le\u200bads" is "leads" on screen, so
    it is here."""
    return " ".join(_WORDS.findall(strip_invisible(text).casefold().replace("’", "'")))


#: Networks whose requests never carry a message (a Facebook friend request has no text): on them,
#: no message is no sign of anything.
NETWORKS_WITHOUT_MESSAGES = ("facebook",)
#: Every red flag's code, as ``tui list --flag`` and the app's filter name them.
FLAG_CODES = ("no-message", "generic", "mass-sent", "sales-pitch", "buzzwords", "new-profile", "huge-network", "no-mutual")


def mass_sent(requests: Sequence[Request]) -> dict[str, int]:
    """For each request, how many other pending requests carry the same (or nearly the same)
    message. Short and empty messages are left out: "Hi" is not a campaign."""
    return message_groups(requests)[0]


def message_groups(requests: Sequence[Request]) -> tuple[dict[str, int], dict[str, str]]:
    """(for each request, how many others carry the same or nearly the same message; for each
    request in such a group, the group's id). A group holds every request linked by near-equal
    messages, so one campaign with small variations is one group (a bulk step takes it whole)."""
    from rapidfuzz import fuzz, process

    seen: dict[str, str] = {}  # a campaign's requests carry one message: cleaned once (13k messages, 7 texts)
    texts = {r.id: seen[r.message] if r.message in seen else seen.setdefault(r.message, _norm(r.message)) for r in requests}
    by_text: dict[str, list[str]] = {}
    for rid, text in texts.items():
        if len(text) >= 25:
            by_text.setdefault(text, []).append(rid)
    unique = list(by_text)
    counts: Counter[str] = Counter()
    parent = list(range(len(unique)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, text in enumerate(unique):
        near = process.extract(text, unique, scorer=fuzz.ratio, score_cutoff=90, limit=None)
        group = sum(len(by_text[unique[j]]) for _, _, j in near)
        for rid in by_text[text]:
            counts[rid] = group - 1
        for _, _, j in near:
            parent[root(j)] = root(i)
    alike = {rid: n for rid, n in counts.items() if n > 0}
    groups = {rid: f"m{root(i)}" for i, text in enumerate(unique) for rid in by_text[text] if rid in alike}
    return alike, groups


def red_flags(request: Request, *, alike: int = 0, sales_phrases: Iterable[str] = SALES_PHRASES, impersonation: bool = False) -> list[Flag]:
    """The warning signs on a request, in words."""
    flags: list[Flag] = []
    message = _norm(request.message)
    if not message:
        if request.source.strip().casefold() not in NETWORKS_WITHOUT_MESSAGES:
            flags.append(Flag("no-message", "no message"))
    elif any(message == _norm(g) or (len(message) < 80 and message.startswith(_norm(g))) for g in GENERIC_MESSAGES):
        flags.append(Flag("generic", "a generic message"))
    if alike:
        flags.append(Flag("mass-sent", f"the same message as {alike} other request{'s' if alike != 1 else ''}"))
    pitch = next(
        (p for p in sales_phrases if re.search(rf"(?<![a-z0-9]){re.escape(p)}(?![a-z0-9])", f"{message} {_norm(request.title)}")), None
    )
    if pitch:
        flags.append(Flag("sales-pitch", f"a sales pitch (“{pitch}”)"))
    title = _norm(request.title)
    buzz = [b for b in BUZZWORDS if re.search(rf"(?<![a-z0-9]){re.escape(b)}(?![a-z0-9])", title)]
    if len(buzz) >= 2 or request.title.count("|") >= 3:
        flags.append(Flag("buzzwords", "a headline stuffed with buzzwords"))
    size = count_value(request.connections)
    if size is not None and size >= HUGE_NETWORK:
        flags.append(Flag("huge-network", f"a huge network ({request.connections} connections)"))
    if request.mutual.strip() in ("0", "0+"):
        flags.append(Flag("no-mutual", "no mutual connections"))
    if impersonation:
        flags.append(Flag("new-profile", "a new profile for a name you already know"))
    return flags

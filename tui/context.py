"""Context for the judgement: red flags, re-requests and who you know there. Pure.

Hints only: nothing here decides anything. Each flag is a short phrase in words, shown on the card.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tui.models import Request, count_value

#: Phrases of a sales pitch; config can replace them (``sales_phrases``).
SALES_PHRASES = (
    "i help businesses", "i help companies", "i help founders", "more leads", "generate leads", "lead generation",
    "grow your business", "scale your business", "quick call", "15 minute call", "15-minute call", "book a call",
    "hop on a call", "six-figure", "six figure", "6-figure", "7-figure", "seven figures", "10x", "guaranteed",
    "passive income", "exclusive opportunity", "investment opportunity", "dm me", "free audit", "free consultation",
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
    "growth hacking", "growth hacker", "thought leader", "visionary", "ninja", "guru", "rockstar", "evangelist",
    "serial entrepreneur", "disruptor", "game changer", "10x", "web3", "nft", "crypto", "keynote speaker",
    "lead gen", "7 figures", "6 figures", "influencer", "coach", "investor", "ai",
)
HUGE_NETWORK = 10_000
_WORDS = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    words: str


def _norm(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold().replace("’", "'")))


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

    texts = {r.id: _norm(r.message) for r in requests}
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


def red_flags(request: Request, *, alike: int = 0, sales_phrases: Iterable[str] = SALES_PHRASES,
              impersonation: bool = False) -> list[Flag]:
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
    pitch = next((p for p in sales_phrases if re.search(rf"(?<![a-z0-9]){re.escape(p)}(?![a-z0-9])", f"{message} {_norm(request.title)}")), None)
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


#: The placeholders a reply template may use (config.toml warns about any other).
TEMPLATE_FIELDS = ("first_name", "last_name", "name", "company")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill_template(template: str, request: Request) -> str:
    """Placeholders: ``{first_name}``, ``{last_name}``, ``{name}``, ``{company}``; unknown ones
    are left as written, and braces in the sender's data are never interpreted."""
    from tui.dedup.names import HONORIFICS, SUFFIXES

    def titles(part: str) -> bool:
        return all(w.casefold().rstrip(".") in HONORIFICS | SUFFIXES for w in part.split())

    parts = [p.strip() for p in request.name.split(",") if p.strip()]
    if len(parts) >= 2 and not titles(parts[1]):  # "Nakamura, Kenji": the first name comes second
        parts = [parts[1], parts[0], *parts[2:]]
    words = [w for w in " ".join(parts).split() if w.casefold().rstrip(".") not in HONORIFICS]
    first = request.first_name or (words[0] if words else request.name)
    from tui.text import clean

    # The sender's text goes into the clipboard and into a message: cleaned like anything shown.
    values = dict(zip(TEMPLATE_FIELDS, (first, request.last_name, request.name, request.company), strict=True))
    values = {k: clean(v, 100) for k, v in values.items()}
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


#: (name, text, what choosing it does after copying: "ask" waits for a reply, "decline" declines).
DEFAULT_REPLIES = (
    ("Ask why", "Hi {first_name}, thanks for the invitation. Before I accept: what made you want to connect?", "ask"),
    ("Decline kindly", "Hi {first_name}, thank you for reaching out. I keep my network to people I know well and "
                       "have worked with, so I won't connect for now. All the best.", "decline"),
)


@dataclass
class QueueContext:
    """Everything the cards of a queue need beyond the request itself, computed once."""

    alike: dict[str, int]
    history: dict[str, str]
    people_at: dict[str, list[str]]
    earlier_at: dict[str, Counter[str]]
    sales_phrases: tuple[str, ...] = SALES_PHRASES
    cache: dict[str, tuple[list[Flag], str, str]] | None = None
    groups: dict[str, str] = field(default_factory=dict)
    """For each mass-sent request, the id of its group of (nearly) the same messages."""

    def precompute(self, pending: Sequence[Request], kinds_of: dict[str, list[str]]) -> None:
        """Work out every card's lines now (in the store worker), so showing a card costs nothing."""
        self.cache = {}
        for r in pending:
            try:
                self.cache[r.id] = self.lines(r, kinds_of.get(r.id, []))
            except Exception:  # noqa: BLE001 - worked out again when its card is drawn, which shows the failure
                continue

    def lines(self, request: Request, kinds: Iterable[str]) -> tuple[list[Flag], str, str]:
        """(red flags, the earlier-request line, the who-you-know-there line) for one card."""
        from tui.dedup.names import company_key

        if self.cache is not None and request.id in self.cache:
            return self.cache[request.id]
        flags = red_flags(request, alike=self.alike.get(request.id, 0), sales_phrases=self.sales_phrases,
                          impersonation="impersonation" in kinds)
        key = company_key(request.company)
        company = ""
        if key:
            people = self.people_at.get(key, [])
            earlier = self.earlier_at.get(key, Counter())
            parts = []
            if people:
                shown = ", ".join(people[:3]) + (f" and {len(people) - 3} more" if len(people) > 3 else "")
                parts.append(f"You know {len(people)} at {request.company}: {shown}")
            if earlier:
                parts.append("earlier from there: " + ", ".join(f"{n} {status}" for status, n in sorted(earlier.items())))
            company = " · ".join(parts)
        return flags, self.history.get(request.id, ""), company


def _same_name_and_network(request: Request, before: Request) -> bool:
    """The same name as written, on the same network: a re-request, even where the scores cannot
    say more (a Facebook request carries no company)."""
    from tui.dedup.normalise import simple_name_key

    return before.source == request.source and simple_name_key(before.name) == simple_name_key(request.name)


def build_context(pending: Sequence[Request], contacts: object, decided: object, decided_records: dict[str, Request],
                  decided_at: dict[str, str], keys_of: object, thresholds: object = None,
                  sales_phrases: Sequence[str] = ()) -> QueueContext:
    """Compute the context of a whole queue (in the store worker, not on the UI thread).

    ``contacts`` and ``decided`` are KeyIndexes; ``keys_of(request)`` gives a pending request's keys.
    """
    from tui.dedup.keys import KeyIndex
    from tui.dedup.match import Matcher

    people_at: dict[str, list[str]] = {}
    for company, name in zip(contacts.column("companies"), contacts.column("display")):  # type: ignore[attr-defined]
        if company:
            people_at.setdefault(company, []).append(name)
    earlier_at: dict[str, Counter[str]] = {}
    for rid, company in zip(decided.column("ids"), decided.column("companies")):  # type: ignore[attr-defined]
        if company:
            earlier_at.setdefault(company, Counter())[decided_records[rid].status] += 1
    history: dict[str, str] = {}
    if len(decided):  # type: ignore[arg-type]
        past = Matcher(decided, KeyIndex(), thresholds)  # type: ignore[arg-type]
        for request in pending:
            q = keys_of(request)  # type: ignore[operator]
            best = next((m for m in past.match(q, request.id)
                         if m.kind != "possible" or m.score >= 95 or _same_name_and_network(request, decided_records[m.other_id])), None)
            if best is None:
                continue
            before = decided_records[best.other_id]
            when = (decided_at.get(best.other_id) or before.sent_at)[:10]
            noes = [rule for rule, yes in before.answers.items() if not yes]
            how = {"identical": "same profile", "impersonation": "same name, another account", "likely": "likely the same person"}.get(best.kind, "same name")
            text = f"{'Asked' if before.status == 'asked' else before.status.capitalize()} before, {when} ({how}, {best.other_id})"
            if noes:
                text += f": said no to {', '.join(noes)}"
            if before.notes:
                text += f" — note: {before.notes.splitlines()[-1]}"
            history[request.id] = text
    alike, groups = message_groups(pending)
    return QueueContext(alike, history, people_at, earlier_at, tuple(sales_phrases) or SALES_PHRASES, groups=groups)

"""Groups of contacts that are probably one person. Pure: no I/O.

The same matcher, kinds and reasons as for requests (:mod:`tui.dedup.match`), run over the
contacts against themselves. Each contact is weighed against the others on its own
(``pairwise``): a person imported from three files is three rows, and all of them can be that
person, where a request is at most one contact.

Two contacts are linked by a match of one of the chosen kinds (by default ``identical`` and
``likely``), in either direction, unless the user said they are different people; a group is a
set of contacts joined by links, best links first. A group's score is its weakest link's, and its
reasons are every link's, so a chain is never presented as surer than its weakest step.

A ``possible`` link is weak, and a chain of them joins people through a third (Robert Whitfield of
Acme, Robert Whitfield with no company, Robert Whitfield of Harbour Freight). So a ``possible`` link
joins two groups only if every member of one has a link to every member of the other (complete
linkage), and never two records that say they are different people: names only possible, and
different companies, or e-mails or profile URLs on both sides and none shared (:func:`apart`). Groups
come best first: identical, then by score, then by their members' ids.

A merge of contacts needs the user's confirmation when any two of them share no identity key and
are linked only by ``possible`` names, or not at all (:func:`doubted`, :func:`needs_confirmation`):
a chain of sure links through a third record does not vouch for the two ends, so a group that has
such a pair is ``possible``, and its reasons name the pair ("c1 and c2 may be different people").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from tui.dedup.keys import KeyIndex, PersonKeys
from tui.dedup.match import KINDS, Match, Matcher, Thresholds

#: The kinds that link contacts into a group unless asked for others: probably one person.
GROUP_KINDS = ("identical", "likely")
#: The kinds that let a merge go ahead without asking (a shared identity key, or likely names).
SURE_KINDS = ("identical", "likely")


@dataclass(slots=True)
class Link:
    """Why two contacts of a group are thought to be one person."""

    a: str
    b: str
    score: int
    kind: str
    reasons: list[str]
    apart: bool = False
    """The two records say they are different people (see :func:`apart`): never in one group."""

    def to_doc(self) -> dict[str, Any]:
        return {"ids": [self.a, self.b], "score": self.score, "kind": self.kind, "reasons": self.reasons}


@dataclass(slots=True)
class Group:
    """Contacts that are probably one person: members in id order, the links that join them."""

    members: list[str]
    links: list[Link] = field(default_factory=list)
    doubts: list[Link] = field(default_factory=list)
    """Pairs of members that may be different people, joined only through others (:func:`doubted`)."""

    @property
    def score(self) -> int:
        return min((link.score for link in self.links + self.doubts), default=0)

    @property
    def kind(self) -> str:
        """The weakest kind among the links (``identical`` only when every link is); ``possible``
        when two members may be different people."""
        return max((link.kind for link in self.links + self.doubts), key=KINDS.index, default="possible")

    @property
    def reasons(self) -> list[str]:
        """The pairs joined only through others that may be different people first, then each
        link's reasons, prefixed with the pair they join."""
        linked = {(link.a, link.b) for link in self.links}
        chained = [d for d in self.doubts if (d.a, d.b) not in linked]
        return [f"{d.a} and {d.b} may be different people: {'; '.join(d.reasons)}" for d in chained] + [
            f"{link.a}~{link.b}: {'; '.join(link.reasons)}" for link in self.links
        ]


def contact_id_key(contact_id: str) -> int:
    return int(contact_id[1:]) if contact_id[1:].isdigit() else 0


def best_first(group: Group) -> tuple[bool, int, list[int]]:
    """The order groups are listed and reviewed in: identical, then by score, then by member ids."""
    return group.kind != "identical", -group.score, [contact_id_key(m) for m in group.members]


def _link_order(link: Link) -> tuple[int, int, int, int]:
    return KINDS.index(link.kind), -link.score, contact_id_key(link.a), contact_id_key(link.b)


def apart(a: PersonKeys, b: PersonKeys) -> bool:
    """Whether two records whose names match only as possible say they are different people: both
    give a company and they differ, or both give e-mails (or profile URLs) and share none."""
    from tui.dedup import levels

    if a.company and b.company and levels.company_level(a.company, b.company) == levels.DIFFERENT:
        return True
    for kind in ("e:", "u:"):
        mine, theirs = {k for k in a.identity if k.startswith(kind)}, {k for k in b.identity if k.startswith(kind)}
        if mine and theirs and not mine & theirs:
            return True
    return False


def links(
    contacts: KeyIndex,
    thresholds: Thresholds | None = None,
    distinct: Iterable[tuple[str, str]] = (),
    kinds: Iterable[str] = GROUP_KINDS,
    progress: Any = None,
    workers: int = 1,
) -> list[Link]:
    """Every pair of contacts matched as one of ``kinds`` (the better direction of the two), not
    told apart by the user; a ``possible`` one marked :attr:`Link.apart` where the records say
    they are different people. ``workers``: as for :meth:`Matcher.all_pending` (the command line only)."""
    wanted, told = set(kinds), {frozenset(pair) for pair in distinct}
    matcher = Matcher(KeyIndex(), contacts, thresholds, told, pairwise=True)
    best: dict[tuple[str, str], Link] = {}
    for cid, matches in matcher.all_pending(progress, workers).items():  # a shared address is no match once told apart
        _keep_best(best, cid, [m for m in matches if m.kind in wanted and frozenset((cid, m.other_id)) not in told])
    for link in best.values():
        if link.kind == "possible":
            a, b = matcher.keys_of_pending(link.a), matcher.keys_of_pending(link.b)
            link.apart = a is not None and b is not None and apart(a, b)
    return sorted(best.values(), key=lambda link: (contact_id_key(link.a), contact_id_key(link.b)))


def _keep_best(best: dict[tuple[str, str], Link], cid: str, matches: Iterable[Match]) -> None:
    """Add ``cid``'s matches to ``best``, one link per pair: the better of its two directions."""
    for m in matches:
        a, b = sorted((cid, m.other_id), key=contact_id_key)
        old = best.get((a, b))
        if old is None or m.rank < (KINDS.index(old.kind), -old.score):
            best[(a, b)] = Link(a, b, m.score, m.kind, m.reasons)


def groups(found: list[Link]) -> list[Group]:
    """The groups that ``found`` links make, best links first (see the module's docstring), best
    group first. A link that joins no two groups (a contradicting or chaining one) is left out."""
    members: dict[str, list[str]] = {}  # a group's first member -> its members
    root: dict[str, str] = {}
    pairs = {(link.a, link.b): link for link in found}
    for link in found:
        members.setdefault(link.a, [link.a]), members.setdefault(link.b, [link.b])
        root.setdefault(link.a, link.a), root.setdefault(link.b, link.b)
    for link in sorted((link for link in found if not link.apart), key=_link_order):
        ra, rb = root[link.a], root[link.b]
        if ra == rb:
            continue
        across = [pairs.get((x, y)) or pairs.get((y, x)) for x in members[ra] for y in members[rb]]
        if any(other is not None and other.apart for other in across):
            continue
        if link.kind == "possible" and any(other is None for other in across):
            continue
        keep, gone = sorted((ra, rb), key=contact_id_key)
        members[keep] = sorted(members[keep] + members.pop(gone), key=contact_id_key)
        for member in members[keep]:
            root[member] = keep
    by_root = {first: Group(list(ids)) for first, ids in members.items() if len(ids) > 1}
    for link in found:
        if not link.apart and root[link.a] == root[link.b] and root[link.a] in by_root:
            by_root[root[link.a]].links.append(link)
    for group in by_root.values():  # each pair's own link, looked up (not every link scanned for every group)
        own = (pairs.get((a, b)) or pairs.get((b, a)) for a, b in combinations(group.members, 2))
        group.doubts = doubted(group.members, [link for link in own if link is not None])
    return sorted(by_root.values(), key=best_first)


def find_groups(
    contacts: KeyIndex,
    thresholds: Thresholds | None = None,
    distinct: Iterable[tuple[str, str]] = (),
    kinds: Iterable[str] = GROUP_KINDS,
    progress: Any = None,
    workers: int = 1,
) -> list[Group]:
    """Groups of contacts that are probably one person (see the module's docstring)."""
    found = groups(links(contacts, thresholds, distinct, kinds, progress, workers))
    weakest = Thresholds(thresholds.likely if thresholds else Thresholds().likely)  # shown at any score
    for group in found:  # how the two of each doubted pair match on their own, however weakly
        if any(d.score == 0 for d in group.doubts):
            among = links_among(contacts, sorted({m for d in group.doubts for m in (d.a, d.b)}), weakest, distinct)
            group.doubts = doubted(group.members, group.links + among)
    return sorted(found, key=best_first)


def doubted(members: list[str], found: Iterable[Link]) -> list[Link]:
    """The pairs of ``members`` that may be different people: no link of :data:`SURE_KINDS` of
    their own in ``found`` (a chain through others vouches for neither end). Each as a
    ``possible`` link: the match found between them, or one of score 0 where none was. In id order."""
    own = {frozenset((link.a, link.b)): link for link in found}
    pairs: list[Link] = []
    for a, b in combinations(sorted(members, key=contact_id_key), 2):
        link = own.get(frozenset((a, b)))
        if link is None:
            pairs.append(Link(a, b, 0, "possible", ["no match of their own"]))
        elif link.kind not in SURE_KINDS:
            pairs.append(Link(a, b, link.score, "possible", link.reasons, link.apart))
    return pairs


def needs_confirmation(members: list[str], found: list[Link]) -> bool:
    """Whether merging ``members`` asks first: when any two of them may be different people
    (:func:`doubted`), the check a merge of just those two makes."""
    return bool(doubted(members, found))


def doubt_words(doubts: list[Link], label: Callable[[str], str]) -> str:
    """ "c1 Ann Lee and c2 Ann Li" for each doubted pair (``label`` of an id: the id and its name, cleaned), "; " between."""
    return "; ".join(f"{label(d.a)} and {label(d.b)}" for d in doubts)


def links_among(
    contacts: KeyIndex, members: list[str], thresholds: Thresholds | None = None, distinct: Iterable[tuple[str, str]] = ()
) -> list[Link]:
    """The matches of any kind between ``members`` (ids in ``contacts``), as :func:`links` finds
    them, the better direction of each pair."""
    matcher = Matcher(KeyIndex(), contacts, thresholds, distinct, pairwise=True)
    inside = set(members)
    best: dict[tuple[str, str], Link] = {}
    for cid in members:
        q = matcher.keys_of_pending(cid)
        _keep_best(best, cid, [m for m in (matcher.match(q, cid) if q is not None else ()) if m.other_id in inside])
    return list(best.values())

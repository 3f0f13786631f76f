"""Weighing one candidate against one index: the bits of evidence that a request is that row's
person, field by field (:mod:`tui.dedup.levels`), and the words that explain them. Pure."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from tui.dedup import common_names
from tui.dedup import levels as lv
from tui.dedup.blocking import Probe
from tui.dedup.keys import KeyIndex, PersonKeys
from tui.dedup.names import related

MAX_TITLE_AND_MIDDLE = 2.5
"""The most a title (1.5) and a middle name (1.0) add."""
Names = tuple[float, str, str, tuple[str, str, bool], bool]
"""(bits, first name level, surname level, (first name's words, surname's, swapped), common): how
two people's names agree."""
COMPANY_WORDS = {lv.EXACT: "same company", lv.TYPO: "company close", lv.DIFFERENT: "company differs", lv.MISSING: "company unknown"}


@dataclass(slots=True)
class Weighed:
    """One candidate weighed: its bits of evidence, its levels and what to tell the user."""

    bits: float
    first: str
    last: str
    company: str
    name_words: tuple[str, str, bool]
    title: float
    common: bool

    def reasons(self) -> list[str]:
        first, last, swapped = self.name_words
        words = [why for why in (first, last) if why] + (["names in the other order"] if swapped else [])
        found = [", ".join(words) or "same name", COMPANY_WORDS[self.company]]
        if self.title:
            found.append("same title" if self.title >= 1.5 else "similar title")
        return found


def _given_name(name: str) -> bool:
    """A name that many people have: a common one, or one with nicknames (Erin, Eric)."""
    return name in common_names.FIRST or bool(related(name))


class Side:
    """One index to match against (the contacts, or the pending requests), with what weighing
    needs of it: its size, the prior, how often each name and company occurs, blocking caches."""

    def __init__(self, prefix: str, index: KeyIndex, possible: int) -> None:
        self.prefix, self.index = prefix, index
        self.size = index.size()
        self.prior = lv.prior_bits(self.size)
        shown = min(max(possible - 0.5, 0.01), 99.0) / 100  # a score rounds up from x.5
        self.cutoff = self.prior + math.log2(shown / (1 - shown))
        """Below this, a candidate could not be shown even if it were the only one."""
        self.cache: dict[str, Any] = {}
        self._firsts: dict[str, int] = {}
        self._lasts: dict[str, int] = {}
        self._companies: dict[str, int] = {}
        self._names: dict[tuple[object, ...], Names] = {}
        self._first_parts: dict[tuple[str, str, bool], tuple[str, str, float, float]] = {}
        self._last_parts: dict[tuple[str, str, bool], tuple[str, str, float, float]] = {}
        self._company: dict[tuple[str, str], tuple[str, float]] = {}
        self._first_facts_cache: dict[str, tuple[int, float, bool]] = {}
        self._bounds: dict[tuple[str, bool], float] = {}
        self._rarest: float | None = None
        self._last_facts_cache: dict[str, tuple[int, float, bool]] = {}

    def first_count(self, name: str) -> int:
        found = self._firsts.get(name)
        if found is None:
            found = self._firsts[name] = len(self.index.named(name)) if name else 0
        return found

    def last_count(self, name: str) -> int:
        found = self._lasts.get(name)
        if found is None:
            found = self._lasts[name] = sum(len(rows) for rows in self.index.group(name).values()) if name else 0
        return found

    def company_count(self, name: str) -> int:
        found = self._companies.get(name)
        if found is None:
            found = self._companies[name] = self.index.company_count(name) if name else 0
        return found

    def worth(self, rule: str, q: PersonKeys) -> bool:
        """Whether a row that only block ``rule`` finds could weigh enough to be shown. Such a row
        shares the block's names with ``q`` exactly, and differs in the other: the first name for
        ``cl`` (company and surname), the surname for ``i`` (first name and initial) and ``cf``
        (company and first name); the rows where it agrees come through the surname groups. For
        a request of one name, ``cf`` reads it as the first name."""
        company = self._company_bound(q.company, exact=rule != "i")  # cl and cf rows are at q's company
        if rule == "cl":
            bound = lv.FIXED_FIRST[lv.DIFFERENT] + self._last_facts(q.last)[1] + company
        elif not q.first:  # one name, read as a first name: no surname to differ
            bound = self._first_facts(q.last)[1] + company
        else:  # the surname differs, unless one of the two is an initial
            initial = len(q.last) == 1 or bool(self.index.group(q.last[:1]))
            bound = self._first_facts(q.first)[1] + company + (lv.FIXED_LAST[lv.INITIAL] if initial else lv.FIXED_LAST[lv.DIFFERENT])
        return bound + MAX_TITLE_AND_MIDDLE >= self.cutoff

    def _company_bound(self, company: str, exact: bool) -> float:
        """The most a company could add for a request at ``company`` (``exact``: to a row at the
        same company)."""
        if not company:
            return 0.0
        found = self._bounds.get((company, exact))
        if found is None:
            same = lv.company_bits(lv.EXACT, lv.frequency(self.company_count(company), self.size, lv.BASE_COMPANY))
            found = self._bounds[(company, exact)] = (
                same if exact else max(same, lv.company_bits(lv.TYPO, lv.frequency(1, self.size, lv.BASE_COMPANY)))
            )
        return found

    def bound(self, q: PersonKeys) -> float:
        """The most that anything but the names could add for ``q``: its company (the same one,
        or a close one as rare as the rarest here: counted where the index is in memory, else
        taken as one person's), a title and a middle name."""
        if not q.company:
            return MAX_TITLE_AND_MIDDLE
        if self._rarest is None:
            fewest = 1 if self.index.lazy else min(self.index.blocks().companies.values(), default=1)
            self._rarest = lv.company_bits(lv.TYPO, lv.frequency(fewest, self.size, lv.BASE_COMPANY))
        return max(self._company_bound(q.company, exact=True), self._rarest) + MAX_TITLE_AND_MIDDLE

    def names(self, q: PersonKeys, probe: Probe, own: bool, first: str, last: str) -> Names:
        """How ``q``'s names, as ``probe`` lines them up, agree with a row's ``first`` and ``last``."""
        spacing = probe.spacing and (first, last) != (q.first, q.last)
        if spacing or probe.tail or probe.single:
            key = (probe.first, probe.last, probe.swapped, spacing, probe.tail, probe.single, own, first, last)
            found = self._names.get(key)
            if found is None:
                found = self._names[key] = self._weigh_names(probe, spacing, own, first, last)
            return found
        # The usual case, from the two names' agreements (each met again and again).
        first_part = self._first_parts.get((probe.first, first, own))
        if first_part is None:
            first_part = self._first_parts[(probe.first, first, own)] = self._first_part(probe.first, first, own)
        last_part = self._last_parts.get((probe.last, last, own))
        if last_part is None:
            last_part = self._last_parts[(probe.last, last, own)] = self._last_part(probe.last, last, own)
        bits = first_part[2] + last_part[2] + (lv.SWAPPED if probe.swapped else 0.0)
        common = first_part[3] + last_part[3] < self.prior
        return bits, first_part[0], last_part[0], (first_part[1], last_part[1], probe.swapped), common

    def _first_part(self, mine: str, theirs: str, own: bool) -> tuple[str, str, float, float]:
        """(level, words, bits, exact bits) of first name ``mine`` against a row's ``theirs``."""
        _, exact, shared = self._first_facts(theirs)
        # Names other people have too: a slip that turns one into the other is rarer than a second person.
        known = shared and bool(mine) and (_given_name(mine) or self.first_count(mine) > own)
        level, why = lv.first_level(mine, theirs, known)
        why = why or (lv.differ("first names", mine, theirs) if level == lv.DIFFERENT else "")
        bits = lv.level_bits(level, exact, lv.FIXED_FIRST, lv.FIXED_FIRST[lv.INITIAL])
        if level == lv.NICKNAME and mine:  # a rare pet name tells no more than the name it stands for ("Mikey" for Michael)
            bits = min(bits, self._first_facts(mine)[1])
        return level, why, bits, exact if theirs else 0.0

    def _last_part(self, mine: str, theirs: str, own: bool) -> tuple[str, str, float, float]:
        """(level, words, bits, exact bits) of surname ``mine`` against a row's ``theirs``."""
        _, exact, shared = self._last_facts(theirs)
        known = shared and bool(mine) and (mine in common_names.LAST or self.last_count(mine) > own)
        level, why = lv.last_level(mine, theirs, known)
        why = why or (lv.differ("surnames", mine, theirs) if level == lv.DIFFERENT else "")
        return level, why, lv.level_bits(level, exact, lv.FIXED_LAST, 1.0), exact

    def weigh(self, q: PersonKeys, c: PersonKeys, names: Names, keep: bool = False) -> Weighed | None:
        """The evidence that ``q`` is the person of row keys ``c``, whose names agree as ``names``
        says; None when it is too weak to be shown (unless ``keep``)."""
        bits, first_level, last_level, words, common = names
        if q.middle and c.middle:
            bits += lv.MIDDLE_AGREES if q.middle[0] == c.middle[0] else lv.MIDDLE_DIFFERS
        company = self._company.get((q.company, c.company))
        if company is None:
            level = lv.company_level(q.company, c.company)
            company = self._company[(q.company, c.company)] = (
                level,
                lv.company_bits(level, lv.frequency(self.company_count(c.company), self.size, lv.BASE_COMPANY)),
            )
        title = lv.title_bits(q.title, c.title) if q.title and c.title else 0.0
        bits += company[1] + title
        if bits < self.cutoff and not keep:
            return None
        return Weighed(bits, first_level, last_level, company[0], words, title, common)

    def _first_facts(self, name: str) -> tuple[int, float, bool]:
        """(count, exact-agreement bits, whether others have it) of a first name of this index."""
        found = self._first_facts_cache.get(name)
        if found is None:
            count = self.first_count(name)
            found = self._first_facts_cache[name] = (
                count,
                lv.exact_bits(lv.first_frequency(name, count, self.size)),
                _given_name(name) or count > 1,
            )
        return found

    def _last_facts(self, name: str) -> tuple[int, float, bool]:
        """(count, exact-agreement bits, whether others have it) of a surname of this index."""
        found = self._last_facts_cache.get(name)
        if found is None:
            count = self.last_count(name)
            found = self._last_facts_cache[name] = (
                count,
                lv.exact_bits(lv.last_frequency(name, count, self.size)),
                name in common_names.LAST or count > 1,
            )
        return found

    def _weigh_names(self, probe: Probe, spacing: bool, own: bool, c_first: str, c_last: str) -> Names:
        """:meth:`names` for the rarer line-ups: spacing, the first name missing, one name only."""
        _, first_exact, _ = self._first_facts(c_first)
        _, last_exact, _ = self._last_facts(c_last)
        if spacing:  # every letter agrees, the middle names' too
            first_level, first_why, last_level, last_why = lv.SPACING, "", lv.SPACING, "names spaced differently"
        elif probe.tail:
            first_level, first_why, last_level, last_why = lv.MISSING, "first name missing", lv.EXACT, ""
        else:
            first_level, _ = self._first_part(probe.first, c_first, own)[:2]
            last_level, _ = self._last_part(probe.last, c_last, own)[:2]
            first_why, last_why = "only one name given", ""
        bits = (
            lv.level_bits(first_level, first_exact, lv.FIXED_FIRST, lv.FIXED_FIRST[lv.INITIAL])
            + lv.level_bits(last_level, last_exact, lv.FIXED_LAST, 1.0)
            + (lv.MIDDLE_AGREES if spacing else 0.0)
        )
        if probe.single:  # one name: read as the kind of name it usually is
            token = probe.first or probe.last
            as_first = (token in common_names.FIRST, self.first_count(token))
            as_last = (token in common_names.LAST, self.last_count(token))
            bits -= 2.0 if (as_first > as_last if probe.last else as_last > as_first) else 0.0
        common = (first_exact if c_first else 0.0) + last_exact < self.prior
        return bits, first_level, last_level, (first_why, last_why, False), common

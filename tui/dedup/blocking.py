"""Which rows are worth weighing for a person: several blocking rules, whose union keeps recall.

* the surname: exact, close (``rapidfuzz`` ratio >= 75, or one slip, or two in five letters or more)
  or sounding alike (Metaphone or Soundex),
  then, within each surname, the first names that agree at some level (the same, a nickname, an
  initial, a slip or a sound-alike);
* the same with first name and surname swapped ("Okafor Chidi");
* the whole name without spaces ("Anna Marie"/"Annamarie", "Lind qvist"/"Lindqvist"), and without
  the first name ("Reyes Leal" for "Julie Reyes Leal");
* the first name with the surname's initial ("Phyllis Brovvn" for "Phyllis Brown"), and the
  company with the surname or with the first name (a scan's "Drancixxco Campos"), where few share
  them (:data:`MAX_BLOCK`);
* a single name, as a first name or a surname ("Priyanka", "Deshmukh").

Pure: reads a :class:`~tui.dedup.keys.KeyIndex` (in memory or loaded) and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from tui.dedup import levels as lv
from tui.dedup.keys import KeyIndex, PersonKeys
from tui.dedup.names import first_name_forms

SURNAME_CUTOFF = 75
MAX_BLOCK = 10
"""The first-name-and-initial and company blocks are used up to this many rows: a block that many
people share ("John S.", "John at a big employer") tells little, and would cost a weighing each."""
_CHUNK = 256
"""Queries per ``cdist`` call: bounds the score matrix (256 x every distinct surname)."""


class Probe(NamedTuple):
    """How a request's names line up with a row's: the first and last name to compare."""

    first: str
    last: str
    swapped: bool = False
    spacing: bool = False
    single: bool = False
    tail: bool = False
    """The request gives the middle and last names only (``last`` holds them, without spaces)."""


class Blocks:
    """What blocking looks up, derived from an index's rows: surname -> first name -> rows, first
    name -> rows, phonetic code (``m:`` Metaphone, ``s:`` Soundex) -> surnames, company -> count,
    and rows by a few more keys (``pairs``): ``n:`` the whole name without spaces; ``t:`` the same
    without the first name (a request that gives only "Reyes Leal"); ``i:`` the first name and the
    surname's initial; ``cl:`` and ``cf:`` the company with the surname or with the first name."""

    def __init__(self, columns: dict[str, list[str]]) -> None:
        self.groups: dict[str, dict[str, list[int]]] = {}
        self.named: dict[str, list[int]] = {}
        self.pairs: dict[str, list[int]] = {}
        self.companies: dict[str, int] = {}
        groups, named, pairs, companies = self.groups, self.named, self.pairs, self.companies
        for row, (first, middle, last, company) in enumerate(
            zip(columns["firsts"], columns["middles"], columns["lasts"], columns["companies"], strict=True)
        ):
            keys = []
            if last:
                group = groups.get(last)
                if group is None:
                    group = groups[last] = {}
                rows = group.get(first)
                if rows is None:
                    group[first] = [row]
                else:
                    rows.append(row)
                keys.append(f"n:{first}{middle}{last}".replace(" ", "") if middle else f"n:{first}{last}")
                if middle:
                    keys.append(f"t:{middle}{last}".replace(" ", ""))
                if first:
                    keys.append(f"i:{first}|{last[0]}")
                if company:
                    keys.append(f"cl:{company}|{last}")
            if first:
                rows = named.get(first)
                if rows is None:
                    named[first] = [row]
                else:
                    rows.append(row)
                if company:
                    keys.append(f"cf:{company}|{first}")
            if company:
                companies[company] = companies.get(company, 0) + 1
            for key in keys:
                rows = pairs.get(key)
                if rows is None:
                    pairs[key] = [row]
                else:
                    rows.append(row)
        for row, (nicknames, last) in enumerate(
            zip(columns.get("nicknames", ()), columns["lasts"], strict=False)
        ):  # (no column: no nicknames)
            for nickname in nicknames.split():  # found by the names they go by, too (vCard NICKNAME)
                named.setdefault(nickname, []).append(row)
                if last:
                    groups[last].setdefault(nickname, []).append(row)
        self.sounding: dict[str, list[str]] = {}
        for last in groups:
            for prefix, code in zip("ms", lv.sounds(last), strict=True):
                if code:
                    self.sounding.setdefault(f"{prefix}:{code}", []).append(last)


def similar_many(index: KeyIndex, names: list[str]) -> dict[str, list[str]]:
    """The surnames of ``index`` close to each of ``names`` (one ``cdist`` per chunk of them)."""
    import numpy as np

    wanted = sorted(set(names))
    lasts = index.surname_list()
    result: dict[str, list[str]] = {}
    if not wanted or not lasts:
        return {name: [] for name in wanted}
    short = [last for last in lasts if len(last) < _LONG]
    for at in range(0, len(wanted), _CHUNK):
        chunk = wanted[at : at + _CHUNK]
        ratios = process.cdist(chunk, lasts, scorer=fuzz.ratio, score_cutoff=SURNAME_CUTOFF, dtype=np.float32, workers=-1)
        for i, name in enumerate(chunk):
            result[name] = [lasts[j] for j in ratios[i].nonzero()[0]]
        chunk = [name for name in chunk if len(name) < _LONG]
        if chunk and short:
            edits = process.cdist(chunk, short, scorer=OSA.distance, score_cutoff=2, dtype=np.uint8, workers=-1)
            for i, name in enumerate(chunk):
                result[name] += _slips(name, ((short[j], int(edits[i, j])) for j in (edits[i] <= 2).nonzero()[0]))
    return result


_LONG = 8
"""From this length on, two slips keep ratio >= 75 (1 - 2/8): the ratio finds them already."""


def _slips(name: str, found: Iterable[tuple[str, int]]) -> list[str]:
    """Of ``(surname, edits)``, those one slip from ``name``, or two when both have five letters
    (and are not already close by ratio: both shorter than :data:`_LONG`)."""
    return [other for other, edits in found if (edits <= 1 or min(len(name), len(other)) >= 5) and max(len(name), len(other)) < _LONG]


def _similar(index: KeyIndex, name: str, cache: dict[str, Any]) -> list[str]:
    """Surnames close to ``name`` or sounding like it (the same as :func:`similar_many` finds)."""
    sounding = cache.setdefault("sounding", {})
    found: list[str] | None = sounding.get(name)
    if found is not None:
        return found
    close = cache.setdefault("similar", {}).get(name)
    if close is None:
        lasts = index.surname_list()
        close = [c for c, _, _ in process.extract(name, lasts, scorer=fuzz.ratio, score_cutoff=SURNAME_CUTOFF, limit=None)]
        if len(name) < _LONG:
            close += _slips(
                name, ((c, int(d)) for c, d, _ in process.extract(name, lasts, scorer=OSA.distance, score_cutoff=2, limit=None))
            )
    alike = dict.fromkeys(close)
    for prefix, code in zip("ms", lv.sounds(name), strict=True):
        if code:  # a Soundex code is coarse (Smith, Schmidt, Sandy): keep the surnames that agree at some level
            alike.update(dict.fromkeys(s for s in index.sounding(f"{prefix}:{code}") if lv.last_level(name, s)[0] != lv.DIFFERENT))
    found = sounding[name] = list(alike)
    return found


def _agreeing(index: KeyIndex, probe_first: str, group: dict[str, list[int]], cache: dict[str, Any]) -> Iterable[str]:
    """The first names of a surname's group that agree with ``probe_first`` at some level.

    One query (``tui add``) tests the group's names one by one. Many (a materialised index) find,
    once per first name, every name of the index that agrees with it, and intersect."""
    if not probe_first or len(probe_first) == 1:
        return [f for f in group if not probe_first or not f or f[0] == probe_first[0]]
    if index.lazy:
        return [f for f in group if not f or lv.first_level(probe_first, f)[0] != lv.DIFFERENT]
    agreeing = cache.setdefault("agreeing", {})
    found: set[str] | None = agreeing.get(probe_first)
    if found is None:
        if "firsts" not in cache:
            cache["firsts"] = names = list(index.blocks().named)
            by_code: dict[str, list[str]] = {}
            cache["metaphones"] = by_code
            for name in names:
                by_code.setdefault(lv.sounds(name)[0], []).append(name)
        maybe = lv.maybe_first(probe_first, cache["firsts"], cache["metaphones"])
        found = agreeing[probe_first] = {f for f in maybe if lv.first_level(probe_first, f)[0] != lv.DIFFERENT} | {""}
    return found & group.keys()


def candidates(
    index: KeyIndex, q: PersonKeys, cache: dict[str, Any], worth: Callable[[str, PersonKeys], bool] = lambda rule, q: True
) -> dict[int, Probe]:
    """Row -> how ``q`` lines up with it, for every row a blocking rule lets through. ``cache``
    holds what this index's blocking found before (close surnames, agreeing first names);
    ``worth(rule, q)`` says whether the rows only the block ``i``, ``cl`` or ``cf`` adds could
    weigh enough to be shown (their other name differs: see :meth:`tui.dedup.weigh.Side.worth`)."""
    found: dict[int, Probe] = {}
    probes = [Probe(q.first, q.last, single=not q.first)]
    if q.first and len(q.first) > 1 and q.last:
        probes.append(Probe(q.last, q.first, swapped=True))
    groups = None if index.lazy else index.blocks().groups  # in memory: one lookup, not a method call, per surname
    for probe in probes:
        if not probe.last:
            continue
        for last in _similar(index, probe.last, cache) if len(probe.last) > 1 else [probe.last]:
            group = index.group(last) if groups is None else groups.get(last, {})
            for first in _agreeing(index, probe.first, group, cache):
                for row in group[first]:
                    found.setdefault(row, probe)
    if not q.last:
        return found
    for row in index.keyed(f"n:{q.squashed}"):  # weigh() compares the names as usual where they agree
        found[row] = Probe(q.first, q.last, spacing=True)
    for row in index.keyed(f"t:{q.squashed}"):  # "Reyes Leal" for "Julie Reyes Leal"
        found.setdefault(row, Probe("", q.squashed, tail=True))
    if q.first:
        for rule, key in (
            ("i", f"i:{q.first}|{q.last[0]}"),
            *((("cl", f"cl:{q.company}|{q.last}"), ("cf", f"cf:{q.company}|{q.first}")) if q.company else ()),
        ):
            rows = index.keyed(key) if worth(rule, q) else []
            for row in rows if len(rows) <= MAX_BLOCK else ():
                found.setdefault(row, probes[0])
        return found
    single = Probe(q.last, "", single=True)  # one name: it may be the first name
    for form in first_name_forms(q.last):
        for row in index.named(form):
            found.setdefault(row, single)
    rows = index.keyed(f"cf:{q.company}|{q.last}") if q.company and worth("cf", q) else []
    for row in rows if len(rows) <= MAX_BLOCK else ():
        found.setdefault(row, single)
    return found

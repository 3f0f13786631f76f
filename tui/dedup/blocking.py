"""Which rows are worth weighing for a person: several blocking rules, whose union keeps recall.

* the surname: exact, close (``rapidfuzz`` ratio >= 75, or one slip, or two in five letters or more),
  sounding alike (Metaphone or Soundex), written in look-alike letters ("Larnb") or worn down
  ("Villa" for "Villarreal"), then, within each surname, the first names that agree at some level
  (the same, a nickname, an initial, a slip, a sound-alike or a look-alike);
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

import bisect
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, cast

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from tui.dedup import levels as lv
from tui.dedup.keys import KeyIndex, PersonKeys
from tui.dedup.names import first_name_forms, related

SURNAME_CUTOFF = 75
MAX_BLOCK = 10
"""The first-name-and-initial and company blocks are used up to this many rows: a block that many
people share ("John S.", "John at a big employer") tells little, and would cost a weighing each."""
_CHUNK = 256
"""Queries per ``cdist`` call: bounds the score matrix (256 x every distinct surname, a byte each:
small enough to be reused from the heap, not mapped and faulted in afresh for every chunk)."""


Rows = list[int] | str
"""Row numbers, or as a key file writes them (``3,17,40``)."""


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
    name -> rows, phonetic code (``m:`` Metaphone, ``s:`` Soundex) and look-alike skeleton (``k:``)
    -> surnames, company -> count,
    and rows by a few more keys (``pairs``): ``n:`` the whole name without spaces; ``t:`` the same
    without the first name (a request that gives only "Reyes Leal"); ``i:`` the first name and the
    surname's initial; ``cl:`` and ``cf:`` the company with the surname or with the first name."""

    def __init__(self, columns: dict[str, list[str]]) -> None:
        groups: dict[str, dict[str, list[int]]] = {}
        named: dict[str, list[int]] = {}
        pairs: dict[str, list[int]] = {}
        companies: dict[str, int] = {}
        self.groups, self.companies = groups, companies
        self.named: dict[str, Rows] = cast(dict[str, Rows], named)
        self.pairs: dict[str, Rows] = cast(dict[str, Rows], pairs)
        """(Read from a key file, the rows of ``named`` and ``pairs`` are their text until looked
        up: see :meth:`tui.dedup.keys.KeyIndex.named`.)"""
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
            shape = lv.skeleton_of_name(last)
            if shape != last:  # "hammond" is "harnrnond" to the eye (a surname that is its own skeleton is its group)
                self.sounding.setdefault(f"k:{shape}", []).append(last)


def similar_many(
    lasts: list[str], names: list[str], cancelled: Callable[[], bool] = lambda: False, workers: int = -1
) -> dict[str, list[str]]:
    """The surnames of ``lasts`` close to each of ``names``, as :func:`_similar` finds them: by
    ratio, then by slips, each in the order of ``lasts`` (``cdist`` on ``workers`` CPUs, -1: every
    one, by chunks). Once ``cancelled()``, the rest is not worked out (what is returned then is
    incomplete)."""
    import numpy as np

    wanted = sorted(set(names))
    result: dict[str, list[str]] = {name: [] for name in wanted}
    for at in range(0, len(wanted), _CHUNK) if lasts else ():
        if cancelled():
            return result
        chunk = wanted[at : at + _CHUNK]
        ratios = process.cdist(chunk, lasts, scorer=fuzz.ratio, score_cutoff=SURNAME_CUTOFF, dtype=np.uint8, workers=workers)
        for i, js in _hits(ratios):
            result[chunk[i]] = [lasts[j] for j in js]
    short = [last for last in lasts if len(last) < _LONG]
    asked = [name for name in wanted if len(name) < _LONG]
    five = np.array([len(last) >= 5 for last in short])
    for at in range(0, len(asked), _CHUNK) if short else ():
        if cancelled():
            return result
        chunk = asked[at : at + _CHUNK]
        edits = process.cdist(chunk, short, scorer=OSA.distance, score_cutoff=2, dtype=np.uint8, workers=workers)
        both_five = np.array([len(name) >= 5 for name in chunk])[:, None] & five  # see _slips: two slips in five letters
        for i, js in _hits((edits <= 1) | ((edits == 2) & both_five)):
            result[chunk[i]] += [short[j] for j in js]
    return result


def _hits(matrix: Any) -> Iterable[tuple[int, list[int]]]:
    """(row, the columns where ``matrix`` is not 0) for each row with any: one scan of the matrix
    as bytes, which is many times faster than ``nonzero`` row by row (most of it is 0), and the
    cells split into rows by numpy, not one by one."""
    import numpy as np

    cells = np.flatnonzero(np.ascontiguousarray(matrix if matrix.dtype.itemsize == 1 else matrix != 0).view(bool))
    if not len(cells):
        return
    rows = cells // matrix.shape[1]
    columns = (cells - rows * matrix.shape[1]).tolist()
    starts = [0, *(np.flatnonzero(rows[1:] != rows[:-1]) + 1).tolist(), len(columns)]
    for row, at, stop in zip(rows[starts[:-1]].tolist(), starts, starts[1:], strict=False):
        yield row, columns[at:stop]


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
    shape = lv.skeleton_of_name(name)
    groups = [index.sounding(f"{prefix}:{code}") for prefix, code in zip("ms", lv.sounds(name), strict=True) if code]
    groups.append(index.sounding(f"k:{shape}") + ([shape] if shape != name and index.group(shape) else []))  # look-alike letters
    groups.append(_worn_down(index, name, cache))
    if index.group(name[0]):  # a contact known by the initial of a surname ("Mario M.")
        groups.append([name[0]])
    for group in groups:  # a Soundex code is coarse (Smith, Schmidt, Sandy): keep the surnames that agree at some level
        alike.update(dict.fromkeys(s for s in _maybe_last(name, group) if lv.last_level(name, s)[0] != lv.DIFFERENT))
    found = sounding[name] = list(alike)
    return found


def _worn_down(index: KeyIndex, name: str, cache: dict[str, Any]) -> list[str]:
    """The surnames of ``index`` that begin as ``name`` does and are close by Jaro-Winkler (>= 0.9):
    the worn-down forms the levels know ("Villa" for "Villarreal"; see ``levels._alike``)."""
    from rapidfuzz.distance import JaroWinkler

    if index.lazy:  # one query (tui add): the key file's surnames are sorted
        lasts, start = index.surname_list(), name[:3]
        same_start = lasts[bisect.bisect_left(lasts, start) : bisect.bisect_left(lasts, start + "\U0010ffff")]
    else:
        table = cache.get("starts")
        if table is None:
            table = cache["starts"] = {}
            for last in index.surname_list():
                table.setdefault(last[:3], []).append(last)
        same_start = table.get(name[:3], [])
    return [s for s, _, _ in process.extract(name, same_start, scorer=JaroWinkler.normalized_similarity, score_cutoff=0.9, limit=None)]


def _maybe_last(name: str, group: list[str]) -> list[str]:
    """Those of ``group`` (surnames with a sound code of ``name``'s) for which
    :func:`~tui.dedup.levels.last_level` might not say DIFFERENT, in order: a superset found in C
    for the exact test to run on, one surname of a large group at a time costing as much as the
    whole prefilter. Its bounds follow the levels: the same Metaphone code, a slip or two (``OSA``
    <= 2), Jaro-Winkler >= 0.85 (the sound-alike rules), ``ratio`` >= 75, a one-letter name, the
    same look-alike skeleton."""
    from rapidfuzz.distance import JaroWinkler

    if len(group) <= 16:
        return group
    near = {s for s, _, _ in process.extract(name, group, scorer=JaroWinkler.normalized_similarity, score_cutoff=0.85, limit=None)}
    near.update(s for s, _, _ in process.extract(name, group, scorer=OSA.distance, score_cutoff=2, limit=None))
    near.update(s for s, _, _ in process.extract(name, group, scorer=fuzz.ratio, score_cutoff=SURNAME_CUTOFF, limit=None))
    metaphone, shape, skeleton = lv.sounds(name)[0], lv.skeleton_of_name(name), lv.skeleton_of_name
    return [s for s in group if s in near or len(s) <= 1 or lv.sounds(s)[0] == metaphone or skeleton(s) == shape]


def _agreeing(index: KeyIndex, probe_first: str, cache: dict[str, Any]) -> Callable[[dict[str, list[int]]], Iterable[str]]:
    """What picks, from a surname's group, the first names that agree with ``probe_first`` at
    some level (made once for all the close surnames a probe looks in).

    One query (``tui add``) tests the group's names one by one. Many (a materialised index) find,
    once per first name, every name of the index that agrees with it, and intersect."""
    if not probe_first or len(probe_first) == 1:
        return lambda group: [f for f in group if not probe_first or not f or f[0] == probe_first[0]]
    level, different = lv.first_level, lv.DIFFERENT
    if index.lazy:
        return lambda group: [f for f in group if not f or level(probe_first, f)[0] != different]
    maybe: set[str] | None = cache.setdefault("maybe", {}).get(probe_first)
    if maybe is None:  # not asked for in a batch (see maybe_firsts): this name alone, the table kept
        table = cache.get("firsts")
        if table is None:
            table = cache["firsts"] = first_name_table(index.blocks().named)
        maybe = cache["maybe"][probe_first] = maybe_firsts(table, [probe_first])[probe_first]
    return lambda group: [f for f in group.keys() & maybe if level(probe_first, f)[0] != different]  # (the smaller one is walked)


FirstNames = tuple[list[str], dict[str, list[str]]]
"""First names, and the same by the keys of :func:`_first_codes` (see :func:`first_name_table`)."""


def first_name_table(names: Iterable[str]) -> FirstNames:
    """The first names that :func:`maybe_firsts` looks in, with their table by code."""
    pool = sorted(set(names) - {""})
    by_code: dict[str, list[str]] = {}
    for name in pool:
        for key in _first_codes(name):
            by_code.setdefault(key, []).append(name)
    return pool, by_code


def maybe_firsts(table: FirstNames, wanted: Iterable[str], workers: int = -1) -> dict[str, set[str]]:
    """For each of ``wanted`` (first names of two letters or more), the names of ``table`` that
    :func:`~tui.dedup.levels.first_level` might not call DIFFERENT, and "" (a row without a first
    name): a superset, found for all of them at once, for :func:`_agreeing` to run the exact test
    on the few of them a surname's group holds. Its bounds follow the levels: a slip, two slips in
    five letters or a male and female form are at most two edits (``OSA``: one ``cdist`` per
    chunk, on ``workers`` CPUs, -1: every one); a nickname is :func:`~tui.dedup.names.related`; an initial is the
    name's first letter; the rest share a Metaphone code, or a Soundex code or the first three
    letters and have Jaro-Winkler >= 0.85 (see ``levels._alike``)."""
    import numpy as np
    from rapidfuzz.distance import JaroWinkler

    pool, by_code = table
    asked = sorted({name for name in wanted if len(name) > 1})
    result: dict[str, set[str]] = {}
    for at in range(0, len(asked), _CHUNK):
        chunk = asked[at : at + _CHUNK]
        for name in chunk:
            metaphone, shape, *spelt = _first_codes(name)
            alike = {other for key in spelt for other in by_code.get(key, ())}
            found = result[name] = {
                "",
                *related(name),
                *by_code.get(metaphone, ()),
                *by_code.get(shape, ()),
                *by_code.get(f"i:{name[0]}", ()),
            }
            found.update(
                other
                for other, _, _ in process.extract(name, alike, scorer=JaroWinkler.normalized_similarity, score_cutoff=0.85, limit=None)
            )
        if pool:
            slips = process.cdist(chunk, pool, scorer=OSA.distance, score_cutoff=2, dtype=np.uint8, workers=workers)
            for i, js in _hits(slips <= 2):
                result[chunk[i]].update(pool[j] for j in js)
    return result


def _first_codes(name: str) -> tuple[str, ...]:
    """A first name's keys in :func:`maybe_firsts`' table: its Metaphone code, then the keys
    Jaro-Winkler decides on. An initial is its own key (it agrees with every name it begins)."""
    if len(name) == 1:
        return (f"i:{name}",)
    metaphone, soundex = lv.sounds(name)
    return f"m:{metaphone}", f"k:{lv.skeleton_of_name(name)}", f"s:{soundex}", f"p:{name[:3]}"


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
        agreeing = _agreeing(index, probe.first, cache)
        for last in _similar(index, probe.last, cache) if len(probe.last) > 1 else [probe.last]:
            group = index.group(last) if groups is None else groups.get(last, {})
            for first in agreeing(group):
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

"""Which rows are worth weighing for a person: several blocking rules, whose union keeps recall.

* the surname: exact, close (``rapidfuzz`` ratio >= 75) or sounding alike (Metaphone or Soundex),
  then, within each surname, the first names that agree at some level (the same, a nickname, an
  initial, a slip or a sound-alike);
* the same with first name and surname swapped ("Okafor Chidi");
* the whole name without spaces ("Anna Marie"/"Annamarie", "Lind qvist"/"Lindqvist"), and without
  the first name ("Reyes Leal" for "Julie Reyes Leal");
* the first name with the surname's initial ("Phyllis Brovvn" for "Phyllis Brown");
* the company with the surname or with the first name (a scan's "Drancixxco Campos");
* a single name, as a first name or a surname ("Priyanka", "Deshmukh").

Pure: reads a :class:`~tui.dedup.keys.KeyIndex` (in memory or loaded) and nothing else.
"""

from __future__ import annotations

from typing import NamedTuple

from rapidfuzz import fuzz, process

from tui.dedup import levels as lv
from tui.dedup.keys import KeyIndex, PersonKeys
from tui.dedup.names import first_name_forms

SURNAME_CUTOFF = 75
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


def similar_many(index: KeyIndex, names: list[str]) -> dict[str, list[str]]:
    """The surnames of ``index`` close to each of ``names`` (one ``cdist`` per chunk of them)."""
    import numpy as np

    wanted = sorted(set(names))
    lasts = index.surname_list()
    result: dict[str, list[str]] = {}
    if not wanted or not lasts:
        return {name: [] for name in wanted}
    for at in range(0, len(wanted), _CHUNK):
        chunk = wanted[at : at + _CHUNK]
        matrix = process.cdist(chunk, lasts, scorer=fuzz.ratio, score_cutoff=SURNAME_CUTOFF, dtype=np.float32, workers=-1)
        for i, name in enumerate(chunk):
            result[name] = [lasts[j] for j in matrix[i].nonzero()[0]]
    return result


def _similar(index: KeyIndex, name: str, cache: dict[str, list[str]]) -> list[str]:
    """Surnames close to ``name`` or sounding like it."""
    close = cache.get(name)
    if close is None:
        close = [c for c, _, _ in process.extract(name, index.surname_list(), scorer=fuzz.ratio, score_cutoff=SURNAME_CUTOFF, limit=None)]
        cache[name] = close
    found = dict.fromkeys(close)
    for prefix, code in zip("ms", lv.sounds(name)):
        if code:
            found.update(dict.fromkeys(index.sounding(f"{prefix}:{code}")))
    return list(found)


def _agreeing(probe_first: str, group: dict[str, list[int]]) -> list[str]:
    """The first names of a surname's group that agree with ``probe_first`` at some level."""
    if not probe_first or len(probe_first) == 1:
        return [f for f in group if not probe_first or not f or f[0] == probe_first[0]]
    forms = set(first_name_forms(probe_first))
    return [f for f in group if not f or f in forms or lv.first_level(probe_first, f)[0] != lv.DIFFERENT]


def candidates(index: KeyIndex, q: PersonKeys, cache: dict[str, list[str]]) -> dict[int, Probe]:
    """Row -> how ``q`` lines up with it, for every row a blocking rule lets through."""
    found: dict[int, Probe] = {}
    probes = [Probe(q.first, q.last, single=not q.first)]
    if q.first and len(q.first) > 1 and q.last:
        probes.append(Probe(q.last, q.first, swapped=True))
    for probe in probes:
        if not probe.last:
            continue
        for last in _similar(index, probe.last, cache) if len(probe.last) > 1 else [probe.last]:
            group = index.group(last)
            for first in _agreeing(probe.first, group):
                for row in group[first]:
                    found.setdefault(row, probe)
    if not q.last:
        return found
    for row in index.keyed(f"n:{q.squashed}"):  # weigh() compares the names as usual where they agree
        found[row] = Probe(q.first, q.last, spacing=True)
    for row in index.keyed(f"t:{q.squashed}"):  # "Reyes Leal" for "Julie Reyes Leal"
        found.setdefault(row, Probe("", q.squashed, tail=True))
    if q.first:
        for row in index.keyed(f"i:{q.first}|{q.last[0]}"):
            found.setdefault(row, probes[0])
        for key in (f"cl:{q.company}|{q.last}", f"cf:{q.company}|{q.first}") if q.company else ():
            for row in index.keyed(key):
                found.setdefault(row, probes[0])
        return found
    single = Probe(q.last, "", single=True)  # one name: it may be the first name
    for form in first_name_forms(q.last):
        for row in index.named(form):
            found.setdefault(row, single)
    for row in index.keyed(f"cf:{q.company}|{q.last}") if q.company else ():
        found.setdefault(row, single)
    return found

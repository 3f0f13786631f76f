"""Who is this person already? Matching over precomputed keys. Pure: no I/O.

Each candidate has a score (0-100), a kind and the reasons:

* ``identical``: the same e-mail address or profile URL (decisive);
* ``impersonation``: the name is the one of a contact but written with look-alike letters from
  another script, or it is exactly a contact's name on the same network under a new account;
* ``likely``: the name agrees (allowing nicknames, initials, accents, order, typos) and so does the
  company;
* ``possible``: the name agrees but nothing else confirms it (or the company differs).

Names are blocked by surname: only people whose surnames are close (``rapidfuzz`` ratio, all
against all with ``process.cdist`` in a batch) and whose first names agree are scored, so a queue
of thousands is matched against tens of thousands of contacts in about a second.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from tui.dedup.keys import KeyIndex, PersonKeys, known_as
from tui.dedup.names import first_name_forms, first_names_agree
from tui.dedup.normalise import simple_name_key

KINDS = ("identical", "impersonation", "likely", "possible")
SURNAME_CUTOFF = 75


@dataclass(frozen=True, slots=True)
class Thresholds:
    likely: int = 90
    """Score from which a candidate whose company agrees is likely the same person."""
    possible: int = 75
    """Score from which a candidate is shown as possible."""


@dataclass(slots=True)
class Match:
    other_id: str
    score: int
    kind: str
    reasons: list[str] = field(default_factory=list)

    def to_doc(self) -> dict[str, Any]:
        return {"id": self.other_id, "score": self.score, "kind": self.kind, "reasons": self.reasons}

    @property
    def rank(self) -> tuple[int, int]:
        return (KINDS.index(self.kind), -self.score)


def identity_matches(emails: Iterable[str], urls: Iterable[str], index: KeyIndex, exclude: str = "") -> list[Match]:
    """Rows of ``index`` sharing an e-mail or profile URL with the person."""
    from tui.dedup.keys import identity_keys

    return _identity(identity_keys(emails, urls), index, exclude)


def _identity(keys: Iterable[str], index: KeyIndex, exclude: str) -> list[Match]:
    return [m for _, m in _identity_rows(keys, index, exclude)]


def _identity_rows(keys: Iterable[str], index: KeyIndex, exclude: str) -> list[tuple[int, Match]]:
    reasons: dict[int, list[str]] = {}
    for key in keys:
        kind, value = key[0], key[2:]
        for row in index.rows_with(key):
            reasons.setdefault(row, []).append(f"{'email' if kind == 'e' else 'profile URL'} identical ({value})")
    found = [(row, Match(index.row_id(row), 100, "identical", why)) for row, why in reasons.items()]
    return [(row, m) for row, m in found if m.other_id != exclude]


def _ratio(a: str, b: str) -> int:
    return round(fuzz.ratio(a, b))


def score_pair(q: PersonKeys, c: PersonKeys, surname: int, thresholds: Thresholds, clone_check: bool = False) -> Match | None:
    """Score one candidate pair whose surnames already agree to ``surname`` (0-100)."""
    first, first_reason = first_names_agree(q.first, c.first)
    if not first:
        first, first_reason = known_as(q, c)  # a nickname one of them is known by (vCard NICKNAME)
    if not first:
        return None
    name = round((first + surname) / 2)
    why = [f"name {name}" + (f" ({first_reason})" if first_reason else "") + ("" if surname == 100 else f" (surname {surname})")]
    parts = [(name, 0.6)]
    company = _ratio(q.company, c.company) if q.company and c.company else None
    if company is not None:
        parts.append((company, 0.3 if company >= 85 else 0.15))  # people change jobs: a new company is weak evidence against
        why.append(f"company {company}")
    title = _ratio(q.title, c.title) if q.title and c.title else None
    if title is not None and title >= 60:  # titles change and abbreviate (CTO): evidence for, never against
        parts.append((title, 0.1))
        why.append(f"title {title}")
    score = round(sum(v * w for v, w in parts) / sum(w for _, w in parts))

    if (q.lookalikes or q.mixed_scripts) and name >= 95:
        return Match("", max(score, name), "impersonation", [*why, "look-alike letters from another script in the name"])
    if clone_check and name == 100 and q.source and q.source == c.source and (company is None or company >= 90) and simple_name_key(q.exact) == simple_name_key(c.exact):
        # A cloned profile copies the name (and the company) onto a new account on the same network.
        mine, theirs = {k for k in q.identity if k.startswith("u:")}, {k for k in c.identity if k.startswith("u:")}
        if mine and theirs and not mine & theirs:
            return Match("", max(score, name), "impersonation", [*why, f"same name, a different {q.source} account"])
    if company is not None and company >= 85 and name >= 88 and surname >= 85 and score >= thresholds.likely:
        return Match("", score, "likely", why)
    if name >= 85 and score >= thresholds.possible:
        return Match("", score, "possible", why)
    return None


class NameBlocks:
    """The rows of an index grouped by surname, then first name."""

    def __init__(self, index: KeyIndex) -> None:
        self.index = index
        self.by_last: dict[str, dict[str, list[int]]] = {}
        for row, (first, last) in enumerate(zip(index.column("firsts"), index.column("lasts"))):
            if last:
                self.by_last.setdefault(last, {}).setdefault(first, []).append(row)
        for row, (nicknames, last) in enumerate(zip(index.column("nicknames"), index.column("lasts"))):
            for nickname in nicknames.split() if last else ():  # found by the names they go by, too
                self.by_last[last].setdefault(nickname, []).append(row)
        self.lasts = list(self.by_last)
        self._letters: dict[str, dict[str, list[str]]] = {}

    def similar(self, last: str) -> list[tuple[str, int]]:
        if not last or not self.lasts:
            return []
        found = process.extract(last, self.lasts, scorer=fuzz.ratio, score_cutoff=SURNAME_CUTOFF, limit=None)
        return [(choice, round(score)) for choice, score, _ in found]

    def similar_many(self, lasts: list[str]) -> dict[str, list[tuple[str, int]]]:
        """``similar`` for many surnames at once: one ``cdist`` over the distinct surnames."""
        wanted = sorted({last for last in lasts if last})
        if not wanted or not self.lasts:
            return {}
        matrix = process.cdist(wanted, self.lasts, scorer=fuzz.ratio, score_cutoff=SURNAME_CUTOFF, dtype="uint8", workers=-1)
        result: dict[str, list[tuple[str, int]]] = {}
        for i, last in enumerate(wanted):
            hits = matrix[i].nonzero()[0]
            result[last] = [(self.lasts[j], int(matrix[i, j])) for j in hits]
        return result

    def candidates(self, q: PersonKeys, similar: list[tuple[str, int]]) -> Iterable[tuple[int, int]]:
        """(row, surname score) of the rows whose surname is close and first name agrees.

        Within a surname, first names are looked up rather than compared one by one: the same
        name and its nicknames by set, initials and one-letter slips among names with the same
        first letter (or any name, for a bare initial)."""
        forms = set(first_name_forms(q.first))
        letter = q.first[:1]
        for last, surname in similar:
            group = self.by_last[last]
            firsts = {f for f in forms if f in group}
            if "" in group:
                firsts.add("")
            if not q.first:
                firsts.update(group)
            elif len(q.first) == 1:
                firsts.update(self._by_letter(last).get(letter, ()))
            else:
                firsts.update(f for f in self._by_letter(last).get(letter, ()) if f not in firsts and first_names_agree(q.first, f)[0])
            for first in firsts:
                for row in group[first]:
                    yield row, surname

    def _by_letter(self, last: str) -> dict[str, list[str]]:
        index = self._letters.get(last)
        if index is None:
            index = {}
            for first in self.by_last[last]:
                index.setdefault(first[:1], []).append(first)
            self._letters[last] = index
        return index


class Matcher:
    """Matches for a person: against contacts, and against the other pending requests.

    Holds the precomputed keys and the surname blocks; building it is the slow part.
    """

    def __init__(self, contacts: KeyIndex, pending: KeyIndex, thresholds: Thresholds | None = None,
                 distinct: Iterable[tuple[str, str]] = ()) -> None:
        gc.disable()
        try:
            self._build(contacts, pending, thresholds, distinct)
        finally:
            gc.enable()

    def _build(self, contacts: KeyIndex, pending: KeyIndex, thresholds: Thresholds | None, distinct: Iterable[tuple[str, str]]) -> None:
        self.contacts = contacts.materialise()
        self.pending = pending.materialise()
        self.thresholds = thresholds or Thresholds()
        self.distinct = {frozenset(pair) for pair in distinct}
        self._blocks = {"c": NameBlocks(self.contacts), "r": NameBlocks(self.pending)}
        self._names = dict(zip(self.contacts.ids, self.contacts.display)) | dict(zip(self.pending.ids, self.pending.display))
        self._pending_row = {id_: row for row, id_ in enumerate(self.pending.ids)}
        by_row: dict[int, list[str]] = {}
        for key, rows in self.pending._identity.items():
            for row in rows:
                by_row.setdefault(row, []).append(key)
        self._pending_identity = {row: tuple(keys) for row, keys in by_row.items()}

    def name_of(self, other_id: str) -> str:
        return self._names.get(other_id, "")

    def keys_of_pending(self, request_id: str) -> PersonKeys | None:
        row = self._pending_row.get(request_id)
        if row is None:
            return None
        return self.pending.row_keys(row)._replace(identity=self._pending_identity.get(row, ()))  # e-mails too

    def match(self, q: PersonKeys, own_id: str = "", similar: dict[str, list[tuple[str, int]]] | None = None) -> list[Match]:
        """Every candidate for ``q``, best first. ``similar`` is from a batch ``similar_many``."""
        found: dict[str, Match] = {}
        for index in (self.contacts, self.pending):
            for m in _identity(q.identity, index, own_id):
                found[m.other_id] = m
        for prefix, index in (("c", self.contacts), ("r", self.pending)):
            blocks, ids = self._blocks[prefix], index.columns["ids"]
            lasts = similar[prefix].get(q.last, []) if similar is not None else blocks.similar(q.last)  # type: ignore[index]
            swapped = blocks.similar(q.first) if q.first and len(q.first) > 1 and similar is None else []
            pairs = [(row, surname, q) for row, surname in blocks.candidates(q, lasts)]
            if swapped:  # "Nakamura Kenji" without a comma
                turned = q._replace(first=q.last, last=q.first)
                pairs += [(row, surname, turned) for row, surname in blocks.candidates(turned, swapped)]
            for row, surname, probe in pairs:
                other = ids[row]
                if other == own_id or other in found or frozenset((own_id, other)) in self.distinct:
                    continue
                m = score_pair(probe, index.row_keys(row), surname, self.thresholds, clone_check=prefix == "c")
                if m is not None:
                    m.other_id = other
                    found[other] = m
        return sorted(found.values(), key=lambda m: m.rank)

    def for_request(self, request: Any) -> list[tuple[Match, str]]:
        """Matches for a pending request (a model with ``id``), with the other person's name."""
        q = self.keys_of_pending(request.id)
        if q is None:
            from tui.dedup.keys import person_keys

            q = person_keys(request.name, request.company, request.title, request.source, request.emails, request.urls)
        return [(m, self.name_of(m.other_id)) for m in self.match(q, request.id)]

    def all_pending(self, progress: Any = None) -> dict[str, list[Match]]:
        """Matches for every pending request (surnames compared in one batch)."""
        gc.disable()  # tens of thousands of small, acyclic objects: the cyclic GC only slows this
        try:
            return self._all_pending(progress)
        finally:
            gc.enable()

    def _all_pending(self, progress: Any) -> dict[str, list[Match]]:
        queries = [(id_, self.keys_of_pending(id_)) for id_ in self.pending.ids]
        lasts = [q.last for _, q in queries if q is not None]
        similar = {"c": self._blocks["c"].similar_many(lasts), "r": self._blocks["r"].similar_many(lasts)}
        result: dict[str, list[Match]] = {}
        for n, (id_, q) in enumerate(queries):
            if q is not None:
                result[id_] = self.match(q, id_, similar)
            if progress is not None:
                progress(n + 1, len(queries))
        return result


def quick_match(q: PersonKeys, contacts: KeyIndex, pending: KeyIndex | None = None, own_id: str = "",
                thresholds: Thresholds | None = None) -> list[tuple[Match, str]]:
    """Matches for one new person, straight from loaded (unsplit) indexes: the ``tui add`` path.

    It runs ``process.extract`` for the surname (and, for "Last First", the first name) over the
    index's surname section, then scores only the rows under the surnames that come back.
    """
    thresholds = thresholds or Thresholds()
    results: dict[str, tuple[Match, str]] = {}
    for index in (contacts, pending) if pending is not None else (contacts,):
        for row, found in _identity_rows(q.identity, index, own_id):
            results[found.other_id] = (found, index.row_display(row))
        surnames = index.surnames()
        pairs = list(surnames.items()) if isinstance(surnames, dict) else surnames
        lasts = [last for last, _ in pairs]
        rows: dict[int, tuple[int, PersonKeys]] = {}
        probes = [q] + ([q._replace(first=q.last, last=q.first)] if q.first else [])  # and "Last First"
        for probe in probes:
            for _, surname, i in process.extract(probe.last, lasts, scorer=fuzz.ratio, score_cutoff=SURNAME_CUTOFF, limit=None):
                found = pairs[i][1]
                for row in found if isinstance(found, list) else map(int, found.split(",")):
                    rows.setdefault(row, (round(surname), probe))
        for row, (surname, probe) in rows.items():
            c = index.row_keys(row)
            if not (first_names_agree(probe.first, c.first)[0] or known_as(probe, c)[0]):
                continue
            other = index.row_id(row)
            if other == own_id or other in results:
                continue
            m = score_pair(probe, c, surname, thresholds, clone_check=index is contacts)
            if m is not None:
                m.other_id = other
                results[other] = (m, index.row_display(row))
    return sorted(results.values(), key=lambda pair: pair[0].rank)

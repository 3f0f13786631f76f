"""Names: parsing, folding, nicknames and look-alike characters. Pure.

A name is folded to plain lower-case ASCII (accents and other scripts through ``anyascii``),
honorifics and suffixes go ("Dr.", "PhD", "Jr"), "Last, First" is turned round, middle names are
set aside, and particles stay with the surname ("van der Berg"). Nicknames come from the data of
the ``nicknames`` package (Bob/Robert, Liz/Elizabeth, Bill/William), read straight from its CSV:
importing the package costs 30 ms, which ``tui add`` cannot afford. ``nameparser`` is not used for
the same reason (46 ms); the rules below cover what matching needs.

Look-alike letters (Cyrillic "а" for Latin "a", Cherokee "Ꮪ" for "S", Latin alpha "ɑ", fullwidth
"Ｓ") are mapped to the letters they imitate with Unicode's confusables data before folding, when a
name is disguised (:mod:`tui.dedup.confusables`), so that a cloned name folds to the name it
imitates and is caught.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tui.dedup.confusables import disguised, to_ascii
from tui.dedup.normalise import strip_invisible

HONORIFICS = frozenset(
    "mr mrs ms miss mx dr doctor prof professor sir dame lady lord rev revd fr father capt captain col "
    "hon herr frau mme mlle madame monsieur sr sra srta dott ing".split()
)
SUFFIXES = frozenset(
    "jr jnr sr snr ii iii iv phd dphil md mba msc bsc ba ma meng cpa esq obe mbe cbe kc qc pe dds rn frcs "
    "cfa pmp ceng fca aca acca llm llb".split()
)
PARTICLES = frozenset("van von de da del della der den di du la le ter ten bin ibn al el dos das st".split())

_SCRIPTS_TO_WATCH = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE")
_BRACKETS = re.compile(r"[\(\[\{][^\)\]\}]*[\)\]\}]")
_NOT_NAME = re.compile(r"[^a-z0-9,\s'\-.]")
_SPLIT = re.compile(r"[\s.]+")


def anyascii(text: str) -> str:
    """ASCII for any text. Accents go through NFKD; only other scripts load ``anyascii`` (9 ms)."""
    if text.isascii():
        return text
    stripped = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    if stripped.isascii():
        return stripped
    from anyascii import anyascii as transliterate

    return transliterate(stripped)


def scripts(text: str) -> set[str]:
    """The scripts of the letters in ``text`` that matter for look-alikes (LATIN, CYRILLIC, ...)."""
    if text.isascii():
        return {"LATIN"} if any(ch.isalpha() for ch in text) else set()
    found = set()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            script = name.split(" ", 1)[0]
            if script in _SCRIPTS_TO_WATCH:
                found.add(script)
    return found


@dataclass(frozen=True, slots=True)
class ParsedName:
    first: str
    last: str
    middle: tuple[str, ...] = ()
    mixed_scripts: frozenset[str] = field(default_factory=frozenset)
    """Non-empty when the name mixes Latin with a look-alike script: a classic clone."""
    lookalikes: bool = False
    """True when the name is written with look-alikes of Latin letters (see
    :func:`tui.dedup.confusables.disguised`) and was folded through Unicode's confusables."""

    @property
    def key(self) -> str:
        """``first last``: the form fuzzy scoring compares."""
        return f"{self.first} {self.last}".strip()

    @property
    def initial(self) -> bool:
        return len(self.first) == 1


def fold(text: str) -> str:
    """Visible text to plain lower-case ASCII, look-alikes included where the name is disguised."""
    text = strip_invisible(text)
    if disguised(text):
        text = text.translate(to_ascii())
    return anyascii(text).lower()


def parse(raw: str) -> ParsedName:
    """Split a display name into first, middle and last, folded for matching."""
    lookalikes = disguised(raw)  # before NFKC, which turns fullwidth letters into ASCII ones
    text = strip_invisible(raw)
    if not text.isascii():  # no emoji or symbols (ASCII ones go with the punctuation below)
        text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "S")
    found = scripts(text)
    mixed = frozenset(found) if len(found) > 1 and "LATIN" in found else frozenset()
    lookalikes = lookalikes or bool(mixed)
    folded = anyascii(text.translate(to_ascii()) if lookalikes else text).lower()
    folded = _BRACKETS.sub(" ", folded).replace("&", " ")
    folded = _NOT_NAME.sub("", folded)  # "Mck:nney" (a scan's slip) stays one word
    parts = [p.strip() for p in folded.split(",")]
    parts = [p for p in parts if p]
    # "Smith, John" -> "John Smith"; "John Smith, PhD" keeps its order and loses the suffix.
    if len(parts) >= 2 and not all(t in SUFFIXES or t in HONORIFICS for t in _tokens(parts[1])):
        parts = [parts[1], parts[0], *parts[2:]]
    tokens = [t for part in parts for t in _tokens(part)]
    while tokens and tokens[0] in HONORIFICS:
        tokens.pop(0)
    tokens = [t for t in tokens if t not in SUFFIXES] or tokens
    if not tokens:
        return ParsedName("", "", (), mixed, lookalikes)
    if len(tokens) == 1:
        return ParsedName("", tokens[0], (), mixed, lookalikes)
    last_start = len(tokens) - 1
    while last_start > 1 and tokens[last_start - 1] in PARTICLES:
        last_start -= 1
    return ParsedName(tokens[0], "".join(tokens[last_start:]), tuple(tokens[1:last_start]), mixed, lookalikes)


def _tokens(text: str) -> list[str]:
    return [t.replace("'", "").replace("-", "") for t in _SPLIT.split(text) if t.strip("'-")]


# -------------------------------------------------------------------------------- nicknames


@cache
def _nickname_csv() -> str:
    """The ``nicknames`` package's names.csv ("name1,relationship,name2" per line)."""
    spec = importlib.util.find_spec("nicknames")
    if spec is None or spec.origin is None:
        return ""
    return "\n" + (Path(spec.origin).parent / "names.csv").read_text(encoding="utf-8").lower() + "\n"


@cache
def _nickname_table() -> dict[str, frozenset[str]]:
    """Name -> every name it is a nickname of or has as a nickname (4 ms to build)."""
    table: dict[str, set[str]] = {}
    for line in _nickname_csv().split("\n"):
        a, _, b = line.partition(",")[0], None, line.rpartition(",")[2]
        if a and b and a != b:
            table.setdefault(a.strip(), set()).add(b.strip())
            table.setdefault(b.strip(), set()).add(a.strip())
    return {name: frozenset(related) for name, related in table.items()}


_looked_up: dict[str, frozenset[str]] = {}


def related(name: str) -> frozenset[str]:
    """Every name that ``name`` is a nickname of or has as a nickname.

    The first few names are found by searching the CSV text for each (well under a millisecond;
    ``tui add`` asks for one or two); from the ninth on, the whole table is read once (4 ms)."""
    if len(_looked_up) < 8:
        found = _looked_up.get(name)
        if found is None:
            found = _looked_up[name] = _search(name)
        return found
    return _nickname_table().get(name, frozenset())


def _search(name: str) -> frozenset[str]:
    text = _nickname_csv()
    if not name or not text:
        return frozenset()
    escaped = re.escape(name)
    found = {b.strip() for b in re.findall(rf"\n{escaped},[a-z_]+,([^,\n]+)", text)}
    found.update(a.strip() for a in re.findall(rf"\n([^,\n]+),[a-z_]+,{escaped}(?=\n)", text))
    found.discard(name)
    return frozenset(found)


def first_name_forms(first: str) -> list[str]:
    """The first name and every nickname or full form of it: Bob -> bob, robert, bobby, bert."""
    return [first, *sorted(related(first))] if first else [first]


# --------------------------------------------------------------------------------- companies

COMPANY_SUFFIXES = frozenset(
    "ltd limited inc incorporated llc llp lp plc gmbh ag sa sl sas sarl srl spa bv nv as asa ab oy oyj "
    "kk pty pvt corp corporation co company group holdings intl international sro".split()
)
_COMPANY_JUNK = re.compile(r"[^a-z0-9\s]")


def company_key(company: str) -> str:
    """``The Acme Widgets Ltd.`` → ``acme widgets``; ``Müller GmbH`` → ``muller``."""
    text = anyascii(strip_invisible(company)).lower().replace("&", " and ")
    text = _COMPANY_JUNK.sub(" ", text.replace(".", ""))
    tokens = text.split()
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in COMPANY_SUFFIXES:
        tokens.pop()
    return " ".join(tokens)

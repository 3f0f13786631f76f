"""How two people's fields agree, and what that agreement is worth. Pure.

Fellegi-Sunter style: each field is compared at one of a few agreement levels, and each level adds
a weight in bits, log2(P(level | same person) / P(level | different people)). An exact first name
or surname is worth as much as it is rare (a term-frequency adjustment: "Smith" says less than
"Whitfield"); a nickname, a typo or a name that sounds alike a little less than exact; a different
name counts against. A different company counts a little against (people change jobs), a missing
one not at all. Phonetic codes come from ``jellyfish`` (Metaphone and Soundex).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler

from tui.dedup import common_names
from tui.dedup.confusables import skeleton
from tui.dedup.names import related

EXACT, NICKNAME, SPACING, TYPO, SOUNDS, FUZZY, INITIAL, OTHER, MISSING, DIFFERENT = (
    "exact",
    "nickname",
    "spacing",
    "typo",
    "sounds",
    "fuzzy",
    "initial",
    "other",
    "missing",
    "different",
)
#: Levels at which two names are the same name.
AGREE = frozenset((EXACT, NICKNAME, SPACING, TYPO, SOUNDS, INITIAL))
#: Bits below the exact weight, per level.
PENALTY = {EXACT: 0.0, NICKNAME: 1.5, SPACING: 0.0, TYPO: 2.0, SOUNDS: 5.0, FUZZY: 8.0}
FIXED_FIRST = {INITIAL: 3.7, OTHER: 0.0, MISSING: 0.0, DIFFERENT: -6.0}
FIXED_LAST = {MISSING: 0.0, DIFFERENT: -5.0, OTHER: -4.0, INITIAL: 0.0}
MIDDLE_AGREES, MIDDLE_DIFFERS = 1.0, -2.0
"""Both give middle names (or initials) that agree, or do not."""
SWAPPED = -1.0
"""Names in the other order ("Okafor Chidi"): a little less sure than in the usual one."""
COMPANY = {EXACT: math.log2(0.6), TYPO: math.log2(0.6) - 3.0, DIFFERENT: math.log2(0.35 / 0.97)}
#: Smoothing of in-network frequencies: a name seen once among 40 people is not 1 in 40.
PSEUDO_COUNT = 1000.0
BASE_FIRST, BASE_LAST, BASE_COMPANY = 1e-3, 2e-4, 1e-3
#: The prior: a request is someone in the network (share ``IN_NETWORK``) or a stranger; a
#: network counts as at least ``MIN_NETWORK`` people, so that a small one does not make a common
#: name look conclusive.
IN_NETWORK, MIN_NETWORK = 0.2, 3000


def prior_bits(size: int) -> float:
    """log2 of the odds against a request being one given person of a network of ``size``."""
    return math.log2(max(size, MIN_NETWORK) * (1 - IN_NETWORK) / IN_NETWORK)


def frequency(count: int, size: int, base: float, floor: float = 0.0) -> float:
    return max(floor, (count + PSEUDO_COUNT * base) / (size + PSEUDO_COUNT))


def first_frequency(name: str, count: int, size: int) -> float:
    return frequency(count, size, BASE_FIRST, common_names.FIRST_FLOOR if name in common_names.FIRST else 0.0)


def last_frequency(name: str, count: int, size: int) -> float:
    return frequency(count, size, BASE_LAST, common_names.LAST_FLOOR if name in common_names.LAST else 0.0)


def exact_bits(freq: float) -> float:
    return math.log2(0.9 / freq)


def level_bits(level: str, exact: float, fixed: dict[str, float], floor: float) -> float:
    """The weight of a name's agreement ``level``, given what exact agreement on it is worth: a
    fixed weight (``fixed``), or the exact weight less the level's penalty, at least ``floor``."""
    found = fixed.get(level)
    return found if found is not None else max(exact - PENALTY[level], floor)


@lru_cache(maxsize=100_000)
def sounds(name: str) -> tuple[str, str]:
    """(Metaphone, Soundex) of a folded name."""
    import jellyfish  # 3 ms; only once a name needs it

    return jellyfish.metaphone(name), jellyfish.soundex(name)


def _same_sound(a: str, b: str) -> bool:
    """The same Metaphone code, of two sounds or more (Zoe and Xiu are both "S")."""
    code = sounds(a)[0]
    return len(code) >= 2 and code == sounds(b)[0]


def _alike(a: str, b: str) -> bool:
    """Sound alike, two slips apart or one a worn-down form of the other: Stevens/Stephens,
    Shmidt/Schmitt, Kathrin/Katharina, Stephi/Stephanie."""
    if _same_sound(a, b):
        return True
    (_, sa), (_, sb) = sounds(a), sounds(b)
    similarity = JaroWinkler.similarity(a, b)
    if sa == sb and similarity >= 0.85:
        return True
    if similarity >= 0.9 and a[:3] == b[:3]:
        return True
    return min(len(a), len(b)) >= 5 and OSA.distance(a, b) <= 2


def _looks_alike(a: str, b: str) -> bool:
    """The same letters as a scan or a font shows them: rn/m, 1/l, 0/o."""
    return skeleton_of_name(a) == skeleton_of_name(b)


skeleton_of_name = skeleton
"""The look-alike skeleton of a folded name ("rn" and "m" alike, "1" and "l"), cached."""


_VOWELS = frozenset("aeiouy")
#: Endings that make a given name's other-gender form: Mario/Maria, Giovanni/Giovanna.
_GENDER_ENDINGS = (frozenset("ao"), frozenset("ai"))


def other_gender(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are one name's male and female forms, one letter apart at the end:
    Mario/Maria, Giovanni/Giovanna, or an "a" or "e" after a consonant (Daniel/Daniela,
    Simon/Simone). Not spellings of one name: Katharina/Katharine, Marie/Maria, Dmitri/Dmitry."""
    if len(a) == len(b):
        return len(a) >= 3 and a[:-1] == b[:-1] and frozenset((a[-1], b[-1])) in _GENDER_ENDINGS
    short, long = sorted((a, b), key=len)
    return len(short) >= 3 and len(long) == len(short) + 1 and long.startswith(short) and long[-1] in "ae" and short[-1] not in _VOWELS


@lru_cache(maxsize=200_000)
def first_level(a: str, b: str, known: bool = False) -> tuple[str, str]:
    """How first name ``a`` (the request's) agrees with ``b``: (level, reason). ``known``: ``a``
    is itself a name other people have, so a slip that turns one into the other is more likely a
    different person (Erin, Eric) than a typo."""
    if a == b:
        return (EXACT, "") if a else (MISSING, "no first name")
    if not a or not b:
        return MISSING, "first name unknown"
    if len(a) == 1 or len(b) == 1:
        return (INITIAL, f"initial {min(a, b, key=len).upper()}.") if a[0] == b[0] else (DIFFERENT, "")
    if b in related(a):
        return NICKNAME, f"nickname {_named(a)}→{_named(b)}"
    if other_gender(a, b):  # two people's names, however close: Maria/Mario at one company are two
        return OTHER, f"first names differ ({_named(a)}/{_named(b)})"
    slip = OSA.distance(a, b) <= 1 and min(len(a), len(b)) >= 3
    if (slip and not known) or (_looks_alike(a, b) and not related(a)):  # "E11a" for Ella; not Arnie for Amie, a name of its own
        return TYPO, f"first name spelt {_named(a)}/{_named(b)}"
    if _same_sound(a, b):  # one name spelt two ways: Catherine/Katherine, Steven/Stephen
        return SOUNDS, f"first names sound alike ({_named(a)}/{_named(b)})"
    if slip or _alike(a, b):
        return (
            (OTHER, f"first names differ ({_named(a)}/{_named(b)})")
            if known
            else (SOUNDS, f"first names sound alike ({_named(a)}/{_named(b)})")
        )
    return DIFFERENT, ""  # (blocking asks this of many pairs: the words, for the few weighed, are differ()'s)


_WORD_START = re.compile(r"(?:^|(?<=[\s'\-]))\w")


def _named(name: str) -> str:
    """A folded name as a reason writes it: a capital at each word ("O'Brien", "Van Der Berg"), not
    after a digit as ``str.title`` puts one ("E11a", not "E11A")."""
    return name.title() if name.isalpha() else _WORD_START.sub(lambda m: m.group(0).upper(), name)


def differ(what: str, a: str, b: str) -> str:
    """The words for two names that do not agree at any level: "first names differ (Susan/Matthew)"."""
    return f"{what} differ ({_named(a)}/{_named(b)})" if a and b else ""


@lru_cache(maxsize=200_000)
def last_level(a: str, b: str, known: bool = False) -> tuple[str, str]:
    """How surname ``a`` agrees with ``b``: (level, reason). ``known``: both are surnames other
    people have (Li, Liu): one is not a slip for the other."""
    if a == b:
        return (EXACT, "") if a else (MISSING, "no surname")
    if not a or not b:
        return MISSING, "surname unknown"
    if len(a) == 1 or len(b) == 1:
        return (INITIAL, f"surname initial {min(a, b, key=len).upper()}.") if a[0] == b[0] else (DIFFERENT, "")
    if OSA.distance(a, b) <= 1 or _looks_alike(a, b):
        return (OTHER, f"surnames differ ({_named(a)}/{_named(b)})") if known else (TYPO, f"surname spelt {_named(a)}/{_named(b)}")
    if _alike(a, b):
        return (
            (OTHER, f"surnames differ ({_named(a)}/{_named(b)})") if known else (SOUNDS, f"surnames sound alike ({_named(a)}/{_named(b)})")
        )
    if fuzz.ratio(a, b) >= 75:
        return FUZZY, f"surnames close ({_named(a)}/{_named(b)})"
    return DIFFERENT, ""


@lru_cache(maxsize=100_000)
def company_level(a: str, b: str) -> str:
    if not a or not b:
        return MISSING
    if a == b:
        return EXACT
    if OSA.distance(a, b) <= (1 if min(len(a), len(b)) < 8 else 2) or _within(a.split(), b.split()):
        return TYPO  # a slip; "Northbank Capital" in "Northbank Capital Partners"
    return DIFFERENT


def _within(a: list[str], b: list[str]) -> bool:
    """Whether the words of one are some of the other's, and fewer (as multisets)."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(short) == len(long):
        return False
    rest = list(long)
    for word in short:
        if word not in rest:
            return False
        rest.remove(word)
    return True


def company_bits(level: str, freq: float) -> float:
    if level == MISSING:
        return 0.0
    if level == DIFFERENT:
        return COMPANY[DIFFERENT]
    return max(COMPANY[level] - math.log2(freq), 1.0)


@lru_cache(maxsize=100_000)
def title_bits(a: str, b: str) -> float:
    """Titles change and abbreviate (CTO): evidence for, never against."""
    if not a or not b:
        return 0.0
    ratio = fuzz.ratio(a, b)
    return 1.5 if ratio >= 85 else 0.5 if ratio >= 60 else 0.0

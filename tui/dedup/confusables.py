"""Look-alike characters: Unicode's confusables data (UTS #39) and skeletons. Pure.

``skeleton(text)`` is the UTS #39 skeleton (NFD, every character mapped to its prototype, NFD
again) of the NFKC form, case-folded: two names with the same skeleton look alike on a screen,
whatever scripts they are written in ("Sɑrah", "Ꮪarah", "Ｓａｒａｈ" and "Sarah" share one).
:func:`looks_alike` says when two names written with different letters share one.

The table is generated from Unicode's ``confusables.txt`` (version :data:`VERSION`, kept in
``tests/data/``) by :func:`render` and committed as :mod:`tui.dedup.confusables_data`; a test
regenerates it and compares. It loads (1-2 ms) only when a name is not plain ASCII.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

VERSION = "13.0.0"

#: Letters of real orthographies that the data maps to ASCII look-alikes (Danish æ, French œ,
#: Turkish dotless ı): a name written with them is not disguised.
ORTHOGRAPHIC = frozenset("æÆœŒı")
_ORTHOGRAPHIC = re.compile("([" + "".join(sorted(ORTHOGRAPHIC)) + "])")
#: Latin small capitals that the data leaves out or maps to a letter that is not ASCII ("ᴀ", and
#: "ᴋ" to "ĸ"): set among lower-case letters, each passes for its letter, so it maps as that letter.
SMALL_CAPITALS = dict(zip("ᴀʙᴅᴇꜰɢʜᴊᴋʟᴍɴᴘꞯʀᴛ", "abdefghjklmnpqrt", strict=True))


@cache
def table() -> dict[int, str]:
    """Code point -> prototype, for ``str.translate``: Unicode's data and :data:`SMALL_CAPITALS`."""
    from tui.dedup.confusables_data import TABLE

    found = _parse(TABLE)
    for capital, letter in SMALL_CAPITALS.items():
        if not found.get(ord(capital), "\u0100").isascii():
            found[ord(capital)] = _ascii_table().get(ord(letter), letter)
    return found


@cache
def _ascii_table() -> dict[int, str]:
    """The part of :func:`table` for ASCII characters (1 for l, rn for m): all that an ASCII
    name needs, without loading the rest."""
    from tui.dedup.confusables_data import ASCII

    return _parse(ASCII)


def _parse(data: str) -> dict[int, str]:
    return {ord(line[0]): line[2:] for line in data.split("\n") if line}


@cache
def to_ascii() -> dict[int, str]:
    """The part of :func:`table` whose prototypes are ASCII: folds a disguised name to the Latin
    name it imitates, and leaves the other letters of a mixed name to transliteration."""
    return {cp: target for cp, target in table().items() if cp > 127 and target.isascii()}


@cache
def _ascii_replacements() -> tuple[tuple[str, str], ...]:
    """:func:`_ascii_table` as ``str.replace`` pairs (five times faster than ``translate`` on a
    short string): no prototype holds a character that another pair replaces, so the order is free."""
    return tuple((chr(cp), target) for cp, target in _ascii_table().items())


def skeleton_of(text: str) -> str:
    """The UTS #39 skeleton of ``text``'s NFKC form, case-folded (:func:`skeleton` caches it)."""
    if text.isascii():
        for char, prototype in _ascii_replacements():
            if char in text:
                text = text.replace(char, prototype)
        return unicodedata.normalize("NFD", text).casefold()
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))
    return unicodedata.normalize("NFD", text.translate(table())).casefold()


skeleton = lru_cache(maxsize=50_000)(skeleton_of)


def looks_alike(a: str, b: str) -> bool:
    """True when names ``a`` and ``b`` are written with different letters (letter case, spacing and
    punctuation aside: "O’Brien" is "O'Brien", "Strauß" is "Strauss") that look the same: the same
    skeleton, compared as written (capital "I" passes for "l") and case-folded ("Ꮪ" and "s").
    Hidden characters go, blank glyphs are spaces; accents and :data:`ORTHOGRAPHIC` letters are
    letters of their own ("José" is not "Jose", "Yıldız" not "Yildiz")."""
    if a == b:
        return False
    mine, theirs = _forms(a), _forms(b)
    return mine[0] != theirs[0] and (mine[1] == theirs[1] or mine[2] == theirs[2])


def same_letters(a: str, b: str) -> bool:
    """True when names ``a`` and ``b`` have the same letters, letter case, spacing and punctuation
    aside (hidden characters go, blank glyphs are spaces)."""
    return a == b or _forms(a)[0] == _forms(b)[0]


@lru_cache(maxsize=50_000)
def _forms(name: str) -> tuple[str, str, str]:
    """(the letters, case-folded; the shape as written; the shape case-folded) of a name."""
    from tui.dedup.normalise import visible_name

    name = visible_name(name)
    folded = name.casefold()
    return _letters(folded), _shape(name), _shape(folded)


def _letters(text: str) -> str:
    """Letters, digits and combining marks: what tells one name from another."""
    if text.isascii():
        return "".join(ch for ch in text if ch.isalnum())
    return "".join(ch for ch in text if ch.isalnum() or unicodedata.category(ch)[0] == "M")


def _shape(text: str) -> str:
    """The letters of ``text``'s skeleton, :data:`ORTHOGRAPHIC` letters kept as they are."""
    if _ORTHOGRAPHIC.search(text):
        return _letters("".join(part.casefold() if part in ORTHOGRAPHIC else skeleton(part) for part in _ORTHOGRAPHIC.split(text)))
    return _letters(skeleton(text))


def disguised(raw: str) -> bool:
    """True when a name is written with look-alikes of Latin letters: compatibility forms that NFKC
    turns into ASCII (fullwidth "Ｓ"), letters of another script mixed with Latin ones (Cyrillic
    "а" or Cherokee "Ꮪ" in "Sarah"), a name made only of such letters, or Latin letters that only
    imitate ASCII ones (alpha "ɑ", small capitals). Accented letters are not look-alikes, and a
    name wholly in another script ("Сергей") is that script, not a disguise."""
    if raw.isascii():
        return False
    mapped = to_ascii()
    latin = imitations = other = 0
    for ch in raw:
        if ch.isascii():
            latin += ch.isalpha()
            continue
        if not ch.isalpha():
            continue
        compat = unicodedata.normalize("NFKC", ch)
        if compat != ch and compat.isascii():
            return True  # fullwidth and other compatibility forms of ASCII letters
        if ord(ch) in mapped and ch not in ORTHOGRAPHIC:
            imitations += 1
        elif unicodedata.name(ch, "").startswith("LATIN"):
            latin += 1  # é, ø, ł: real Latin letters
        else:
            other += 1
    return bool(imitations) and (bool(latin) or not other)


def render(source: str) -> str:
    """The text of ``confusables_data.py`` from the text of ``confusables.txt``."""
    lines = []
    for line in source.lstrip("\ufeff").splitlines():
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        src, target = (field.strip() for field in data.split(";")[:2])
        entry = chr(int(src, 16)) + " " + "".join(chr(int(cp, 16)) for cp in target.split())
        lines.append(entry.encode("unicode_escape").decode("ascii").replace('"', '\\"'))

    def body(entries: list[str]) -> str:
        return "\n".join(f'    "{entry}\\n"' for entry in sorted(entries))

    ascii_lines = [line for line in lines if line[0].isascii() and not line.startswith("\\")]
    return (
        f'"""Generated from Unicode confusables.txt {VERSION} by tui.dedup.confusables.render: do not edit.\n\n'
        '"<character> <prototype>" per line; ASCII holds the lines for ASCII characters again. Unicode data:\n'
        'see https://www.unicode.org/terms_of_use.html\n"""\n\n'
        f"TABLE = (\n{body(lines)}\n)\n\nASCII = (\n{body(ascii_lines)}\n)\n"
    )

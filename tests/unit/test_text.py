"""The one boundary for untrusted text."""

from __future__ import annotations

import json
import unicodedata

import pytest

from tests.conftest import HOSTILE
from tui.text import ELLIPSIS, REPLACEMENT, clean, clean_multiline, is_blank, is_safe, json_safe

DANGEROUS = {"\x1b", "\x07", "\x9b", "\x9c", "\x9d", "\u202e", "\u2066", "\u200b", "\x00", "\x7f"}


class TestClean:
    @pytest.mark.parametrize("text", HOSTILE)
    def test_hostile_strings_lose_every_control(self, text: str) -> None:
        shown = clean(text)
        assert not DANGEROUS & set(shown)
        assert is_safe(shown)

    def test_escape_becomes_visible_replacement(self) -> None:
        assert clean("\x1b]52;c;Y3VybA==\x1b\\") == f"{REPLACEMENT}]52;c;Y3VybA=={REPLACEMENT}\\"
        assert clean("\x1b]0;title\x07") == f"{REPLACEMENT}]0;title"

    def test_c1_csi_is_replaced(self) -> None:
        assert clean("\x9b2J") == f"{REPLACEMENT}2J"

    def test_markup_is_left_as_literal_text(self) -> None:
        # Markup is harmless once it is rendered as Text/Content; the boundary keeps it readable.
        assert clean("[@click=app.quit]x[/]") == "[@click=app.quit]x[/]"

    def test_bidi_and_zero_width_removed(self) -> None:
        assert clean("ab\u202ecd\u2066e\u2069\u200bf\ufeff") == "abcdef"

    def test_every_format_character_removed(self) -> None:
        for code in range(0x110000):
            if 0xD800 <= code <= 0xDFFF:
                continue
            ch = chr(code)
            if unicodedata.category(ch) in ("Cc", "Cf"):
                assert ch not in clean(f"a{ch}b"), hex(code)

    def test_lone_surrogate_replaced(self) -> None:
        assert clean("a\udcffb") == f"a{REPLACEMENT}b"

    def test_long_field_capped_with_ellipsis(self) -> None:
        shown = clean("x" * 100_000)
        assert len(shown) == 200 and shown.endswith(ELLIPSIS)
        assert len(clean("x" * 100_000, limit=None)) == 100_000

    def test_newlines_fold_in_single_line_but_stay_in_multiline(self) -> None:
        assert clean("a\nb\r\nc") == "a b c"
        assert clean_multiline("a\nb\r\nc\td") == "a\nb\nc d"

    def test_combining_flood_capped(self) -> None:
        zalgo = "Z" + "\u0301" * 500 + "e"
        assert clean(zalgo) == "Z\u0301\u0301e"

    def test_plain_text_untouched(self) -> None:
        for text in ("José Álvarez", "Zoë O'Neill-Smith", "李小龍", "Ολυμπία", "Priya 🙂"):
            assert clean(text) == text


class TestJsonSafe:
    def test_escapes_controls_but_round_trips(self) -> None:
        original = {"name": "\x1b]52;c;Y3VybA==\x07 \u202e \x9b2J \u200b José"}
        out = json_safe(json.dumps(original, ensure_ascii=False))
        assert not DANGEROUS & set(out)
        assert "José" in out
        assert json.loads(out) == original


class TestOneInvisibleTable:
    def test_display_and_matching_remove_the_same_characters(self) -> None:
        """What the screen drops, matching drops, and nothing else: 'Sar\\u2028ah' must not show as
        'Sarah' and match as something else. A blank glyph (the Hangul fillers among them, which the
        screen drops) is a space to matching, as other software draws it."""
        from tui.dedup.normalise import strip_invisible
        from tui.text import BLANK_GLYPHS

        differ = []
        for code in range(0xA0, 0x110000):
            if 0xD800 <= code <= 0xDFFF:
                continue
            ch = chr(code)
            if ch in BLANK_GLYPHS:
                continue
            shown, matched = clean(f"a{ch}b") == "ab", strip_invisible(f"a{ch}b") == "ab"
            if shown != matched:
                differ.append(hex(code))
        assert differ == []
        assert all(strip_invisible(f"a{ch}b") == "a b" for ch in BLANK_GLYPHS)

    def test_every_user_of_the_table_removes_every_character_of_it(self) -> None:
        """Each place that reads past invisible characters (the display, is_blank, matching's
        folds of names, companies, addresses and profile URLs, the look-alike check, the red
        flags' words) removes every character of the one table: a copy that misses a character
        added to it fails here. Blank glyphs are spaces to the name and word users (tested above)."""
        import re

        from tui.context.flags import red_flags
        from tui.dedup.confusables import same_letters
        from tui.dedup.names import company_key, fold, parse
        from tui.dedup.normalise import email_key, simple_name_key, strip_invisible, url_key, visible_name
        from tui.models import Request
        from tui.text import BLANK_GLYPHS, INVISIBLE_CLASS

        table = re.compile("[" + INVISIBLE_CLASS + "]")
        chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and table.fullmatch(chr(c))]
        assert len(chars) > 4000  # the tag block alone holds 4096
        profile, sarah = url_key("https://www.linkedin.com/in/sarah"), parse("Sarah Chen")
        missed: dict[str, list[str]] = {}
        for ch in chars:
            checks = {
                "clean": clean(f"Sar{ch}ah") == "Sarah" and clean_multiline(f"Sar{ch}ah") == "Sarah",
                "is_blank": is_blank(ch) and not is_safe(ch),
                "email_key": email_key(f"sa{ch}rah@example.com") == "sarah@example.com",
                "url_key": url_key(f"https://www.linkedin.com/in/sa{ch}rah") == profile,
            }
            if ch not in BLANK_GLYPHS:
                parsed = parse(f"Sarah Ch{ch}en")
                checks |= {
                    "strip_invisible": strip_invisible(f"Sar{ch}ah") == "Sarah",
                    "visible_name": visible_name(f"Sar{ch}ah") == "Sarah",
                    "simple_name_key": simple_name_key(f"Sar{ch}ah") == "sarah",
                    "fold": fold(f"Sar{ch}ah") == "sarah",
                    "parse": (parsed.first, parsed.last, parsed.lookalikes) == (sarah.first, sarah.last, False),
                    "company_key": company_key(f"Ac{ch}me") == "acme",
                    "same_letters": same_letters("Sarah", f"Sar{ch}ah"),
                    "red_flags": "sales-pitch" in {f.code for f in red_flags(Request(name="A", message=f"more le{ch}ads"))},
                }
            for user, ok in checks.items():
                if not ok:
                    missed.setdefault(user, []).append(hex(ord(ch)))
        assert {user: found[:5] for user, found in missed.items()} == {}

    @pytest.mark.parametrize(
        "ch",
        [
            "\u2028",
            "\u2029",
            "\ufff9",
            "\ufffa",
            "\ufffb",
            "\U000e0041",
            "\U000e0001",
            "\U000e007f",
            "\u034f",
            "\ufe0f",
            "\U000e0100",
            "\u180b",
            "\u17b4",
            "\U00013439",
            "\U0001343f",
            "\u2065",
            "\ufff0",
        ],
    )
    def test_invisible_characters_are_removed_from_display(self, ch: str) -> None:
        assert clean(f"Sar{ch}ah") == "Sarah" and clean_multiline(f"a{ch}\nb") == "a\nb"
        serialised = json_safe(json.dumps(f"a{ch}b", ensure_ascii=False))
        assert not is_safe(f"a{ch}b") and ch not in serialised and json.loads(serialised) == f"a{ch}b"


class TestIsSafe:
    def test_the_fast_path_answers_as_the_table_does_for_every_character(self) -> None:
        """is_safe skips its regex for printable text below U+0340 (where the table has nothing
        printable): for each code point, in Latin text that takes the fast path, it answers as
        the table and the controls do."""
        import re

        from tui.text import CONTROL_CLASS, INVISIBLE_CLASS

        unsafe = re.compile("[" + CONTROL_CLASS + "\ud800-\udfff" + INVISIBLE_CLASS + "]")
        wrong = [
            hex(c)
            for c in range(0x110000)
            if is_safe(text := f"Zoë Ştefan {chr(c)} Ñ") != (unsafe.search(text) is None)
            or is_safe(chr(c)) != (unsafe.search(chr(c)) is None)
        ]
        assert wrong == []
        assert is_safe("Zoë Ştefan Ñ — Founder, Acme…") and not is_safe("Zoë\u034fŞtefan")


class TestIsBlank:
    NOTHING_VISIBLE = [
        "\u2800",
        "\u034f",
        "\U000e0100",
        "\u17b4",
        "\ufe0f",
        "\ufffc",
        "\U00013439",
        "\u1cbb",
        "\u3164\u115f\u2028\u2029",
        "\x1b\x07",
        "\u0301\u0302",
        "\ue000",
        " \u2800 \u200b\t",
    ]

    @pytest.mark.parametrize("name", NOTHING_VISIBLE)
    def test_a_name_with_nothing_visible_is_blank(self, name: str) -> None:
        assert is_blank(name) and is_blank(name * 3)

    @pytest.mark.parametrize("name", ["A", "A\u034f", "\u2800x", "🙂", "李", "é", "\ufffd", "-", "Zoë\ufe0f"])
    def test_anything_visible_is_not(self, name: str) -> None:
        assert not is_blank(name)

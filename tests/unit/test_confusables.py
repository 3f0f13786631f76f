"""The look-alike table is Unicode's confusables data, regenerated here and compared."""

from __future__ import annotations

import importlib.resources

import pytest

from tests.conftest import ROOT
from tui.dedup import confusables, confusables_data
from tui.dedup.confusables import VERSION, disguised, looks_alike, render, skeleton
from tui.dedup.normalise import visible_name


def test_the_shipped_table_is_generated_from_confusables_txt() -> None:
    source = (ROOT / "tests" / "data" / "confusables.txt").read_text(encoding="utf-8")
    assert f"# Version: {VERSION}" in source
    shipped = importlib.resources.files("tui.dedup").joinpath("confusables_data.py").read_text(encoding="utf-8")
    assert render(source) == shipped, "regenerate: tui/dedup/confusables_data.py = render(tests/data/confusables.txt)"
    entries = [line for line in source.splitlines() if line[:1].isalnum()]
    generated = confusables._parse(confusables_data.TABLE)
    assert len(generated) == len(entries) > 6000
    assert set(confusables.table()) == set(generated) | {ord(c) for c in confusables.SMALL_CAPITALS}


def test_the_ascii_fast_path_is_the_table() -> None:
    pairs = confusables._ascii_replacements()
    assert not any(char in prototype for char, _ in pairs for _, prototype in pairs)  # so replace() in any order is translate()
    text = "".join(chr(c) for c in range(32, 127))
    assert skeleton(text) == text.translate(confusables._ascii_table()).casefold()


def test_skeletons_follow_uts_39() -> None:
    assert skeleton("Sɑrah") == skeleton("Ꮪarah") == skeleton("Ｓａｒａｈ") == skeleton("Ѕаrаһ") == skeleton("Sarah")
    assert skeleton("paypal") == skeleton("pаypаl") and skeleton("rn") == skeleton("m")
    assert skeleton("José") != skeleton("Jose")  # an accent is not a look-alike


def test_accents_and_other_scripts_are_not_disguises() -> None:
    for real in ("José Álvarez", "Zoë Ní Dhomhnaill", "Søren Ærø", "Yıldız Çelik", "Сергей Иванов", "王伟", "Ελένη"):
        assert not disguised(real), real
    for fake in ("Sɑrah", "Ꮪarah", "Ｓarah", "Sаrah", "Maɡnus"):
        assert disguised(fake), fake


class TestLooksAlike:
    """Two names written differently (beyond letter case) that look the same on a screen."""

    REAL = "Sarah Whitfield"

    @pytest.mark.parametrize(
        "fake",
        [
            "Sar\u1d00h Whitfield",
            "Sarah Whitfie\u029fd",
            "\ua731arah Whitfield",
            "Sarah W\u029citfield",
            "Sa\u0280ah Whitfield",  # small capitals
            "Sarah WhitfieId",
            "Sarah Whitfie1d",
            "Sarah Whitfie|d",  # I, 1, | for l
            "S\u0430r\u0430h Whitfield",
            "\u0405arah Whitfield",
            "Sarah Wh\u0456tf\u0456eld",  # Cyrillic
            "S\u03b1rah Whitfield",
            "Sarah Wh\u03b9tfield",  # Greek
            "\u13daarah Whitfield",
            "\uabaaarah Whitfield",  # Cherokee, capital and small
            "\uff33\uff41\uff52\uff41\uff48 Whitfield",
            "\U0001d412\U0001d41a\U0001d42b\U0001d41a\U0001d421 Whitfield",  # fullwidth, mathematical bold
            "\U0001d54a\U0001d552\U0001d563\U0001d552\U0001d559 Whitfield",
            "Sarah \U0001d5b6hitfield",  # double-struck, sans-serif
            "Sar\u0251h Whitfield",  # Latin alpha
        ],
    )
    def test_disguises_look_alike(self, fake: str) -> None:
        assert looks_alike(fake, self.REAL) and looks_alike(self.REAL, fake)

    @pytest.mark.parametrize(
        "fake, real",
        [
            ("B\u0458orn 0lsen", "Bjorn Olsen"),
            ("Sarnantha Price", "Samantha Price"),
            ("Ingrid Larsen", "lngrid Larsen"),
            ("SARAH WHlTFlELD", "SARAH WHITFIELD"),
            ("J\u1d0fhn Smith", "John Smith"),
        ],
    )
    def test_o_0_rn_m_and_i_l(self, fake: str, real: str) -> None:
        assert looks_alike(fake, real)

    @pytest.mark.parametrize(
        "a, b",
        [
            ("Sarah Whitfield", "Sarah Whitfield"),
            ("Sarah Whitfield", "SARAH WHITFIELD"),
            ("MacIntosh", "Macintosh"),
            ("Jos\u00e9 \u00c1lvarez", "Jose Alvarez"),
            ("Jose\u0301", "Jos\u00e9"),
            ("S\u00f8ren \u00c6r\u00f8", "Soren Aero"),
            ("Y\u0131ld\u0131z Kaya", "Yildiz Kaya"),
            ("Strau\u00df", "Strauss"),
            ("O\u2019Brien", "O'Brien"),
            ("Anne-Sophie Brandt", "Anne Sophie Brandt"),
            ("Sarah Whitfield", "Sarah Whitfeld"),
            ("\u0421\u0435\u0440\u0433\u0435\u0439", "Sergei"),
        ],
    )
    def test_the_same_name_or_a_real_variant_is_no_look_alike(self, a: str, b: str) -> None:
        assert not looks_alike(a, b) and not looks_alike(b, a)

    def test_blank_looking_characters_are_spaces(self) -> None:
        for blank in ("\u2800", "\u3164", "\u115f", "\uffa0", "\u00a0", "\u3000"):
            assert not looks_alike(f"Sarah{blank}Whitfield", self.REAL)
            assert visible_name(f"Sarah{blank}Whitfield") == self.REAL

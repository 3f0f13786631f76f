"""The look-alike table is Unicode's confusables data, regenerated here and compared."""

from __future__ import annotations

import importlib.resources

from tests.conftest import ROOT
from tui.dedup import confusables
from tui.dedup.confusables import VERSION, disguised, render, skeleton


def test_the_shipped_table_is_generated_from_confusables_txt() -> None:
    source = (ROOT / "tests" / "data" / "confusables.txt").read_text(encoding="utf-8")
    assert f"# Version: {VERSION}" in source
    shipped = importlib.resources.files("tui.dedup").joinpath("confusables_data.py").read_text(encoding="utf-8")
    assert render(source) == shipped, "regenerate: tui/dedup/confusables_data.py = render(tests/data/confusables.txt)"
    entries = [line for line in source.splitlines() if line[:1].isalnum()]
    assert len(confusables.table()) == len(entries) > 6000


def test_skeletons_follow_uts_39() -> None:
    assert skeleton("Sɑrah") == skeleton("Ꮪarah") == skeleton("Ｓａｒａｈ") == skeleton("Ѕаrаһ") == skeleton("Sarah")
    assert skeleton("paypal") == skeleton("pаypаl") and skeleton("rn") == skeleton("m")
    assert skeleton("José") != skeleton("Jose")  # an accent is not a look-alike


def test_accents_and_other_scripts_are_not_disguises() -> None:
    for real in ("José Álvarez", "Zoë Ní Dhomhnaill", "Søren Ærø", "Yıldız Çelik", "Сергей Иванов", "王伟", "Ελένη"):
        assert not disguised(real), real
    for fake in ("Sɑrah", "Ꮪarah", "Ｓarah", "Sаrah", "Maɡnus"):
        assert disguised(fake), fake

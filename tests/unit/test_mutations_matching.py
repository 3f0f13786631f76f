"""Impersonation checks that spot checks once broke without a test noticing (issue 15).

Each class names the one-line edit of the matcher it catches: a name disguised without mixing
scripts must still count as written with look-alikes, and a namesake at another company is not a
clone.
"""

from __future__ import annotations

import pytest

from tests.unit.test_match_categories import find, people
from tui.dedup.names import parse

#: Disguises that mix no scripts: fullwidth forms, Latin letters that imitate ASCII ones, and a
#: name made only of Lisu capitals (every letter a look-alike, no Latin one beside it).
UNMIXED = ["Ｓａｒａｈ Ｃｈｅｎ", "Sɑrah Chen", "Sarah Cʜen", "ꓢꓮꓣꓮꓧ ꓚꓧꓰꓠ"]


class TestLookAlikesWithoutMixedScripts:
    """tui/dedup/names.py: ``lookalikes = lookalikes or bool(mixed)`` must not become ``bool(mixed)``."""

    @pytest.mark.parametrize("disguised", UNMIXED)
    def test_a_disguise_that_mixes_no_scripts_is_still_a_disguise(self, disguised: str) -> None:
        parsed = parse(disguised)
        assert not parsed.mixed_scripts
        assert parsed.lookalikes and parsed.key == "sarah chen"

    def test_a_name_made_only_of_look_alike_capitals_impersonates_the_contact(self) -> None:
        found = find(people(("Sarah Chen", "Acme"), ("Sara Cohen", "Beta")), "ꓢꓮꓣꓮꓧ ꓚꓧꓰꓠ")
        assert found["c1"][0] == "impersonation" and "look-alike letters in the name" in found["c1"][2]

    def test_a_name_wholly_in_another_script_is_not_a_disguise(self) -> None:
        assert not parse("Сергей Иванов").lookalikes


class TestCloneNeedsTheCompany:
    """tui/dedup/match.py: the clone check (same letters, same network, a new account) asks that the
    companies agree or one is unknown; without that condition a namesake is called an impersonator."""

    def test_a_namesake_at_another_company_on_the_same_network_is_not_an_impersonator(self) -> None:
        found = find(people(("Sarah Whitfield", "Northbank Capital")), "Sarah Whitfield", "Glasshouse Bakery", source="linkedin")
        assert found["c1"][0] != "impersonation"
        assert not any("account" in reason for reason in found["c1"][2])

    @pytest.mark.parametrize("company", ["Northbank Capital", "Northbank Capitol", ""])
    def test_the_same_company_a_typo_of_it_or_none_is_a_clone(self, company: str) -> None:
        found = find(people(("Sarah Whitfield", "Northbank Capital")), "Sarah Whitfield", company, source="linkedin")
        assert found["c1"][0] == "impersonation" and "a different linkedin account" in found["c1"][2][-1]

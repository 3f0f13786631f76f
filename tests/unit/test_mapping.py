"""What importers keep of a person: departments, display names, nicknames and phone numbers, and
that exports give them back."""

from __future__ import annotations

import pytest

from tui.formats.export import to_csv, to_json, to_vcard
from tui.formats.load import parse

GOOGLE = (
    "First Name,Middle Name,Last Name,Nickname,Organization Name,Organization Title,Organization Department,"
    "Notes,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value\n"
)


def google(*rows: str) -> bytes:
    return (GOOGLE + "".join(row + "\n" for row in rows)).encode()


class TestVCardOrganisation:
    def test_org_units_are_a_department_not_part_of_the_company(self) -> None:
        card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ola Nowak\r\nORG:Warsaw Digital;Strategy\r\nTITLE:Partner\r\nEND:VCARD\r\n"
        (ola,) = parse(card.encode(), "cards.vcf").contacts
        assert (ola.company, ola.department, ola.title) == ("Warsaw Digital", "Strategy", "Partner")

    def test_nicknames_and_phones_are_kept(self) -> None:
        card = (
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Robert Tables\r\nNICKNAME:Bobby,Little Bob\r\n"
            "TEL;TYPE=CELL:+48 600 100 200\r\nTEL;TYPE=WORK:+48 22 555 01 02\r\nEND:VCARD\r\n"
        )
        (bob,) = parse(card.encode(), "cards.vcf").contacts
        assert bob.nicknames == ["Bobby", "Little Bob"]
        assert bob.phones == ["+48 600 100 200", "+48 22 555 01 02"]

    def test_text_with_unescaped_commas_is_kept_whole(self) -> None:
        card = (
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lovelace, Ada\r\nORG:Engines, Inc.;Research, Notes\r\n"
            "NOTE:Met in London, 1843\r\nEND:VCARD\r\n"
        )
        (ada,) = parse(card.encode(), "cards.vcf").contacts
        assert (ada.name, ada.company, ada.department, ada.notes) == (
            "Lovelace, Ada",
            "Engines, Inc.",
            "Research, Notes",
            "Met in London, 1843",
        )


class TestGoogle:
    def test_a_row_with_only_a_company_is_named_after_the_company(self) -> None:
        (acme,) = parse(google(",,,,Acme Plumbing,,,,Work,help@acme.example,,,,"), "contacts.csv").contacts
        assert acme.name == "Acme Plumbing" and acme.company == "Acme Plumbing" and acme.emails == ["help@acme.example"]

    def test_nickname_department_and_numbered_phones(self) -> None:
        row = "Robert,,Tables,Bobby,Acme,Engineer,Platform,,Work,bob@acme.example,Mobile,+1 555 0100 ::: +1 555 0101,Work,+1 555 0199"
        (bob,) = parse(google(row), "contacts.csv").contacts
        assert (bob.nicknames, bob.department) == (["Bobby"], "Platform")
        assert bob.phones == ["+1 555 0100", "+1 555 0101", "+1 555 0199"]

    def test_legacy_phone_and_department_columns(self) -> None:
        head = "Name,Given Name,Family Name,Nickname,Organization 1 - Name,Organization 1 - Department,Phone 1 - Type,Phone 1 - Value\n"
        (ann,) = parse((head + "Ann Lee,Ann,Lee,Annie,Acme,Sales,Mobile,+44 7700 900123\n").encode(), "legacy.csv").contacts
        assert (ann.phones, ann.nicknames, ann.department) == (["+44 7700 900123"], ["Annie"], "Sales")


class TestGeneric:
    def test_a_phone_column(self) -> None:
        (ann,) = parse(b"name,phone,email\nAnn Lee,+1 555 0100;+1 555 0101,ann@x.io\n", "people.csv", as_="contacts").contacts
        assert ann.phones == ["+1 555 0100", "+1 555 0101"]


class TestExportsKeepThem:
    @pytest.fixture
    def bob(self):  # type: ignore[no-untyped-def]
        card = (
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Robert Tables\r\nN:Tables;Robert;;;\r\nNICKNAME:Bobby\r\nORG:Acme;Platform\r\n"
            "TEL:+1 555 0100\r\nEMAIL:bob@acme.example\r\nEND:VCARD\r\n"
        )
        return parse(card.encode(), "cards.vcf").contacts

    def test_vcard_round_trip(self, bob) -> None:  # type: ignore[no-untyped-def]
        text = to_vcard(bob).decode()
        assert "ORG:Acme;Platform\r\n" in text and "NICKNAME:Bobby\r\n" in text and "TEL:+1 555 0100\r\n" in text
        (again,) = parse(text.encode(), "again.vcf").contacts
        assert (again.company, again.department, again.nicknames, again.phones) == ("Acme", "Platform", ["Bobby"], ["+1 555 0100"])

    @pytest.mark.parametrize("exporter, name", [(to_csv, "again.csv"), (to_json, "again.json")])
    def test_generic_round_trip(self, bob, exporter, name: str) -> None:  # type: ignore[no-untyped-def]
        (again,) = parse(exporter(bob), name, as_="contacts").contacts
        assert (again.company, again.department, again.nicknames, again.phones) == ("Acme", "Platform", ["Bobby"], ["+1 555 0100"])


class TestNicknamesFeedMatching:
    """A contact's own nicknames (vCard NICKNAME, Google's Nickname) find a request under that name,
    even one no nickname table knows."""

    def _contacts(self):  # type: ignore[no-untyped-def]
        from tui.dedup.keys import KeyIndex, person_keys

        keys = person_keys("Robert Tables", "Acme", "", "vcard", [], [], nicknames=["Stretch"])
        return KeyIndex.bulk([("c1", keys, "Robert Tables", "Acme")])

    def test_the_matcher(self) -> None:
        from tui.dedup.keys import KeyIndex, person_keys
        from tui.dedup.match import Matcher

        pending = KeyIndex.bulk([("r1", person_keys("Stretch Tables", "Acme", "", "linkedin", [], []), "Stretch Tables")])
        found = Matcher(self._contacts(), pending).all_pending()["r1"]
        assert [(m.other_id, m.kind) for m in found] == [("c1", "likely")]

    def test_quick_match_from_a_saved_index(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        from tui.dedup.keys import KeyIndex, person_keys
        from tui.dedup.match import quick_match

        (tmp_path / "keys.idx").write_bytes(self._contacts().to_bytes({}))
        loaded, _ = KeyIndex.load(tmp_path / "keys.idx")  # type: ignore[misc]
        found = quick_match(person_keys("Stretch Tables", "Acme", "", "linkedin", [], []), loaded)
        assert [(m.other_id, m.kind, name) for m, name in found] == [("c1", "likely", "Robert Tables")]

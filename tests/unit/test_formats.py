"""Every import format, from fixtures written to the real exports' headers (old eras too)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui.formats import FormatError
from tui.formats.load import parse, read_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def load(name: str, **kw: object):  # type: ignore[no-untyped-def]
    return read_file(FIXTURES / name, kw.pop("as_", None), kw.pop("fmt", None))  # type: ignore[arg-type]


class TestLinkedIn:
    def test_connections_2025_with_preamble_bom_crlf_hidden_rows(self) -> None:
        parsed = load("Connections_2025.csv")
        assert parsed.format == "linkedin-connections" and parsed.skipped == 1
        ada, grace, zoe = parsed.contacts
        assert (ada.name, ada.company, ada.title) == ("Ada Lovelace", "Analytical Engines, Ltd", "Lead, Research & Notes")
        assert (ada.urls, ada.emails, ada.connected_on, ada.source, ada.source_id) == (
            ["https://www.linkedin.com/in/ada-lovelace"],
            ["ada@engine.org"],
            "2026-02-08",
            "linkedin",
            "https://www.linkedin.com/in/ada-lovelace",
        )
        assert grace.emails == [] and zoe.name == "Zoë Ní Bhriain" and zoe.connected_on == "2025-01-01"

    def test_connections_2022_without_url_column(self) -> None:
        parsed = load("Connections_2022.csv")
        assert [c.name for c in parsed.contacts] == ["Ada Lovelace", "Alan Turing"]
        assert parsed.contacts[0].urls == [] and parsed.contacts[1].connected_on == "2020-09-03"

    def test_invitations_incoming_become_requests_outgoing_are_kept_as_sent(self) -> None:
        parsed = load("Invitations_2025.csv")
        assert [r.name for r in parsed.requests] == ["Katherine Johnson", "Grace Hopper"]
        katherine = parsed.requests[0]
        assert katherine.sent_at == "2026-01-29T14:37:00" and katherine.urls == ["https://www.linkedin.com/in/kjohnson"]
        assert [r.name for r in parsed.sent] == ["Dorothy Vaughan"]

    def test_invitations_2022_without_url_columns(self) -> None:
        (mary,) = load("Invitations_2022.csv").requests
        assert (
            mary.message == "Hi,\nwe met at the wind tunnel." and mary.urls == [] and mary.source_id == "Mary Jackson|2022-03-04T10:00:00"
        )


class TestGoogle:
    def test_current_generation_and_multiple_values(self) -> None:
        parsed = load("google_current.csv")
        (hedy,) = parsed.contacts
        assert parsed.format == "google"  # the blank row is ignored
        assert hedy.emails == ["hedy@fh.example", "hedy.lamarr@mail.example", "hl@home.example"]
        assert (hedy.company, hedy.title, hedy.urls, hedy.notes) == (
            "Frequency Hopping Inc",
            "Inventor",
            ["https://www.linkedin.com/in/hedylamarr"],
            "Met at the film club",
        )

    def test_legacy_generation(self) -> None:
        (rosalind,) = load("google_legacy.csv").contacts
        assert (rosalind.name, rosalind.company, rosalind.emails[1]) == ("Rosalind Franklin", "King's College", "rf@home.example")


class TestVCard:
    def test_many_cards_both_versions_grouped_url_label_and_uid(self) -> None:
        ada, emilie = load("cards.vcf").contacts
        assert (ada.source_id, ada.source, ada.urls, ada.notes) == (
            "uid-ada-1",
            "linkedin",
            ["https://www.linkedin.com/in/ada-lovelace"],
            "Line one\nline two",
        )
        assert (emilie.name, emilie.source_id, emilie.first_name) == ("Émilie du Châtelet", "urn:uuid:0b7e", "Émilie")


class TestFacebook:
    def test_requests_with_the_mojibake_repaired(self) -> None:
        parsed = load("friend_requests_received.json")
        assert [r.name for r in parsed.requests] == ["Renée Dubois", "María José García", "Plain Name"]
        assert parsed.requests[0].sent_at == "2026-01-01T00:00:00" and parsed.requests[0].source == "facebook"


class TestDetectionAndErrors:
    def test_format_can_be_forced_and_must_fit(self) -> None:
        assert load("Connections_2022.csv", fmt="linkedin-connections").format == "linkedin-connections"
        with pytest.raises(FormatError, match="no google header"):
            load("Connections_2022.csv", fmt="google")
        with pytest.raises(FormatError, match="holds contacts, not requests"):
            load("Connections_2022.csv", as_="requests")

    @pytest.mark.parametrize(
        "data, message",
        [
            (b"Surname,Forename\nLovelace,Ada\n", ":1: unknown column"),
            (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada", "not a valid vCard"),
            (b'{"received_requests_v2": [{"name": "A", "timestamp": "soon"}]}', "not a Unix time"),
            (b'{"something": []}', "not a Facebook friend-requests export"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ":1: not UTF-8"),
            (b"name,message\nAnn,\x00\x01", ":2: binary data"),
            (b"From,To,Sent At,Message,Direction\nA,B,yesterday,hi,INCOMING\n", ":2: Sent At"),
            (b"First Name,Last Name,Email Address,Company,Position,Connected On\nA,B,,,,someday\n", ":2: Connected On"),
            ("Name\nJos\xe9\n".encode("latin-1"), ":2: not UTF-8"),
        ],
    )
    def test_bad_files_name_the_line(self, data: bytes, message: str) -> None:
        with pytest.raises(FormatError) as info:
            parse(data, "upload.dat")
        assert "upload.dat" in str(info.value) and message in str(info.value)

    def test_huge_file_refused(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from tui import formats

        monkeypatch.setitem(formats.MAX_BYTES, "csv", 1000)
        with pytest.raises(FormatError, match="the limit is"):
            parse(b"name\n" + b"x\n" * 1000, "big.csv")


CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEMAIL:{email}\r\n{extra}END:VCARD\r\n"


def card(name: str = "Ada", email: str = "ada@engine.org", extra: str = "") -> str:
    return CARD.format(name=name, email=email, extra=extra)


class TestVCardCardByCard:
    def test_pictures_and_sounds_are_set_aside_unread(self) -> None:
        photo = "PHOTO;ENCODING=b;TYPE=JPEG:" + "QUJD" * 18 + "\r\n" + " QUJD\r\n" * 5000
        parsed = parse(
            (card(extra=photo) + card("Bo", "bo@x.io", "item2.LOGO;VALUE=uri:https://x.io/l.png\r\nSOUND:abc\r\n")).encode(), "cards.vcf"
        )
        assert [(c.name, c.emails) for c in parsed.contacts] == [("Ada", ["ada@engine.org"]), ("Bo", ["bo@x.io"])]

    @pytest.mark.parametrize(
        "text, line, message",
        [
            (card() + "junk\r\n" + card(), 6, "text outside a card"),
            ("\r\n\r\nhello\r\n" + card(), 3, "text outside a card"),
            (card() + card()[: -len("END:VCARD\r\n")] + card(), 10, "BEGIN:VCARD inside a card"),
            (card() + "END:VCARD\r\n", 6, "END:VCARD without BEGIN:VCARD"),
            (card() + card()[: -len("END:VCARD\r\n")], 6, "a card without END:VCARD"),
            (card() + card(extra="BAD LINE\r\n"), 6, "not a valid vCard (the card that starts here): Failed to parse line: BAD LINE"),
        ],
    )
    def test_errors_name_the_line(self, text: str, line: int, message: str) -> None:
        with pytest.raises(FormatError) as info:
            parse(text.encode(), "cards.vcf", fmt="vcard")
        assert f"cards.vcf:{line}: " in str(info.value) and message in str(info.value)

    def test_a_card_too_large_without_its_pictures_is_refused(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from tui.formats import vcard

        monkeypatch.setattr(vcard, "MAX_CARD", 500)
        text = card() + card("Bo", extra="NOTE:" + "n" * 600 + "\r\n")
        with pytest.raises(FormatError, match=r"cards.vcf:6: the card is \d+ characters long without its pictures; the limit is 500"):
            parse(text.encode(), "cards.vcf")
        assert parse((card() + card("Bo", extra="PHOTO:" + "n" * 600 + "\r\n")).encode(), "cards.vcf").contacts[1].name == "Bo"

    def test_a_field_over_the_limit_is_refused(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from tui.formats import vcard

        monkeypatch.setattr(vcard, "check_field", lambda value, what, path, line: _short(value, what, path, line))
        with pytest.raises(FormatError, match=re.escape("cards.vcf:1: NOTE is 50 characters long")):
            parse(card(extra="NOTE:" + "n" * 50 + "\r\n").encode(), "cards.vcf")


def _short(value: str, what: str, path: str, line: int | None) -> str:
    if len(value) > 40:
        raise FormatError(path, line, f"{what} is {len(value)} characters long")
    return value


class TestLimits:
    def test_each_kind_of_file_has_its_own_size_limit(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from tui import formats

        monkeypatch.setitem(formats.MAX_BYTES, "vcard", 100)
        with pytest.raises(FormatError, match="the limit is 0 MiB"):
            parse(card(extra="NOTE:" + "n" * 100 + "\r\n").encode(), "big.vcf")
        assert parse(b"name\n" + b"x\n" * 100, "fine.csv", "contacts").contacts  # a CSV of the same size is fine

    @pytest.mark.parametrize(
        "data, line",
        [
            (b"name\nA\nB\nC\n", ":4: "),
            (b"First Name,Last Name,Email Address,Company,Position,Connected On\nA,B,,,,\nC,D,,,,\nE,F,,,,\n", ":4: "),
            (b'[{"name": "A"},\n{"name": "B"},\n{"name": "C"}]', ":3: "),
            (
                b'{"received_requests_v2": [{"name": "A", "timestamp": 1}, {"name": "B", "timestamp": 1}, {"name": "C", "timestamp": 1}]}',
                ": ",
            ),
            ((card() * 3).encode(), ":11: "),
        ],
    )
    def test_records_past_the_limit_are_refused(self, monkeypatch: pytest.MonkeyPatch, data: bytes, line: str) -> None:
        from tui import formats

        monkeypatch.setattr(formats, "MAX_RECORDS", 2)
        with pytest.raises(FormatError) as info:
            parse(data, "many.dat", "contacts" if not data.startswith(b"{") else None)
        assert f"many.dat{line}more than 2 records" in str(info.value)

    def test_deep_json_is_a_clear_error(self) -> None:
        for data in (b"[" * 100_000, b'{"received_requests_v2": ' + b"[" * 100_000):
            with pytest.raises(FormatError, match=re.escape("deep.json:1: bad JSON: nested too deeply")):
                parse(data, "deep.json", "contacts")


class TestGenericFields:
    @pytest.mark.parametrize("value", ["²", "٣", "５００", "1_000", "1 2", "-1", "+", "12++", "1.5"])
    def test_counts_are_ascii_digits_and_an_optional_plus(self, value: str) -> None:
        with pytest.raises(FormatError, match=r"requests.csv:2: connections .* is not a number"):
            parse(f"name,message,connections\nAnn,hi,{value}\n".encode(), "requests.csv")

    @pytest.mark.parametrize("value", ["２０２６-01-01", "2026-0١-01"])
    def test_dates_are_ascii(self, value: str) -> None:
        with pytest.raises(FormatError, match=re.escape("requests.csv:2: sent_at")):
            parse(f"name,sent_at\nAnn,{value}\n".encode(), "requests.csv", "requests")

    def test_json_numbers_are_text_and_other_values_are_errors(self) -> None:
        (ann,) = parse(b'[{"name": "Ann", "id": 12, "connections": 500, "tags": ["a", 1]}]', "r.json", "requests").requests
        assert (ann.source_id, ann.connections, ann.tags) == ("12", "500", ["a", "1"])
        with pytest.raises(FormatError, match=re.escape("r.json:1: name: expected text, not an object")):
            parse(b'[{"name": {"first": "Ann"}}]', "r.json", "requests")

    def test_one_list_of_columns_for_the_importer_and_the_exporter(self) -> None:
        from tui.formats import export, generic
        from tui.models import Contact, Request

        for columns, kind in ((generic.REQUEST_COLUMNS, Request), (generic.CONTACT_COLUMNS, Contact)):
            fields = {generic.FIELDS.get(c, c) for c in columns}
            assert fields <= set(kind.__dataclass_fields__)
            header = export.to_csv([kind(name="x")]).decode().splitlines()[0]
            assert header.split(",") == list(columns)

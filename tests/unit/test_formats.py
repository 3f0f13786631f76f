"""Every import format, from fixtures written to the real exports' headers (old eras too)."""

from __future__ import annotations

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
            ["https://www.linkedin.com/in/ada-lovelace"], ["ada@engine.org"], "2026-02-08", "linkedin", "https://www.linkedin.com/in/ada-lovelace")
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
        assert mary.message == "Hi,\nwe met at the wind tunnel." and mary.urls == [] and mary.source_id == "Mary Jackson|2022-03-04T10:00:00"


class TestGoogle:
    def test_current_generation_and_multiple_values(self) -> None:
        parsed = load("google_current.csv")
        (hedy,) = parsed.contacts
        assert parsed.format == "google"  # the blank row is ignored
        assert hedy.emails == ["hedy@fh.example", "hedy.lamarr@mail.example", "hl@home.example"]
        assert (hedy.company, hedy.title, hedy.urls, hedy.notes) == ("Frequency Hopping Inc", "Inventor", ["https://www.linkedin.com/in/hedylamarr"], "Met at the film club")

    def test_legacy_generation(self) -> None:
        (rosalind,) = load("google_legacy.csv").contacts
        assert (rosalind.name, rosalind.company, rosalind.emails[1]) == ("Rosalind Franklin", "King's College", "rf@home.example")


class TestVCard:
    def test_many_cards_both_versions_grouped_url_label_and_uid(self) -> None:
        ada, emilie = load("cards.vcf").contacts
        assert (ada.source_id, ada.source, ada.urls, ada.notes) == ("uid-ada-1", "linkedin", ["https://www.linkedin.com/in/ada-lovelace"], "Line one\nline two")
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

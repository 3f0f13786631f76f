"""Archives and folders (LinkedIn, Meta), invitation e-mails, Instagram and Mastodon, from fixtures
written to the real layouts (tests/fixtures/sources)."""

from __future__ import annotations

import io
import mailbox
import re
import zipfile
from pathlib import Path

import pytest

from tui.formats import FormatError
from tui.formats import sources as zips
from tui.formats.load import read_file
from tui.formats.mail import invitation, invitations, mbox_messages

SOURCES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
MAIL = SOURCES / "mail"


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    """The folder as a zip archive, as the network's download gives it."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return target


class TestLinkedInArchive:
    def test_finds_both_files_in_a_subfolder_and_opens_no_other(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        archive = zip_folder(SOURCES / "linkedin", tmp_path / "Complete_LinkedInDataExport_01-29-2026.zip")
        opened: list[str] = []
        real_open = zipfile.ZipFile.open
        monkeypatch.setattr(
            zipfile.ZipFile,
            "open",
            lambda self, info, *a, **k: opened.append(getattr(info, "filename", info)) or real_open(self, info, *a, **k),
        )
        parsed = read_file(archive, None)
        assert sorted(opened) == [
            "Complete_LinkedInDataExport_01-29-2026/Connections.csv",
            "Complete_LinkedInDataExport_01-29-2026/Invitations.csv",
        ]
        assert [m for m, _ in parsed.parts] == sorted(opened)  # contacts first
        assert [c.name for c in parsed.contacts] == ["Ada Lovelace", "Grace Hopper"] and parsed.skipped == 1
        assert [r.name for r in parsed.requests] == ["Zoë Ní Bhriain", "Katherine Johnson"] and [r.name for r in parsed.sent] == [
            "Dorothy Vaughan"
        ]

    def test_the_unpacked_folder_reads_the_same(self) -> None:
        parsed = read_file(SOURCES / "linkedin", None)
        assert parsed.format == "folder" and len(parsed.contacts) == 2 and len(parsed.requests) == 2

    def test_errors_name_the_archive_and_the_member(self, tmp_path: Path) -> None:
        target = tmp_path / "Basic_LinkedInDataExport_01-29-2026.zip"
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("Invitations.csv", "From,To,Sent At,Message,Direction\nA,B,yesterday,hi,INCOMING\n")
        with pytest.raises(FormatError, match=r"Basic_LinkedInDataExport_01-29-2026.zip:Invitations.csv:2: Sent At"):
            read_file(target, None)

    def test_two_files_of_one_kind_are_refused(self, tmp_path: Path) -> None:
        target = tmp_path / "two.zip"
        with zipfile.ZipFile(target, "w") as archive:
            for folder in ("a", "b"):
                archive.writestr(
                    f"{folder}/Connections.csv", (SOURCES / "linkedin/Complete_LinkedInDataExport_01-29-2026/Connections.csv").read_bytes()
                )
        with pytest.raises(FormatError, match="two files of one kind"):
            read_file(target, None)

    def test_an_archive_without_export_files(self, tmp_path: Path) -> None:
        target = tmp_path / "photos.zip"
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("photos/1.jpg", b"\xff\xd8")
        with pytest.raises(FormatError, match="is an archive with no export files in it"):
            read_file(target, None)


class TestZipSafety:
    @pytest.mark.parametrize(
        "member",
        ["../Connections.csv", "a/../../Connections.csv", "/etc/Connections.csv", "C:/x/Connections.csv", "a\\..\\Connections.csv"],
    )
    def test_a_member_outside_the_archive_refuses_the_whole_archive(self, tmp_path: Path, member: str) -> None:
        target = tmp_path / "evil.zip"
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("Connections.csv", "First Name,Last Name,Email Address,Company,Position,Connected On\n")
            archive.writestr(zipfile.ZipInfo(member), "x")
        with pytest.raises(FormatError, match="outside the archive's own folder"):
            read_file(target, None)

    def test_a_zip_bomb_is_refused_before_it_is_expanded(self, tmp_path: Path) -> None:
        target = tmp_path / "bomb.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            archive.writestr("Connections.csv", b"First Name,Last Name,Email Address,Company,Position,Connected On\n" + b"0" * (40 * 2**20))
        with pytest.raises(FormatError, match="refused as a zip bomb"):
            read_file(target, None)

    def test_a_member_that_lies_about_its_size_is_stopped(self, tmp_path: Path) -> None:
        body = b"First Name,Last Name,Email Address,Company,Position,Connected On\n" + b"Ada,Lovelace,,,,08 Feb 2026\n" * 50_000
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("Connections.csv", body)
        raw = bytearray(buffer.getvalue())
        for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # declare 1,000 bytes in both headers
            at = raw.find(signature)
            raw[at + offset : at + offset + 4] = (1000).to_bytes(4, "little")
        target = tmp_path / "liar.zip"
        target.write_bytes(bytes(raw))
        with pytest.raises(FormatError, match=re.escape("liar.zip:Connections.csv")):
            read_file(target, None)

    def test_too_many_entries_are_refused_before_the_directory_is_read(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(zips, "MAX_MEMBERS", 10)
        target = tmp_path / "many.zip"
        with zipfile.ZipFile(target, "w") as archive:
            for i in range(11):
                archive.writestr(f"f{i}.txt", "")
        with pytest.raises(FormatError, match="lists 11 files"):
            read_file(target, None)

    def test_the_total_read_is_capped(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(zips, "MAX_TOTAL", 300)
        archive = zip_folder(SOURCES / "linkedin", tmp_path / "export.zip")
        with pytest.raises(FormatError, match="would exceed"):
            read_file(archive, None)

    def test_a_truncated_download(self, tmp_path: Path) -> None:
        archive = zip_folder(SOURCES / "linkedin", tmp_path / "export.zip")
        archive.write_bytes(archive.read_bytes()[:400])
        with pytest.raises(FormatError, match="is the download complete"):
            read_file(archive, None)


class TestMeta:
    @pytest.mark.parametrize("layout", ["facebook-2025", "facebook-2022", "facebook-2019"])
    def test_every_layout_gives_friends_requests_and_earlier_declines(self, layout: str, tmp_path: Path) -> None:
        for source in (SOURCES / "meta" / layout, zip_folder(SOURCES / "meta" / layout, tmp_path / "facebook.zip", prefix=f"{layout}/")):
            parsed = read_file(source, None)
            assert parsed.contacts and all(c.source == "facebook" and c.connected_on for c in parsed.contacts)
            statuses = sorted(r.status for r in parsed.requests)
            assert statuses.count("declined") == 1 and "pending" in statuses

    def test_names_are_repaired_and_sent_requests_left_alone(self) -> None:
        parsed = read_file(SOURCES / "meta" / "facebook-2025", None)
        assert [c.name for c in parsed.contacts] == ["María José García", "Lena Schmidt"]
        assert [(r.name, r.status) for r in parsed.requests] == [
            ("Renée Dubois", "pending"),
            ("Tom Baker", "pending"),
            ("Tom Baker", "declined"),
        ]

    def test_instagram_follow_requests(self) -> None:
        (ada, grace) = read_file(SOURCES / "meta" / "instagram-2025", None).requests
        assert (ada.name, ada.urls, ada.source, ada.sent_at) == (
            "ada.codes",
            ["https://www.instagram.com/ada.codes"],
            "instagram",
            "2026-01-01T00:00:00",
        )
        assert grace.urls == ["https://www.instagram.com/grace_h"]  # the /_u/ redirect form is the profile

    def test_instagram_username_in_the_title(self) -> None:
        from tui.formats.load import parse

        doc = b'{"relationships_follow_requests_received": [{"title": "ada.codes", "string_list_data": [{"href": "https://www.instagram.com/_u/ada.codes", "timestamp": 1767225600}]}]}'
        (ada,) = parse(doc, "follow_requests.json").requests
        assert ada.name == "ada.codes"


class TestMastodon:
    def test_follow_requests_saved_from_the_api(self) -> None:
        ada, bot = read_file(SOURCES / "mastodon" / "follow_requests.json", None).requests
        assert (ada.name, ada.urls, ada.title, ada.connections, ada.source) == (
            "Ada Lovelace :verified:",
            ["https://hachyderm.io/@ada"],
            "Engines, notes & #maths\nShe/her",
            "1204",
            "mastodon",
        )
        assert (bot.name, bot.tags, bot.sent_at) == ("growthbot", ["bot"], "")


class TestInvitationMail:
    def test_three_years_of_invitations_and_two_other_mails(self) -> None:
        parsed = read_file(MAIL / "invitations.mbox", None)
        assert (len(parsed.requests), parsed.ignored) == (3, 2)
        michael, ama, zoe = parsed.requests
        assert (michael.name, michael.title, michael.message, michael.sent_at, michael.urls) == (
            "Michael McAuliffe",
            "Managing Director",
            "I'd like to join your LinkedIn network.",
            "2016-05-02T19:34:46",
            [],
        )
        assert michael.notes.endswith("https://www.linkedin.com/profile/view?id=AAsAAAJUVTYBWkKAZwppmyYBjwgm1AI0nKRyTwA")  # no tracking
        assert (ama.name, ama.title, ama.location, ama.mutual, ama.urls) == (
            "Ama Mensah",
            "Head of Partnerships at Verde Agro",
            "Accra, Ghana",
            "12",
            ["https://www.linkedin.com/in/ama-mensah-4b2a1"],
        )
        assert ama.message == "We met at the AgriTech panel in Lagos. I'd love to keep in touch about the cold-chain pilot."
        assert (zoe.name, zoe.sent_at, zoe.urls, zoe.source) == (
            "Zoë Ní Bhriain",
            "2026-01-29T14:37:41",
            ["https://www.linkedin.com/in/zoe-ni-bhriain"],
            "linkedin",
        )
        assert zoe.message.startswith("Hi Paul, I heard your talk") and "Unsubscribe" not in zoe.message

    def test_one_eml_and_a_maildir(self, tmp_path: Path) -> None:
        assert [r.name for r in read_file(MAIL / "invitation_2026.eml", None).requests] == ["Zoë Ní Bhriain"]
        box = mailbox.Maildir(tmp_path / "Maildir", create=True)
        for message in mailbox.mbox(MAIL / "invitations.mbox"):
            box.add(message)
        parsed = read_file(tmp_path / "Maildir", None)
        assert sorted(r.name for r in parsed.requests) == ["Ama Mensah", "Michael McAuliffe", "Zoë Ní Bhriain"] and parsed.ignored == 2

    def test_a_spoofed_invitation_never_takes_a_link_to_another_site(self) -> None:
        mail = (
            b"From: Ann Lee via LinkedIn <invitations@linkedin.com>\nSubject: Ann Lee wants to connect\nDate: Thu, 29 Jan 2026 10:00:00 +0000\n\n"
            b"Ann Lee\nCEO\n\nAccept: https://evil.example/in/ann\nView profile: https://linkedin.com.evil.example/in/ann\n"
        )
        ann = invitation(mail)
        assert ann is not None and (ann.name, ann.urls, ann.title) == ("Ann Lee", [], "CEO")

    def test_the_card_is_found_under_the_name_however_it_is_spelt(self) -> None:
        mail = (
            "From: Zoe Ni Bhriain <invitations@linkedin.com>\nSubject: I want to connect\nDate: Thu, 29 Jan 2026 14:37:41 +0000\n"
            "Content-Type: text/plain; charset=utf-8\n\nZo\u00eb N\u00ed Bhriain\nGrant writer\n\nLet's talk.\n"
        ).encode()
        zoe = invitation(mail)
        assert zoe is not None and (zoe.title, zoe.message) == ("Grant writer", "Let's talk.")

    def test_the_same_mail_twice_is_one_invitation(self) -> None:
        data = (MAIL / "invitation_2026.eml").read_bytes()
        parsed = invitations([data, data], "two.mbox")
        assert len(parsed.requests) == 1

    def test_mbox_unquotes_from_lines_and_skips_huge_messages(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from tui.formats import mail

        monkeypatch.setattr(mail, "MAX_MESSAGE", 100)
        box = (
            b"From a@b Thu Jan  1 00:00:00 2026\nSubject: x\n\n>From here\n"
            b"From c@d Thu Jan  1 00:00:00 2026\nSubject: big\n\n" + b"y" * 500 + b"\n"
        )
        first, second = mbox_messages(io.BytesIO(box), "box")
        assert first == b"Subject: x\n\nFrom here\n" and second is None

    def test_text_that_is_no_mbox(self) -> None:
        with pytest.raises(FormatError, match="box:1: not an mbox file"):
            list(mbox_messages(io.BytesIO(b"hello\nFrom a@b\n"), "box"))

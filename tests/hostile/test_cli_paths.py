"""The injection corpus through every command-line path: `tui add`, every importer, list, show,
stats, dedup, decide, undo and the exports. Nothing a stranger wrote reaches the terminal as a
control, escape or bidi character; the store and the exports keep the original text."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import store_bytes
from tests.corpus import BLANK_NAMES, INVALID_UTF8, LONE_SURROGATE_JSON, assert_inert, corpus
from tests.hostile.conftest import PATHS
from tui.cli import app
from tui.store import Store

runner = CliRunner()
# NUL cannot travel in a command-line argument, and a NUL byte in a text file marks it as binary
# (the import stops, naming the line): those arrive only through JSON's "\u0000".
CORPUS = [t for t in corpus() if "\x00" not in t]
WITH_NUL = [t for t in corpus() if "\x00" in t]
# `tui add` trims surrounding white space (which, to Python, includes NEL \x85) from one-line fields.
# A name with nothing visible is refused; it is added again with a visible (and distinct) prefix.
VISIBLE = {t: f"Visible {i} {t}" for i, t in enumerate(BLANK_NAMES)}
STORED = [VISIBLE.get(t, t).strip() for t in CORPUS]


def tui(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, (args[:3], result.stdout[-500:], result.stderr[-500:])
    assert_inert(result.stdout, f"stdout of tui {args[0]}")
    assert_inert(result.stderr, f"stderr of tui {args[0]}")
    return result.stdout


@pytest.fixture(scope="module")
def added(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every corpus string, in every field `tui add` takes, as requests and as contacts."""
    data = tmp_path_factory.mktemp("added") / "data"
    mp = pytest.MonkeyPatch()
    mp.setenv("TUI_DATA_DIR", str(data))
    mp.setenv("TUI_CONFIG_DIR", str(data.parent / "config"))
    for i, text in enumerate(CORPUS):
        fields = ["--message", text, "--title", text, "--company", text, "--location", text, "--tag", text]
        if text in BLANK_NAMES:  # a name with nothing visible in it is refused, clearly
            assert tui("add", text, *fields, code=2) == ""
            text = VISIBLE[text]
        tui("add", text, *fields, "--json")
        tui("add", text, "--contact", "--company", text, "--email", f"c{i}@example.org")
    mp.undo()
    PATHS.update({"tui add": len(CORPUS), "tui add --contact": len(CORPUS)})
    return data


@pytest.fixture
def on(added: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TUI_DATA_DIR", str(added))
    return added


def test_the_store_keeps_the_original_text(on: Path) -> None:
    requests = Store.open(on).requests()
    assert [r.name for r in requests] == STORED
    assert all(r.title == r.company == r.location == re.sub(r"^Visible \d+ ", "", r.name) for r in requests)
    assert [r.message for r in requests] == CORPUS


@pytest.mark.parametrize("args", [["list"], ["list", "--json"], ["stats"], ["stats", "--json"], ["dedup"], ["dedup", "--json"]])
def test_listings(on: Path, args: list[str]) -> None:
    out = tui(*args)
    assert out
    PATHS[f"tui {' '.join(args)}"] = len(CORPUS)


def test_show_every_record(on: Path) -> None:
    store = Store.open(on)
    for record in store.requests() + store.contacts():
        tui("show", record.id)
        assert json.loads(tui("show", record.id, "--json"))["name"] == record.name
    PATHS["tui show"] = PATHS["tui show --json"] = 2 * len(CORPUS)


def test_decide_and_undo_print_names_safely(on: Path) -> None:
    for record_id in ("r1", "r20", "r60", "r120"):
        tui("decide", record_id, "decline")
        tui("undo", record_id)
    PATHS["tui decide / undo"] = 4


def test_json_and_csv_exports_round_trip(on: Path, tmp_path: Path) -> None:
    exported = json.loads(tui("export", "--what", "requests", "--format", "json"))
    assert [r["name"] for r in exported] == STORED and [r["message"] for r in exported] == CORPUS
    tui("export", "--what", "requests", "--format", "csv", "-o", str(tmp_path / "r.csv"))
    with (tmp_path / "r.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["name"] for r in rows] == STORED
    PATHS["tui export json"] = PATHS["tui export csv"] = len(CORPUS)


FORMULAS = ['=HYPERLINK("https://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1", "'=quoted already", "'"]


def test_csv_export_cannot_run_as_a_spreadsheet_formula_and_still_round_trips(on: Path, tmp_path: Path) -> None:
    fresh_store = tmp_path / "formulas"
    for text in FORMULAS:
        tui("--data-dir", str(fresh_store), "add", f"x{text}", "--company", text, "--title", text, "--contact")
    target = tmp_path / "contacts.csv"
    tui("--data-dir", str(fresh_store), "export", "--what", "contacts", "--format", "csv", "-o", str(target))
    with target.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    cells = [v for row in rows for v in row.values() if v]
    assert not [v for v in cells if v.startswith(("=", "+", "-", "@", "\t", "\r"))], "a cell would run as a formula"
    stored = Store.open(fresh_store).contacts()  # as `tui add` kept them (surrounding white space trimmed)
    assert sorted(row["company"] for row in rows) == sorted("'" + c.company for c in stored)
    again = tmp_path / "again"
    tui("--data-dir", str(again), "import", str(target), "--as", "contacts")
    back = Store.open(again).contacts()
    assert sorted((c.name, c.company, c.title) for c in back) == sorted((c.name, c.company, c.title) for c in stored)
    PATHS["tui export csv (formula cells)"] = len(FORMULAS)


def test_vcard_export_round_trips_through_the_vcard_importer(on: Path, tmp_path: Path) -> None:
    target = tmp_path / "contacts.vcf"
    tui("export", "--what", "contacts", "--format", "vcard", "-o", str(target))
    fresh = tmp_path / "fresh"
    tui("--data-dir", str(fresh), "import", str(target), "--as", "contacts")
    # vCard has no escape for a carriage return: it is written as a line break (\n).
    original = sorted(c.name.replace("\r", "\n") for c in Store.open(on).contacts())
    assert sorted(c.name for c in Store.open(fresh).contacts()) == original
    PATHS["tui export vcard"] = len(CORPUS)


# ------------------------------------------------------------------------------ every importer


def _csv(rows: list[list[str]], preamble: str = "") -> bytes:
    buffer = io.StringIO()
    buffer.write(preamble)
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


def _bad_line(template: bytes) -> bytes:
    """A row holding every undecodable byte sequence in place of ``@``."""
    return b"".join(template.replace(b"@", bad) for bad in [*INVALID_UTF8, *(t.encode() for t in WITH_NUL)])


def linkedin_connections() -> bytes:
    rows = [["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]]
    rows += [[t, "Last", f"https://www.linkedin.com/in/h{i}", f"h{i}@example.org", t, t, "01 Mar 2024"] for i, t in enumerate(CORPUS)]
    return _csv(rows, "Notes:\nexport\n\n"), _bad_line(b"@,Bad,https://www.linkedin.com/in/bad,,@,@,01 Mar 2024\r\n")


def linkedin_invitations() -> bytes:
    rows = [["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"]]
    rows += [
        [t, "Me", "10/2/26, 9:00 AM", t, "INCOMING", f"https://www.linkedin.com/in/i{i}", "https://www.linkedin.com/in/me"]
        for i, t in enumerate(CORPUS)
    ]
    return _csv(rows), _bad_line(b'@,Me,"10/2/26, 9:00 AM",@,INCOMING,https://www.linkedin.com/in/bad,https://www.linkedin.com/in/me\r\n')


def google_contacts() -> bytes:
    rows = [["First Name", "Last Name", "Organization Name", "Organization Title", "Notes", "E-mail 1 - Value"]]
    rows += [[t, "G", t, t, t, f"g{i}@example.org"] for i, t in enumerate(CORPUS)]
    return _csv(rows), _bad_line(b"@,G,@,@,@,bad@example.org\r\n")


def generic_requests() -> bytes:
    rows = [["id", "name", "company", "title", "message", "tags", "notes"]]
    rows += [[f"q{i}", t, t, t, t, t, t] for i, t in enumerate(CORPUS)]
    return _csv(rows), _bad_line(b"bad,@,@,@,@,,\r\n")


def _vcard_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\r", "\n").replace("\n", "\\n")


def vcards() -> bytes:
    cards = [
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:v{i}\r\nFN:{_vcard_escape(t)}\r\nORG:{_vcard_escape(t)}\r\nNOTE:{_vcard_escape(t)}\r\nEND:VCARD\r\n"
        for i, t in enumerate(CORPUS)
    ]
    return "".join(cards).encode("utf-8"), _bad_line(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:@\r\nEND:VCARD\r\n")


def facebook() -> bytes:
    entries = [{"name": t, "timestamp": 1791655200 + i} for i, t in enumerate(CORPUS)]
    text = json.dumps({"received_requests_v2": entries})
    lone = ",".join(f'{{"name": "{s}", "timestamp": 1791655200}}' for s in LONE_SURROGATE_JSON)
    return text.encode(), (text[:-2] + ", " + lone + "]}").encode()


IMPORTERS = {
    "Connections.csv": (linkedin_connections, None),
    "Invitations.csv": (linkedin_invitations, None),
    "google_contacts.csv": (google_contacts, None),
    "requests.csv": (generic_requests, "requests"),
    "contacts.vcf": (vcards, None),
    "received_friend_requests.json": (facebook, None),
}


@pytest.mark.parametrize("filename", list(IMPORTERS))
def test_every_importer(filename: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make, kind = IMPORTERS[filename]
    good, bad = make()
    source = tmp_path / filename
    source.write_bytes(good)
    monkeypatch.setenv("TUI_DATA_DIR", str(tmp_path / "data"))
    as_kind = ["--as", kind] if kind else []
    report = json.loads(tui("import", str(source), *as_kind, "--json"))
    store = Store.open(tmp_path / "data")
    records = store.requests() + store.contacts()
    carried = CORPUS
    # A name with nothing visible is skipped where it is the whole name (it may come with a last name,
    # or an e-mail address to show instead).
    assert report["skipped"] in (0, len(BLANK_NAMES)) and len(records) == len(carried) - report["skipped"]
    names = "\n".join(r.name for r in records)
    if filename == "contacts.vcf":  # vCard has no escape for a carriage return: it becomes a line break
        carried = [t.replace("\r", "\n") for t in carried]
    assert [t for t in carried if t.strip() not in names and t not in BLANK_NAMES] == [], "a string was changed on the way in"
    for args in (["list"], ["list", "--json"], ["stats"], ["export", "--format", "json"]):
        tui(*args)
    for record in records:
        tui("show", record.id)
    PATHS[f"tui import {filename}"] = len(carried)

    # Bytes that are not UTF-8, and NUL (in JSON, written as an escape), stop the import with the
    # file and line named, and leave the store as it was. JSON escapes of lone surrogates are valid
    # JSON: they arrive as U+FFFD.
    before = store_bytes(tmp_path / "data")
    if filename.endswith(".json"):
        for text in WITH_NUL:
            source.write_text(
                json.dumps({"received_requests_v2": [{"name": "Fine", "timestamp": 1791655200}, {"name": text, "timestamp": 1}]}, indent=1)
            )
            result = runner.invoke(app, ["import", str(source), *as_kind])
            assert result.exit_code == 2 and result.stderr.startswith(f"error: {source}:") and "NUL" in result.stderr, result.stderr
            assert_inert(result.stderr, "import error")
            assert store_bytes(tmp_path / "data") == before
        source.write_bytes(bad)
        tui("import", str(source), *as_kind)
        fresh = {r.name for r in Store.open(tmp_path / "data").requests()} - {r.name for r in records}
        assert len(fresh) == len(LONE_SURROGATE_JSON) and all("\ufffd" in n for n in fresh)
        tui("list")
    else:
        source.write_bytes(good + bad)
        result = runner.invoke(app, ["import", str(source), *as_kind])
        assert result.exit_code == 2, result.stdout
        assert_inert(result.stderr, "import error")
        assert result.stderr.startswith(f"error: {source}:") and "\n" not in result.stderr.strip()
        assert store_bytes(tmp_path / "data") == before
    PATHS[f"tui import {filename} (undecodable)"] = len(
        INVALID_UTF8 + WITH_NUL if not filename.endswith(".json") else LONE_SURROGATE_JSON + WITH_NUL
    )


def test_show_decisions_prints_their_before_fields_cleaned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A decision keeps the request's fields from before it (notes, and for a merge the URLs and
    e-mails it added to the contact): `tui show dN` prints them, cleaned like every other field."""
    from tui.models import Contact, Request

    data = tmp_path / "data"
    store = Store.open(data)
    hostile = "\x1b]0;pwned\x07 bell\x07 \u202eevil \x9b2J \U000e0041"
    store.add_request(Request(name="Ann", notes=hostile))
    store.add_request(Request(name="Bob", urls=[f"https://example.org/{hostile}"], emails=["bob@example.org"]))
    store.add_contact(Contact(name="Bob", urls=[f"https://example.com/{hostile}"], emails=[f"{hostile}@example.com"]))
    store.record_decision("r1", "decline", {"drink": False}, note=hostile)
    store.record_decision("r1", "defer", until="2099-01-01", note=hostile)
    store.merge("r2", "c1")
    monkeypatch.setenv("TUI_DATA_DIR", str(data))
    for decision in ("d1", "d2", "d3"):
        shown = tui("show", decision)
        assert "before:" in shown
    assert "pwned" in tui("show", "d2") and "example.org/" in tui("show", "d3") and "pwned" in tui("show", "d3")
    PATHS["tui show dN (before fields)"] = 3

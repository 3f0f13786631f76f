"""`tui export --what requests` then `tui import` into an empty store gives the same requests back:
each in its state (pending, sent, declined, accepted, deferred until a day, asked, merged), with
its verdict, its rule answers and when it arrived. The generic importer honours a ``status``
column, and refuses in JSON what it refuses in CSV."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import TUI, store_bytes, subprocess_env
from tui.models import Contact, Request
from tui.store import Store


def tui(data: Path, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([TUI, *args], capture_output=True, text=True, env=subprocess_env(data), stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == code, (args, result.stdout, result.stderr)
    return result


def state(store: Store) -> list[tuple[str, ...]]:
    return sorted(
        (r.name, r.status, r.until, r.verdict, r.added_at, json.dumps(r.answers, sort_keys=True), r.message) for r in store.requests()
    )


@pytest.fixture
def decided(isolated: dict[str, Path]) -> Store:
    """A store with a request in every state."""
    store = Store.open(isolated["data"])
    store.add_contact(Contact(name="Carl Contact", emails=["carl@example.com"]))
    store.import_records(
        [],
        [
            Request(name=f"P {s}", message=f"hello from {s}", sent_at="2026-10-01T08:00:00", source="linkedin")
            for s in ("pending", "declined", "accepted", "wider", "deferred", "asked", "merged")
        ],
        sent=[Request(name="Sally Sent", message="my own invitation", sent_at="2026-09-01T08:00:00", source="linkedin")],
    )
    ids = {r.name: r.id for r in store.requests()}
    store.record_decision(ids["P declined"], "decline", {"drink": False, "recommend": True}, note="no thanks")
    store.record_decision(ids["P accepted"], "accept", {"drink": True, "recommend": True, "business": True})
    store.record_decision(ids["P wider"], "wider", {"drink": True, "recommend": False})
    store.record_decision(ids["P deferred"], "defer", until="2027-01-15")
    store.record_decision(ids["P asked"], "ask")
    store.merge(ids["P merged"], "c1")
    return store


class TestRequestsRoundTrip:
    @pytest.mark.parametrize("fmt", ["csv", "json"])
    def test_every_state_comes_back(self, decided: Store, tmp_path: Path, fmt: str) -> None:
        out = tmp_path / f"requests.{fmt}"
        tui(decided.root, "export", "--what", "requests", "--format", fmt, "-o", str(out))
        empty = tmp_path / "empty"
        tui(empty, "import", str(out), "--as", "requests")
        restored = Store.open(empty)
        assert state(restored) == state(Store.open(decided.root))
        assert [r.name for r in restored.pending()] == ["P pending"]  # the sent invitation is not queued
        assert "Sally Sent" in tui(empty, "list", "--status", "sent").stdout

    def test_a_second_import_changes_no_decision(self, decided: Store, tmp_path: Path) -> None:
        out = tmp_path / "requests.csv"
        tui(decided.root, "export", "--what", "requests", "-o", str(out))
        empty = tmp_path / "empty"
        tui(empty, "import", str(out))
        tui(empty, "decide", "1", "accept")  # P pending, accepted in the new store
        pending_again = out.read_text()
        tui(empty, "import", str(out))
        assert Store.open(empty).get_request("r1").status == "accepted", pending_again


class TestStatusColumn:
    def test_sent_and_declined_rows_are_never_queued(self, isolated: dict[str, Path], tmp_path: Path) -> None:
        rows = tmp_path / "r.csv"
        rows.write_text(
            "name,status,message,until\nSam Sent,sent,hi,\nDee Declined,declined,hi,\nPat Pending,,hi,\nDef Erred,deferred,hi,2027-02-01\n"
        )
        tui(isolated["data"], "import", str(rows))
        store = Store.open(isolated["data"])
        assert {r.name: r.status for r in store.requests()} == {
            "Sam Sent": "sent",
            "Dee Declined": "declined",
            "Pat Pending": "pending",
            "Def Erred": "deferred",
        }
        assert [r.name for r in store.pending()] == ["Pat Pending"]
        assert next(r.until for r in store.requests() if r.name == "Def Erred") == "2027-02-01"

    @pytest.mark.parametrize(
        "row, why",
        [
            ("Ann,maybe,", "r.csv:2: status 'maybe'"),
            ("Ann,deferred,", "r.csv:2: a deferred request needs until"),
            ("Ann,deferred,soon", "r.csv:2: until 'soon' is not an ISO date"),
        ],
    )
    def test_a_bad_status_is_refused_with_its_line(self, isolated: dict[str, Path], tmp_path: Path, row: str, why: str) -> None:
        rows = tmp_path / "r.csv"
        rows.write_text(f"name,status,until\n{row}\n")
        result = tui(isolated["data"], "import", str(rows), "--as", "requests", code=2)
        assert why in result.stderr and "Traceback" not in result.stderr
        assert not isolated["data"].exists()


class TestJsonRefusesWhatCsvRefuses:
    @pytest.mark.parametrize(
        "item", ['{"name": "A\\u0000B"}', '{"name": "A", "email": ["a\\u0000@x.example"]}', '{"name": "A", "notes": "x\\u0000"}']
    )
    def test_nul(self, isolated: dict[str, Path], tmp_path: Path, item: str) -> None:
        data = isolated["data"]
        tui(data, "add", "Somebody")
        before = store_bytes(data)
        path = tmp_path / "r.json"
        path.write_text(f'[\n{{"name": "Fine"}},\n{item}\n]\n')
        result = tui(data, "import", str(path), "--as", "requests", code=2)
        assert f"{path}:3: " in result.stderr and "NUL" in result.stderr
        assert store_bytes(data) == before

    def test_a_lone_surrogate_arrives_as_a_replacement_character_and_exports(self, isolated: dict[str, Path], tmp_path: Path) -> None:
        path = tmp_path / "r.json"
        path.write_text('[{"name": "A\\ud800B"}]')
        tui(isolated["data"], "import", str(path), "--as", "requests")
        out = tmp_path / "out.csv"
        tui(isolated["data"], "export", "--what", "requests", "-o", str(out))
        tui(tmp_path / "again", "import", str(out))
        assert [r.name for r in Store.open(tmp_path / "again").requests()] == ["A\ufffdB"]

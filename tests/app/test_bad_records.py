"""One bad record never takes the app down: a value an older version (or a hand edit) stored, or a
card that fails to draw, shows as such on its card; the rest of the queue goes on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.app.conftest import build, settle
from tests.conftest import TUI, fold_journal, subprocess_env
from tui.app.widgets.request_card import RequestCard
from tui.models import Contact, Request
from tui.store import Store


def card_text(app) -> str:  # type: ignore[no-untyped-def]
    card = app.screen.query_one(RequestCard)
    return " ".join(str(w.visual) for w in card.query(Static) if w.display)


def stored_with(tmp_path: Path, **bad: object) -> Store:
    """A store whose first request holds ``bad`` values, written as an older tui might have."""
    store = Store.open(tmp_path / "data")
    store.add_request(Request(name="Super Script", message="hello there", sent_at="2026-01-01"))
    store.add_request(Request(name="Plain Person", message="hi", sent_at="2026-01-02"))
    queue = store.root / "queue.json"
    doc = json.loads(queue.read_text())
    doc["requests"]["1"].update(bad)
    doc["requests"]["1"].pop("_pk", None)
    queue.write_text(json.dumps(doc))
    (store.root / "queue.head").unlink(missing_ok=True)
    return Store.open(store.root)


BAD_VALUES = [
    {"connections": "²"},
    {"mutual": "٣", "connections": "５００+"},
    {"connections": 5000, "mutual": 0},
    {"answers": "yes", "tags": "one", "until": 20260101, "status": "pending"},
]


class TestStoredBadValues:
    @pytest.mark.parametrize("bad", BAD_VALUES, ids=lambda b: ",".join(b))
    async def test_the_app_starts_and_shows_the_card(self, tmp_path: Path, bad: dict[str, object]) -> None:
        store = stored_with(tmp_path, **bad)
        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.screen.query_one(RequestCard).display
            text = card_text(app)
            assert "Super Script" in text
            await pilot.press("s")  # skip: the next card still works
            await settle(pilot)
            assert "Plain Person" in card_text(app)

    @pytest.mark.parametrize("bad", BAD_VALUES, ids=lambda b: ",".join(b))
    def test_list_and_show_still_work(self, tmp_path: Path, bad: dict[str, object]) -> None:
        store = stored_with(tmp_path, **bad)
        env = subprocess_env(store.root)
        for args in (
            ["list"],
            ["list", "--json"],
            ["show", "r1"],
            ["show", "r1", "--json"],
            ["export", "--what", "requests", "--format", "json"],
        ):
            result = subprocess.run([TUI, *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
            assert result.returncode == 0 and "Traceback" not in result.stderr, (args, result.stderr)


class TestCardThatFailsToDraw:
    async def test_shows_as_such_and_the_queue_goes_on(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from tui.app.widgets import request_card

        store = stored_with(tmp_path)
        real = request_card.headline

        def broken(request: Request):  # type: ignore[no-untyped-def]
            if request.name == "Super Script":
                raise ValueError("invalid literal for int() with base 10: '²'")
            return real(request)

        monkeypatch.setattr(request_card, "headline", broken)
        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            text = card_text(app)
            assert "could not be shown" in text and "r1" in text and "ValueError" in text
            assert "✓" not in text and "not checked" in text  # nothing was matched or checked: no all-clear
            await pilot.press("d")  # it can still be decided
            await settle(pilot)
            assert "Plain Person" in card_text(app)
        assert Store.open(store.root).get_request("r1").status == "declined"


# Values of the wrong type, as a hand edit (or a script writing queue.json) leaves them: each
# becomes text (a number's digits, null an empty text) or a list of texts where a record is read.
WRONG_TYPES = [
    {"name": None},
    {"company": 5},
    {"name": 12345},
    {"emails": [1, 2]},
    {"nicknames": [None, 3], "urls": "x.example", "tags": 7},
    {"sent_at": 5, "title": ["a", 1], "status": "deferred", "until": 20260101},
    {"answers": {"drink": "no"}, "source": False, "notes": {"a": 1}},
]
WRONG_IDS = lambda b: ",".join(f"{k}={v!r}" for k, v in b.items())  # noqa: E731


class TestStoredWrongTypes:
    @pytest.mark.parametrize("bad", WRONG_TYPES, ids=WRONG_IDS)
    async def test_the_app_shows_every_card(self, tmp_path: Path, bad: dict[str, object]) -> None:
        store = stored_with(tmp_path, **bad)
        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            seen = card_text(app)
            await pilot.press("s")
            await settle(pilot)
            seen += card_text(app)
            assert "Plain Person" in seen
            assert app.return_code in (None, 0)
        assert app.return_code in (None, 0)

    @pytest.mark.parametrize("bad", WRONG_TYPES, ids=WRONG_IDS)
    def test_every_command_goes_on(self, tmp_path: Path, bad: dict[str, object]) -> None:
        store = stored_with(tmp_path, **bad)
        store.add_contact(Contact(name="Plain Person", emails=["p@example.com"]))
        env = subprocess_env(store.root)
        for args in (
            ["list"],
            ["list", "--json"],
            ["list", "--status", "all"],
            ["show", "r1"],
            ["show", "r1", "--json"],
            ["stats"],
            ["stats", "--json"],
            ["export", "--what", "requests", "--format", "json"],
            ["export", "--what", "requests", "--format", "csv"],
            ["dedup"],
            ["dedup", "--json"],
            ["query", "plain"],
        ):
            result = subprocess.run([TUI, *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
            assert result.returncode == 0 and "Traceback" not in result.stderr, (args, result.stderr)
            if args[0] in ("list", "export"):
                assert "Plain Person" in result.stdout, args
        # Writes go on too, beside the bad record.
        for args in (["add", "Next One"], ["decide", "r2", "decline"], ["undo"], ["merge", "r2", "c1", "--force"], ["undo"]):
            result = subprocess.run([TUI, *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
            assert result.returncode == 0 and "Traceback" not in result.stderr, (args, result.stderr)

    @pytest.mark.parametrize("bad", WRONG_TYPES, ids=WRONG_IDS)
    def test_doctor_names_the_record_and_the_field(self, tmp_path: Path, bad: dict[str, object]) -> None:
        store = stored_with(tmp_path, **bad)
        env = subprocess_env(store.root)
        result = subprocess.run([TUI, "doctor"], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
        assert result.returncode == 3, result.stdout + result.stderr
        assert "Traceback" not in result.stderr and "NOT healthy" in result.stdout
        field = next(iter(bad))
        problem = next(line for line in result.stdout.splitlines() if "r1" in line and field in line)
        assert "queue.json" in problem
        report = json.loads(subprocess.run([TUI, "doctor", "--json"], capture_output=True, text=True, env=env).stdout)
        assert not report["healthy"] and any("r1" in p and field in p for p in report["problems"])

    def test_doctor_checks_contacts_and_decisions_too(self, tmp_path: Path) -> None:
        store = stored_with(tmp_path)
        store.add_contact(Contact(name="Cat"))
        store.record_decision("r2", "decline")
        fold_journal(store.root)  # the decision is in queue.json, to be edited there
        for name, table, key, bad in (
            ("contacts.json", "contacts", "1", {"emails": "c@x.example"}),
            ("queue.json", "decisions", "1", {"note": 5}),
        ):
            path = store.root / name
            doc = json.loads(path.read_text())
            doc[table][key].update(bad)
            path.write_text(json.dumps(doc))
        result = subprocess.run([TUI, "doctor"], capture_output=True, text=True, env=subprocess_env(store.root), stdin=subprocess.DEVNULL)
        assert result.returncode == 3
        assert any("c1" in line and "emails" in line for line in result.stdout.splitlines()), result.stdout
        assert any("d1" in line and "note" in line for line in result.stdout.splitlines()), result.stdout


# `tui triage` with the store's queue read failing in the store worker (as a bad record once did):
# the app ends, and its exit status must say so. Headless, so no terminal is needed.
CRASHING_TRIAGE = """
import sys
from textual.app import App
from tui import cli
from tui.app.app import TuiApp
from tui.store import Store

def broken(self, *args, **kwargs):
    raise TypeError("a bug in reading the queue")

Store.pending = broken
Store.pending_head = lambda self: None
real_run = App.run
TuiApp.run = lambda self, **kw: real_run(self, headless=True, **kw)
sys.argv = ["tui", "triage"]
cli.main()
"""


class TestAppCrash:
    def test_a_crash_in_a_worker_exits_non_zero(self, tmp_path: Path) -> None:
        store = stored_with(tmp_path)
        result = subprocess.run(
            [sys.executable, "-P", "-c", CRASHING_TRIAGE],
            capture_output=True,
            text=True,
            timeout=60,
            env=subprocess_env(store.root),
            stdin=subprocess.DEVNULL,
        )
        assert "a bug in reading the queue" in result.stderr
        assert result.returncode == 1, result.returncode


class TestStoredContactWrongTypes:
    def test_commands_and_imports_go_on(self, tmp_path: Path) -> None:
        store = stored_with(tmp_path)
        store.add_contact(Contact(name="Cat Bad", emails=["cat@example.com"]))
        path = store.root / "contacts.json"
        doc = json.loads(path.read_text())
        doc["contacts"]["1"].update({"name": None, "emails": [1, 2], "urls": [None], "company": 3, "source": 5})
        path.write_text(json.dumps(doc))
        rows = tmp_path / "rows.csv"
        rows.write_text("name,email,message\nZed Zed,z@example.com,hi\n")
        env = subprocess_env(store.root)
        for args in (
            ["import", str(rows)],
            ["list", "--contacts"],
            ["query", "cat"],
            ["export"],
            ["export", "--format", "vcard"],
            ["dedup"],
            ["merge", "r2", "c1", "--force"],
            ["undo"],
            ["add", "Dee", "--contact", "--email", "1@x.example"],
        ):
            result = subprocess.run([TUI, *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
            assert result.returncode == 0 and "Traceback" not in result.stderr, (args, result.stderr)

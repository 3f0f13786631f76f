"""One bad record never takes the app down: a value an older version (or a hand edit) stored, or a
card that fails to draw, shows as such on its card; the rest of the queue goes on."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.app.conftest import build, settle
from tests.conftest import TUI, subprocess_env
from tui.app.widgets.request_card import RequestCard
from tui.models import Request
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
        for args in (["list"], ["list", "--json"], ["show", "r1"], ["show", "r1", "--json"], ["export", "--what", "requests", "--format", "json"]):
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
            await pilot.press("d")  # it can still be decided
            await settle(pilot)
            assert "Plain Person" in card_text(app)
        assert Store.open(store.root).get_request("r1").status == "declined"

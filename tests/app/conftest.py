"""Building the real app on a real store in tmp_path, and waiting for its store worker."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.notifications import Notification, Notify
from textual.pilot import Pilot

from tui.app.app import TuiApp, make_app
from tui.app.screens.triage import TriageScreen
from tui.app.widgets.request_card import RequestCard
from tui.config import Settings
from tui.models import Request
from tui.paths import Paths
from tui.sample import load_sample
from tui.store import Store


async def settle(pilot: Pilot) -> None:
    """Wait until the store writer has finished every queued job and its messages are handled."""
    app = pilot.app
    for _ in range(500):
        await pilot.pause(0.01)
        if app.writer.idle:
            await pilot.pause(0.02)
            if app.writer.idle:
                return
    raise AssertionError("the store writer never became idle")


async def until(pilot: Pilot, condition: Callable[[], object], timeout: float = 10.0, what: str = "") -> None:
    """Pause until ``condition()`` holds (checked every 10 ms) instead of for a fixed time; fail
    after ``timeout`` seconds, saying ``what`` did not happen."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what or 'still not so'} after {timeout:g} s")
        await pilot.pause(0.01)


class Calls:
    """Count the calls of ``target.name`` from now on (the method still runs): to wait for
    something periodic, like the triage screen's poll, that shows nothing when nothing changed."""

    def __init__(self, target: object, name: str) -> None:
        self.count = 0
        real = getattr(target, name)

        def counted(*args: object, **kwargs: object) -> object:
            self.count += 1
            return real(*args, **kwargs)

        setattr(target, name, counted)


def notifications(seen: list[object]) -> list[Notification]:
    """The notifications the app showed, from the messages ``app.run_test(message_hook=seen.append)``
    saw (Textual's public hook; the app's own collection of them is private)."""
    return [m.notification for m in seen if isinstance(m, Notify)]


def notices(seen: list[object]) -> list[str]:
    """Each notification the app showed, as ``"title: message"`` (just the message when it has no
    title), from the messages ``app.run_test(message_hook=seen.append)`` saw."""
    return [f"{n.title}: {n.message}" if n.title else str(n.message) for n in notifications(seen)]


async def palette_choose(pilot: Pilot, query: str, title: str) -> None:
    """Type ``query`` into the open command palette, wait until the hit it highlights is
    ``title`` (the palette searches in the background), then press Enter to run it."""
    from textual.command import CommandList, CommandPalette

    def highlighted() -> str:
        screen = pilot.app.screen
        if not isinstance(screen, CommandPalette):
            return ""
        hits = screen.query_one(CommandList)
        return "" if hits.highlighted is None else str(hits.get_option_at_index(hits.highlighted).prompt)

    await pilot.press(*query)
    await until(pilot, lambda: highlighted().split("\n")[0] == title)
    await pilot.press("enter")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Two pending requests: r1 Ann Lee, r2 Bob Ray."""
    store = Store.open(tmp_path / "data")
    store.add_request(Request(name="Ann Lee", message="hi", sent_at="2026-01-01"))
    store.add_request(Request(name="Bob Ray", message="hi", sent_at="2026-01-02"))
    return store


@pytest.fixture
def sample_store(tmp_path: Path) -> Store:
    return load_sample(tmp_path / "data")


def triage(app: TuiApp) -> TriageScreen:
    """The triage screen, wherever the app's screen stack is."""
    screen = app.get_screen("triage")
    assert isinstance(screen, TriageScreen)
    return screen


def current_id(app: TuiApp) -> str:
    """The id of the request on the card ("" when there is none)."""
    current = triage(app).current
    return current.id if current else ""


def header(app: TuiApp) -> str:
    """The card's title: the pending count and the filter."""
    return str(triage(app).query_one(RequestCard).border_title)


def reopen(store: Store) -> Store:
    """The store as another process sees it now."""
    return Store.open(store.root)


def build(store: Store, tmp_path: Path, *, demo: bool = False, **settings: object) -> TuiApp:
    """The app on ``store``, built as the CLI builds it (:func:`make_app`), with these settings."""
    return make_app(Paths(store.root, tmp_path / "config"), Settings(**settings), store, demo=demo)  # type: ignore[arg-type]

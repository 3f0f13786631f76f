"""Building the real app on a real store in tmp_path, and waiting for its store worker."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.notifications import Notification, Notify
from textual.pilot import Pilot

from tui.app.app import TuiApp, make_app
from tui.config import Settings
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


async def until(pilot: Pilot, condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Pause until ``condition()`` holds (checked every 10 ms) instead of for a fixed time; fail
    after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not so after {timeout:g} s")
        await pilot.pause(0.01)


def notifications(seen: list[object]) -> list[Notification]:
    """The notifications the app showed, from the messages ``app.run_test(message_hook=seen.append)``
    saw (Textual's public hook; the app's own collection of them is private)."""
    return [m.notification for m in seen if isinstance(m, Notify)]


@pytest.fixture
def sample_store(tmp_path: Path) -> Store:
    return load_sample(tmp_path / "data")


def build(store: Store, tmp_path: Path, *, demo: bool = False, **settings: object) -> TuiApp:
    """The app on ``store``, built as the CLI builds it (:func:`make_app`), with these settings."""
    return make_app(Paths(store.root, tmp_path / "config"), Settings(**settings), store, demo=demo)  # type: ignore[arg-type]

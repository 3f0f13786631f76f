"""Building the real app on a real store in tmp_path, and waiting for its store worker."""

from __future__ import annotations

from pathlib import Path

import pytest
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
        if app.writer._idle.is_set():  # type: ignore[attr-defined]
            await pilot.pause(0.02)
            if app.writer._idle.is_set():  # type: ignore[attr-defined]
                return
    raise AssertionError("the store writer never became idle")


@pytest.fixture
def sample_store(tmp_path: Path) -> Store:
    return load_sample(tmp_path / "data")


def build(store: Store, tmp_path: Path, **settings: object) -> TuiApp:
    return make_app(Settings(**settings), store, Paths(store.root, tmp_path / "config"))  # type: ignore[arg-type]

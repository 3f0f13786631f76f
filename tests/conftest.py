"""Every test runs with its own data and config directories, and a clean environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = [
    "[/]",
    "[@click=app.quit]x[/]",
    "\x1b]52;c;Y3VybA==\x1b\\",
    "\x1b]0;title\x07",
    "\x9b2J",
    "\u202eevil",
    "[b]bold[/b] [$accent]x[/] [BOLD]y[/BOLD]",
    "[@click=app.simulate_key('y')]Hi[/]",
]


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    data, config = tmp_path / "data", tmp_path / "config"
    monkeypatch.setenv("TUI_DATA_DIR", str(data))
    monkeypatch.setenv("TUI_CONFIG_DIR", str(config))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("NO_COLOR", "TEXTUAL", "TEXTUAL_COLOR_SYSTEM", "COLUMNS", "LINES", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    return {"data": data, "config": config}


def tui_command() -> list[str]:
    """The installed ``tui`` as a subprocess command line."""
    return [sys.executable, "-m", "tui"]


def subprocess_env(data: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["TUI_DATA_DIR"] = str(data)
    env.update(extra)
    return env


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def store_bytes(data: Path) -> dict[str, bytes]:
    """Every data file of a store, byte for byte: to show that a refused write changed nothing."""
    return {p.name: p.read_bytes() for p in sorted(data.glob("*.json"))}

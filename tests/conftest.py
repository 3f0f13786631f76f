"""Every test runs with its own data and config directories, and a clean environment."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

ROOT = Path(__file__).resolve().parent.parent
# bench/ (the worlds some tests share) is importable, but only *after* site-packages: `tui` itself
# always comes from the installed wheel (tests/cli/test_installed.py checks it).
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))
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


#: The time every test runs at, whatever the date: the store, the card and the tests share it.
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    """Pin the clock (``tui.clock.system_clock`` and everything else in this process) to
    :data:`NOW`; it ticks on from there, so durations still pass. Move it with ``clock.shift``."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    """The triage screen freezes what it loaded out of the cyclic GC (``gc.freeze``), as the
    process lives as long as the app does: here each test's app is thawed after it, to be collected."""
    yield
    gc.unfreeze()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    data, config = tmp_path / "data", tmp_path / "config"
    monkeypatch.chdir(tmp_path)  # a relative path or a stray write lands here, never in the checkout
    monkeypatch.setenv("TUI_DATA_DIR", str(data))
    monkeypatch.setenv("TUI_CONFIG_DIR", str(config))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("NO_COLOR", "TEXTUAL", "TEXTUAL_COLOR_SYSTEM", "COLUMNS", "LINES", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    return {"data": data, "config": config}


#: The installed console script: tests run the app a user installed, never the checkout.
TUI = str(Path(sys.executable).parent / "tui")


def tui_command() -> list[str]:
    """The installed ``tui`` as a subprocess command line."""
    return [TUI]


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


def on_disk(path: Path) -> dict:
    """A data file's tables as the store reads them from disk: the queue with its journal applied
    (in a data directory or a snapshot of one)."""
    from tui.store.backups import read_file

    return read_file(path.parent, path.name)


def fold_journal(data: Path) -> None:
    """Write each journal (queue.jnl, contacts.jnl) into its file and remove it, as a compaction
    does: for a test that edits a data file by hand, as a user would after `tui doctor` (every
    write then in it)."""
    import orjson

    from tui.store import journal

    for name in journal.FILES:
        path = data / name
        if not path.exists():
            continue
        mark = orjson.loads(path.read_bytes()).get(journal.TOKEN)
        folded = on_disk(path)
        path.write_bytes(orjson.dumps({**folded, journal.TOKEN: mark} if mark else folded))
        journal.path_of(path).unlink(missing_ok=True)


def store_bytes(data: Path) -> dict[str, bytes]:
    """Every data file of a store, byte for byte: to show that a refused write changed nothing."""
    return {p.name: p.read_bytes() for p in sorted([*data.glob("*.json"), *data.glob("*.jnl")])}


# -- the stress and hostile figures, summed over pytest-xdist workers (tests/figures.py) ------------


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand its counts to the controller
        from tests import figures

        workeroutput["tui_figures"] = figures.export()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    from tests import figures

    figures.absorb(getattr(node, "workeroutput", {}).get("tui_figures"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests import figures

    figures.summary(terminalreporter)

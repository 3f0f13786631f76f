"""The keymap in config.toml: a misspelt binding id, or a key given to two bindings that meet on
one screen, is named on stderr by every command that reads the config and once in the app. The
CLI checks ids against a plain list (tui.keymap, no Textual), which must match the app's bindings."""

from __future__ import annotations

import inspect
import subprocess
from pathlib import Path

import pytest
from textual.binding import Binding

from tests.app.conftest import build, notices, settle
from tests.conftest import TUI, subprocess_env
from tui import keymap
from tui.app.app import TuiApp
from tui.config import load
from tui.store import Store


def app_bindings() -> dict[str, tuple[str, str]]:
    """Every binding the app and its screens declare (each class's own), as id -> (keys, class)."""
    from tui.app.screens import backlog, contacts, dedup_contacts, help, history, modals, stats, triage
    from tui.app.widgets import lazy_table, lists

    found = {b.id: (b.key, "TuiApp") for b in TuiApp.BINDINGS if isinstance(b, Binding) and b.id}
    for module in (triage, modals, backlog, contacts, dedup_contacts, history, stats, help, lists, lazy_table):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            for b in cls.__dict__.get("BINDINGS", ()):
                if isinstance(b, Binding) and b.id:
                    found[b.id] = (b.key, name)
    return found


# Where each class's bindings apply, as tui.keymap says it.
WHERE = {
    "TuiApp": "",
    "TriageScreen": "triage",
    "HistoryScreen": "history",
    "StatsScreen": "stats",
    "ContactsScreen": "contacts",
    "HelpScreen": "help",
    "ContactGroupsScreen": "dedup-contacts",
    "ValuesTable": "dedup-contacts",  # the review's table: its Enter is keep-value, as the screen's (the palette's) is
    "_Modal": "dialog",
    "EditScreen": "dialog/edit",
    "MatchScreen": "dialog/matches",
    "ReplyScreen": "dialog/reply",
    "SessionScreen": "dialog/session",
    "KeyTable": "list",
    "ReadableOptionList": "list",
    "LazyTable": "table",
}


class TestTheCoreListIsTheApps:
    def test_ids_keys_and_screens(self) -> None:
        real = {binding_id: (keys, WHERE[cls]) for binding_id, (keys, cls) in app_bindings().items()}
        assert real == keymap.BINDINGS


def write_config(tmp_path: Path, text: str) -> Path:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text(text)
    return config


class TestWarnings:
    @pytest.mark.parametrize(
        "text, named",
        [
            ('[keymap]\naccept-reqest = "A"\n', ["keymap.accept-reqest", "accept-request"]),
            ('[keymap]\nquit = "a"\n', ["quit", "accept-request", "'a'"]),
            ('[keymap]\naccept-request = "y"\n', ["accept-request", "answer-yes", "'y'"]),
            ('[keymap]\nmerge-match = "escape"\n', ["merge-match", "close-dialog"]),
        ],
    )
    def test_on_stderr_from_the_cli(self, tmp_path: Path, text: str, named: list[str]) -> None:
        config = write_config(tmp_path, text)
        Store.open(tmp_path / "data")
        result = subprocess.run(
            [TUI, "--config-dir", str(config), "stats"],
            capture_output=True,
            text=True,
            env=subprocess_env(tmp_path / "data"),
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 0, result.stderr
        (line,) = result.stderr.splitlines()
        assert line.startswith("warning: ") and "config.toml" in line and all(n in line for n in named), line

    @pytest.mark.parametrize(
        "text",
        [
            '[keymap]\naccept-request = "A"\n',
            '[keymap]\nquit = "ctrl+q,q"\nanswer-yes = "j"\n',
            '[keymap]\nclose-help = "escape"\nmerge-match = "G"\n',
            "",
        ],
    )
    def test_none_for_a_keymap_that_clashes_with_nothing(self, tmp_path: Path, text: str) -> None:
        assert load(write_config(tmp_path, text) / "config.toml").warnings == ()

    async def test_once_in_the_app(self, tmp_path: Path, sample_store: Store) -> None:
        config = write_config(tmp_path, '[keymap]\nquit = "a"\naccept-reqest = "A"\n')
        settings = load(config / "config.toml")
        app = build(sample_store, tmp_path, keymap=settings.keymap, warnings=settings.warnings, source=settings.source)
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            told = [n for n in notices(seen) if "keymap" in n]
            assert len(told) == 1 and told[0].count("accept-reqest") == 1 and "quit" in told[0]

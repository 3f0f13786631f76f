"""make_app is the one assembly of the app: `tui triage`, `tui demo`, `tui serve` and the tests."""

from __future__ import annotations

from pathlib import Path

from tests.app.conftest import settle
from tui.app.app import make_app
from tui.models import Request
from tui.paths import Paths
from tui.store import Store


class TestMakeApp:
    async def test_from_the_paths_alone_it_reads_the_config_and_opens_the_store(self, tmp_path: Path) -> None:
        Store.open(tmp_path / "data").add_request(Request(name="Ann Lee"))
        (tmp_path / "config").mkdir()
        (tmp_path / "config" / "config.toml").write_text('theme = "nord"\norder = "newest"\n')
        app = make_app(Paths(tmp_path / "data", tmp_path / "config"))
        assert (app.settings.theme, app.settings.order) == ("nord", "newest")
        assert app.store.root == tmp_path / "data"
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.theme == "nord"
            assert app.get_screen("triage").current.name == "Ann Lee"  # type: ignore[attr-defined]

    def test_the_sessions_theme_wins_over_the_configured_one(self, tmp_path: Path) -> None:
        (tmp_path / "config").mkdir()
        (tmp_path / "config" / "config.toml").write_text('theme = "nord"\n')
        app = make_app(Paths(tmp_path / "data", tmp_path / "config"), theme="gruvbox")
        assert app.settings.theme == "gruvbox"
        assert not (tmp_path / "config" / "config.toml").read_text().count("gruvbox")  # this session only

    def test_a_demo_says_so_and_given_parts_are_used_as_they_are(self, tmp_path: Path) -> None:
        from tui.config import Settings

        store, settings = Store.open(tmp_path / "elsewhere"), Settings(two_tier=True)
        app = make_app(Paths(tmp_path / "data", tmp_path / "config"), settings, store, demo=True)
        assert app.store is store and app.settings is settings and app.demo
        assert not (tmp_path / "data").exists()  # nothing opened at the paths' data dir


class TestHangUp:
    async def test_a_closed_terminal_gets_the_last_job_done_before_the_shutdown(self, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        # Textual's shutdown can stall when the terminal has gone (its output queue is full): what
        # must happen (the demo removing its temporary copy) happens before it.
        Store.open(tmp_path / "data").add_request(Request(name="Ann Lee"))
        app = make_app(Paths(tmp_path / "data", tmp_path / "config"))
        done: list[str] = []
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            monkeypatch.setattr(app, "exit", lambda *a, **k: done.append("exit"))  # a shutdown that never ends
            app.on_hang_up = lambda: done.append("cleaned")
            app._hang_up()
            assert done == ["cleaned", "exit"]
            monkeypatch.undo()

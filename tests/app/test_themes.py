"""Themes in the running app: shipped and user files, a broken file told once, an unknown theme
falling back with a message, the palette switch saved in config.toml, and Ctrl+P taking the keys."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.app.conftest import build, settle
from tui.store import Store
from tui.theme_files import DEFAULT_THEME


def notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


class TestThemes:
    async def test_default_theme_and_app_colours(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.theme == DEFAULT_THEME
            assert app.current_theme.variables["verdict-accept"] == "#3fb950"
            assert {"tui-light", "high-contrast", "monochrome", "solarized-dark"} <= set(app.available_themes)
            assert notices(app) == []

    async def test_unknown_theme_falls_back_with_a_message(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path, theme="no-such-theme")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.theme == DEFAULT_THEME
            assert any("Unknown theme 'no-such-theme': using tui-dark" in n for n in notices(app))

    async def test_user_theme_used_and_broken_one_told_once_by_name(self, sample_store: Store, tmp_path: Path) -> None:
        themes = tmp_path / "config" / "themes"
        themes.mkdir(parents=True)
        (themes / "mine.toml").write_text('name = "mine"\nprimary = "#336699"\nbackground = "#101010"\n[variables]\nverdict-accept = "#00aa00"\n')
        (themes / "broken.toml").write_text('name = "broken"\nprimary = "not a colour"\n')
        app = build(sample_store, tmp_path, theme="mine")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.theme == "mine" and app.current_theme.variables["verdict-accept"] == "#00aa00"
            told = [n for n in notices(app) if "broken.toml" in n]
            assert len(told) == 1 and "primary = 'not a colour' is not a colour" in told[0]

    async def test_palette_switch_is_saved_in_config(self, sample_store: Store, tmp_path: Path) -> None:
        config = tmp_path / "config" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text('# my settings\norder = "newest"\n\n[keymap]\naccept-request = "A"\n')
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+p")
            await pilot.press(*"theme")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause(0.3)
            await pilot.press(*"tui-light")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await settle(pilot)
            assert app.theme == "tui-light"
        saved = tomllib.loads(config.read_text())
        assert saved == {"theme": "tui-light", "order": "newest", "keymap": {"accept-request": "A"}}
        assert "# my settings" in config.read_text()

    @staticmethod
    async def pick_theme(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("ctrl+p")
        await pilot.press(*"theme")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press(*name)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)

    async def test_palette_switch_replaces_an_indented_or_quoted_key(self, sample_store: Store, tmp_path: Path) -> None:
        config = tmp_path / "config" / "config.toml"
        config.parent.mkdir(parents=True)
        for line in ('  theme = "tui-light"', '"theme" = "tui-light"'):
            config.write_text(f'order = "newest"\n{line}\n')
            app = build(sample_store, tmp_path, theme="tui-light")
            async with app.run_test(size=(80, 24)) as pilot:
                await settle(pilot)
                await self.pick_theme(pilot, "monochrome")
                assert app.theme == "monochrome"
            assert tomllib.loads(config.read_text()) == {"theme": "monochrome", "order": "newest"}

    async def test_a_save_that_would_break_config_is_refused_with_a_notice(self, sample_store: Store, tmp_path: Path) -> None:
        config = tmp_path / "config" / "config.toml"
        config.parent.mkdir(parents=True)
        text = 'theme = """tui-\nlight"""\n'
        config.write_text(text)
        app = build(sample_store, tmp_path, theme="tui-light")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await self.pick_theme(pilot, "monochrome")
            assert app.theme == "monochrome"
            assert any("theme not saved" in n for n in notices(app)), notices(app)
        assert config.read_text() == text

    async def test_ctrl_p_takes_the_next_keys(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            first = app.screen.current.id  # type: ignore[attr-defined]
            await pilot.press("ctrl+p")
            await pilot.press("q", "a", "y")  # quit, accept, yes: all typed into the palette
            await pilot.pause(0.2)
            assert app.is_running
            from textual.command import CommandPalette

            assert isinstance(app.screen, CommandPalette)
            assert app.screen.query_one("Input").value == "qay"  # type: ignore[attr-defined]
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen.current.id == first and sample_store.get_request(first).status == "pending"  # type: ignore[attr-defined]

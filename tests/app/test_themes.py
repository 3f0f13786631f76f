"""Themes in the running app: shipped and user files, a broken file told once, an unknown theme
falling back with a message, the palette switch saved in config.toml, and Ctrl+P taking the keys."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from textual.color import Color

from tests.app.conftest import build, notices, palette_choose, settle, until
from tui.store import Store
from tui.theme_files import DEFAULT_THEME


def shipped_theme(name: str) -> dict[str, Any]:
    """A shipped theme file as written (read from the installed package)."""
    return tomllib.loads(files("tui.themes").joinpath(f"{name}.toml").read_text(encoding="utf-8"))


def near(a: str, b: str) -> bool:
    """Two colours alike but for rounding (Textual's colour system rounds some of them by one)."""
    x, y = Color.parse(a), Color.parse(b)
    return max(abs(x.r - y.r), abs(x.g - y.g), abs(x.b - y.b)) <= 2 and x.a == y.a


class TestThemes:
    async def test_the_default_theme_is_the_shipped_file_not_textuals(self, sample_store: Store, tmp_path: Path) -> None:
        shipped = shipped_theme(DEFAULT_THEME)
        app = build(sample_store, tmp_path)
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            assert app.theme == DEFAULT_THEME
            css = app.get_css_variables()
            textual = app.get_theme("textual-dark")
            assert textual is not None and not near(shipped["primary"], textual.primary)  # the premise
            for name in ("primary", "secondary", "accent", "background", "surface", "panel", "foreground"):
                assert near(css[name], shipped[name]), (name, css[name], shipped[name])
            assert {name: css[name] for name in shipped["variables"]} == shipped["variables"]
            assert {"tui-light", "high-contrast", "monochrome", "solarized-dark"} <= set(app.available_themes)
            assert notices(seen) == []

    @pytest.mark.parametrize("name", ["high-contrast", "solarized-dark"])
    async def test_a_shipped_themes_own_colours_replace_the_apps_defaults(self, name: str, sample_store: Store, tmp_path: Path) -> None:
        """Theme files whose app colours differ from ``get_theme_variable_defaults`` (the default
        theme's are the same), so that a value read from the file is told from the fallback."""
        shipped = shipped_theme(name)
        app = build(sample_store, tmp_path, theme=name)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.theme == name
            defaults = app.get_theme_variable_defaults()
            differ = [key for key, value in shipped["variables"].items() if Color.parse(value) != Color.parse(defaults[key])]
            assert differ, "the premise: this file's app colours are not the defaults"
            css = app.get_css_variables()
            assert {key: Color.parse(css[key]) for key in differ} == {key: Color.parse(shipped["variables"][key]) for key in differ}

    async def test_unknown_theme_falls_back_with_a_message(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path, theme="no-such-theme")
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            assert app.theme == DEFAULT_THEME
            assert any("Unknown theme 'no-such-theme': using tui-dark" in n for n in notices(seen))

    async def test_user_theme_used_and_broken_one_told_once_by_name(self, sample_store: Store, tmp_path: Path) -> None:
        themes = tmp_path / "config" / "themes"
        themes.mkdir(parents=True)
        (themes / "mine.toml").write_text(
            'name = "mine"\nprimary = "#336699"\nbackground = "#101010"\n[variables]\nverdict-accept = "#00aa00"\n'
        )
        (themes / "broken.toml").write_text('name = "broken"\nprimary = "not a colour"\n')
        app = build(sample_store, tmp_path, theme="mine")
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            assert app.theme == "mine" and app.current_theme.variables["verdict-accept"] == "#00aa00"
            told = [n for n in notices(seen) if "broken.toml" in n]
            assert len(told) == 1 and "primary = 'not a colour' is not a colour" in told[0]

    async def test_palette_switch_is_saved_in_config(self, sample_store: Store, tmp_path: Path) -> None:
        config = tmp_path / "config" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text('# my settings\norder = "newest"\n\n[keymap]\naccept-request = "A"\n')
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await self.pick_theme(pilot, "tui-light")
            assert app.theme == "tui-light"
        saved = tomllib.loads(config.read_text())
        assert saved == {"theme": "tui-light", "order": "newest", "keymap": {"accept-request": "A"}}
        assert "# my settings" in config.read_text()

    @staticmethod
    async def pick_theme(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
        """Ctrl+P, "theme", then the theme named, each chosen once the palette offers it."""
        await pilot.press("ctrl+p")
        await palette_choose(pilot, "theme", "Theme")
        await palette_choose(pilot, name, name)
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
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            await self.pick_theme(pilot, "monochrome")
            assert app.theme == "monochrome"
            assert any("theme not saved" in n for n in notices(seen)), notices(seen)
        assert config.read_text() == text

    async def test_ctrl_p_takes_the_next_keys(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            first = app.screen.current.id  # type: ignore[attr-defined]
            await pilot.press("ctrl+p")
            await pilot.press("q", "a", "y")  # quit, accept, yes: all typed into the palette
            from textual.command import CommandPalette

            await until(pilot, lambda: isinstance(app.screen, CommandPalette) and app.screen.query_one("Input").value == "qay")  # type: ignore[attr-defined]
            assert app.is_running
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen.current.id == first and sample_store.get_request(first).status == "pending"  # type: ignore[attr-defined]

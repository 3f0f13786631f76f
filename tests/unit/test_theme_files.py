"""Theme files: the shipped ones are valid, user files are checked, and failures say why."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tui.theme_files import APP_VARIABLES, DEFAULT_THEME, is_colour, load_all, parse_theme

SHIPPED = sorted((ROOT / "themes").glob("*.toml"))


class TestShipped:
    def test_at_least_five_including_the_required_kinds(self) -> None:
        found = load_all(None)
        assert found.failed == [] and len(found.themes) >= 5
        assert {DEFAULT_THEME, "tui-light", "high-contrast", "monochrome"} <= set(found.themes)
        assert found.themes["tui-light"].fields["dark"] is False

    @pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
    def test_every_theme_sets_every_app_colour(self, path: Path) -> None:
        spec = parse_theme(path)
        assert spec.name == path.stem
        assert set(APP_VARIABLES) <= set(spec.fields["variables"])


class TestUserFiles:
    def write(self, directory: Path, name: str, text: str) -> Path:
        directory.mkdir(exist_ok=True)
        path = directory / name
        path.write_text(text, encoding="utf-8")
        return path

    def test_good_file_is_added_and_may_replace_a_shipped_theme(self, tmp_path: Path) -> None:
        self.write(
            tmp_path, "mine.toml", 'name = "mine"\nprimary = "#336699"\ndark = false\n[variables]\nverdict-accept = "rgb(0, 128, 0)"\n'
        )
        self.write(tmp_path, "override.toml", 'name = "tui-dark"\nprimary = "ansi_bright_blue"\n')
        found = load_all(tmp_path)
        assert found.failed == []
        assert found.themes["mine"].user and found.themes["mine"].fields["variables"] == {"verdict-accept": "rgb(0, 128, 0)"}
        assert found.themes["tui-dark"].user and found.themes["tui-dark"].fields["primary"] == "ansi_bright_blue"

    @pytest.mark.parametrize(
        "text, why",
        [
            ('name = "x"\nprimary = "#12345"\n', "primary = '#12345' is not a colour"),
            ('name = "x"\n', "primary is required"),
            ('name = "Bad Name!"\nprimary = "#123456"\n', "name must be lower-case"),
            ('name = "x"\nprimary = "#123456"\nprimay = "#fff"\n', "unknown field 'primay'"),
            ('name = "x"\nprimary = "#123456"\ndark = "yes"\n', "dark must be bool"),
            ('name = "x"\nprimary = "#123456"\n[variables]\nverdict-accept = "[@click=app.quit]"\n', "variables.verdict-accept"),
            ("name = \n", "not valid TOML"),
        ],
    )
    def test_bad_file_is_skipped_with_the_reason(self, tmp_path: Path, text: str, why: str) -> None:
        path = self.write(tmp_path, "bad.toml", text)
        found = load_all(tmp_path)
        assert [(p, msg) for p, msg in found.failed if why in msg] and found.failed[0][0] == path
        assert len(found.themes) == len(SHIPPED)

    def test_not_utf8_is_reported(self, tmp_path: Path) -> None:
        (tmp_path / "latin.toml").write_bytes(b'name = "caf\xe9"\n')
        assert "not UTF-8" in load_all(tmp_path).failed[0][1]


def test_colour_forms() -> None:
    assert all(
        map(is_colour, ["#fff", "#ffff", "#a1b2c3", "#a1b2c3d4", "rgb(1, 2, 3)", "hsl(120, 50%, 50%)", "ansi_default", "ansi_bright_cyan"])
    )
    assert not any(map(is_colour, ["#ggg", "red; x", "ansi_purple", "", 3]))

"""Every value in config.toml is checked: a wrong one is an error naming the key and the file; an
unknown key or section is a warning naming both, with the close match; saving the theme writes
through a symlinked config.toml."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest

from tui.config import ConfigError, load, save_theme


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


class TestValues:
    @pytest.mark.parametrize(
        "value", ["-1", "nan", "-nan", "inf", "1e-9", "0", "0.01", "1e9", "'1'", "true", pytest.param("1" + "0" * 400, id="huge-int")]
    )
    def test_poll_interval(self, tmp_path: Path, value: str) -> None:
        path = write(tmp_path, f"poll_interval = {value}\n")
        with pytest.raises(ConfigError) as info:
            load(path)
        assert str(path) in str(info.value) and "poll_interval" in str(info.value)

    @pytest.mark.parametrize("value", ["0.1", "0.5", "2", "60"])
    def test_poll_interval_in_range(self, tmp_path: Path, value: str) -> None:
        assert load(write(tmp_path, f"poll_interval = {value}\n")).poll_interval == float(value)

    @pytest.mark.parametrize(
        "text, key",
        [
            ("[dedup]\nlikely = 150", "dedup.likely"),
            pytest.param("[dedup]\nlikely = 1" + "0" * 400, "dedup.likely", id="huge-int"),
            ("[dedup]\npossible = -5", "dedup.possible"),
            ("[dedup]\nlikely = 70\npossible = 80", "dedup.possible"),
            ("theme = ''", "theme"),
            ("sales_phrases = ['quick call', '  ']", "sales_phrases[1]"),
            ("[keymap]\naccept-request = ''", "keymap.accept-request"),
            ("[keymap]\naccept-request = 'a,,b'", "keymap.accept-request"),
            ("[[rules]]\nid = 'local'\nquestion = '   '", "rules[0].question"),
            ("[[replies]]\nname = ''\ntext = 'Hi'", "replies[0].name"),
            ("[[replies]]\nname = 'x'\ntext = ' '", "replies[0].text"),
            ("rules = [1]", "rules[0]"),
            ("replies = 'x'", "replies"),
        ],
    )
    def test_wrong_values_name_key_and_file(self, tmp_path: Path, text: str, key: str) -> None:
        path = write(tmp_path, text)
        with pytest.raises(ConfigError) as info:
            load(path)
        assert str(path) in str(info.value) and key in str(info.value)


class TestUnknownKeys:
    @pytest.mark.parametrize(
        "text, key, suggestion",
        [
            ("pol_interval = 2", "pol_interval", "poll_interval"),
            ("[dedupe]\nlikely = 80", "dedupe", "dedup"),
            ("[dedup]\nlikley = 80", "dedup.likley", "likely"),
            ("[[rules]]\nid = 'drink'\nenabeld = false", "rules[0].enabeld", "enabled"),
            ("[[replies]]\nname = 'x'\ntext = 'Hi'\ntitle = 'y'", "replies[0].title", None),
            ("[[replies]]\nname = 'x'\ntext = 'Hi {frist_name}'", "replies[0].text", "{first_name}"),
            ("sales_phrase = ['x']", "sales_phrase", "sales_phrases"),
            ("[context]\nsales_phrases = ['x']", "context", None),
            ('"\\u202e" = 1', "'\\u202e'", None),  # an invisible key is shown escaped, not as nothing
        ],
    )
    def test_warned_with_the_close_match(self, tmp_path: Path, text: str, key: str, suggestion: str | None) -> None:
        path = write(tmp_path, text)
        warnings = load(path).warnings
        assert len(warnings) == 1, warnings
        assert str(path) in warnings[0] and key in warnings[0]
        if suggestion:
            assert f"did you mean {suggestion}" in warnings[0] or f"did you mean '{suggestion}'" in warnings[0]

    def test_a_correct_file_has_no_warnings(self, tmp_path: Path) -> None:
        text = """
values_rule = true
two_tier = true
order = "name"
poll_interval = 0.5
show_waiting = true
sales_phrases = ["quick call"]
theme = "tui-light"
[[rules]]
id = "local"
question = "Nearby?"
inner = false
[[replies]]
name = "Ask"
text = "Hi {first_name} {last_name} of {company} ({name})"
[keymap]
accept-request = "A,ctrl+a"
[dedup]
likely = 88
possible = 70
"""
        settings = load(write(tmp_path, text))
        assert settings.warnings == () and settings.poll_interval == 0.5 and settings.likely_threshold == 88


class TestSaveTheme:
    def test_writes_through_a_symlink(self, tmp_path: Path) -> None:
        real = tmp_path / "dotfiles" / "tui.toml"
        real.parent.mkdir()
        real.write_text('# mine\norder = "name"\n')
        real.chmod(0o644)
        config = tmp_path / "config"
        config.mkdir()
        link = config / "config.toml"
        link.symlink_to(os.path.relpath(real, config))
        save_theme(link, "tui-light")
        assert link.is_symlink() and os.readlink(link) == os.path.relpath(real, config)
        assert tomllib.loads(real.read_text()) == {"theme": "tui-light", "order": "name"}
        assert "# mine" in real.read_text()
        assert stat.S_IMODE(real.stat().st_mode) == 0o600
        assert [p.name for p in real.parent.iterdir()] == ["tui.toml"]  # no temp file left behind

    def test_a_chain_of_symlinks(self, tmp_path: Path) -> None:
        real = tmp_path / "real.toml"
        real.write_text("")
        (tmp_path / "middle.toml").symlink_to(real)
        link = tmp_path / "config.toml"
        link.symlink_to(tmp_path / "middle.toml")
        save_theme(link, "monochrome")
        assert link.is_symlink() and (tmp_path / "middle.toml").is_symlink()
        assert tomllib.loads(real.read_text()) == {"theme": "monochrome"}

    @pytest.mark.parametrize(
        "line",
        [
            '  theme = "tui-light"',
            '"theme" = "tui-light"',
            "'theme' = 'tui-light'",
            'theme="tui-light"',
            '\ttheme = "tui-light"  # the light one',
            'theme = "tui-light"\r',
        ],
    )
    def test_the_existing_key_is_replaced(self, tmp_path: Path, line: str) -> None:
        path = tmp_path / "config.toml"
        path.write_text(f'# mine\norder = "name"\n{line}\npoll_interval = 2.0\n\n[keymap]\ntheme = "x"\n')
        save_theme(path, "monochrome")
        assert tomllib.loads(path.read_text()) == {"theme": "monochrome", "order": "name", "poll_interval": 2.0, "keymap": {"theme": "x"}}
        assert load(path).theme == "monochrome" and "# mine" in path.read_text()

    @pytest.mark.parametrize("text", ['theme = """tui-\nlight"""\n', 'theme = [\n"a"]\n', "order = 'name'\nthis is broken\n"])
    def test_a_save_that_would_break_the_file_is_refused_and_the_file_left_alone(self, tmp_path: Path, text: str) -> None:
        path = tmp_path / "config.toml"
        path.write_text(text)
        with pytest.raises(ConfigError, match=r"config.toml: theme not saved"):
            save_theme(path, "monochrome")
        assert path.read_text() == text

    def test_a_plain_file_is_written_0600(self, tmp_path: Path) -> None:
        path = tmp_path / "config" / "config.toml"
        save_theme(path, "tui-dark")
        assert tomllib.loads(path.read_text()) == {"theme": "tui-dark"}
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

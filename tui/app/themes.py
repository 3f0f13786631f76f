"""Register the theme files with the app, and pick the theme to start with.

Like Posting's themes module: load what can be loaded, collect what failed and why, and let the
app tell the user once. Colours are checked again with Textual's own parser here, since that is
what will draw them.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.color import Color, ColorParseError
from textual.theme import Theme

from tui.theme_files import COLOUR_FIELDS, DEFAULT_THEME, load_all


def register_themes(app: App[Any], user_dir: Path | None) -> list[tuple[Path | Traversable, str]]:
    """Register every good theme file with ``app``; return the files that failed, with why."""
    files = load_all(user_dir)
    failed = list(files.failed)
    for spec in files.themes.values():
        try:
            for key in COLOUR_FIELDS:
                if spec.fields.get(key) is not None:
                    Color.parse(spec.fields[key])
            for value in spec.fields["variables"].values():
                Color.parse(value)
            app.register_theme(Theme(**spec.fields))
        except (ColorParseError, TypeError, ValueError) as exc:
            failed.append((spec.path or Path(spec.name), str(exc)))
    return failed


def choose_theme(app: App[Any], wanted: str) -> tuple[str, str | None]:
    """The theme to use, and a message when ``wanted`` is unknown and the default stands in."""
    if wanted in app.available_themes:
        return wanted, None
    fallback = DEFAULT_THEME if DEFAULT_THEME in app.available_themes else "textual-dark"
    return fallback, f"Unknown theme {wanted[:40]!r}: using {fallback}. `tui themes` lists the themes."

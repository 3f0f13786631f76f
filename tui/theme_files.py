"""Theme files: the shipped ones in ``themes/`` and the user's in ``<config dir>/themes/``.

A theme file is TOML holding Textual ``Theme`` fields plus a ``[variables]`` table for the app's
own colours. This module reads and checks them without importing textual (``tui themes`` stays a
fast command); the app turns the specs into ``Theme`` objects. A file that is not valid is
reported with why, and skipped; a user file with the name of a shipped theme replaces it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

DEFAULT_THEME = "tui-dark"
COLOUR_FIELDS = ("primary", "secondary", "warning", "error", "success", "accent", "foreground", "background", "surface", "panel", "boost")
OTHER_FIELDS = {"name": str, "dark": bool, "ansi": bool, "luminosity-spread": float, "text-alpha": float}
APP_VARIABLES = (
    "verdict-accept",
    "verdict-wider",
    "verdict-decline",
    "answer-yes",
    "answer-no",
    "match-identical",
    "match-impersonation",
    "match-likely",
    "match-possible",
)

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_FUNCTION = re.compile(r"(?:rgb|rgba|hsl|hsla)\(\s*[0-9.%]+\s*(?:,\s*[0-9.%]+\s*){2,3}\)")
_ANSI = re.compile(r"ansi_(?:default|(?:bright_)?(?:black|red|green|yellow|blue|magenta|cyan|white))")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


@dataclass(slots=True)
class ThemeSpec:
    name: str
    fields: dict[str, Any]
    """Textual ``Theme`` keyword arguments (snake_case), ``variables`` included."""
    path: Path | Traversable | None
    """Where it was read from: a file in the user's themes dir, or a resource of the package."""
    user: bool = False


@dataclass(slots=True)
class ThemeFiles:
    themes: dict[str, ThemeSpec] = field(default_factory=dict)
    failed: list[tuple[Path | Traversable, str]] = field(default_factory=list)


def is_colour(value: object) -> bool:
    return isinstance(value, str) and bool(_HEX.fullmatch(value) or _FUNCTION.fullmatch(value) or _ANSI.fullmatch(value))


def parse_theme(path: Path | Traversable, user: bool = False) -> ThemeSpec:
    """Read one theme file. Raises ValueError saying what is wrong (and where, for TOML errors)."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror})") from None
    variables = doc.pop("variables", {})
    if not isinstance(variables, dict):
        raise ValueError("[variables] must be a table")
    name = doc.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError("name must be lower-case letters, digits and dashes (at most 40)")
    if "primary" not in doc:
        raise ValueError("primary is required")
    fields: dict[str, Any] = {}
    for key, value in doc.items():
        if key in COLOUR_FIELDS:
            if not is_colour(value):
                raise ValueError(f"{key} = {str(value)[:40]!r} is not a colour (#rrggbb, rgb(...), hsl(...) or ansi_<name>)")
        elif key in OTHER_FIELDS:
            wanted = OTHER_FIELDS[key]
            if not isinstance(value, wanted) and not (wanted is float and isinstance(value, int) and not isinstance(value, bool)):
                raise ValueError(f"{key} must be {wanted.__name__}")
        else:
            raise ValueError(f"unknown field {key[:40]!r}")
        fields[key.replace("-", "_")] = value
    for key, value in variables.items():
        if not isinstance(value, str) or not is_colour(value):
            raise ValueError(f"variables.{key[:40]} = {str(value)[:40]!r} is not a colour")
    fields["variables"] = dict(variables)
    return ThemeSpec(name, fields, path, user)


def bundled_themes() -> list[Traversable]:
    """The theme files shipped in the package (``tui.themes``), read as package resources: they
    may live in a wheel, a zip or a namespace package, so they are never turned into a path."""
    return sorted(
        (item for item in files("tui.themes").iterdir() if item.name.endswith(".toml") and item.is_file()), key=lambda item: item.name
    )


def load_all(user_dir: Path | None) -> ThemeFiles:
    """The shipped themes, then the user's (which may replace a shipped one by name)."""
    result = ThemeFiles()
    user_files = sorted(user_dir.glob("*.toml")) if user_dir is not None and user_dir.is_dir() else []
    sources: list[tuple[Path | Traversable, bool]] = [(item, False) for item in bundled_themes()]
    sources += [(path, True) for path in user_files]
    for path, user in sources:
        try:
            spec = parse_theme(path, user)
        except ValueError as exc:
            result.failed.append((path, str(exc)))
            continue
        result.themes[spec.name] = spec
    return result

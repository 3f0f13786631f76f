"""Where data, config and user themes live.

Precedence, for each of data and config: the command-line option, then the environment variable
(``TUI_DATA_DIR`` / ``TUI_CONFIG_DIR``), then the platform's user directory: ``$XDG_DATA_HOME/tui``
and ``$XDG_CONFIG_HOME/tui`` (by default ``~/.local/share/tui`` and ``~/.config/tui``), or
``~/Library/Application Support/tui`` on macOS, as platformdirs would give. User themes live in
``themes/`` inside the config directory.

platformdirs itself is not used: importing it costs 6 ms (it pulls in tempfile and random), a
twentieth of what ``tui add`` may spend in all, for the two lines below.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "tui"
DATA_ENV = "TUI_DATA_DIR"
CONFIG_ENV = "TUI_CONFIG_DIR"


@dataclass(frozen=True, slots=True)
class Paths:
    data: Path
    """Directory holding the store files."""
    config: Path
    """Directory holding config.toml and themes/."""

    @property
    def themes(self) -> Path:
        return self.config / "themes"

    @property
    def config_file(self) -> Path:
        return self.config / "config.toml"

    def as_dict(self) -> dict[str, str]:
        return {"data": str(self.data), "config": str(self.config), "themes": str(self.themes)}


def _platform_dir(kind: str) -> Path:
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / APP_NAME
    variable, default = ("XDG_DATA_HOME", home / ".local" / "share") if kind == "data" else ("XDG_CONFIG_HOME", home / ".config")
    base = os.environ.get(variable, "")
    return (Path(base) if os.path.isabs(base) else default) / APP_NAME


def resolve(data_dir: str | os.PathLike[str] | None = None, config_dir: str | os.PathLike[str] | None = None) -> Paths:
    """Resolve the directories from options, then environment, then platform defaults."""
    data = data_dir or os.environ.get(DATA_ENV) or _platform_dir("data")
    config = config_dir or os.environ.get(CONFIG_ENV) or _platform_dir("config")
    return Paths(data=Path(data).expanduser(), config=Path(config).expanduser())

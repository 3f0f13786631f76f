"""Where data, config and user themes live.

Precedence, for each of data and config: the command-line option, then the environment variable
(``TUI_DATA_DIR`` / ``TUI_CONFIG_DIR``), then the platformdirs user directory. User themes live in
``themes/`` inside the config directory.
"""

from __future__ import annotations

import os
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
    # Imported lazily: the common case (an env var or option) never pays for it.
    import platformdirs

    if kind == "data":
        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def resolve(data_dir: str | os.PathLike[str] | None = None, config_dir: str | os.PathLike[str] | None = None) -> Paths:
    """Resolve the directories from options, then environment, then platform defaults."""
    data = data_dir or os.environ.get(DATA_ENV) or _platform_dir("data")
    config = config_dir or os.environ.get(CONFIG_ENV) or _platform_dir("config")
    return Paths(data=Path(data).expanduser(), config=Path(config).expanduser())

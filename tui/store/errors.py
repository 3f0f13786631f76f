"""What the store raises: each a :class:`~tui.errors.UserError` whose message says what and where."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.errors import UserError

if TYPE_CHECKING:
    from tui.models import Request


class StoreError(UserError):
    """A store problem the user can act on; the message says what and where."""


class StoreCorrupt(StoreError):
    exit_code = 3

    def __init__(self, path: Path, detail: str, backup: Path | None, restores: str = "", hint: str = "") -> None:
        self.path, self.backup = path, backup
        hint = hint or (
            f"newest good backup: {backup / (restores or path.name)}; `tui doctor --repair` restores it"
            if backup
            else "no backup holds a good copy"
        )
        super().__init__(f"{path}: cannot be read ({detail}); nothing was changed; {hint}")


class StoreBusy(StoreError):
    pass


class NotFound(StoreError):
    pass


class NoStore(StoreError):
    """A read of a data directory that does not exist (nothing was created)."""

    @classmethod
    def at(cls, root: Path) -> NoStore:
        return cls(f"{root}: no data directory (nothing was added or imported there yet); nothing was created")


class Conflict(StoreError):
    """A decision or an undo refused because the request changed since its maker saw it.

    ``current`` is the request as it now is; ``state`` says so in words ("declined"); ``by`` and
    ``at`` name the decision in force that made it so, where there is one."""

    def __init__(self, message: str, current: Request | None = None, state: str = "", by: str = "", at: str = "") -> None:
        super().__init__(message)
        self.current, self.state, self.by, self.at = current, state, by, at

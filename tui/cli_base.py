"""What every command of the ``tui`` command line shares: the Typer app and its global options,
the state (paths; the store, opened once; the settings, read once), and ``--json``.

The commands are in the ``tui/cli_*.py`` modules, which :mod:`tui.cli` gathers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from tui import __version__
from tui.cli_support import OneLineErrors, os_error
from tui.errors import BadInput
from tui.fileio import private_dir
from tui.output import err, out
from tui.paths import Paths, resolve
from tui.store import NoStore, NotFound, Store

app = typer.Typer(
    cls=OneLineErrors,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Triage connection requests against your own rules: drink, recommend, do business.",
)


def say_waiting(holder: Any) -> None:
    """Told by the store when a write has waited a second for another process's lock."""
    err(f"waiting for the store lock held by {holder or 'another process'}")


@dataclass
class State:
    paths: Paths
    _store: Store | None = None
    _settings: Any = None

    @property
    def store(self) -> Store:
        """The store, for a command that writes: created if missing."""
        return self._open(create=True)

    @property
    def reader(self) -> Store:
        """The store, for a command that only reads: a missing one is an error, never created."""
        return self._open(create=False)

    def existing(self, tidy: bool = True) -> Store | None:
        """The store, for a command that stores nothing unless the records it names exist (decide,
        undo, merge, distinct, a dry run): None when there is no data directory, which is then not
        created. ``tidy`` False: nothing written in it either, not even a cache (a dry run)."""
        try:
            return self._open(create=False, tidy=tidy)
        except NoStore:
            return None

    def existing_record(self, record_id: str) -> Store:
        """:meth:`existing`, or :class:`NotFound` for ``record_id`` when there is no store."""
        store = self.existing()
        if store is None:
            raise NotFound(f"no record {record_id!r}: {self.paths.data} holds no store yet; nothing was created")
        return store

    def _open(self, create: bool, tidy: bool = True) -> Store:
        """Open the store once. A data directory that cannot be one is bad input."""
        if self._store is None:
            data = self.paths.data
            try:
                existing = next((p for p in (data, *data.parents) if p.exists()), data)
                if not existing.is_dir():
                    raise NotADirectoryError(20, "not a directory", str(existing))
                if create:
                    private_dir(data)
                self._store = Store.open(data, create=create, on_lock_wait=say_waiting, tidy=tidy)
            except OSError as exc:
                raise BadInput(f"{os_error(exc)}: {data} cannot be the data directory (--data-dir, $TUI_DATA_DIR)") from None
        return self._store

    @property
    def settings(self) -> Any:
        """The config, read on first use (``tui add`` never needs it); what it ignored is told."""
        if self._settings is None:
            from tui.config import load

            self._settings = load(self.paths.config_file)
            for warning in self._settings.warnings:
                err(f"warning: {warning}")
        return self._settings


def _version(value: bool) -> None:
    if value:
        out(f"tui {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Data directory (else $TUI_DATA_DIR, else the platform's).")] = None,
    config_dir: Annotated[
        Path | None, typer.Option("--config-dir", help="Config directory (else $TUI_CONFIG_DIR, else the platform's).")
    ] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    ctx.obj = State(resolve(data_dir, config_dir))
    if ctx.invoked_subcommand is None:
        out(ctx.get_help())
        raise typer.Exit()


JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def state_of(ctx: typer.Context) -> State:
    return ctx.obj  # type: ignore[no-any-return]


def thresholds_of(state: State) -> Any:
    from tui.dedup.match import Thresholds

    if not state.paths.config_file.exists():
        return Thresholds()  # no config: skip reading it (tui add stays fast)
    return Thresholds(state.settings.likely_threshold, state.settings.possible_threshold)

"""The commands on the store and the setup: ``doctor``, ``stats``, ``config``, ``locate`` and
``themes``. Thin: the core works it out, :mod:`tui.output` prints it."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from tui.cli_base import JsonOpt, app, say_waiting, state_of
from tui.cli_support import os_error
from tui.errors import BadInput, UserError
from tui.fileio import private_dir
from tui.output import emit_json, err, out, print_doctor, print_stats, print_themes
from tui.text import clean, is_utf8


@app.command()
def doctor(
    ctx: typer.Context,
    repair: Annotated[
        bool, typer.Option("--repair", help="Restore damaged files from the newest good backup (the damaged ones are kept aside).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Check the store: files, records, schema, lock, backups, temp files. Exit 3 when it is not healthy."""
    from tui.doctor import examine

    report = examine(state_of(ctx).paths.data, repair, on_lock_wait=say_waiting)
    for name in report["unrepairable"]:
        err(f"{clean(report['data'], 300)}/{name}: damaged, and no backup holds a good copy")
    if as_json:
        emit_json(report)
    else:
        print_doctor(report, repair)
    if not report["healthy"]:
        raise typer.Exit(3)


@app.command()
def stats(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Counts by status and source, the acceptance rate, and each rule's noes."""
    from tui.stats import summarize

    state = state_of(ctx)
    rules = state.settings.rules  # a bad config.toml is told before anything else
    summary = summarize(state.reader.requests(), rules)
    if as_json:
        emit_json(summary)
        return
    print_stats(summary)


@app.command()
def config(
    ctx: typer.Context,
    stdout: Annotated[bool, typer.Option("--print", help="Print the commented file instead of writing it.")] = False,
) -> None:
    """Write a commented config.toml with every setting and its default (never over an existing one)."""
    from tui.config_template import template
    from tui.fileio import atomic_write

    text = template()
    if stdout:
        sys.stdout.write(text)
        return
    path = state_of(ctx).paths.config_file
    if path.exists():
        raise UserError(f"{clean(str(path), 300)} exists; nothing was written (`tui config --print` shows every setting)")
    try:
        private_dir(path.parent)
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        raise UserError(f"{os_error(exc)}: config.toml not written") from None
    out(f"wrote {clean(str(path), 300)}: every setting, commented out at its default")


@app.command()
def locate(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Print where data, config and user themes live."""
    paths = state_of(ctx).paths.as_dict()
    if as_json:
        for key, path in paths.items():
            if not is_utf8(path):
                origin = "--data-dir or $TUI_DATA_DIR" if key == "data" else "--config-dir or $TUI_CONFIG_DIR"
                raise BadInput(f"the {key} path {clean(path, 300)} is not UTF-8 text, which JSON cannot carry (it comes from {origin})")
        emit_json(paths)
    else:
        for key, value in paths.items():
            out(f"{key:<7} {clean(value, 4000)}")


@app.command()
def themes(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the themes: shipped, your own (in the themes dir `tui locate` shows), and files that failed."""
    from tui.theme_files import load_all

    state = state_of(ctx)
    found = load_all(state.paths.themes)
    current = state.settings.theme
    rows = [
        {
            "name": spec.name,
            "dark": bool(spec.fields.get("dark", True)),
            "source": "user" if spec.user else "shipped",
            "path": str(spec.path),
            "current": spec.name == current,
        }
        for spec in found.themes.values()
    ]
    failed = [{"path": str(path), "error": why} for path, why in found.failed]
    if as_json:
        emit_json({"themes": rows, "failed": failed, "current": current})
        return
    print_themes(rows, failed, current, current in found.themes)

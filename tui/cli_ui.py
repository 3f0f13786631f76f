"""The commands that open the Textual UI: ``triage``, ``demo`` and ``serve`` (the same in a web
browser). The only commands that import textual, and only inside them (tui add stays fast)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from tui.cli_base import app, state_of
from tui.errors import BadInput
from tui.output import err
from tui.paths import Paths
from tui.text import clean


@app.command()
def triage(
    ctx: typer.Context,
    theme: Annotated[str | None, typer.Option("--theme", help="Theme for this session (see `tui themes`).")] = None,
) -> None:
    """Open the triage screen on your queue."""
    state = state_of(ctx)
    from tui.app.app import make_app

    _run_app(make_app(state.paths, state.settings, state.store, theme=theme))


def _run_app(app: Any) -> None:
    """Run the app. Changes it could not save (the user quit while another process held the
    store) are named in one line on stderr, exit 1; a crash (an exception in a worker ends the
    app; Textual prints it) exits 1 too, never 0."""
    app.run()
    lost = app.writer.report()
    if lost:
        err(f"error: not saved: {lost}")
    if lost or app.return_code:
        raise typer.Exit(app.return_code or 1)


@app.command()
def demo(
    ctx: typer.Context,
    theme: Annotated[str | None, typer.Option("--theme", help="Theme for this session (see `tui themes`).")] = None,
    into: Annotated[
        Path | None, typer.Option("--into", help="Copy the sample into this new directory and keep it (default: a temporary one).")
    ] = None,
) -> None:
    """Open the triage screen on a fresh copy of the bundled sample data (never your own data)."""
    import contextlib
    import shutil
    import tempfile

    from tui.app.app import make_app
    from tui.sample import load_sample

    state = state_of(ctx)
    settings = state.settings  # a bad config.toml is told before anything else
    if into is not None and into.exists() and not into.is_dir():
        raise BadInput(f"{clean(str(into), 300)}: not a directory; --into needs a new or empty directory")
    if into is not None and into.exists() and any(into.iterdir()):
        again = f"; it holds a store: `tui --data-dir {clean(str(into), 300)} triage` opens it" if (into / "queue.json").exists() else ""
        raise BadInput(f"{clean(str(into), 300)}: not empty; --into needs a new or empty directory{again}")
    temporary = into is None
    folder = tempfile.TemporaryDirectory(prefix="tui-demo-", ignore_cleanup_errors=True) if temporary else contextlib.nullcontext(str(into))
    with folder as where:
        data = Path(where)
        app = make_app(Paths(data=data, config=state.paths.config), settings, load_sample(data), theme=theme, demo=True)
        if temporary:
            app.on_hang_up = lambda: shutil.rmtree(data, ignore_errors=True)
        _run_app(app)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on. Keep it on loopback; anything else prints a warning.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo_data: Annotated[bool, typer.Option("--demo", help="Serve the demo (a fresh sample copy per visit), not your data.")] = False,
    theme: Annotated[str | None, typer.Option("--theme", help="Theme (see `tui themes`).")] = None,
) -> None:
    """Serve the triage screen to a web browser; prints the URL to open, with this launch's secret (needs pip install 'tui\\[serve]')."""
    from tui import serve as web

    address = web.check_address(host, port)
    paths = state_of(ctx).paths
    # -P: never put the current directory first on sys.path (a `tui/` folder there would be run).
    command = [
        sys.executable,
        "-P",
        "-m",
        "tui",
        "--data-dir",
        str(paths.data),
        "--config-dir",
        str(paths.config),
        "demo" if demo_data else "triage",
    ]
    if theme:
        command += ["--theme", theme]
    web.serve(command, address)

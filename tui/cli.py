"""The ``tui`` command line: thin commands over the core.

Exit codes: 0 done; 1 nothing to do or a store problem; 2 bad input (nothing written);
3 a store file that does not parse (nothing written); 4 ``add --strict`` found a likely duplicate.
Only ``triage``, ``demo`` and ``serve`` import the Textual UI.

This module gathers the commands into one Typer app (:data:`app`, with the global options, in
:mod:`tui.cli_base`) and runs it (:func:`main`, the ``tui`` console script). The commands live by
what they work on: :mod:`tui.cli_records` (add, list, show, decide, undo), :mod:`tui.cli_files`
(import, export, query), :mod:`tui.cli_dedup` (dedup, merge, distinct), :mod:`tui.cli_contacts`
(merge-contacts), :mod:`tui.cli_setup` (doctor, stats, config, locate, themes) and
:mod:`tui.cli_ui` (triage, demo, serve).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from typing import NoReturn

from tui.cli_base import app, state_of, thresholds_of
from tui.cli_support import PlainUsage, os_error
from tui.output import err

# Importing a command module registers its commands, in this order in `tui --help` (not sorted).
# isort: off
import tui.cli_records
import tui.cli_files
import tui.cli_dedup
import tui.cli_setup
import tui.cli_ui  # noqa: F401
# isort: on

__all__ = ["app", "main", "run"]


for _info in app.registered_commands:
    _info.cls = PlainUsage  # usage lines name arguments plainly


_VALUE_OPTIONS = {"--data-dir", "--config-dir"}


def _register_contact_commands() -> None:
    from tui.cli_contacts import register

    register(app, state_of, thresholds_of)


_register_contact_commands()


def _subcommand(argv: list[str]) -> str | None:
    """The command named on the command line, skipping the global options and their values."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


#: Commands that run the Textual app: they end as Python ends (its threads joined, its files closed).
UI_COMMANDS = frozenset({"triage", "demo", "serve"})


def main() -> None:
    # Typer turns every command's signature into click parameters before running any of them
    # (10-15 ms for this CLI). A script's `tui add` needs only `add`: register just that one.
    wanted = _subcommand(sys.argv[1:])
    names = {info.name or info.callback.__name__.replace("_", "-"): info for info in app.registered_commands if info.callback}
    if wanted in names:
        app.registered_commands = [names[wanted]]
    app(prog_name="tui")


def run() -> None:
    """The ``tui`` console script (and ``python -m tui``): :func:`main`, and for a command other
    than the UI's a quick end. :func:`main` itself ends by raising SystemExit, as any Click
    program, for callers that run it in-process."""
    if sys.stdout is None:  # `tui ... >&-`: Python has no stdout to give; say so before anything is done
        err("error: standard output is closed: nothing can be printed")
        leave(1)
    if _subcommand(sys.argv[1:]) in UI_COMMANDS:
        main()
        return
    # A command is one short pass over the store: the documents it parses and the indexes it
    # builds hold no cycles, and whatever it allocates is freed by reference counting or at exit.
    # The cyclic collector would only walk the parsed store again and again as it grows.
    gc.disable()
    try:
        main()
    except SystemExit as done:
        leave(done.code)


def leave(code: object) -> NoReturn:
    """End a command's process at once with ``code``, once its output is flushed: without tearing
    down what it parsed (a 100k-contact store takes Python a fifth of a second to free) nor a last
    collection at exit. Only when nothing else would run at a normal exit: no other thread, no
    exit handler, no profiler or tracer (``python -m cProfile``, coverage, a debugger) waiting to
    write its results; otherwise (and for a code that is no number) the normal exit."""
    watched = sys.getprofile() is not None or sys.gettrace() is not None
    if not isinstance(code, int | None) or watched or threading.active_count() > 1 or _exit_handlers():
        raise SystemExit(code)
    status = code or 0
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except BrokenPipeError:  # `tui list | head -1`: the reader left; end quietly, as Click does
            status = status or 1
        except OSError as exc:  # `> /dev/full`
            if stream is sys.stdout:
                err(f"error: {os_error(exc)}")
            status = status or 1
    os._exit(status)


def _exit_handlers() -> int:
    """How many exit handlers would run at a normal exit. Any use of multiprocessing (``tui
    dedup``'s forked matching) registers one, which ends the children still running: with none
    left it has nothing to do, and is taken back so as not to hold :func:`leave` to the normal exit."""
    count = atexit._ncallbacks()
    util = sys.modules.get("multiprocessing.util")
    if util is not None:
        import multiprocessing

        if not multiprocessing.active_children():
            atexit.unregister(util._exit_function)  # registered once, as multiprocessing.util is imported
            after = atexit._ncallbacks()
            count = count - 1 if after == count else after  # Python 3.11 empties the handler's slot and still counts it
    return count

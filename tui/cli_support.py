"""The command line's input checks and its one way of reporting errors.

Every error a user can cause is one line on stderr, never a traceback: core errors with the exit
code they carry (a wrong id is bad input, 2), usage errors with 2, and what the file system refuses
with 1.
"""

from __future__ import annotations

import errno
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.exceptions import Abort, TyperException

from tui.errors import BadInput, UserError
from tui.output import err
from tui.store import NotFound
from tui.text import clean

EXIT_BAD_INPUT = 2


class OneLineErrors(TyperGroup):
    """The command group: turns every error into one line on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            err(f"error: {exc}")
            raise typer.Exit(EXIT_BAD_INPUT if isinstance(exc, NotFound) else exc.exit_code) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise  # `tui list | head`: Typer exits 1 quietly
            err(f"error: {os_error(exc)}")
            raise typer.Exit(1) from None
        except MemoryError:  # a data file larger than the memory the process may have: no write began
            paths = getattr(ctx.obj, "paths", None)
            where = f" reading {clean(str(paths.data), 300)}" if paths is not None else ""
            err(f"error: out of memory{where}: its data is more than this process may hold; nothing was changed")
            raise typer.Exit(1) from None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **kwargs: Any,
    ) -> Any:
        called = {"args": args, "prog_name": prog_name, "complete_var": complete_var, "windows_expand_args": windows_expand_args, **kwargs}
        if not standalone_mode:
            return super().main(standalone_mode=False, **called)
        try:
            code = super().main(standalone_mode=False, **called)
        except TyperException as exc:  # a usage error: one line, not the boxed usage text
            command = getattr(getattr(exc, "ctx", None), "command_path", None)
            err(f"error: {' '.join(exc.format_message().split())}" + (f" (see {command} --help)" if command else ""))
            sys.exit(exc.exit_code)
        except Abort:
            err("aborted")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


class PlainUsage(TyperCommand):
    """A command whose usage line names its arguments plainly: `tui add [OPTIONS] NAME`, not
    Typer's `{NAME}` (which reads like a placeholder to fill in)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in super().collect_usage_pieces(ctx)]


def os_error(exc: OSError) -> str:
    """``FILE: reason``, as a user reads it."""
    where = exc.filename if exc.filename is not None else ""
    return f"{where}: {exc.strerror}" if where and exc.strerror else str(exc.strerror or exc)


_ID = re.compile(r"([rcd]?)([0-9]{1,15})", re.ASCII)
_KINDS = {"r": "a request (like r12)", "c": "a contact (like c7)", "d": "a decision (like d3)"}


def parse_id(text: str, kinds: str = "rcd") -> str:
    """An id as the store writes it (``r12``, ``c7``, ``d3``; a bare number is a request), or bad
    input naming what was expected. Whether the record exists is the store's to say."""
    found = _ID.fullmatch(text.strip().lower())
    if found is None or (found.group(1) or "r") not in kinds:
        wanted = " or ".join(_KINDS[k] for k in kinds)
        raise BadInput(f"{clean(text, 40)!r} is not the id of {wanted}")
    return f"{found.group(1) or 'r'}{int(found.group(2))}"


@contextmanager
def progress_bar(label: str, show: bool) -> Iterator[Callable[..., None]]:
    """A progress bar on stderr (rich), on a terminal only: never on stdout, which may be JSON for
    a script. Yields ``update(done, total, description=None)``."""
    if not (show and sys.stderr.isatty()):
        yield lambda *_args, **_kw: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int, description: str | None = None) -> None:
            bar.update(task, completed=done, total=total, description=description or label)

        yield update


def left_for_exit(*objects: object) -> None:
    """Objects a command is done with, left for the end of its process: :func:`tui.cli.leave`
    ends it without freeing them, where freeing them as the command returns costs tens of
    milliseconds (a batch's match results: hundreds of thousands of small objects). One command's
    at a time (an in-process caller running many keeps only the last one's)."""
    _LEFT[:] = objects


_LEFT: list[object] = []

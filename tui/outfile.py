"""Writing a file the user named (``tui export -o FILE``): whole or not at all, private, and never
onto a terminal.

A regular file (or a new one) is written to a temp file beside it, fsynced and renamed over it, with
mode 0600: a full disk leaves the previous export as it was. A device or a pipe (``/dev/stdout``
piped, a FIFO) cannot be renamed over and is written directly; a FIFO that nothing reads is refused
at once; a terminal is refused, since the export carries strangers' text byte for byte, escape
sequences included.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tui.errors import BadInput, UserError
from tui.fileio import commit_temp, write_temp


@dataclass
class Target:
    """Where an export goes, checked before anything is written."""

    name: str
    path: Path
    fd: int | None = None
    """Open for writing when the target is a device or a pipe; else None (a regular file)."""


def open_target(path: Path) -> Target:
    name = str(path)
    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise BadInput(f"{name}: cannot be written ({exc.strerror})") from None
    if st is None or stat.S_ISREG(st.st_mode):
        real = Path(os.path.realpath(path))  # a symlink keeps pointing at the new file
        if not real.parent.is_dir():
            raise BadInput(f"{name}: no such directory ({real.parent})")
        return Target(name, real)
    if stat.S_ISDIR(st.st_mode):
        raise BadInput(f"{name}: is a directory; name a file in it")
    try:
        # Non-blocking, so that a FIFO nothing reads fails at once (ENXIO) instead of waiting
        # forever for a reader; a pipe that has one (bash's >(...) as /dev/fd/63) opens as before.
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise BadInput(f"{name}: nothing is reading it (a pipe with no reader); start the reader first") from None
        raise BadInput(f"{name}: cannot be written ({exc.strerror})") from None
    os.set_blocking(fd, True)  # the export itself waits for a slow reader
    if os.isatty(fd):
        os.close(fd)
        raise BadInput(f"{name}: is a terminal; an export keeps every byte of strangers' text: write it to a file, or pipe it")
    return Target(name, Path(name), fd)


def write(target: Target, payload: bytes | Iterable[bytes]) -> None:
    """Write ``payload`` (bytes, or its pieces as they are made: an export streamed) to the target;
    a failure is one line naming it, and a regular file that was there before is left as it was
    (also when making the pieces fails)."""
    blocks = _blocks([payload] if isinstance(payload, bytes) else payload)
    try:
        if target.fd is None:
            commit_temp(write_temp(target.path, blocks), target.path)
            return
        for block in blocks:
            view = memoryview(block)
            while view:
                view = view[os.write(target.fd, view) :]
    except OSError as exc:
        kept = "; the previous file is unchanged" if target.fd is None else ""
        raise UserError(f"{target.name}: write failed ({exc.strerror}){kept}") from None
    finally:
        if target.fd is not None:
            os.close(target.fd)


BLOCK = 1 << 20
"""Pieces are written a megabyte at a time, not one small write each."""


def _blocks(pieces: Iterable[bytes]) -> Iterator[bytes]:
    held: list[bytes] = []
    size = 0
    for piece in pieces:
        held.append(piece)
        size += len(piece)
        if size >= BLOCK:
            yield b"".join(held)
            held, size = [], 0
    if held:
        yield b"".join(held)

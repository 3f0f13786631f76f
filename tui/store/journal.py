"""The queue's journal: each write appended to ``queue.jnl`` as one line, instead of the whole
``queue.json`` rewritten.

A decision changes two documents, yet rewriting ``queue.json`` costs what the whole queue costs
(tens of milliseconds at 20k requests). So a write that touches the queue alone appends one line
holding the documents it changed, whole (``null`` for one removed), and fsyncs it::

    {"base": "9f2c4e…"}                                   the first line: which queue.json it follows
    {"c": [["requests", "12", {…}], ["decisions", "40", {…}]]}
    …

The file as the store reads it is ``queue.json`` with every line applied in order. Applying a
line twice changes nothing (each sets documents to what they became), so a crash between writing
a new ``queue.json`` and removing the journal loses nothing; and a journal whose first line names
another ``queue.json`` (the ``_journal`` token each full write stores in it) is never applied: it
belongs to a ``queue.json`` that was replaced since (a compaction, a restore).

A line is written whole or not at all as far as a reader is concerned: a last line without its
newline, or that does not parse, is a write that was cut short (a kill, a full disk) and was never
acknowledged; the next writer cuts it off. A line that does not parse *before* the last one is
damage, and the file is corrupt. When the journal outgrows a quarter of ``queue.json`` the next
write rewrites ``queue.json`` whole (a compaction) and removes the journal.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Any

import orjson

from tui.fileio import atomic_write

SUFFIX = ".jnl"
TOKEN = "_journal"
"""The key under which ``queue.json`` names the journal that may follow it."""

#: A journal shorter than this never triggers a compaction.
MIN_COMPACT = 256 * 1024

Change = tuple[str, str, dict[str, Any] | None]
"""(table, document id, the document as it now is, or None when removed)."""


def path_of(base: Path) -> Path:
    return base.with_suffix(SUFFIX)


def new_token() -> str:
    return secrets.token_hex(8)


def header(token: str) -> bytes:
    return orjson.dumps({"base": token}) + b"\n"


def line(changes: list[Change]) -> bytes:
    return orjson.dumps({"c": changes}) + b"\n"


def parse(raw: bytes, token: str | None, tables: tuple[str, ...]) -> tuple[list[list[Change]], int]:
    """The writes a journal holds for the ``queue.json`` whose token is ``token``, and the offset
    just past the last whole line. A journal for another ``queue.json`` holds none (offset 0).
    ValueError("line N: …") when a line before the last is damaged."""
    if token is None or not raw:
        return [], 0
    lines = raw.split(b"\n")
    lines.pop()  # after the last newline: empty, or a write cut short
    try:
        first = orjson.loads(lines[0]) if lines else None
    except orjson.JSONDecodeError:
        first = None
    if not isinstance(first, dict) or first.get("base") != token:
        return [], 0
    writes: list[list[Change]] = []
    offset = len(lines[0]) + 1
    for number, text in enumerate(lines[1:], start=2):
        try:
            writes.append(_changes(orjson.loads(text), tables))
        except (orjson.JSONDecodeError, ValueError) as exc:
            if number == len(lines):  # the last whole line: a write cut short (zeros after a power cut)
                break
            raise ValueError(f"line {number}: {exc}") from None
        offset += len(text) + 1
    return writes, offset


def good_part(raw: bytes, token: str | None, tables: tuple[str, ...]) -> bytes:
    """The journal up to its first damaged line: every write before the damage, for a repair.
    Nothing when it follows another ``queue.json``."""
    lines = raw.split(b"\n")
    lines.pop()
    try:
        first = orjson.loads(lines[0]) if lines else None
    except orjson.JSONDecodeError:
        first = None
    if token is None or not isinstance(first, dict) or first.get("base") != token:
        return b""
    offset = len(lines[0]) + 1
    for text in lines[1:]:
        try:
            _changes(orjson.loads(text), tables)
        except (orjson.JSONDecodeError, ValueError):
            break
        offset += len(text) + 1
    return raw[:offset]


def _changes(entry: Any, tables: tuple[str, ...]) -> list[Change]:
    changes = entry.get("c") if isinstance(entry, dict) else None
    if not isinstance(changes, list):
        raise ValueError("not a journal entry")
    for change in changes:
        if not (
            isinstance(change, list)
            and len(change) == 3
            and change[0] in tables
            and isinstance(change[1], str)
            and (change[2] is None or isinstance(change[2], dict))
        ):
            raise ValueError("not a change of a document")
    return changes


def apply(data: dict[str, dict[str, Any]], writes: list[list[Change]]) -> None:
    for changes in writes:
        for table, key, doc in changes:
            if doc is None:
                data[table].pop(key, None)
            else:
                data[table][key] = doc


def append(path: Path, token: str, payload: bytes, end: int) -> int:
    """Append one write (durable when this returns); returns the journal's new end. ``end`` is
    where the last whole line ends as the writer read it: anything after it is a write cut short,
    cut off first. A journal that is missing, or follows another ``queue.json``, is started anew
    (its first line, then this write, in one atomic write)."""
    if end == 0:
        try:
            atomic_write(path, header(token) + payload)
        except OSError as exc:  # name the file: a failed os.write carries no file name
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        return len(header(token)) + len(payload)
    fd = os.open(path, os.O_WRONLY)
    try:
        if os.fstat(fd).st_size != end:
            os.ftruncate(fd, end)
        os.lseek(fd, end, os.SEEK_SET)
        view = memoryview(payload)
        try:
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except OSError as exc:
            # A full disk: leave no part of the write for a reader to wonder about (if even that
            # fails, a partial last line is ignored by readers and cut off by the next writer).
            with contextlib.suppress(OSError):
                os.ftruncate(fd, end)
            raise OSError(exc.errno, exc.strerror, str(path)) from None
    finally:
        os.close(fd)
    return end + len(payload)

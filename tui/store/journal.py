"""The journal of a data file (:data:`FILES`: ``queue.json`` and ``contacts.json``): each write
appended to ``queue.jnl`` (``contacts.jnl``) as one line, instead of the whole file rewritten.

A decision changes two documents, yet rewriting ``queue.json`` costs what the whole queue costs
(tens of milliseconds at 20k requests; an added contact, 100 ms at 100k contacts). So a write that
touches one journaled file alone appends one line holding the documents it changed, whole
(``null`` for one removed), and fsyncs it (the examples below name the queue's)::

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
damage, and the file is corrupt. When the journal outgrows a quarter of ``queue.json`` (or :data:`MAX_JOURNAL`) the
next write rewrites ``queue.json`` whole (a compaction) and removes the journal.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from tui.fileio import atomic_write
from tui.models import ascii_int

SUFFIX = ".jnl"
TOKEN = "_journal"
"""The key under which ``queue.json`` names the journal that may follow it."""

FILES: dict[str, tuple[str, ...]] = {"contacts.json": ("contacts",), "queue.json": ("requests", "decisions")}
"""The journaled data files, each with its tables: the one table every part of the store that
handles journals (the store's files, backups, repairs, `tui doctor`) goes by."""

#: A journal shorter than this never triggers a compaction.
MIN_COMPACT = 256 * 1024
#: Nor does one under a quarter of its file; but one longer than this always does (every command
#: reads the whole journal: at 100k requests a quarter of queue.json is 5 MB of lines to parse).
MAX_JOURNAL = 2 * 1024 * 1024

Change = tuple[str, str, dict[str, Any] | None]
"""(table, document id, the document as it now is, or None when removed)."""


def path_of(base: Path) -> Path:
    return base.with_suffix(SUFFIX)


def name_of(base: str) -> str:
    """The journal's file name for a data file's: ``queue.jnl`` for ``queue.json``."""
    return path_of(Path(base)).name


def new_token() -> str:
    return os.urandom(8).hex()  # not `secrets`: its import (hmac, hashlib, random) costs every command 8 ms


def header(token: str) -> bytes:
    return orjson.dumps({"base": token}) + b"\n"


def line(changes: list[Change]) -> bytes:
    return orjson.dumps({"c": changes}) + b"\n"


class Read(NamedTuple):
    """What a journal holds, read without judging it (:func:`read`)."""

    follows: str | None
    """The token of the queue.json its first line names (None: no first line, or a damaged one)."""
    writes: list[list[Change]]
    end: int
    """The offset just past the last whole line, or past a last write that lost only its newline
    (any other last piece without its newline is a write cut short, never acknowledged)."""
    damaged: list[int]
    """The numbers of whole lines that are not writes (damage: each was fsynced whole)."""
    unterminated: bool = False
    """The last write lost its newline (it is whole: applied; the next writer ends the line)."""


def read(raw: bytes, tables: tuple[str, ...], first_line: int = 1) -> Read:
    """Every whole line of a journal (or of its part after a first line already read, numbered
    from ``first_line``)."""
    lines = raw.split(b"\n")
    lines.pop()  # after the last newline: empty, or a write cut short
    follows: str | None = None
    if first_line == 1 and lines:
        try:
            first = orjson.loads(lines[0])
        except orjson.JSONDecodeError:
            first = None
        follows = first.get("base") if isinstance(first, dict) and isinstance(first.get("base"), str) else None
    body = lines[1:] if first_line == 1 else lines
    writes: list[list[Change]] = []
    damaged: list[int] = []
    for number, text in enumerate(body, start=first_line + 1 if first_line == 1 else first_line):
        if not text and first_line > 1 and number == first_line:
            continue  # the newline that ended a line read before without one
        write = _write_of(text, tables)
        if write is None:
            damaged.append(number)
        else:
            writes.append(write)
    end = len(raw) - len(raw.rpartition(b"\n")[2]) if lines else 0
    last = raw[end:]
    if last and (lines or first_line > 1) and not last.strip(b"\0"):
        return Read(follows, writes, end, damaged)  # zeros: a write cut short by a power cut
    write = _write_of(last, tables) if last and (lines or first_line > 1) else None
    if write is not None:  # a write whole but for its newline: it was written, so it counts
        return Read(follows, [*writes, write], len(raw), damaged, unterminated=True)
    return Read(follows, writes, end, damaged)  # else a write cut short: never acknowledged


def fingerprint(raw: bytes, token: str | None, end: int) -> list[Any] | None:
    """What a queue.json written whole records of the journal it took in: its token, how much of
    it, and a checksum of that much, so that a leftover of exactly that journal is known."""
    return [token, end, zlib.crc32(raw[:end])] if token is not None and end else None


def is_folded(data: dict[str, dict[str, Any]], writes: list[list[Change]]) -> bool:
    """Every document these writes set is already so in ``data``: a journal a compaction wrote
    into queue.json and was killed before it removed it."""
    final: dict[tuple[str, str], dict[str, Any] | None] = {}
    for changes in writes:
        for table, key, doc in changes:
            final[(table, key)] = doc
    return all(data.get(table, {}).get(key) == doc for (table, key), doc in final.items())


def check(
    found: Read, base: str, token: str | None, data: dict[str, dict[str, Any]], folded: Any = None, raw: bytes = b""
) -> list[list[Change]]:
    """The writes of a journal (``raw``) to apply to the data file named ``base`` (queue.json)
    whose token is ``token`` and whose tables are ``data`` (``folded``: the :func:`fingerprint` of
    the journal that file took in when it was written). ValueError("line N: …") when a line is
    damaged, or when the journal follows another such file and holds writes this one does not have."""
    if found.damaged:
        raise ValueError(
            f"line {found.damaged[0]}: damaged (not a write; {len(found.damaged)} such line(s)); `tui doctor --repair` keeps every other line"
        )
    if found.follows is None and found.end:
        raise ValueError("line 1: not the first line of a journal")
    if found.follows != token:
        leftover = isinstance(folded, list) and len(folded) == 3 and found.follows == folded[0] and found.end == folded[1]
        if leftover and zlib.crc32(raw[: found.end]) == folded[2]:
            return []  # exactly the journal this queue.json took in (a compaction killed before it removed it)
        if found.writes and not is_folded(data, found.writes):
            raise ValueError(
                f"line 1: follows another {base} than the one here, and holds {len(found.writes)} write(s) that are not in it;"
                f" `tui doctor --repair` puts back the {base} it follows from backups/"
            )
        return []
    return found.writes


def without_damage(raw: bytes, tables: tuple[str, ...]) -> bytes:
    """The journal's first line and every whole line that is a write: what a repair keeps. Each
    line holds whole documents, so the writes after a damaged line stand on their own."""
    lines = raw.split(b"\n")[:-1]
    kept = lines[:1] + [text for text in lines[1:] if _write_of(text, tables) is not None]
    return b"".join(text + b"\n" for text in kept)


def holds_writes(path: Path, tables: tuple[str, ...]) -> bool:
    """A journal is there, with at least one write in it."""
    try:
        return bool(read(path.read_bytes(), tables).writes)
    except FileNotFoundError:
        return False


def _write_of(text: bytes, tables: tuple[str, ...]) -> list[Change] | None:
    """The write one line holds, or None when it holds none (damage, or a write cut short)."""
    try:
        return _changes(orjson.loads(text), tables)
    except (orjson.JSONDecodeError, ValueError):
        return None


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


def ids_of(mark: Any) -> dict[str, int]:
    """The highest id each table has ever given, as a file's mark records it (see :func:`highest`)."""
    found = mark.get("ids") if isinstance(mark, dict) else None
    return {t: n for t, n in found.items() if type(n) is int} if isinstance(found, dict) else {}


def note_ids(high: dict[str, int], writes: list[list[Change]]) -> None:
    """Raise ``high`` to every id these writes set or removed."""
    for changes in writes:
        for table, key, _ in changes:
            high[table] = max(high.get(table, 0), ascii_int(key) or 0)


def highest(high: dict[str, int], data: dict[str, dict[str, Any]], touched: Iterable[tuple[str, str]]) -> dict[str, int]:
    """What a whole write's mark records of the ids given: for each table, the highest of those it
    holds, of those this write removed (``touched``) and of those given before (``high``). A
    document removed (contacts merged) thus never hands its id to the next one: the merge's undo,
    putting it back, would write over that one."""
    found = {table: max([high.get(table, 0), *(ascii_int(key) or 0 for key in rows)]) for table, rows in data.items()}
    for table, key in touched:
        found[table] = max(found.get(table, 0), ascii_int(key) or 0)
    return found


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
    fd = os.open(path, os.O_RDWR)
    try:
        if os.fstat(fd).st_size != end:
            os.ftruncate(fd, end)
        if os.pread(fd, 1, end - 1) != b"\n":  # the last write lost its newline: end it first
            payload = b"\n" + payload
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

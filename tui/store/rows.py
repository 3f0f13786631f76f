"""``requests.rows``: each request's line as a listing prints it, kept beside ``queue.json``, so
that ``tui list`` at 20k requests parses none of them (parsing, building the records and
cleaning their fields cost 300 ms there; reading these rows, a few).

The rows are made by whoever lists every request through the table (from the records, with the
caller's function, whose version they carry), for one ``queue.json`` and a point in its journal.
A listing then takes them, and lays over them every request the journal changed as read (each
made again from the document as it now is; the ones removed, dropped; the new ones, added at the
end, as the table adds them). They are used only for the very file they were made for (inode,
size, mtime, token and CRC, which the store checks against the bytes before any read), beside
the same journal read at least as far; and only when none of their text would put a control or
an invisible character on a terminal. Anything else is ignored, and made again by the next
listing. A cache: written without fsync, only while the lock is free.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import orjson

from tui.fileio import atomic_write, read_cache
from tui.gcpause import paused_gc
from tui.text import is_safe

ROWS_FILE = "requests.rows"

Row = list[str]
"""A request's fields as a listing uses them (strings), the line it prints among them."""


#: Requests changed since the rows were made from which a listing keeps the rows it laid over
#: them, so that the next one lays over only what changed after it.
REFRESH = 200


def load(root: Path, point: list[Any], version: str) -> tuple[dict[str, Row], int] | None:
    """The rows made at ``point`` (see :func:`point_fits`) by a row function of ``version``, by
    request id, and how far the journal had been read when they were made (0: none); None when
    there are none such, or they do not hold what this module writes."""
    raw = read_cache(root / ROWS_FILE)  # (a FIFO, a link to /dev/zero: never read)
    if raw is None:
        return None
    try:
        with paused_gc():
            found = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(found, dict) or found.get("version") != version or not point_fits(found.get("point"), point):
        return None
    ids, columns = found.get("ids"), found.get("columns")
    if not (type(ids) is list and type(columns) is list and columns and all(type(c) is list and len(c) == len(ids) for c in columns)):
        return None
    try:
        text = "".join(["".join(ids), *("".join(column) for column in columns)])  # TypeError: not all text
    except TypeError:
        return None
    if not is_safe(text.replace("—", "").replace("…", "")):  # (two safe characters every line may hold: is_safe's fast path)
        return None  # never made by this module: every line it keeps was cleaned
    with paused_gc():
        end = found["point"][6]
        return dict(zip(ids, map(list, zip(*columns, strict=True)), strict=True)), end if type(end) is int else 0


def changed_since(journal: Path | None, point: list[Any], start: int, table: str) -> set[str] | None:
    """The ids of ``table``'s documents that the journal's lines from byte ``start`` to where
    ``point`` read it changed: the lines written since rows made at ``start`` (:func:`point_fits`
    has checked that it is the same journal, read as far at least; its inode is checked again here,
    as a compaction may have replaced it since). None when they cannot be read as such (then every
    document the journal changed is laid over, as for rows made before any journal)."""
    inode, end = point[5], point[6]
    if journal is None or not 0 < start <= end:
        return None
    try:
        with open(journal, "rb") as f:
            if os.fstat(f.fileno()).st_ino != inode:
                return None
            f.seek(start)
            raw = f.read(end - start)
        if not raw.endswith(b"\n"):  # (whole lines only, as read)
            return None
        found: set[str] = set()
        for line in raw.split(b"\n")[:-1]:
            for change in orjson.loads(line)["c"]:
                if change[0] == table:
                    found.add(change[1])
    except (OSError, orjson.JSONDecodeError, TypeError, KeyError, IndexError):
        return None
    return found if all(type(key) is str for key in found) else None


def point_fits(made: Any, now: list[Any]) -> bool:
    """Rows made at ``made`` hold for a read at ``now``: the same file, and the journal then is
    the journal now, read as far at least (each a list: the file's inode, size, mtime, token and
    CRC, then the journal's inode and how far it was read, or 0 and 0 when there was none)."""
    if not (isinstance(made, list) and len(made) == 7 and len(now) == 7 and made[:5] == now[:5]):
        return False
    journal_then, end_then = made[5:]
    return end_then == 0 or (journal_then == now[5] and isinstance(end_then, int) and end_then <= now[6])


def laid_over(
    rows: dict[str, Row], changed: Mapping[str, dict[str, Any] | None], row_of: Callable[[str, dict[str, Any]], Row]
) -> dict[str, Row]:
    """``rows`` with the row of each request ``changed`` (by document id) made again from it (None:
    removed); a new one comes last, as in the table."""
    for key, doc in changed.items():
        if doc is None:
            rows.pop(f"r{key}", None)
        else:
            rows[f"r{key}"] = row_of(key, doc)
    return rows


def save(root: Path, point: list[Any], version: str, rows: Mapping[str, Row]) -> None:
    """Keep ``rows`` (by request id) as made at ``point`` (best effort: a cache). Column by column:
    each is checked to be all text by one join, not a check a value."""
    columns = [list(column) for column in zip(*rows.values(), strict=True)] if rows else [[]]
    payload = orjson.dumps({"version": version, "point": point, "ids": list(rows), "columns": columns})
    with contextlib.suppress(OSError):
        atomic_write(root / ROWS_FILE, payload, durable=False)

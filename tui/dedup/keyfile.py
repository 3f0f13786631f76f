"""The blocking sections of a persisted :class:`~tui.dedup.keys.KeyIndex` (keys.idx): the surnames
with the rows under each first name, and the sorted blocking keys, one ``key<TAB>rows`` line each.
Written from :class:`~tui.dedup.blocking.Blocks`, and read back into them (cheaper than deriving)."""

from __future__ import annotations

import mmap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.dedup.blocking import Blocks, Rows


def write_sections(blocks: Blocks) -> tuple[bytes, bytes]:
    """The surnames and keys sections of the persisted form (:meth:`KeyIndex.group` and
    :meth:`KeyIndex._find` read them)."""
    surnames = "".join(
        f"{last}\t{';'.join(f'{first}:{join_rows(rows)}' for first, rows in group.items())}\n"
        for last, group in sorted(blocks.groups.items())
    )
    keys = sorted(
        [f"f:{k}\t{join_rows(v)}" for k, v in blocks.named.items()]
        + [f"{k}\t{join_rows(v)}" for k, v in blocks.pairs.items()]
        + [f"o:{k}\t{v}" for k, v in blocks.companies.items()]
        + [f"{k}\t{','.join(v)}" for k, v in blocks.sounding.items()]
    )
    return surnames.encode("utf-8", "replace"), "".join(f"{line}\n" for line in keys).encode("utf-8", "replace")


def read_sections(surnames: str, keys: str) -> Blocks:
    """The :class:`Blocks` that :func:`write_sections` wrote (reading them is cheaper than deriving).
    The rows of a first name or a pair key stay as written (``3,17,40``) until one is looked up:
    most never are. The keys are sorted, so each kind is one run of lines, read into a dict at once."""
    from tui.dedup.blocking import Blocks

    blocks = Blocks.__new__(Blocks)
    blocks.groups = {
        last: group_rows(value)
        for piece in _pieces(surnames)
        for last, _, value in (line.partition("\t") for line in piece.split("\n")[:-1])
    }
    blocks.named, blocks.pairs, blocks.companies, blocks.sounding = {}, {}, {}, {}
    for kind, run in _runs(keys):
        if kind == "f":
            blocks.named.update(_table(run.replace("\nf:", "\n")[2:]))
        elif kind == "o":
            blocks.companies.update((key, int(value)) for key, value in _table(run.replace("\no:", "\n")[2:]).items())
        elif kind in ("m", "s", "k"):
            blocks.sounding.update((key, value.split(",")) for key, value in _table(run).items())
        else:
            blocks.pairs.update(_table(run))
    return blocks


def _runs(keys: str) -> Iterable[tuple[str, str]]:
    """(kind, its lines) for each kind of key in the sorted keys section (``kind:key<TAB>value``)."""
    at = 0
    while at < len(keys):
        kind = keys[at : keys.index(":", at)]
        last = keys.rfind(f"\n{kind}:", max(at - 1, 0))  # the kind's last line (its lines are together: sorted)
        stop = keys.index("\n", max(last + 1, at)) + 1
        yield kind, keys[at:stop]
        at = stop


#: The text split in one C call at most: a call holds the GIL throughout, and the app's keys wait
#: behind it while its worker reads a key file (a whole section of 100k contacts: 80-140 ms).
PIECE = 1 << 18


def _pieces(text: str) -> Iterable[str]:
    """``text`` (whole lines) in pieces of whole lines of about :data:`PIECE` characters."""
    at = 0
    while at < len(text):
        stop = text.find("\n", at + PIECE)
        stop = len(text) if stop < 0 else stop + 1
        yield text[at:stop]
        at = stop


def text_of(blob: bytes | mmap.mmap, start: int, stop: int) -> str:
    """The lines of ``blob[start:stop]`` as text, decoded a piece at a time (see :data:`PIECE`; a
    newline never falls inside a UTF-8 sequence)."""
    pieces, at = [], start
    while at < stop:
        end = blob.find(b"\n", min(at + 4 * PIECE, stop), stop)
        end = stop if end < 0 else end + 1
        pieces.append(blob[at:end].decode("utf-8"))
        at = end
    return "".join(pieces)


def _table(lines: str, table: dict[str, Any] | None = None) -> dict[str, Any]:
    """``key<TAB>value`` lines as a dict (into ``table``), split in C, a piece at a time."""
    table = {} if table is None else table
    for piece in _pieces(lines):
        fields = iter(piece.replace("\t", "\n").split("\n"))
        table.update(zip(fields, fields, strict=False))  # (the empty field after the last line has no pair)
    return table


def identity_table(lines: str) -> dict[str, Rows]:
    """The identity section (``key<TAB>row`` lines, sorted) as key -> rows, split in C, each row
    kept as its text until looked up (:func:`rows_of`); line by line only where a key has more
    than one row (people who share an address)."""
    table: dict[str, Rows] = _table(lines, {})
    if len(table) == lines.count("\n"):
        return table
    found: dict[str, Rows] = {}
    for line in lines.splitlines():
        key, _, row = line.rpartition("\t")
        found[key] = f"{found[key]},{row}" if key in found else row
    return found


def split_rows(text: str, width: int, count: int) -> list[list[str]] | None:
    """The rows section (``count`` lines of ``width`` tab-separated fields) as its columns, split
    in C; None when a line has another number of fields (then split it line by line)."""
    columns: list[list[str]] = [[] for _ in range(width)]
    for piece in _pieces(text):  # a piece at a time (see PIECE)
        fields = piece.replace("\n", "\t").split("\t")
        lines = (len(fields) - 1) // width
        if len(fields) != width * lines + 1 or piece.count("\n") != lines:
            return None
        for column in range(width):
            columns[column] += fields[column : width * lines : width]
    return columns if len(columns[0]) == count else None


def join_rows(rows: list[int] | str) -> str:
    """Row numbers as one field: ``3,17,40`` (as they are, if read so and never looked up)."""
    return rows if isinstance(rows, str) else ",".join(map(str, rows))


def group_rows(value: str) -> dict[str, list[int]]:
    """A surname line's value, ``first:rows;first:rows``, as first name -> rows."""
    return {first: list(map(int, rows.split(","))) for first, _, rows in (part.partition(":") for part in value.split(";"))}


def rows_of(table: dict[str, Rows], key: str) -> list[int]:
    """The rows under ``key``, parsed the first time they are looked up (see read_sections)."""
    found = table.get(key)
    if found is None:
        return []
    if isinstance(found, str):
        found = table[key] = list(map(int, found.split(",")))
    return found

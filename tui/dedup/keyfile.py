"""The blocking sections of a persisted :class:`~tui.dedup.keys.KeyIndex` (keys.idx): the surnames
with the rows under each first name, and the sorted blocking keys, one ``key<TAB>rows`` line each.
Written from :class:`~tui.dedup.blocking.Blocks`, and read back into them (cheaper than deriving)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

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
    blocks.groups = {last: group_rows(value) for last, _, value in (line.partition("\t") for line in surnames.split("\n")[:-1])}
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


def _table(lines: str) -> dict[str, str]:
    """``key<TAB>value`` lines as a dict, split in C."""
    fields = iter(lines.replace("\t", "\n").split("\n"))
    return dict(zip(fields, fields, strict=False))  # (the empty field after the last line has no pair)


def identity_table(lines: str) -> dict[str, Rows]:
    """The identity section (``key<TAB>row`` lines, sorted) as key -> rows, split in C, each row
    kept as its text until looked up (:func:`rows_of`); line by line only where a key has more
    than one row (people who share an address)."""
    fields = iter(lines.replace("\t", "\n").split("\n"))
    table: dict[str, Rows] = dict(zip(fields, fields, strict=False))
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
    fields = text.replace("\n", "\t").split("\t")
    if len(fields) != width * count + 1:  # (the empty field after the last line)
        return None
    return [fields[column : width * count : width] for column in range(width)]


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

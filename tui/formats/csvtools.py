"""CSV helpers shared by the importers: finding the header row, reading rows with line numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

from tui.formats import MAX_FIELD, FormatError, check_count

MAX_PREAMBLE = 30
# A cell may be as long as MAX_FIELD (the csv module's own default is 131,072 characters); a longer
# one is "bad CSV: field larger than field limit" with its line.
csv.field_size_limit(MAX_FIELD)


def find_header(text: str, path: str, required: set[str]) -> tuple[int, list[str]] | None:
    """The first row (within the first lines) whose cells include every name in ``required``.

    Returns (0-based physical line index where the header starts, header cells), or None.
    LinkedIn puts a "Notes:" preamble of a few lines (one long and quoted) before the header, so the
    header is searched for, never assumed at a fixed line.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 0
    try:
        for _ in range(MAX_PREAMBLE):
            row = next(reader)
            cells = [c.strip() for c in row]
            if required <= set(cells):
                return start, cells
            start = reader.line_num
    except StopIteration:
        return None
    except csv.Error as exc:
        raise FormatError(path, reader.line_num, f"bad CSV: {exc}") from None
    return None


def rows_after(text: str, path: str, header_line: int, width: int) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each non-blank row after the header at ``header_line``."""
    body = "\n".join(text.split("\n")[header_line:])  # only "\n" ends a line for the csv module
    reader = csv.reader(io.StringIO(body, newline=""), strict=True)
    try:
        next(reader)  # the header itself
        line, count = reader.line_num, 0
        for cells in reader:
            start, line = header_line + line + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != width:
                raise FormatError(path, start, f"{len(cells)} cells where the header has {width}")
            count += 1
            check_count(count, path, start)
            yield start, cells
    except csv.Error as exc:
        raise FormatError(path, header_line + reader.line_num, f"bad CSV: {exc}") from None


# A cell that starts like a formula runs when the CSV is opened in a spreadsheet
# (=HYPERLINK(...), +cmd|...; OWASP's "CSV injection"). Such a cell, and one that already starts
# with a quote, gets a leading quote; the generic CSV importer (csv_unquote) takes it off again,
# so importing an export still gives back the exact text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def getter(cells: list[str], col: dict[str, int]) -> Callable[[str], str]:
    """``get(name)``: this row's cell in the column called ``name``, stripped ("" where the file has no
    such column). ``col`` maps the header's names to their positions."""
    return lambda name: cells[col[name]].strip() if name in col else ""


def csv_quote(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_unquote(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value

"""Turning files into records and records into files. Pure: bytes in, records out."""

from __future__ import annotations

import sys
from typing import Any

from tui.errors import BadInput

MiB = 2**20
#: The largest file of each kind that is read at all, with the records it may hold: together they
#: bound the memory an import takes (measured by bench/import_memory.py). A LinkedIn export holds
#: at most 30,000 connections, Google at most 25,000 contacts; a vCard may carry photos, which are
#: set aside card by card.
#: An mbox is read one message at a time (memory follows the largest message), so its limit is
#: one of time: a whole mailbox export of several years.
MAX_BYTES = {"csv": 64 * MiB, "json": 64 * MiB, "facebook": 16 * MiB, "vcard": 256 * MiB, "mbox": 16 * 1024 * MiB}
MAX_RECORDS = 100_000
#: The longest text one field (or one list field, all its items together) may hold, in characters.
MAX_FIELD = 1_000_000


class FormatError(BadInput):
    """A file that cannot be imported. The message names the file and the line."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


def check_count(count: int, path: str, line: int | None) -> None:
    """Refuse the record that goes past :data:`MAX_RECORDS`, before it is built."""
    if count > MAX_RECORDS:
        raise FormatError(path, line, f"more than {MAX_RECORDS:,} records; split the file")


def check_field(value: str, what: str, path: str, line: int | None) -> str:
    if len(value) > MAX_FIELD:
        raise FormatError(path, line, f"{what} is {len(value):,} characters long; the limit is {MAX_FIELD:,}")
    return value


def json_int(digits: str) -> int | str:
    """An integer in a JSON file (``json.loads(..., parse_int=json_int)``): a longer one than
    ``int()`` takes on every Python (640 digits; from 4300 it raises) stays the text it was, and
    is refused or kept as such wherever a number is wanted."""
    return int(digits) if len(digits) <= sys.int_info.str_digits_check_threshold else digits


def load_json(text: str, path: str) -> Any:
    """A whole JSON document (integers as :func:`json_int` reads them), or a FormatError naming
    the file and the line of the fault."""
    import json

    try:
        return json.loads(text, parse_int=json_int)
    except json.JSONDecodeError as exc:
        raise FormatError(path, exc.lineno, f"bad JSON: {exc.msg}") from None
    except RecursionError:
        raise FormatError(path, 1, "bad JSON: nested too deeply") from None

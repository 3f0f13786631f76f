"""Read an import file: detect its format from the content, parse it, return records.

Nothing here touches the store. Every failure is a :class:`FormatError` naming file and line.
"""

from __future__ import annotations

from pathlib import Path

from tui.formats import FormatError
from tui.formats import generic
from tui.models import Contact, Request


def read_file(path: Path, as_: str | None) -> tuple[list[Contact], list[Request]]:
    name = str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise FormatError(name, None, "is a directory, not a file") from None
    except OSError as exc:
        raise FormatError(name, None, f"cannot be read ({exc.strerror})") from None
    text = generic.decode(data, name)
    stripped = text.lstrip()
    if not stripped:
        raise FormatError(name, 1, "empty file")
    rows = generic.parse_json(text, name) if stripped[0] in "[{" else generic.parse_csv(text, name)
    kind = as_ or generic.implied_kind(rows)
    if kind is None:
        raise FormatError(name, None, "cannot tell whether these are contacts or requests: add --as contacts or --as requests")
    return generic.to_records(rows, kind)

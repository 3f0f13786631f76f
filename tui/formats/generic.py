"""The generic formats: a CSV with a header row, or a JSON list of objects.

Columns (any subset, in any order): ``id, name, first_name, last_name, company, title, email, url,
source, message, sent_at, tags, notes, location``. ``id`` becomes ``source_id``. Several e-mails,
URLs or tags in one cell are separated by ``;``. An unknown column is an error, so that a typo never
silently drops data.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from tui.formats import FormatError
from tui.formats.csvtools import csv_unquote
from tui.models import Contact, Request

COLUMNS = ("id", "name", "first_name", "last_name", "company", "title", "email", "url", "source", "message", "sent_at", "tags", "notes", "location", "connections", "mutual")
ALIASES = {"emails": "email", "urls": "url", "headline": "title", "source_id": "id"}
MAX_BYTES = 256 * 1024 * 1024
MAX_FIELD = 1_000_000


def decode(data: bytes, path: str) -> str:
    """UTF-8 text (a BOM is allowed), or a FormatError naming the line of the first bad byte."""
    if len(data) > MAX_BYTES:
        raise FormatError(path, None, f"file is {len(data) // 2**20} MiB; the limit is {MAX_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(path, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); re-save the file as UTF-8") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FormatError(path, line, "binary data (NUL byte) in a text file")
    return text


def parse_date(value: str, path: str, line: int) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise FormatError(path, line, f"sent_at {value[:40]!r} is not an ISO date such as 2026-03-01 or 2026-03-01T09:30") from None
    return parsed.date().isoformat() if len(value) <= 10 else parsed.strftime("%Y-%m-%dT%H:%M:%S")


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


def _row_to_fields(row: dict[str, Any], path: str, line: int) -> dict[str, Any]:
    get = lambda key: str(row.get(key) or "").strip()  # noqa: E731
    name = get("name") or " ".join(filter(None, (get("first_name"), get("last_name"))))
    if not name:
        raise FormatError(path, line, "a record needs a name (or first_name and last_name)")
    for key, value in row.items():
        if isinstance(value, str) and len(value) > MAX_FIELD:
            raise FormatError(path, line, f"{key} is {len(value)} characters long; the limit is {MAX_FIELD}")
    return {
        "name": name,
        "first_name": get("first_name"),
        "last_name": get("last_name"),
        "company": get("company"),
        "title": get("title"),
        "location": get("location"),
        "emails": _split(row.get("email")),
        "urls": _split(row.get("url")),
        "source": get("source") or "import",
        "source_id": get("id"),
        "tags": _split(row.get("tags")),
        "notes": str(row.get("notes") or ""),
        "message": str(row.get("message") or ""),
        "sent_at": parse_date(get("sent_at"), path, line),
        "connections": _count(get("connections"), "connections", path, line),
        "mutual": _count(get("mutual"), "mutual", path, line),
    }


def _count(value: str, column: str, path: str, line: int) -> str:
    """A count like ``500+`` or ``12`` (kept as written), or empty."""
    value = value.strip().replace(",", "")
    if value and not value.rstrip("+").isdigit():
        raise FormatError(path, line, f"{column} {value[:20]!r} is not a number")
    return value


def _check_columns(columns: list[str], path: str, line: int) -> list[str]:
    normal = [ALIASES.get(c.strip().lower(), c.strip().lower()) for c in columns]
    unknown = [c for c, n in zip(columns, normal) if n not in COLUMNS]
    if unknown:
        raise FormatError(path, line, f"unknown column(s) {', '.join(map(repr, unknown))}; known: {', '.join(COLUMNS)}")
    if not {"name", "first_name", "last_name"} & set(normal):
        raise FormatError(path, line, "no name column: need name, or first_name and last_name")
    return normal


def parse_csv(text: str, path: str) -> list[tuple[int, dict[str, Any]]]:
    """Rows as ``(line, fields)``. Raises FormatError on the first bad row."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError(path, 1, "empty file: expected a header row") from None
    except csv.Error as exc:
        raise FormatError(path, 1, f"bad CSV: {exc}") from None
    columns = _check_columns(header, path, 1)
    rows = []
    line = reader.line_num
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(columns):
                raise FormatError(path, start, f"{len(cells)} cells where the header has {len(columns)}")
            rows.append((start, _row_to_fields(dict(zip(columns, map(csv_unquote, cells))), path, start)))
    except csv.Error as exc:
        raise FormatError(path, reader.line_num, f"bad CSV: {exc}") from None
    return rows


def parse_json(text: str, path: str) -> list[tuple[int, dict[str, Any]]]:
    """A JSON list of objects with the CSV's column names as keys."""
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, 0)
    if not text.startswith("[", pos):
        raise FormatError(path, text[:pos].count("\n") + 1, "expected a JSON list of objects")
    pos = _skip_ws(text, pos + 1)
    rows: list[tuple[int, dict[str, Any]]] = []
    while not text.startswith("]", pos):
        line = text[:pos].count("\n") + 1 if not rows else rows[-1][0] + text[last_end:pos].count("\n")
        try:
            item, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise FormatError(path, exc.lineno, f"bad JSON: {exc.msg}") from None
        if not isinstance(item, dict):
            raise FormatError(path, line, f"expected an object, got {type(item).__name__}")
        _check_columns(list(item), path, line)
        normal = {ALIASES.get(k.strip().lower(), k.strip().lower()): v for k, v in item.items()}
        rows.append((line, _row_to_fields(normal, path, line)))
        last_end = pos
        pos = _skip_ws(text, end)
        if text.startswith(",", pos):
            pos = _skip_ws(text, pos + 1)
        elif not text.startswith("]", pos):
            raise FormatError(path, text[:pos].count("\n") + 1, "expected ',' or ']' after an object")
    if text[_skip_ws(text, pos + 1) :]:
        raise FormatError(path, text[:pos].count("\n") + 1, "unexpected data after the list")
    return rows


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def to_records(rows: list[tuple[int, dict[str, Any]]], as_: str) -> tuple[list[Contact], list[Request]]:
    if as_ == "contacts":
        keep = {f for f in Contact.__dataclass_fields__}
        return [Contact(**{k: v for k, v in fields.items() if k in keep}) for _, fields in rows], []
    return [], [Request(**fields) for _, fields in rows]


def implied_kind(rows: list[tuple[int, dict[str, Any]]]) -> str | None:
    """Requests when the file carries messages or send dates; otherwise the caller must say."""
    if any(fields["message"] or fields["sent_at"] for _, fields in rows):
        return "requests"
    return None

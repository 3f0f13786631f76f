"""The generic formats: a CSV with a header row, or a JSON list of objects.

Columns (any subset, in any order): :data:`COLUMNS`. ``id`` becomes ``source_id``. Several e-mails,
URLs, phone numbers, nicknames or tags in one cell are separated by ``;`` (a JSON file may give a list). An unknown column
is an error, so that a typo never silently drops data. The exporter writes the same columns
(:data:`REQUEST_COLUMNS`, :data:`CONTACT_COLUMNS`), so an export imports back field for field.

A request's state comes back too: ``status`` (a sent invitation stays sent, a declined request
declined: neither is queued), ``until`` (a deferred one's day), ``verdict``, ``answers``
(``drink=yes;recommend=no`` in a cell, an object in JSON) and ``added_at``. An import only ever
sets them on a request it adds: one already stored keeps the state its decisions gave it.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from tui.formats import MAX_FIELD, FormatError, check_count, check_field, json_int
from tui.formats.csvtools import csv_unquote, rows_after
from tui.models import Contact, Request, Status, Verdict, count_value

_PERSON = (
    "id",
    "name",
    "first_name",
    "last_name",
    "company",
    "title",
    "location",
    "email",
    "url",
    "source",
    "phone",
    "nickname",
    "department",
)
#: A request's state: only ever set on a request an import adds.
STATE_COLUMNS = ("status", "until", "verdict", "answers", "added_at")
#: The columns of a request, in the order the exporter writes them.
REQUEST_COLUMNS = (*_PERSON, "message", "sent_at", "tags", "notes", "connections", "mutual", *STATE_COLUMNS)
#: The columns of a contact, in the order the exporter writes them.
CONTACT_COLUMNS = (*_PERSON, "tags", "notes", "connected_on", "also_on")
COLUMNS = tuple(dict.fromkeys(REQUEST_COLUMNS + CONTACT_COLUMNS))
#: The record field behind a column, where the names differ.
FIELDS = {"id": "source_id", "email": "emails", "url": "urls", "phone": "phones", "nickname": "nicknames"}
#: Columns that hold several values (``;`` between them in a CSV cell, a list in JSON).
LIST_COLUMNS = ("email", "url", "tags", "also_on", "phone", "nickname")
ALIASES = {"emails": "email", "urls": "url", "headline": "title", "source_id": "id", "phones": "phone", "nicknames": "nickname"}


def decode(data: bytes, path: str) -> str:
    """UTF-8 text (a BOM is allowed), or a FormatError naming the line of the first bad byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(path, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); re-save the file as UTF-8") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FormatError(path, line, "binary data (NUL byte) in a text file")
    return text


def parse_date(value: str, column: str, path: str, line: int) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(value) if value.isascii() else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise FormatError(path, line, f"{column} {value[:40]!r} is not an ISO date such as 2026-03-01 or 2026-03-01T09:30")
    return parsed.date().isoformat() if len(value) <= 10 else parsed.strftime("%Y-%m-%dT%H:%M:%S")


def _text(value: Any, column: str, path: str, line: int) -> str:
    """A cell as text: a JSON number is written out; anything else that is not text is an error."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise FormatError(path, line, f"{column}: expected text, not {_kind(value)}")
    return check_field(value, column, path, line)


def _kind(value: Any) -> str:
    return {bool: "true/false", list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def _split(value: Any, column: str, path: str, line: int) -> list[str]:
    """A list column: ``a;b`` in a cell, or a JSON list of texts. The items together obey the
    field limit, as one cell does."""
    if isinstance(value, list):
        items = [_text(v, f"{column} item", path, line) for v in value]
        if sum(map(len, items)) > MAX_FIELD:
            raise FormatError(path, line, f"{column} holds {sum(map(len, items)):,} characters; the limit is {MAX_FIELD:,}")
    else:
        items = _text(value, column, path, line).split(";")
    return [item.strip() for item in items if item.strip()]


def _row_to_fields(row: dict[str, Any], path: str, line: int) -> dict[str, Any]:
    """The record fields of one row (every column, whether the record is a contact or a request)."""
    cells = {
        column: _text(value, column, path, line) for column, value in row.items() if column not in LIST_COLUMNS and column != "answers"
    }

    def get(column: str) -> str:
        return cells.get(column, "").strip()

    name = get("name") or " ".join(filter(None, (get("first_name"), get("last_name"))))
    if not name:
        raise FormatError(path, line, "a record needs a name (or first_name and last_name)")
    fields: dict[str, Any] = {FIELDS.get(column, column): get(column) for column in COLUMNS if column not in LIST_COLUMNS}
    fields |= {FIELDS.get(column, column): _split(row.get(column), column, path, line) for column in LIST_COLUMNS}
    fields |= {
        "name": name,
        "source": get("source") or "import",
        "notes": cells.get("notes", ""),  # several lines, kept as written
        "message": cells.get("message", ""),
        "sent_at": parse_date(get("sent_at"), "sent_at", path, line),
        "connected_on": parse_date(get("connected_on"), "connected_on", path, line),
        "connections": _count(get("connections"), "connections", path, line),
        "mutual": _count(get("mutual"), "mutual", path, line),
    }
    return fields | _state(get, row.get("answers"), path, line)


_STATUSES = tuple(s.value for s in Status)
_VERDICTS = tuple(v.value for v in Verdict)


def _state(get: Any, answers: Any, path: str, line: int) -> dict[str, Any]:
    """A request's state columns (:data:`STATE_COLUMNS`), checked. An empty status is pending."""
    status, verdict = get("status").lower(), get("verdict").lower()
    if status and status not in _STATUSES:
        raise FormatError(path, line, f"status {status[:20]!r} is not one of {', '.join(_STATUSES)}")
    if verdict and verdict not in _VERDICTS:
        raise FormatError(path, line, f"verdict {verdict[:20]!r} is not one of {', '.join(_VERDICTS)}")
    until = parse_date(get("until"), "until", path, line)[:10]
    if status == Status.DEFERRED and not until:
        raise FormatError(path, line, "a deferred request needs until (the day it comes back, YYYY-MM-DD)")
    added_at = get("added_at")
    parse_date(added_at, "added_at", path, line)  # checked; kept as written (the store's own form)
    return {"status": status, "until": until, "verdict": verdict, "answers": parse_answers(answers, path, line), "added_at": added_at}


def answers_text(answers: dict[str, bool]) -> str:
    """Rule answers as a CSV cell: ``drink=yes;recommend=no``."""
    return ";".join(f"{rule}={'yes' if yes else 'no'}" for rule, yes in answers.items())


def parse_answers(value: Any, path: str, line: int) -> dict[str, bool]:
    """``drink=yes;recommend=no`` (a cell), or a JSON object of true/false, as rule answers."""
    if isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
    else:
        items = [item.partition("=")[::2] for item in _split(value, "answers", path, line)]
    answers: dict[str, bool] = {}
    for rule, said in items:
        rule = rule.strip()
        yes = said if isinstance(said, bool) else {"yes": True, "no": False}.get(str(said).strip().lower())
        if not rule or yes is None:
            raise FormatError(path, line, f"answers: {f'{rule}={said}'[:40]!r} is not rule=yes or rule=no")
        answers[rule] = yes
    return answers


def _count(value: str, column: str, path: str, line: int) -> str:
    """A count like ``500+``, ``1,200`` or ``12`` (kept as written, without commas), or empty."""
    value = value.replace(",", "")
    if value and count_value(value) is None:
        raise FormatError(
            path,
            line,
            f"{column} {value[:20]!r}{'…' if len(value) > 20 else ''} is not a number (up to 18 digits 0-9, and an optional + at the end)",
        )
    return value


def _check_columns(columns: list[str], path: str, line: int) -> list[str]:
    normal = [ALIASES.get(c.strip().lower(), c.strip().lower()) for c in columns]
    unknown = [c for c, n in zip(columns, normal, strict=True) if n not in COLUMNS]
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
    return [
        (start, _row_to_fields(dict(zip(columns, map(csv_unquote, cells), strict=True)), path, start))
        for start, cells in rows_after(text, path, 0, len(columns))
    ]


def parse_json(text: str, path: str) -> list[tuple[int, dict[str, Any]]]:
    """A JSON list of objects with the CSV's column names as keys."""
    decoder = json.JSONDecoder(parse_int=json_int)
    pos = _skip_ws(text, 0)
    if not text.startswith("[", pos):
        raise FormatError(path, text[:pos].count("\n") + 1, "expected a JSON list of objects")
    pos = _skip_ws(text, pos + 1)
    rows: list[tuple[int, dict[str, Any]]] = []
    last_end = pos  # where the previous object started: lines are counted on from there
    while not text.startswith("]", pos):
        line = text[:pos].count("\n") + 1 if not rows else rows[-1][0] + text[last_end:pos].count("\n")
        check_count(len(rows) + 1, path, line)
        try:
            item, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise FormatError(path, exc.lineno, f"bad JSON: {exc.msg}") from None
        except RecursionError:
            raise FormatError(path, line, "bad JSON: nested too deeply") from None
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
    """Contacts or requests; a column the kind has no field for (a contact's message) is dropped."""
    kind = Contact if as_ == "contacts" else Request
    keep = set(kind.__dataclass_fields__)
    records = [kind(**{k: v for k, v in fields.items() if k in keep and (k != "status" or v)}) for _, fields in rows]
    return (records, []) if as_ == "contacts" else ([], records)  # type: ignore[return-value]


def implied_kind(rows: list[tuple[int, dict[str, Any]]]) -> str | None:
    """Requests when the file carries messages, send dates or a request's status; otherwise the
    caller must say."""
    if any(fields["message"] or fields["sent_at"] or fields["status"] for _, fields in rows):
        return "requests"
    return None

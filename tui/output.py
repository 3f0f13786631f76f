"""Printing for the command line. Every field passes through :mod:`tui.text` on its way out."""

from __future__ import annotations

import sys
from typing import Any

import orjson

from tui.errors import BadInput
from tui.models import Contact, Decision, Request
from tui.text import clean, clean_multiline, json_safe


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def err(line: str) -> None:
    sys.stderr.write(clean(line, limit=2000) + "\n")


def dumps(obj: Any) -> str:
    """One line of JSON, with control and format characters escaped as ``\\uXXXX``."""
    try:
        raw = orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError as exc:
        if "surrogates" not in str(exc):
            raise
        # Only a path can get here (stored text is always valid): undecodable bytes in a file name.
        raise BadInput("a path to print holds bytes that are not UTF-8 text, which JSON cannot carry; run without --json") from None
    return json_safe(raw.decode("utf-8", "surrogatepass"))


def emit_json(obj: Any) -> None:
    out(dumps(obj))


def headline(person: Request | Contact) -> str:
    parts = [clean(person.title, 60), clean(person.company, 60)]
    return ", ".join(p for p in parts if p)


def summary_line(record: Request | Contact) -> str:
    status = record.status if isinstance(record, Request) else "contact"
    source = clean(record.source, 20) or "-"
    line = f"{record.id:<7} {status:<9} {source:<10} {clean(record.name, 60)}"
    if head := headline(record):
        line += f" — {head}"
    return line


def show_lines(record: Request | Contact | Decision) -> list[str]:
    lines = []
    for key, value in record.public().items():
        if key in ("message", "notes", "note") and isinstance(value, str):
            value = clean_multiline(value).replace("\n", "\n" + " " * 14)
        else:
            value = _shown(value)
        if value:
            lines.append(f"{key + ':':<13} {value}")
    return lines


def _shown(value: Any) -> str:
    """Any stored value on one line, cleaned at every depth: a decision's ``before`` holds the
    request's (and a merged contact's) fields, as strangers wrote them."""
    if isinstance(value, dict):
        return ", ".join(f"{clean(k, 40)}={_shown(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_shown(v) for v in value)
    return clean("" if value is None else value)

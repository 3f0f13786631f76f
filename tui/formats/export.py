"""Records to bytes: the generic CSV and JSON, and vCard 3.0 or 4.0. The original text is written, as
it arrived; importing an export into an empty store gives the same people back."""

from __future__ import annotations

import csv
import gc
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from typing import Any

from tui.dedup.normalise import web_host
from tui.formats.csvtools import csv_quote
from tui.formats.generic import CONTACT_COLUMNS, FIELDS, LIST_COLUMNS, REQUEST_COLUMNS, answers_text
from tui.models import Contact, Decision, Person, Request


def as_contact(request: Request, connected_on: str = "") -> Contact:
    """An accepted request as the contact it became (``connected_on``: the day it was accepted)."""
    person = {name: getattr(request, name) for name in Person.__dataclass_fields__}
    return Contact(**person | {"connected_on": connected_on[:10]})


def _columns(first: Contact | Request | None) -> tuple[str, ...]:
    """The generic importer's columns for records like ``first``: one list, so the round trip is exact."""
    return REQUEST_COLUMNS if isinstance(first, Request) else CONTACT_COLUMNS


def _peeked(records: Iterable[Any]) -> tuple[Any, Iterator[Any]]:
    """The first record (None: there is none), and every record, the first included."""
    it = iter(records)
    first = next(it, None)
    return first, it if first is None else chain((first,), it)


def _row(record: Contact | Request, columns: tuple[str, ...]) -> dict[str, Any]:
    """Column -> value; list columns as lists."""
    return {column: getattr(record, FIELDS.get(column, column)) for column in columns}


def to_csv(records: list[Any], names: Mapping[str, str] | None = None) -> bytes:
    """CSV of people, or of decisions: ``names`` (record id -> name) names the request of each
    decision and the other person of a merge or a "not the same"."""
    buffer = io.StringIO(newline="")
    if records and isinstance(records[0], Decision):
        name = (names or {}).get
        writer = csv.writer(buffer)
        writer.writerow(
            ["id", "request_id", "name", "at", "action", "verdict", "answers", "until", "note", "undoes", "other", "other_name", "group"]
        )
        for d in records:
            writer.writerow(
                [
                    d.id,
                    d.request_id,
                    csv_quote(name(d.request_id, "")),
                    d.at,
                    d.action,
                    d.verdict,
                    json.dumps(d.answers),
                    d.until,
                    csv_quote(d.note),
                    d.undoes,
                    d.other,
                    csv_quote(name(d.other, "") if d.other else ""),
                    d.group,
                ]
            )
        return buffer.getvalue().encode("utf-8")
    return b"".join(csv_chunks(records))


def csv_chunks(records: Iterable[Contact | Request]) -> Iterator[bytes]:
    """:func:`to_csv` of people, a record at a time: the header, then each row."""
    first, people = _peeked(records)
    columns = _columns(first)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for record in people:
        row = _row(record, columns)
        writer.writerow(
            [csv_quote(";".join(row[c]) if c in LIST_COLUMNS else answers_text(row[c]) if c == "answers" else row[c]) for c in columns]
        )
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode("utf-8")  # (the header alone, when there is no one)


def to_json(records: list[Any], indent: int | None = 1) -> bytes:
    if records and isinstance(records[0], Decision):
        return json.dumps([d.public() for d in records], ensure_ascii=False, indent=indent).encode("utf-8", "surrogatepass")
    return b"".join(json_chunks(records, indent))


def json_chunks(records: Iterable[Contact | Request], indent: int | None = 1) -> Iterator[bytes]:
    """:func:`to_json` of people, a record at a time: ``json.dumps`` of the list, byte for byte."""
    first, people = _peeked(records)
    columns = _columns(first)
    opening, between, closing = (b"[", b", ", b"]") if indent is None else (b"[\n", b",\n", b"\n]")
    n = 0
    for n, record in enumerate(people, 1):
        row = {k: v for k, v in _row(record, columns).items() if v not in ("", [], {})} | {"name": record.name}
        wrapped = json.dumps([row], ensure_ascii=False, indent=indent)  # the row as the list's item: "[" + item + "]"
        if indent is not None and n % 1000 == 0:  # json's indenting encoder leaves a cycle of closures a call,
            gc.collect(0)  # which a command run without the cyclic collector kept: 280 MB at 100k contacts
        item = wrapped[1:-1] if indent is None else wrapped[2:-2]
        yield (opening if n == 1 else between) + item.encode("utf-8", "surrogatepass")
    yield b"[]" if n == 0 else closing


def _escape(value: str) -> str:
    # vCard escapes only line breaks: a lone carriage return would end the line, so it goes out as
    # a line break too (the one change a vCard round trip makes).
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


VCARD_VERSIONS = ("3.0", "4.0")


def vcard(r: Contact | Request, uid: str | None = None, version: str = "3.0") -> str:
    """One card. ``uid`` is its UID (else the record's source id, if any). vCard 4.0 writes no
    ``TYPE=INTERNET`` and takes a UID as it is given (a ``urn:uuid:`` for the vdir export)."""
    uid = r.source_id if uid is None else uid
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    if uid:
        lines.append(f"UID:{_escape(uid)}")
    lines.append(f"FN:{_escape(r.name)}")
    lines.append(f"N:{_escape(r.last_name)};{_escape(r.first_name)};;;")
    if r.nicknames:
        lines.append("NICKNAME:" + ",".join(map(_escape, r.nicknames)))
    if r.company or r.department:
        lines.append(f"ORG:{_escape(r.company)}" + (f";{_escape(r.department)}" if r.department else ""))
    if r.title:
        lines.append(f"TITLE:{_escape(r.title)}")
    lines += [f"EMAIL{';TYPE=INTERNET' if version == '3.0' else ''}:{_escape(e)}" for e in r.emails]
    lines += [f"TEL:{_escape(number)}" for number in r.phones]
    for i, url in enumerate(r.urls, 1):
        lines.append(f"item{i}.URL:{_escape(url)}")
        if web_host(url) == "linkedin.com":  # not evil-linkedin.com
            lines.append(f"item{i}.X-ABLabel:LinkedIn")
    if r.notes:
        lines.append(f"NOTE:{_escape(r.notes)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def to_vcard(records: Iterable[Contact | Request], version: str = "3.0") -> bytes:
    return b"".join(vcard_chunks(records, version))


def vcard_chunks(records: Iterable[Contact | Request], version: str = "3.0") -> Iterator[bytes]:
    """:func:`to_vcard`, a card at a time."""
    for r in records:
        yield vcard(r, version=version).encode("utf-8", "surrogatepass")

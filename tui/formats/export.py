"""Records to bytes: the generic CSV and JSON, and vCard 3.0 or 4.0. The original text is written, as
it arrived; importing an export into an empty store gives the same people back."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

from tui.dedup.normalise import web_host
from tui.formats.csvtools import csv_quote
from tui.formats.generic import CONTACT_COLUMNS, FIELDS, LIST_COLUMNS, REQUEST_COLUMNS, answers_text
from tui.models import Contact, Decision, Person, Request


def as_contact(request: Request, connected_on: str = "") -> Contact:
    """An accepted request as the contact it became (``connected_on``: the day it was accepted)."""
    person = {name: getattr(request, name) for name in Person.__dataclass_fields__}
    return Contact(**person | {"connected_on": connected_on[:10]})


def _columns(records: list[Contact | Request]) -> tuple[str, ...]:
    """The generic importer's columns for these records: one list, so the round trip is exact."""
    return REQUEST_COLUMNS if records and isinstance(records[0], Request) else CONTACT_COLUMNS


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
    columns = _columns(records)
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for record in records:
        row = _row(record, columns)
        writer.writerow(
            [csv_quote(";".join(row[c]) if c in LIST_COLUMNS else answers_text(row[c]) if c == "answers" else row[c]) for c in columns]
        )
    return buffer.getvalue().encode("utf-8")


def to_json(records: list[Any], indent: int | None = 1) -> bytes:
    if records and isinstance(records[0], Decision):
        return json.dumps([d.public() for d in records], ensure_ascii=False, indent=indent).encode("utf-8", "surrogatepass")
    columns = _columns(records)
    rows = [{k: v for k, v in _row(record, columns).items() if v not in ("", [], {})} | {"name": record.name} for record in records]
    return json.dumps(rows, ensure_ascii=False, indent=indent).encode("utf-8", "surrogatepass")


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


def to_vcard(records: list[Contact | Request], version: str = "3.0") -> bytes:
    return "".join(vcard(r, version=version) for r in records).encode("utf-8", "surrogatepass")

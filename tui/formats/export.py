"""Records to bytes: the generic CSV and JSON, and vCard 3.0. The original text is written, as
it arrived; importing an export into an empty store gives the same people back."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tui.dedup.normalise import url_key
from tui.formats.csvtools import csv_quote
from tui.models import Contact, Decision, Request

CSV_COLUMNS = ("id", "name", "first_name", "last_name", "company", "title", "location", "email", "url", "source", "message", "sent_at", "tags", "notes")


def _row(record: Contact | Request) -> dict[str, str]:
    return {
        "id": record.source_id, "name": record.name, "first_name": record.first_name, "last_name": record.last_name,
        "company": record.company, "title": record.title, "location": record.location, "email": ";".join(record.emails),
        "url": ";".join(record.urls), "source": record.source, "message": getattr(record, "message", ""),
        "sent_at": getattr(record, "sent_at", ""), "tags": ";".join(record.tags), "notes": record.notes,
    }


def to_csv(records: list[Any]) -> bytes:
    buffer = io.StringIO(newline="")
    if records and isinstance(records[0], Decision):
        writer = csv.writer(buffer)
        writer.writerow(["id", "request_id", "at", "action", "verdict", "answers", "until", "note", "undoes", "other"])
        for d in records:
            writer.writerow([d.id, d.request_id, d.at, d.action, d.verdict, json.dumps(d.answers), d.until, csv_quote(d.note), d.undoes, d.other])
        return buffer.getvalue().encode("utf-8")
    columns = [c for c in CSV_COLUMNS if records and isinstance(records[0], Request) or c not in ("message", "sent_at")]
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow({k: csv_quote(v) for k, v in _row(record).items()})
    return buffer.getvalue().encode("utf-8")


def to_json(records: list[Any], indent: int | None = 1) -> bytes:
    if records and isinstance(records[0], Decision):
        return json.dumps([d.public() for d in records], ensure_ascii=False, indent=indent).encode("utf-8", "surrogatepass")
    rows = []
    for record in records:
        row = _row(record)
        row["email"], row["url"], row["tags"] = list(record.emails), list(record.urls), list(record.tags)
        rows.append({k: v for k, v in row.items() if v not in ("", [])} | {"name": record.name})
    return json.dumps(rows, ensure_ascii=False, indent=indent).encode("utf-8", "surrogatepass")


def _escape(value: str) -> str:
    # vCard escapes only line breaks: a lone carriage return would end the line, so it goes out as
    # a line break too (the one change a vCard round trip makes).
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def to_vcard(records: list[Contact | Request]) -> bytes:
    cards = []
    for r in records:
        lines = ["BEGIN:VCARD", "VERSION:3.0"]
        if r.source_id:
            lines.append(f"UID:{_escape(r.source_id)}")
        lines.append(f"FN:{_escape(r.name)}")
        lines.append(f"N:{_escape(r.last_name)};{_escape(r.first_name)};;;")
        if r.company:
            lines.append(f"ORG:{_escape(r.company)}")
        if r.title:
            lines.append(f"TITLE:{_escape(r.title)}")
        lines += [f"EMAIL;TYPE=INTERNET:{_escape(e)}" for e in r.emails]
        for i, url in enumerate(r.urls, 1):
            lines.append(f"item{i}.URL:{_escape(url)}")
            if url_key(url).partition("/")[0] == "linkedin.com":  # not evil-linkedin.com
                lines.append(f"item{i}.X-ABLabel:LinkedIn")
        if r.notes:
            lines.append(f"NOTE:{_escape(r.notes)}")
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines) + "\r\n")
    return "".join(cards).encode("utf-8", "surrogatepass")

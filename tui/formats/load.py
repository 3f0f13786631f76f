"""Read an import file: detect its format from the content, parse it, return records.

Nothing here touches the store. Every failure is a :class:`FormatError` naming file and line.
"""

from __future__ import annotations

import json
from pathlib import Path

from tui.formats import FormatError, facebook, generic, google, linkedin, vcard
from tui.formats.csvtools import find_header
from tui.formats.parsed import Parsed
from tui.intake import admit

FORMATS = ("linkedin-connections", "linkedin-invitations", "google", "vcard", "facebook", "csv", "json")


def read_file(path: Path, as_: str | None, fmt: str | None = None) -> Parsed:
    name = str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise FormatError(name, None, "is a directory, not a file") from None
    except OSError as exc:
        raise FormatError(name, None, f"cannot be read ({exc.strerror})") from None
    return parse(data, name, as_, fmt)


def parse(data: bytes, name: str, as_: str | None = None, fmt: str | None = None) -> Parsed:
    return _admit(_parse(data, name, as_, fmt))


def _admit(parsed: Parsed) -> Parsed:
    """Every record passes the one door for arrivals (tui.intake): URLs that are not web addresses
    become text, and a record whose name shows nothing (and has no e-mail to use) is skipped."""
    for kind in ("contacts", "requests", "sent"):
        kept = [record for record in getattr(parsed, kind) if admit(record)]
        parsed.skipped += len(getattr(parsed, kind)) - len(kept)
        setattr(parsed, kind, kept)
    return parsed


def _parse(data: bytes, name: str, as_: str | None = None, fmt: str | None = None) -> Parsed:
    if fmt is not None and fmt not in FORMATS:
        raise FormatError(name, None, f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    text = generic.decode(data, name)
    stripped = text.lstrip()
    if not stripped:
        raise FormatError(name, 1, "empty file")
    if fmt == "vcard" or (fmt is None and stripped[:11].upper() == "BEGIN:VCARD"):
        return _expect(vcard.contacts(text, name), as_, "contacts", name)
    if fmt in ("facebook", "json") or (fmt is None and stripped[0] in "[{"):
        return _json(text, name, as_, fmt)
    return _csv(text, name, as_, fmt)


def _json(text: str, name: str, as_: str | None, fmt: str | None) -> Parsed:
    if text.lstrip()[0] == "{":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FormatError(name, exc.lineno, f"bad JSON: {exc.msg}") from None
        if not isinstance(doc, dict) or not any(k in doc for k in facebook.KEYS):
            raise FormatError(name, 1, "a JSON object that is not a Facebook friend-requests export")
        return _expect(facebook.requests(doc, name), as_, "requests", name)
    if fmt == "facebook":
        raise FormatError(name, 1, "a Facebook export is a JSON object with received_requests_v2")
    return _generic(generic.parse_json(text, name), name, as_, "json")


def _csv(text: str, name: str, as_: str | None, fmt: str | None) -> Parsed:
    probes = (
        ("linkedin-connections", linkedin.CONNECTIONS, linkedin.connections, "contacts"),
        ("linkedin-invitations", linkedin.INVITATIONS, linkedin.invitations, "requests"),
        ("google", google.CURRENT, google.contacts, "contacts"),
        ("google", google.LEGACY, google.contacts, "contacts"),
    )
    for key, required, parser, kind in probes:
        if fmt not in (None, key):
            continue
        found = find_header(text, name, required)
        if found is not None:
            return _expect(parser(text, name, *found), as_, kind, name)
    if fmt not in (None, "csv"):
        raise FormatError(name, 1, f"no {fmt} header found in the first lines")
    return _generic(generic.parse_csv(text, name), name, as_, "csv")


def _generic(rows: list, name: str, as_: str | None, fmt: str) -> Parsed:  # type: ignore[type-arg]
    kind = as_ or generic.implied_kind(rows)
    if kind is None:
        raise FormatError(name, None, "cannot tell whether these are contacts or requests: add --as contacts or --as requests")
    contacts, requests = generic.to_records(rows, kind)
    return Parsed(fmt, contacts, requests)


def _expect(parsed: Parsed, as_: str | None, kind: str, name: str) -> Parsed:
    if as_ is not None and as_ != kind:
        raise FormatError(name, None, f"a {parsed.format} file holds {kind}, not {as_}")
    return parsed

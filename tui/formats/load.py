"""Read an import file: detect its format from the content, parse it, return records.

Nothing here touches the store. Every failure is a :class:`FormatError` naming file and line.
"""

from __future__ import annotations

import codecs
import json
import os
import stat
from pathlib import Path

from tui.formats import MAX_BYTES, FormatError, MiB, facebook, generic, google, linkedin, vcard
from tui.formats.csvtools import find_header
from tui.formats.parsed import Parsed
from tui.intake import admit

FORMATS = ("linkedin-connections", "linkedin-invitations", "google", "vcard", "facebook", "csv", "json")


#: The kind of file each format is, for its size limit (:data:`tui.formats.MAX_BYTES`).
FAMILY = {"linkedin-connections": "csv", "linkedin-invitations": "csv", "google": "csv", "csv": "csv", "json": "json", "facebook": "facebook", "vcard": "vcard"}
SNIFF = 4096


def read_file(path: Path, as_: str | None, fmt: str | None = None) -> Parsed:
    """Parse the file at ``path``: a regular file, no larger than its kind's limit. Its size is
    known before any of it is read, so a device, a pipe or a huge sparse file is refused at once."""
    name = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise FormatError(name, None, "no such file") from None
    except OSError as exc:
        raise FormatError(name, None, f"cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise FormatError(name, None, "is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise FormatError(name, None, "is not a regular file (a device, a pipe or a socket): save the export to a file and import that")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise FormatError(name, None, f"cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as file:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(opened.st_mode):
            raise FormatError(name, None, "was replaced while it was being opened; try again")
        limit = MAX_BYTES[_family(os.pread(fd, SNIFF, 0), fmt)]
        _check_size(opened.st_size, limit, name)
        try:
            data = file.read(limit + 1)  # the file may have grown since
        except OSError as exc:
            raise FormatError(name, None, f"cannot be read ({exc.strerror})") from None
    return parse(data, name, as_, fmt)


def _family(head: bytes, fmt: str | None) -> str:
    """csv, json (a list), facebook (an object) or vcard: from the format, else from the first bytes."""
    if fmt in FAMILY:
        return FAMILY[fmt]
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if start[:11].upper() == b"BEGIN:VCARD":
        return "vcard"
    return {b"[": "json", b"{": "facebook"}.get(start[:1], "csv")


def _check_size(size: int, limit: int, name: str) -> None:
    if size > limit:
        raise FormatError(name, None, f"file is {size / MiB:,.1f} MiB; the limit is {limit // MiB} MiB for this kind of file")


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
    family = _family(data[:SNIFF], fmt)
    _check_size(len(data), MAX_BYTES[family], name)
    text = generic.decode(data, name)
    if not text or text.isspace():  # (not strip(): that would copy the whole text)
        raise FormatError(name, 1, "empty file")
    if family == "vcard":
        return _expect(vcard.contacts(text, name), as_, "contacts", name)
    if family in ("json", "facebook"):
        return _json(text, name, as_, family)
    return _csv(text, name, as_, fmt)


def _json(text: str, name: str, as_: str | None, family: str) -> Parsed:
    if family == "facebook":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FormatError(name, exc.lineno, f"bad JSON: {exc.msg}") from None
        except RecursionError:
            raise FormatError(name, 1, "bad JSON: nested too deeply") from None
        if not isinstance(doc, dict) or not any(k in doc for k in facebook.KEYS):
            raise FormatError(name, 1, "a JSON object that is not a Facebook friend-requests export")
        return _expect(facebook.requests(doc, name), as_, "requests", name)
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

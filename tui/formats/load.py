"""Read an import file: detect its format from the content, parse it, return records.

A file is a single export (CSV, JSON, vCard), an archive (zip), a mailbox (an mbox file, one
``.eml`` message), or a folder: a Maildir (it has ``cur/`` and ``new/``) or an unpacked archive.
Every file read is a regular file whose size is known and within its kind's limit before any of
it is read.

Nothing here touches the store. Every failure is a :class:`FormatError` naming file and line.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO, Literal, overload

from tui.formats import MAX_BYTES, FormatError, MiB, facebook, generic, google, instagram, linkedin, load_json, mail, mastodon, vcard
from tui.formats.bundle import parse_source
from tui.formats.csvtools import find_header
from tui.formats.parsed import Parsed, combine
from tui.formats.sources import FolderSource, ZipSource
from tui.intake import admit

FORMATS = (
    "linkedin-connections",
    "linkedin-invitations",
    "google",
    "vcard",
    "facebook",
    "facebook-friends",
    "facebook-declined",
    "instagram",
    "mastodon",
    "csv",
    "json",
    "archive",
    "mbox",
    "eml",
)
#: Formats that hold several kinds of record (``--as`` does not apply).
BUNDLES = ("archive", "folder", "maildir")

#: The kind of file each format is, for its size limit (:data:`tui.formats.MAX_BYTES`).
FAMILY = {
    "linkedin-connections": "csv",
    "linkedin-invitations": "csv",
    "google": "csv",
    "csv": "csv",
    "json": "json",
    "mastodon": "json",
    "facebook": "facebook",
    "facebook-friends": "facebook",
    "facebook-declined": "facebook",
    "instagram": "facebook",
    "vcard": "vcard",
}
SNIFF = 4096
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_HEADERS = re.compile(rb"(?:[!-9;-~]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*){2,}")
_MAIL_HEADER = re.compile(rb"(?im)^(?:from|date|subject|received|message-id|mime-version|return-path|delivered-to):")


def read_file(path: Path, as_: str | None, fmt: str | None = None) -> Parsed:
    """Parse the file (or folder) at ``path``. A file's size is known before any of it is read,
    so a device, a pipe or a huge sparse file is refused at once. A read that fails (``EIO``)
    is a :class:`FormatError` naming the file."""
    try:
        return _read_file(path, as_, fmt)
    except OSError as exc:
        raise FormatError(exc.filename or str(path), None, f"cannot be read ({exc.strerror or exc})") from None


def _read_file(path: Path, as_: str | None, fmt: str | None) -> Parsed:
    name = str(path)
    if fmt is not None and fmt not in FORMATS:
        raise FormatError(name, None, f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    if stat.S_ISDIR(_stat(path).st_mode):
        return _folder(path, as_)
    with _open_regular(path) as file:
        head = os.pread(file.fileno(), SNIFF, 0)
        kind = fmt or _container(head)
        if kind == "archive":
            return _bundle(parse_source(ZipSource(file, name), "archive", _parse_member), as_, name)
        if kind == "mbox":
            _check_size(os.fstat(file.fileno()).st_size, MAX_BYTES["mbox"], name)
            return _admit(_expect(mail.invitations(mail.mbox_messages(file, name), name), as_, "requests", name))
        if kind == "eml":
            return _admit(_expect(mail.invitations([_read(file, name, mail.MAX_MESSAGE, skip_larger=True)], name), as_, "requests", name))
        data = _read(file, name, MAX_BYTES[_family(head, fmt)])
    return parse(data, name, as_, fmt)


def _container(head: bytes) -> str | None:
    """archive, mbox or eml, from the first bytes; None for a single export."""
    if head.startswith(_ZIP):
        return "archive"
    if head.startswith(b"From "):
        return "mbox"
    if _HEADERS.match(head) and _MAIL_HEADER.search(head):
        return "eml"
    return None


def _stat(path: Path) -> os.stat_result:
    try:
        return os.stat(path)
    except FileNotFoundError:
        raise FormatError(str(path), None, "no such file") from None
    except OSError as exc:
        raise FormatError(str(path), None, f"cannot be read ({exc.strerror})") from None


def _open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading: a regular file, the one that was checked."""
    name, st = str(path), _stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise FormatError(name, None, "is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise FormatError(name, None, "is not a regular file (a device, a pipe or a socket): save the export to a file and import that")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise FormatError(name, None, f"cannot be read ({exc.strerror})") from None
    file = os.fdopen(fd, "rb")
    opened = os.fstat(fd)
    if (opened.st_dev, opened.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(opened.st_mode):
        file.close()
        raise FormatError(name, None, "was replaced while it was being opened; try again")
    return file


@overload
def _read(file: BinaryIO, name: str, limit: int, skip_larger: Literal[False] = False) -> bytes: ...
@overload
def _read(file: BinaryIO, name: str, limit: int, skip_larger: bool) -> bytes | None: ...
def _read(file: BinaryIO, name: str, limit: int, skip_larger: bool = False) -> bytes | None:
    """The whole of an opened regular file, within ``limit`` (or None, with ``skip_larger``)."""
    size = os.fstat(file.fileno()).st_size
    if skip_larger and size > limit:
        return None
    _check_size(size, limit, name)
    try:
        data = file.read(limit + 1)  # the file may have grown since
    except OSError as exc:
        raise FormatError(name, None, f"cannot be read ({exc.strerror})") from None
    if len(data) > limit and skip_larger:
        return None
    _check_size(len(data), limit, name)
    return data


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, refused when larger than ``limit``."""
    with _open_regular(path) as file:
        return _read(file, str(path), limit)


def _folder(path: Path, as_: str | None) -> Parsed:
    """A Maildir (``cur/`` and ``new/``), or an unpacked archive."""
    if (path / "cur").is_dir() and (path / "new").is_dir():
        return _admit(_expect(mail.invitations(_maildir(path), str(path)), as_, "requests", str(path)))
    return _bundle(parse_source(FolderSource(path, read_regular), "folder", _parse_member), as_, str(path))


def _maildir(path: Path):  # type: ignore[no-untyped-def]
    """Each message of a Maildir, oldest folder first; None for one too large to be an invitation."""
    for sub in ("new", "cur"):
        for entry in sorted(os.scandir(path / sub), key=lambda e: e.name):
            if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                continue
            with _open_regular(Path(entry.path)) as file:
                yield _read(file, entry.path, mail.MAX_MESSAGE, skip_larger=True)


def _parse_member(data: bytes, name: str, fmt: str) -> Parsed:
    return _parse(data, name, None, fmt)


def _bundle(parsed: Parsed, as_: str | None, name: str) -> Parsed:
    if as_ is not None:
        raise FormatError(name, None, f"this {parsed.format} holds several kinds of record; --as does not apply")
    for _, part in parsed.parts:
        _admit(part)
    return combine(parsed.format, parsed.parts)


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
        return _json(text, name, as_, family, fmt)
    return _csv(text, name, as_, fmt)


# A JSON escape that makes a NUL, which a CSV (or any text file) is refused for as binary data. An
# odd number of backslashes makes an escape. (A lone surrogate escape is no character either: the
# store keeps U+FFFD in its place, as for undecodable bytes in argv.)
_NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


def refuse_nul(text: str, name: str) -> None:
    """Refuse a JSON file with a NUL written as an escape, naming the line, as a CSV importer
    refuses a NUL byte: what one importer refuses never comes in through another."""
    found = _NUL_ESCAPE.search(text)
    if found is not None:
        raise FormatError(name, text.count("\n", 0, found.start()) + 1, "binary data (NUL byte, written \\u0000) in a text file")


def _json(text: str, name: str, as_: str | None, family: str, fmt: str | None) -> Parsed:
    refuse_nul(text, name)
    if family == "facebook":
        doc = load_json(text, name)
        if isinstance(doc, dict) and fmt in (None, "instagram") and instagram.KEY in doc:
            return _expect(instagram.requests(doc, name), as_, "requests", name)
        kind = facebook.kind_of(doc) if isinstance(doc, dict) else None
        if kind is None or fmt not in (None, kind):
            raise FormatError(
                name, 1, "a JSON object that is not a Facebook friend-requests export (nor friends, declines or Instagram follow requests)"
            )
        parsed = facebook.people(doc, name, kind)
        return _expect(parsed, as_, "contacts" if kind == "facebook-friends" else "requests", name)
    if fmt == "mastodon" or (fmt is None and mastodon.looks_like(text)):
        return _expect(mastodon.requests(text, name), as_, "requests", name)
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
    sent = [r for r in requests if r.status == "sent"]  # invitations the user sent: kept, never queued
    return Parsed(fmt, contacts, [r for r in requests if r.status != "sent"], sent)


def _expect(parsed: Parsed, as_: str | None, kind: str, name: str) -> Parsed:
    if as_ is not None and as_ != kind:
        raise FormatError(name, None, f"a {parsed.format} file holds {kind}, not {as_}")
    return parsed

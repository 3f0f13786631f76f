"""LinkedIn exports: ``Connections.csv`` (your contacts) and ``Invitations.csv``.

Connections: ``First Name,Last Name,URL,Email Address,Company,Position,Connected On`` (the URL column
exists only since 2023), after a "Notes:" preamble in newer exports. Hidden profiles appear as
empty rows with only a date: they are skipped and counted. Invitations:
``From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl`` (the URL columns since
late 2023). INCOMING invitations become pending requests; OUTGOING ones are kept as sent
invitations and never queued.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from tui.formats import FormatError
from tui.formats.csvtools import getter, rows_after
from tui.formats.parsed import Parsed
from tui.models import Contact, Request

CONNECTIONS = {"First Name", "Last Name", "Email Address", "Company", "Position", "Connected On"}
INVITATIONS = {"From", "To", "Sent At", "Message", "Direction"}


@lru_cache(maxsize=4096)
def _day(value: str) -> str | None:
    """``08 Feb 2026`` → ``2026-02-08`` (cached: a 30k-row export repeats its dates)."""
    try:
        return datetime.strptime(value, "%d %b %Y").date().isoformat()
    except ValueError:
        return None


def _connected_on(value: str, path: str, line: int) -> str:
    value = value.strip()
    if not value:
        return ""
    day = _day(value)
    if day is None:
        raise FormatError(path, line, f"Connected On {value[:30]!r} is not a date like 08 Feb 2026")
    return day


def _sent_at(value: str, path: str, line: int) -> str:
    value = value.strip()
    for pattern in ("%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%y, %H:%M"):
        try:
            return datetime.strptime(value, pattern).strftime("%Y-%m-%dT%H:%M:%S")
        except ValueError:
            continue
    raise FormatError(path, line, f"Sent At {value[:30]!r} is not a date like 1/29/26, 2:37 PM")


def connections(text: str, path: str, header_line: int, header: list[str]) -> Parsed:
    col = {name: i for i, name in enumerate(header)}
    parsed = Parsed("linkedin-connections")
    for line, cells in rows_after(text, path, header_line, len(header)):
        get = getter(cells, col)
        first, last = get("First Name"), get("Last Name")
        if not (first or last or get("URL") or get("Email Address")):
            parsed.skipped += 1  # a hidden profile: ",,,,,,07 Jun 2026"
            continue
        url = get("URL")
        parsed.contacts.append(
            Contact(
                name=f"{first} {last}".strip(),
                first_name=first,
                last_name=last,
                company=get("Company"),
                title=get("Position"),
                emails=[get("Email Address")] if get("Email Address") else [],
                urls=[url] if url else [],
                source="linkedin",
                source_id=url,
                connected_on=_connected_on(get("Connected On"), path, line),
            )
        )
    return parsed


def invitations(text: str, path: str, header_line: int, header: list[str]) -> Parsed:
    col = {name: i for i, name in enumerate(header)}
    parsed = Parsed("linkedin-invitations")
    for line, cells in rows_after(text, path, header_line, len(header)):
        get = getter(cells, col)
        direction = get("Direction").upper()
        if direction not in ("INCOMING", "OUTGOING"):
            raise FormatError(path, line, f"Direction {direction[:20]!r} is neither INCOMING nor OUTGOING")
        incoming = direction == "INCOMING"
        name = get("From") if incoming else get("To")
        if not name:
            raise FormatError(path, line, "an invitation without a name")
        url = get("inviterProfileUrl" if incoming else "inviteeProfileUrl")
        sent = _sent_at(get("Sent At"), path, line)
        request = Request(
            name=name,
            message=cells[col["Message"]],
            sent_at=sent,
            urls=[url] if url else [],
            source="linkedin",
            source_id=url or f"{name}|{sent}",
        )
        (parsed.requests if incoming else parsed.sent).append(request)
    return parsed

"""LinkedIn's invitation e-mails, from one message (``.eml``), an mbox file or a Maildir folder.

LinkedIn sends an e-mail for each invitation: ``From: Name <invitations@linkedin.com>`` (or
``Name via LinkedIn``), a subject like "Paul, please add me to your LinkedIn network", "Name wants
to connect" or "I want to connect", multipart/alternative with a quoted-printable text part that
holds the inviter's message, their name, headline (and place), a profile link and an Accept link,
then a footer. Each invitation becomes a pending request (source ``linkedin``) with the name,
headline, message, the time it was sent and the profile link; every other message is counted and
left alone. Only the headers of other mail are read.

The profile link becomes the request's identity only when it is a profile address
(``linkedin.com/in/<name>``, the tracking parameters dropped). Older e-mails link to
``profile/view?id=...``, whose id changes from e-mail to e-mail: such a link is kept in the notes,
and the request is known by its name and time (:mod:`tui.store.reconcile`, rule 4), which is also how it
meets the Invitations.csv row for the same invitation.

Anyone can write ``invitations@linkedin.com`` in a From line: links to any other site are never
taken, and nothing here vouches for the sender.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from email.utils import parseaddr
from typing import BinaryIO
from urllib.parse import parse_qs, urlsplit

from tui.dedup.names import fold
from tui.dedup.normalise import simple_name_key, url_key, web_host
from tui.formats import MAX_FIELD, FormatError, MiB, check_count
from tui.formats.htmltext import plain
from tui.formats.parsed import Parsed
from tui.models import Request

SENDERS = frozenset(("invitations@linkedin.com",))
#: A larger message is no invitation: it is counted as other mail, and never parsed.
MAX_MESSAGE = 16 * MiB
#: The longest line read from an mbox at once (a longer one is read in pieces).
MAX_LINE = 1 * MiB
_INVITATION = re.compile(
    r"please add me to your linkedin network|wants? to connect|invitation to connect|invitation from|invited you to connect", re.I
)
_NOT_INVITATION = re.compile(r"accepted your invitation|start a conversation|new connection", re.I)
_VIA = re.compile(r"\s+via\s+linkedin\s*$", re.I)
_SUBJECT_NAME = re.compile(
    r"^(?:reminder about your invitation from|invitation from)\s+(?P<a>.+?)\s*$|^(?P<b>.+?)\s+(?:wants to connect|has invited you)", re.I
)
_FOOTER = re.compile(r"^\s*(?:[.\-_=]{6,}|this email was intended for|you are receiving|unsubscribe:|help:|©|\u00a9)", re.I)
_LINK = re.compile(r"https?://[^\s<>\"]+")
_LABEL = re.compile(r"^\s*(?:accept|ignore|decline|reply|see all|view (?:profile|.{1,80}'s profile))\s*:?\s*$", re.I)
_GREETING = re.compile(r"^(?:hi|hello|hey|dear|hallo|bonjour|hola|cześć|ciao)\b[^\n]{0,40},\s*$", re.I)
_MUTUAL = re.compile(r"^(\d[\d,]*)\s+(?:mutual|shared)\s+connections?\b", re.I)


def is_invitation_sender(headers: EmailMessage) -> bool:
    return parseaddr(str(headers.get("from", "")))[1].strip().lower() in SENDERS


def invitations(messages: Iterable[bytes | None], path: str) -> Parsed:
    """The invitations among ``messages`` (raw RFC 822 bytes; None for a message too large to read)."""
    parsed = Parsed("linkedin-mail")
    seen: set[str] = set()
    for data in messages:
        request = invitation(data) if data is not None else None
        if request is None:
            parsed.ignored += 1
            continue
        key = request.notes.rpartition("\n")[2] if not request.urls else request.urls[0]
        if f"{simple_name_key(request.name)}|{request.sent_at}|{key}" in seen:
            parsed.skipped += 1  # the same e-mail twice (kept in two folders)
            continue
        seen.add(f"{simple_name_key(request.name)}|{request.sent_at}|{key}")
        check_count(len(parsed.requests) + 1, path, None)
        parsed.requests.append(request)
    return parsed


def invitation(data: bytes) -> Request | None:
    """The request one invitation e-mail makes, or None for any other message."""
    try:
        headers = BytesHeaderParser(policy=policy.default).parsebytes(data)
        if not is_invitation_sender(headers):
            return None
        subject = str(headers.get("subject", "")).strip()
        if _NOT_INVITATION.search(subject):
            return None
        message = BytesParser(policy=policy.default).parsebytes(data)
        body = _text(message)
    except Exception:  # noqa: BLE001  a broken header or part in a stranger's mail: not an invitation we can read
        return None
    if not (_INVITATION.search(subject) or re.search(r"^\s*accept\b", body, re.I | re.M)):
        return None
    name = _VIA.sub("", parseaddr(str(headers.get("from", "")))[0]).strip()
    if not name or name.lower() == "linkedin":
        found = _SUBJECT_NAME.match(subject)
        name = (found.group("a") or found.group("b")).strip() if found else ""
    if not name:
        return None
    return _request(name, body, _sent_at(headers))


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if not isinstance(content, str):
        return ""
    content = content[:MAX_FIELD]
    return plain(content) if part.get_content_subtype() == "html" else content


def _sent_at(headers: EmailMessage) -> str:
    date = headers.get("date")
    when: datetime | None = getattr(date, "datetime", None)
    if when is None:
        return ""
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S")


def _profile(links: list[str]) -> tuple[str, str]:
    """(profile URL to identify the person by, a profile link for the notes) from the e-mail's links."""
    for link in links:
        key = url_key(link)
        if key.startswith("linkedin.com/in/"):
            return f"https://www.{key}", ""
    for link in links:
        parts = urlsplit(link)
        if web_host(link) == "linkedin.com" and parts.path.rstrip("/").endswith("/profile/view"):
            member = parse_qs(parts.query).get("id", [""])[0]
            if member.replace("-", "").replace("_", "").isalnum():
                return "", f"LinkedIn profile (from the invitation e-mail): https://www.linkedin.com/profile/view?id={member}"
    return "", ""


def _request(name: str, body: str, sent_at: str) -> Request:
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    end = next((i for i, line in enumerate(lines) if _FOOTER.match(line)), len(lines))
    lines = lines[:end]
    links = [link.rstrip(".,)") for line in lines for link in _LINK.findall(line)]
    url, note = _profile(links)
    card: list[str] = []  # the lines under the name: headline, place
    kept: list[str] = []
    mutual, i, folded = "", 0, fold(name).strip()
    while i < len(lines):
        line = lines[i]
        if not card and fold(line).strip() == folded:
            i += 1
            while i < len(lines) and lines[i].strip() and not _LINK.search(lines[i]):
                card.append(lines[i].strip())
                i += 1
            continue
        if _LINK.search(line) or _LABEL.match(line):
            i += 1
            continue
        kept.append(line)
        i += 1
    for line in card[:]:
        found = _MUTUAL.match(line)
        if found:
            mutual = found.group(1).replace(",", "")
            card.remove(line)
    text = "\n".join(kept).strip()
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if paragraphs and _GREETING.match(paragraphs[0]):
        paragraphs = paragraphs[1:]
    elif paragraphs and "\n" in paragraphs[0] and _GREETING.match(paragraphs[0].split("\n", 1)[0]):
        paragraphs[0] = paragraphs[0].split("\n", 1)[1].strip()
    return Request(
        name=name,
        title=card[0] if card else "",
        location=card[1] if len(card) > 1 else "",
        message="\n\n".join(paragraphs),
        sent_at=sent_at,
        urls=[url] if url else [],
        notes=note,
        mutual=mutual,
        source="linkedin",
    )


def mbox_messages(stream: BinaryIO, path: str) -> Iterator[bytes | None]:
    """Each message of an mbox file (None for one larger than :data:`MAX_MESSAGE`, skipped
    unread). A message starts at each line beginning ``From `` (as Python's ``mailbox`` reads it);
    ``>From `` lines are unquoted. Memory follows the largest message, not the file."""
    chunks: list[bytes] = []
    size, started, too_big, at_line_start, line_number = 0, False, False, True, 0
    while piece := stream.readline(MAX_LINE):
        starts_line, at_line_start = at_line_start, piece.endswith(b"\n")
        line_number += starts_line
        if starts_line and piece.startswith(b"From "):
            if started:
                yield None if too_big else b"".join(chunks)
            chunks, size, too_big, started = [], 0, False, True
            continue
        if not started:
            if piece.strip():
                raise FormatError(path, line_number, "not an mbox file: text before the first 'From ' line")
            continue
        size += len(piece)
        if too_big or size > MAX_MESSAGE:
            chunks, too_big = [], True
            continue
        chunks.append(piece[1:] if starts_line and piece.startswith(b">From ") else piece)
    if started:
        yield None if too_big else b"".join(chunks)

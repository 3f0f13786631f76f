"""vCard 3.0 and 4.0 (``vobject``): many cards in one file. The UID is kept as ``source_id``;
grouped properties (``item1.URL`` with ``item1.X-ABLabel:LinkedIn``) name the network of a URL.

The file is cut into cards first, and each card is parsed on its own, with its pictures and sounds
(PHOTO, LOGO, SOUND, KEY: often most of an address book's bytes) set aside unread. Memory then
follows the largest card, not the file: vobject builds about 40 bytes of objects per byte it
reads. A card still larger than :data:`MAX_CARD` without them is refused with its line.

vobject reads every text property as a list and keeps only its first item, so ``FN:Lovelace, Ada``
would become "Lovelace": commas in text properties are escaped before it reads the card. ``ORG`` is
the company and then its units (``ORG:Warsaw Digital;Strategy``: the department is "Strategy");
``NICKNAME`` is a comma-separated list; every ``TEL`` is kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import Any

from tui.formats import MAX_FIELD, FormatError, check_count, check_field
from tui.formats.parsed import Parsed
from tui.models import Contact

#: Characters of one card once its pictures and sounds are set aside: room for a note at the field
#: limit and everything else a card holds.
MAX_CARD = 2 * MAX_FIELD
_MARK = re.compile(r"^[ \t]*(BEGIN|END)[ \t]*:[ \t]*VCARD[ \t]*\r?$", re.MULTILINE | re.IGNORECASE)
# A property (with any group prefix) and its folded continuation lines.
_BINARY = re.compile(r"^(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:][^\n]*\n(?:[ \t][^\n]*\n)*", re.MULTILINE | re.IGNORECASE)
_UNFOLD = re.compile(r"\r?\n[ \t]")
#: Properties whose commas and semicolons are structure (vobject splits them itself).
_STRUCTURED = frozenset(("N", "ADR", "ORG", "CATEGORIES", "GEO"))
_BARE_COMMA = re.compile(r"(?<!\\)((?:\\\\)*),")
_COLON_OUTSIDE_QUOTES = re.compile(r'^(?:[^:"]|"[^"]*")*:')


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value if v).strip()
    return str(value or "").strip()


def _keep_commas(card: str) -> str:
    """The card, unfolded, with the bare commas of its text properties escaped."""
    lines = _UNFOLD.sub("", card).split("\n")
    for i, line in enumerate(lines):
        head = _COLON_OUTSIDE_QUOTES.match(line)
        if head is None or "," not in line[head.end() :]:
            continue
        name = head.group()[:-1].split(";", 1)[0].rsplit(".", 1)[-1].strip().upper()
        if name not in _STRUCTURED:
            lines[i] = head.group() + _BARE_COMMA.sub(r"\1\\,", line[head.end() :])
    return "\n".join(lines)


def _org(value: Any) -> tuple[str, str]:
    """(company, department) of an ORG value: its first component, and the units after it."""
    parts = [
        ", ".join(p.strip() for p in part if p.strip()) if isinstance(part, list) else str(part or "").strip()
        for part in (value if isinstance(value, list) else [value])
    ]
    parts = [p for p in parts if p]
    return (parts[0], "; ".join(parts[1:])) if parts else ("", "")


def cards(text: str, path: str) -> Iterator[tuple[int, str]]:
    """(line of BEGIN:VCARD, the card's text) for each card, in order. Only white space may stand
    between cards."""
    begin: tuple[int, int] | None = None  # (offset, line) of the card still open
    pos, line, after = 0, 1, 0  # ``line`` is the line of offset ``pos``; a card last ended at ``after``

    def stray(start: int, end: int) -> None:
        gap = text[start:end]
        if gap.strip():
            first = start + len(gap) - len(gap.lstrip())
            raise FormatError(
                path, line + text.count("\n", pos, first) - text.count("\n", first, pos), "not a valid vCard: text outside a card"
            )

    for mark in _MARK.finditer(text):
        line += text.count("\n", pos, mark.start())
        pos = mark.start()
        if mark.group(1).upper() == "BEGIN":
            if begin is not None:
                raise FormatError(path, line, "not a valid vCard: BEGIN:VCARD inside a card (the card before has no END:VCARD)")
            stray(after, pos)
            begin = (pos, line)
        else:
            if begin is None:
                raise FormatError(path, line, "not a valid vCard: END:VCARD without BEGIN:VCARD")
            yield begin[1], text[begin[0] : mark.end()] + "\n"
            begin, after = None, mark.end()
    if begin is not None:
        raise FormatError(path, begin[1], "not a valid vCard: a card without END:VCARD (is the file cut short?)")
    stray(after, len(text))


def _parse_card(card: str, path: str, line: int) -> Any:
    import vobject

    kept = _BINARY.sub("", card)
    if len(kept) > MAX_CARD:
        raise FormatError(path, line, f"the card is {len(kept):,} characters long without its pictures; the limit is {MAX_CARD:,}")
    try:
        return vobject.readOne(_keep_commas(kept), validate=False, ignoreUnreadable=False)
    except Exception as exc:  # noqa: BLE001  vobject raises its own ParseError and assorted ValueErrors
        detail = re.sub(r"^At line \d+: ", "", str(exc))  # vobject's own line numbers are off
        raise FormatError(path, line, f"not a valid vCard (the card that starts here): {detail[:200]}") from None


def contacts(text: str, path: str) -> Parsed:
    parsed = Parsed("vcard")
    for number, (line, card) in enumerate(cards(text, path), 1):
        check_count(number, path, line)
        c = _parse_card(card, path, line).contents
        field = partial(check_field, path=path, line=line)
        labels = {p.group: _text(p.value) for p in c.get("x-ablabel", []) if p.group}
        urls = [field(_text(p.value), "URL") for p in c.get("url", []) if _text(p.value)]
        networks = {labels.get(p.group, "").lower() for p in c.get("url", []) if p.group in labels}
        name = field(_text(c["fn"][0].value), "FN") if "fn" in c else ""
        first = last = ""
        if "n" in c:
            n = c["n"][0].value
            first, last = field(_text(getattr(n, "given", "")), "N"), field(_text(getattr(n, "family", "")), "N")
            name = name or f"{first} {last}".strip()
        emails = [field(_text(p.value), "EMAIL") for p in c.get("email", []) if _text(p.value)]
        company, department = _org(c["org"][0].value) if "org" in c else ("", "")
        if not (name or company or emails):
            parsed.skipped += 1
            continue
        parsed.contacts.append(
            Contact(
                name=name or company or emails[0],
                first_name=first,
                last_name=last,
                company=field(company, "ORG"),
                department=field(department, "ORG"),
                title=field(_text(c["title"][0].value), "TITLE") if "title" in c else "",
                phones=[field(_text(p.value), "TEL") for p in c.get("tel", []) if _text(p.value)],
                nicknames=[n.strip() for p in c.get("nickname", []) for n in field(_text(p.value), "NICKNAME").split(",") if n.strip()],
                emails=emails,
                urls=urls,
                notes=field(_text(c["note"][0].value), "NOTE") if "note" in c else "",
                source="linkedin" if "linkedin" in networks else "vcard",
                source_id=field(_text(c["uid"][0].value), "UID") if "uid" in c else "",
            )
        )
    return parsed

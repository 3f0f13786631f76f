"""vCard 3.0 and 4.0 (``vobject``): many cards in one file. The UID is kept as ``source_id``;
grouped properties (``item1.URL`` with ``item1.X-ABLabel:LinkedIn``) name the network of a URL."""

from __future__ import annotations

from typing import Any

from tui.formats import FormatError
from tui.formats.parsed import Parsed
from tui.models import Contact


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value if v).strip()
    return str(value or "").strip()


def contacts(text: str, path: str) -> Parsed:
    import vobject

    parsed = Parsed("vcard")
    try:
        cards = list(vobject.readComponents(text, validate=False, ignoreUnreadable=False))
    except Exception as exc:  # vobject raises its own ParseError and assorted ValueErrors
        line = getattr(exc, "lineNumber", None)
        raise FormatError(path, line, f"not a valid vCard: {str(exc)[:200]}") from None
    for card in cards:
        if card.name.upper() != "VCARD":
            raise FormatError(path, None, f"unexpected {card.name} block in a vCard file")
        c = card.contents
        labels = {p.group: _text(p.value) for p in c.get("x-ablabel", []) if p.group}
        urls = [_text(p.value) for p in c.get("url", []) if _text(p.value)]
        networks = {labels.get(p.group, "").lower() for p in c.get("url", []) if p.group in labels}
        name = _text(c["fn"][0].value) if "fn" in c else ""
        first = last = ""
        if "n" in c:
            n = c["n"][0].value
            first, last = _text(getattr(n, "given", "")), _text(getattr(n, "family", ""))
            name = name or f"{first} {last}".strip()
        emails = [_text(p.value) for p in c.get("email", []) if _text(p.value)]
        if not (name or emails):
            parsed.skipped += 1
            continue
        parsed.contacts.append(Contact(
            name=name or emails[0], first_name=first, last_name=last,
            company=_text(c["org"][0].value) if "org" in c else "", title=_text(c["title"][0].value) if "title" in c else "",
            emails=emails, urls=urls, notes=_text(c["note"][0].value) if "note" in c else "",
            source="linkedin" if "linkedin" in networks else "vcard", source_id=_text(c["uid"][0].value) if "uid" in c else "",
        ))
    return parsed

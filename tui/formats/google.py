"""Google Contacts CSV, both generations.

Current: ``First Name,Middle Name,Last Name,...,Organization Name,Organization Title,...,
E-mail 1 - Value,...,Website 1 - Value,...``. Legacy: ``Name,Given Name,Additional Name,
Family Name,...,Organization 1 - Name,Organization 1 - Title,...,E-mail 1 - Value,...``. Several
values in one cell are joined with `` ::: ``.
"""

from __future__ import annotations

import re

from tui.formats.csvtools import rows_after
from tui.formats.parsed import Parsed
from tui.models import Contact

CURRENT = {"First Name", "Last Name", "E-mail 1 - Value"}
LEGACY = {"Name", "Given Name", "Family Name"}
_NUMBERED = re.compile(r"^(E-mail|Website) \d+ - Value$")


def _values(cell: str) -> list[str]:
    return [v.strip() for v in cell.split(" ::: ") if v.strip()]


def contacts(text: str, path: str, header_line: int, header: list[str]) -> Parsed:
    col = {name: i for i, name in enumerate(header)}
    emails = [i for i, name in enumerate(header) if _NUMBERED.match(name) and name.startswith("E-mail")]
    sites = [i for i, name in enumerate(header) if _NUMBERED.match(name) and name.startswith("Website")]
    legacy = "Given Name" in col
    parsed = Parsed("google-legacy" if legacy else "google")
    for _line, cells in rows_after(text, path, header_line, len(header)):
        get = lambda name: cells[col[name]].strip() if name in col else ""  # noqa: E731
        first = get("Given Name" if legacy else "First Name")
        last = get("Family Name" if legacy else "Last Name")
        middle = get("Additional Name" if legacy else "Middle Name")
        name = get("Name") or " ".join(p for p in (first, middle, last) if p)
        found_emails = [v for i in emails for v in _values(cells[i])]
        found_sites = [v for i in sites for v in _values(cells[i])]
        if not (name or found_emails):
            parsed.skipped += 1
            continue
        parsed.contacts.append(Contact(
            name=name or found_emails[0], first_name=first, last_name=last,
            company=get("Organization 1 - Name" if legacy else "Organization Name"),
            title=get("Organization 1 - Title" if legacy else "Organization Title"),
            emails=found_emails, urls=found_sites, notes=get("Notes"), source="google",
            source_id=found_emails[0] if found_emails else "",
        ))
    return parsed

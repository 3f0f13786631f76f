"""Google Contacts CSV, both generations.

Current: ``First Name,Middle Name,Last Name,...,Organization Name,Organization Title,...,
E-mail 1 - Value,...,Website 1 - Value,...``. Legacy: ``Name,Given Name,Additional Name,
Family Name,...,Organization 1 - Name,Organization 1 - Title,...,E-mail 1 - Value,...``. Several
values in one cell are joined with `` ::: ``. Both have ``Nickname`` and numbered ``Phone n - Value``
columns. A row with no name but a company (a plumber, a shop) is named after the company.
"""

from __future__ import annotations

import re

from tui.formats.csvtools import getter, rows_after
from tui.formats.parsed import Parsed
from tui.models import Contact

CURRENT = {"First Name", "Last Name", "E-mail 1 - Value"}
LEGACY = {"Name", "Given Name", "Family Name"}
_NUMBERED = re.compile(r"^(E-mail|Website|Phone) \d+ - Value$")


def _values(cell: str) -> list[str]:
    return [v.strip() for v in cell.split(" ::: ") if v.strip()]


def contacts(text: str, path: str, header_line: int, header: list[str]) -> Parsed:
    col = {name: i for i, name in enumerate(header)}
    numbered = {
        kind: [i for i, name in enumerate(header) if (m := _NUMBERED.match(name)) and m.group(1) == kind]
        for kind in ("E-mail", "Website", "Phone")
    }
    legacy = "Given Name" in col
    parsed = Parsed("google-legacy" if legacy else "google")
    for _line, cells in rows_after(text, path, header_line, len(header)):
        get = getter(cells, col)
        first = get("Given Name" if legacy else "First Name")
        last = get("Family Name" if legacy else "Last Name")
        middle = get("Additional Name" if legacy else "Middle Name")
        name = get("Name") or " ".join(p for p in (first, middle, last) if p)
        found = {kind: [v for i in columns for v in _values(cells[i])] for kind, columns in numbered.items()}
        found_emails = found["E-mail"]
        company = get("Organization 1 - Name" if legacy else "Organization Name")
        if not (name or company or found_emails):
            parsed.skipped += 1
            continue
        parsed.contacts.append(
            Contact(
                name=name or company or found_emails[0],
                first_name=first,
                last_name=last,
                company=company,
                title=get("Organization 1 - Title" if legacy else "Organization Title"),
                department=get("Organization 1 - Department" if legacy else "Organization Department"),
                emails=found_emails,
                urls=found["Website"],
                phones=found["Phone"],
                nicknames=_values(get("Nickname")),
                notes=get("Notes"),
                source="google",
                source_id=found_emails[0] if found_emails else "",
            )
        )
    return parsed

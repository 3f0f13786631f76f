"""Who you know there: the contacts at a request's company, and what came from there before.
Pure: the key indexes come in; companies are compared by :func:`tui.dedup.names.company_key`."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tui.models import Request


def people_by_company(contacts: Any) -> dict[str, list[str]]:
    """The contacts' names by company key (``contacts``: a KeyIndex)."""
    people_at: dict[str, list[str]] = {}
    for company, name in zip(contacts.column("companies"), contacts.column("display"), strict=True):
        if company:
            people_at.setdefault(company, []).append(name)
    return people_at


def earlier_by_company(decided: Any, decided_records: dict[str, Request]) -> dict[str, Counter[str]]:
    """How the requests decided before were decided, by company key (``decided``: a KeyIndex)."""
    earlier_at: dict[str, Counter[str]] = {}
    for rid, company in zip(decided.column("ids"), decided.column("companies"), strict=True):
        if company:
            earlier_at.setdefault(company, Counter())[decided_records[rid].status] += 1
    return earlier_at


def company_line(request: Request, people_at: dict[str, list[str]], earlier_at: dict[str, Counter[str]]) -> str:
    """The card's who-you-know-there line: "You know 2 at Acme: Ann, Bob · earlier from there: 1 declined"."""
    from tui.dedup.names import company_key

    key = company_key(request.company)
    company = ""
    if key:
        people = people_at.get(key, [])
        earlier = earlier_at.get(key, Counter())
        parts = []
        if people:
            shown = ", ".join(people[:3]) + (f" and {len(people) - 3} more" if len(people) > 3 else "")
            parts.append(f"You know {len(people)} at {request.company}: {shown}")
        if earlier:
            parts.append("earlier from there: " + ", ".join(f"{n} {status}" for status, n in sorted(earlier.items())))
        company = " · ".join(parts)
    return company

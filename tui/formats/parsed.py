"""What an importer returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.models import Contact, Request


@dataclass
class Parsed:
    format: str
    contacts: list[Contact] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    """Pending requests, and (with status ``declined``) requests declined before: never queued."""
    sent: list[Request] = field(default_factory=list)
    """Invitations the user sent: kept, never queued for triage."""
    skipped: int = 0
    """Rows that carry no person (LinkedIn's hidden profiles)."""
    ignored: int = 0
    """Messages of a mailbox that are not invitations."""
    parts: list[tuple[str, Parsed]] = field(default_factory=list)
    """For an archive, a folder or a mailbox: each file read, with what it held."""

    def counts(self) -> dict[str, int]:
        """What the file held, by kind (for the report on each file of an archive)."""
        declined = sum(r.status == "declined" for r in self.requests)
        found = {
            "contacts": len(self.contacts),
            "requests": len(self.requests) - declined,
            "declined": declined,
            "sent": len(self.sent),
            "skipped": self.skipped,
            "ignored": self.ignored,
        }
        return {k: n for k, n in found.items() if n}


def combine(format: str, parts: list[tuple[str, Parsed]]) -> Parsed:
    """One import of several files: their records in file order (the store takes contacts first)."""
    whole = Parsed(format, parts=parts)
    for _, part in parts:
        whole.contacts += part.contacts
        whole.requests += part.requests
        whole.sent += part.sent
        whole.skipped += part.skipped
        whole.ignored += part.ignored
    return whole

"""What an importer returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.models import Contact, Request


@dataclass
class Parsed:
    format: str
    contacts: list[Contact] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    sent: list[Request] = field(default_factory=list)
    """Invitations the user sent: kept, never queued for triage."""
    skipped: int = 0
    """Rows that carry no person (LinkedIn's hidden profiles)."""

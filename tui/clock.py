"""The one clock. Every "now" and "today" in tui comes from a :data:`Clock`.

A clock is a function returning an aware UTC datetime. The store holds one (``Store(clock=...)``)
and everything else asks the store (``store.now()``, ``store.today()``): the decisions it records,
the due dates of deferred requests, the card's "Declined before, <date>", the defer presets and
``--until +3d``. Tests hand the store a fixed clock, so no test depends on the day it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, in UTC."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """``2026-11-27T16:12:46Z``: how times are stored."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

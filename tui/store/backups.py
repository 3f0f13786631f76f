"""Snapshots of the data files, in ``backups/<sequence>-<time>-<kind>/``.

The sequence number orders them, never the time in the name: a clock that goes back would
otherwise make a new snapshot look oldest (pruned at once), and a clock that was once ahead would
make a stale snapshot look newest (restored by `tui doctor --repair`, losing what came after). The
time is there for people reading the directory, and for "the first write of the day".

Directories from before the sequence numbers (``<time>-<kind>``) count as older than any numbered
one. Used by the store, always under the store lock.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.fileio import copy_private, private_dir

#: How many snapshots of each kind to keep; other kinds (before a migration) keep OTHER_KEPT.
KEPT = {"write": 10, "daily": 14}
OTHER_KEPT = 5


def _order(folder: Path) -> tuple[int, str]:
    """Sort key: the sequence number, or -1 (older than any) for an unnumbered directory."""
    seq = folder.name.split("-", 1)[0]
    return (int(seq), folder.name) if seq.isdigit() else (-1, folder.name)


def _stamp(folder: Path) -> str:
    """The time part of a snapshot's name: ``20261120T093000123456Z``."""
    parts = folder.name.split("-")
    return parts[1] if parts[0].isdigit() and len(parts) > 2 else parts[0]


class Backups:
    def __init__(self, folder: Path, root: Path, names: tuple[str, ...]) -> None:
        self.folder = folder
        self.root = root
        self.names = names

    def all(self) -> list[Path]:
        """Every snapshot, newest first."""
        if not self.folder.is_dir():
            return []
        return sorted((p for p in self.folder.iterdir() if p.is_dir()), key=_order, reverse=True)

    def of_kind(self, kind: str) -> list[Path]:
        return [p for p in self.all() if p.name.endswith(f"-{kind}")]

    def newest_day(self, kind: str) -> str:
        """``YYYYMMDD`` of the newest snapshot of ``kind`` (by sequence), or ""."""
        newest = self.of_kind(kind)
        return _stamp(newest[0])[:8] if newest else ""

    def take(self, kind: str, now: datetime, copy: bool = False) -> Path:
        """Snapshot every data file: hard links (a true snapshot, since the store only ever
        replaces files), or with ``copy`` independent copies, which survive damage done to a file
        in place. Then prune the oldest of the same kind."""
        private_dir(self.folder)
        existing = self.all()
        seq = max((_order(p)[0] for p in existing), default=0) + 1
        target = self.folder / f"{seq:08d}-{now.astimezone(UTC).strftime('%Y%m%dT%H%M%S%fZ')}-{kind}"
        target.mkdir(mode=0o700)
        try:
            for name in self.names:
                source = self.root / name
                if not source.exists():
                    continue
                if not copy:
                    try:
                        os.link(source, target / name)
                        continue
                    except OSError:
                        pass
                copy_private(source, target / name)
        except OSError:
            shutil.rmtree(target, ignore_errors=True)  # never leave a partial snapshot to restore from
            raise
        for old in [p for p in [target, *existing] if p.name.endswith(f"-{kind}")][KEPT.get(kind, OTHER_KEPT):]:
            shutil.rmtree(old, ignore_errors=True)
        return target

    def newest_good(self, name: str, parse: Callable[[bytes], Any]) -> Path | None:
        """The newest snapshot holding a copy of ``name`` that ``parse`` accepts."""
        for backup in self.all():
            try:
                parse((backup / name).read_bytes())
            except (FileNotFoundError, ValueError):
                continue
            return backup
        return None

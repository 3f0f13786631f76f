"""Backups of a data directory, as functions of its root: snapshot, prune, restore, and the
parsing of each data file on its own, for `tui doctor` on a store that may not open.

Snapshots live in ``backups/<sequence>-<time>-<kind>/``. The sequence number orders them, never
the time in the name: a clock that goes back would otherwise make a new snapshot look oldest
(pruned at once), and a clock that was once ahead would make a stale snapshot look newest
(restored by `tui doctor --repair`, losing what came after). The time is there for people reading
the directory, and for "the first write of the day".

Directories from before the sequence numbers (``<time>-<kind>``) count as older than any numbered
one. Whatever changes the directory (:func:`take`, :func:`restore`) runs under the store lock,
which the caller holds.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from tui.fileio import atomic_write, copy_private, private_dir
from tui.models import ascii_int
from tui.store import journal
from tui.store.errors import StoreError
from tui.store.files import DATA_FILES, decode, decode_with_journal, token_of

FOLDER = "backups"
#: How many snapshots of each kind to keep; other kinds (before a migration) keep OTHER_KEPT.
KEPT = {"write": 10, "daily": 14}
OTHER_KEPT = 5

SIZE = ".size"
"""In a snapshot, beside a journal's name: how much of the (linked) journal was written when it
was taken (``queue.jnl.size``)."""

SOURCES = "copies.json"
"""In a snapshot: which files are copies, and of which live file (inode, size, time)."""

FileState = tuple[str, Mapping[str, Mapping[str, Any]] | None]
"""A data file as :func:`read_files` found it: ("ok", its tables), ("missing", None), or why it
does not parse (with the line) and None."""


def _order(folder: Path) -> tuple[int, str]:
    """Sort key: the sequence number, or -1 (older than any) for an unnumbered directory."""
    seq = ascii_int(folder.name.split("-", 1)[0])  # never int() of "²", which isdigit() takes
    return (seq, folder.name) if seq is not None else (-1, folder.name)


def _stamp(folder: Path) -> str:
    """The time part of a snapshot's name: ``20261120T093000123456Z``."""
    parts = folder.name.split("-")
    return parts[1] if parts[0].isdigit() and len(parts) > 2 else parts[0]


def snapshots(root: Path, kind: str = "") -> list[Path]:
    """Every snapshot (or every one of ``kind``), newest (last taken) first."""
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    found = sorted((p for p in folder.iterdir() if p.is_dir()), key=_order, reverse=True)
    return [p for p in found if p.name.endswith(f"-{kind}")] if kind else found


def newest_day(root: Path, kind: str) -> str:
    """``YYYYMMDD`` of the newest snapshot of ``kind`` (by sequence), or ""."""
    newest = snapshots(root, kind)
    return _stamp(newest[0])[:8] if newest else ""


def take(root: Path, kind: str, now: datetime, copy: bool = False) -> Path:
    """Snapshot every data file: hard links (a true snapshot of a file the store only ever
    replaces), or with ``copy`` independent copies, which survive damage done to a file in place.
    A journaled file (``queue.json``, ``contacts.json``) is always a copy: with its journal it
    stays in place across many writes, so a link would share any damage done to it, and a repair
    would go back to a day-old copy. A copy of a file unchanged since a snapshot copied it is that
    copy again, linked (no space taken twice). Then :func:`prune` the oldest of the same kind."""
    folder = root / FOLDER
    private_dir(folder)
    existing = snapshots(root)
    seq = max((_order(p)[0] for p in existing), default=0) + 1
    target = folder / f"{seq:08d}-{now.astimezone(UTC).strftime('%Y%m%dT%H%M%S%fZ')}-{kind}"
    target.mkdir(mode=0o700)
    copies = _copies(existing)
    sources: dict[str, list[int]] = {}
    try:
        for name in DATA_FILES:
            source = root / name
            try:
                st = source.stat()
            except FileNotFoundError:
                continue
            sig = [st.st_ino, st.st_size, st.st_mtime_ns]
            if name in copies and copies[name][0] == sig and _link(copies[name][1] / name, target / name):
                sources[name] = sig  # a snapshot's copy of this very file
            elif copy or name in journal.FILES:
                copy_private(source, target / name)
                sources[name] = sig
            elif not _link(source, target / name):
                copy_private(source, target / name)
        if sources:
            atomic_write(target / SOURCES, orjson.dumps(sources), durable=False)
        for name in journal.FILES:
            _take_journal(root / journal.name_of(name), target, copy)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)  # never leave a partial snapshot to restore from
        raise
    prune(root, kind)
    return target


def _link(source: Path, target: Path) -> bool:
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def _copies(existing: list[Path]) -> dict[str, tuple[Any, Path]]:
    """For each data file, the newest snapshot holding a copy of it, and the signature of the live
    file that copy was made from."""
    found: dict[str, tuple[Any, Path]] = {}
    for snapshot in existing:
        for name, sig in _sources(snapshot).items():
            found.setdefault(name, (sig, snapshot))
        if len(found) == len(DATA_FILES):
            break
    return found


def _sources(snapshot: Path) -> dict[str, Any]:
    """Which of a snapshot's files are copies, each with the signature of the file it copied."""
    try:
        found = orjson.loads((snapshot / SOURCES).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return found if isinstance(found, dict) else {}


def _take_journal(source: Path, target: Path, copy: bool) -> None:
    """A journal into a snapshot. It grows in place, so a link is a snapshot of its first bytes
    only: their number is written beside it (a copy takes just those)."""
    try:
        size = source.stat().st_size
    except FileNotFoundError:
        return
    linked = target / source.name
    if not copy:
        try:
            os.link(source, linked)
            atomic_write(target / (source.name + SIZE), str(size).encode(), durable=False)
            return
        except OSError:
            linked.unlink(missing_ok=True)
    with open(source, "rb") as f:
        atomic_write(linked, f.read(size), durable=False)


def journal_bytes(folder: Path, name: str) -> bytes | None:
    """The journal of the data file ``name`` as it was in a snapshot (or in the data directory
    itself), or None."""
    path = folder / journal.name_of(name)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    sized = path.with_name(path.name + SIZE)
    size = ascii_int(sized.read_text().strip()) if sized.exists() else None
    return raw[:size] if size is not None else raw


def read_file(folder: Path, name: str) -> dict[str, dict[str, Any]]:
    """A data file of the data directory or of a snapshot, as the store would read it (a journaled
    one with its journal). FileNotFoundError, or ValueError("line N: …")."""
    raw = (folder / name).read_bytes()
    return decode_with_journal(raw, journal_bytes(folder, name), name) if name in journal.FILES else decode(raw)


def prune(root: Path, kind: str) -> None:
    """Remove the oldest snapshots of ``kind`` beyond the number kept; then, while backups/ holds
    more than :data:`CAP` times the live data, the oldest daily copy, then the oldest write
    snapshot (never the newest of either, nor a copy taken before a migration). A tiny store
    keeps its snapshots within :data:`FLOOR` instead."""
    for old in snapshots(root, kind)[KEPT.get(kind, OTHER_KEPT) :]:
        shutil.rmtree(old, ignore_errors=True)
    budget = max(CAP * _usage([root / name for name in (*DATA_FILES, *map(journal.name_of, journal.FILES))]), FLOOR)
    while _usage([root / FOLDER]) > budget:
        oldest = next((s[-1] for s in (snapshots(root, "daily"), snapshots(root, "write")) if len(s) > 1), None)
        if oldest is None:
            return
        shutil.rmtree(oldest, ignore_errors=True)


CAP = 2
"""backups/ is kept within this many times the size of the live data files (or FLOOR)."""
FLOOR = 256 * 1024
"""What backups/ may hold however small the store: a tiny store's snapshots (a few files of a block
each) keep their number. Not on top of twice the data: from 128 KiB of data on, twice it is the cap."""


def _usage(paths: list[Path]) -> int:
    """Bytes on disk under ``paths``, each file once however many links it has."""
    seen: set[int] = set()
    total = 0
    for path in paths:
        for p in path.rglob("*") if path.is_dir() else [path]:
            try:
                st = os.lstat(p)
            except FileNotFoundError:
                continue
            if not os.path.isdir(p) and st.st_ino not in seen:
                seen.add(st.st_ino)
                total += st.st_blocks * 512
    return total


def read_files(root: Path) -> dict[str, FileState]:
    """Each data file, parsed on its own, so that one damaged file does not hide the others (a
    mapped one as lazy tables: see scan.py)."""
    from tui.store import scan

    result: dict[str, FileState] = {}
    for name in DATA_FILES:
        try:
            result[name] = ("ok", scan.read_file(root, name, root))
        except FileNotFoundError:
            orphan = name in journal.FILES and journal.holds_writes(root / journal.name_of(name), journal.FILES[name])
            result[name] = (f"missing, and {journal.name_of(name)} holds writes to it", None) if orphan else ("missing", None)
        except ValueError as exc:
            result[name] = (str(exc), None)
    return result


def newest_good(root: Path, name: str) -> Path | None:
    """The newest snapshot holding a copy of ``name`` that parses as the store would (scan.py)."""
    from tui.store import scan

    return next((backup for backup in snapshots(root) if scan.readable(backup, name, root)), None)


def deleted(root: Path, name: str) -> tuple[Path, str] | None:
    """A data file that is not there while the newest good copy of it in backups/ holds records:
    deleted (a sync tool, a slip in a shell), not never written. That snapshot, and the file's
    state in words; None for any other file."""
    if name == "meta.json" or (root / name).exists():
        return None
    backup = newest_good(root, name)
    held = sum(len(rows) for table, rows in read_file(backup, name).items() if not table.startswith("_")) if backup else 0
    return (backup, f"missing, though backup {backup.name} holds {held} record(s) of it") if backup and held else None


def _not_before_the_journal(root: Path, meta: bytes) -> bytes:
    """meta.json put back from a snapshot older than a journal (the copy before the migration to
    it) would let an older tui open a store whose writes are in queue.jnl or contacts.jnl, and
    miss them: the schema stays at least at that of each journal there is."""
    from tui.store.migrations import JOURNAL_SCHEMA

    try:
        record = decode(meta).get("meta", {}).get("1")
        schema = record.get("schema") if isinstance(record, dict) else None
    except ValueError:
        return meta
    least = max((JOURNAL_SCHEMA[name] for name in journal.FILES if _journaled(root, name)), default=0)
    if type(schema) is int and schema < least:
        return orjson.dumps({"meta": {"1": {"schema": least}}})
    return meta


def _journaled(root: Path, name: str) -> bool:
    """The data file ``name`` has a journal there, or was written to have one (its mark)."""
    try:
        return (root / journal.name_of(name)).exists() or journal.TOKEN in decode((root / name).read_bytes())
    except (OSError, ValueError):
        return False


def _token_in(raw: bytes) -> str | None:
    """The token a journaled file's bytes carry in their mark (ValueError when they do not parse)."""
    return token_of(decode(raw).get(journal.TOKEN))


def _aside(root: Path, name: str, now: datetime) -> Path:
    """Where a damaged file goes: ``name.damaged-<time>``, never over an earlier one (the clock may
    repeat)."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = root / f"{name}.damaged-{stamp}"
    for n in range(2, 1000):
        if not aside.exists():
            break
        aside = root / f"{name}.damaged-{stamp}-{n}"
    return aside


def repair_journal(root: Path, name: str, now: datetime) -> dict[str, Any] | None:
    """The repairs of a journaled data file (``name``: one of journal.FILES) that its journal calls
    for (``tui doctor --repair``), or None when there is none to make here (the file itself
    damaged: restore it from a snapshot):

    - damaged lines in the journal: every other line is kept (each holds whole documents); the
      damaged journal goes aside;
    - a journal that follows another such file (a hand edit, or an older copy put in place), or
      whose file is missing: the file it follows is put back from the newest snapshot holding
      it, the one here going aside."""
    live, tables = root / journal.name_of(name), journal.FILES[name]
    try:
        raw = live.read_bytes()
    except FileNotFoundError:
        return None
    try:
        here = _token_in((root / name).read_bytes())
        present = True
    except FileNotFoundError:
        here, present = None, False
    except ValueError:
        return None
    found = journal.read(raw, tables)
    if present and found.follows == here:
        if not found.damaged:
            return None
        aside = _aside(root, live.name, now)
        os.replace(live, aside)
        atomic_write(live, journal.without_damage(raw, tables))
        return {"lines_dropped": found.damaged, "lines_kept": len(found.writes), "damaged_copy": str(aside)}
    for snapshot in snapshots(root):
        try:
            payload = (snapshot / name).read_bytes()
            if found.follows is None or _token_in(payload) != found.follows:
                continue
        except (OSError, ValueError):
            continue
        aside = _aside(root, name, now)
        if present:
            os.replace(root / name, aside)
        atomic_write(root / name, payload)
        return {"from": str(snapshot), "damaged_copy": str(aside) if present else ""}
    if present and here is not None and found.writes:
        # No file anywhere is the one its first line names: that line is what is damaged. Every
        # write in it stands on its own (whole documents): they now follow the file here.
        aside = _aside(root, live.name, now)
        os.replace(live, aside)
        atomic_write(live, journal.header(here) + journal.without_damage(raw, tables).partition(b"\n")[2])
        return {"lines_dropped": [1, *found.damaged], "lines_kept": len(found.writes), "damaged_copy": str(aside)}
    return None


def restore(root: Path, name: str, backup: Path, now: datetime) -> Path:
    """Put the backup's copy of ``name`` in place. The damaged file is moved aside first
    (``name.damaged-<time>``), never overwritten. Returns where it went."""
    if name not in DATA_FILES:
        raise StoreError(f"{name}: not a store file")
    source, target = backup / name, root / name
    payload = source.read_bytes()
    aside = _aside(root, name, now)
    if target.exists():
        os.replace(target, aside)
        os.chmod(aside, 0o600)
    if name in journal.FILES:
        _restore_journal(root, name, backup, payload, aside)
    if name == "meta.json":
        payload = _not_before_the_journal(root, payload)
    atomic_write(target, payload)
    return aside


def _restore_journal(root: Path, name: str, backup: Path, base: bytes, aside: Path) -> None:
    """The journal to go with a file ``name`` put back from ``backup``: the live one when it
    follows that very copy (every write since is in it; a damaged line dropped, if any), else the
    one the snapshot holds. A journal replaced goes aside beside the damaged file."""
    live, tables = root / journal.name_of(name), journal.FILES[name]
    try:
        raw = live.read_bytes()
    except FileNotFoundError:
        raw = None
    try:
        token = _token_in(base)
    except ValueError:
        token = None
    follows = journal.read(raw, tables).follows if raw else None
    keep = journal.without_damage(raw, tables) if raw and token is not None and follows == token else b""
    if raw is not None and keep == raw:
        return
    if raw is not None:
        os.replace(live, aside.with_name(aside.name.replace(name, live.name, 1)))
    saved = keep or journal_bytes(backup, name)
    if saved:
        atomic_write(live, saved)

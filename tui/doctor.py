"""`tui doctor`: check a data directory without trusting it, and repair it from backups.

Works on a store that may not open, without opening it (that would stop at the first damaged file,
and migrate): every file is parsed on its own, so one damaged file does not hide the state of the
others. Pure core: no terminal code; the CLI prints the report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.clock import Clock, system_clock
from tui.fileio import LockHolder, ProcessLock, stray_temp_files
from tui.models import Contact, Decision, Request, wrong_types
from tui.store import backups, commit, journal, stream
from tui.store.errors import NoStore, StoreError
from tui.store.files import DATA_FILES
from tui.store.lock import holding, lock_state, store_lock
from tui.store.migrations import SCHEMA, schema_of

# The tables each file must hold, and the field every record of that table must carry.
_TABLES = {
    "meta.json": {"meta": "schema"},
    "contacts.json": {"contacts": "name"},
    "queue.json": {"requests": "name", "decisions": "request_id"},
}
# The record each table holds, and the letter its ids start with: their fields' types are checked.
_KINDS: dict[str, tuple[type, str]] = {"contacts": (Contact, "c"), "requests": (Request, "r"), "decisions": (Decision, "d")}
#: At most this many records with values of the wrong type are named, per table.
NAMED = 20


def _typed(name: str, table: str, found: list[tuple[str, list[str], dict[str, Any]]], more: int) -> list[str]:
    """One line for each record (up to :data:`NAMED`) holding a value of a type tui does not keep
    there: reading turns it into text (a command goes on), but the file is not as tui wrote it.
    ``found``: the first such records (id, the fields, the document); ``more``: how many others."""
    if not found:
        return []
    prefix = _KINDS[table][1]
    lines = [
        f"{name}: {prefix}{key}: "
        + "; ".join(f"{field} is {_kind(doc[field])}, not {_WANTED.get(field, 'text')}" for field in wrong)
        + " (read as text; fix the file or import the record again)"
        for key, wrong, doc in found
    ]
    if more:
        lines.append(f"{name}: and {more} more {table} record(s) with values of the wrong type")
    return lines


_WANTED = {
    "emails": "a list of texts",
    "urls": "a list of texts",
    "tags": "a list of texts",
    "phones": "a list of texts",
    "nicknames": "a list of texts",
    "also_on": "a list of texts",
    "answers": "rule answers (an object of true/false)",
    "before": "an object",
}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        odd = [v for v in value if type(v) is not str][:1]
        return "a list" + (f" holding {_kind(odd[0])}" if odd else " of texts")
    return "an object"


def _records(read: Mapping[str, tuple[str, Mapping[str, Any] | None]]) -> tuple[dict[str, int], list[str]]:
    """Record counts per table, and what is wrong inside files that do parse: every document gone
    through once (a mapped file's a chunk at a time, never held whole)."""
    counts: dict[str, int] = {}
    problems: list[str] = []
    for name, (_, data) in read.items():
        if data is None:
            continue
        for table, required in _TABLES[name].items():
            rows = data.get(table, {})
            requests = data.get("requests") if table == "decisions" else None  # (a lookup by id: answered by the map)
            kind = _KINDS.get(table, (None, ""))[0]
            n, more, bad, orphans = 0, 0, [], []
            wrong: list[tuple[str, list[str], dict[str, Any]]] = []
            for key, doc in stream.documents(rows):
                n += 1
                if not isinstance(doc, dict):
                    bad.append(key)
                    continue
                if required not in doc:
                    bad.append(key)
                if kind is not None and (fields := wrong_types(kind, doc)):
                    if len(wrong) < NAMED:
                        wrong.append((key, fields, doc))
                    else:
                        more += 1
                rid = str(doc.get("request_id", ""))  # a decision about contacts (merge-contacts) names no request
                if requests is not None and not rid.startswith("c") and rid[1:] not in requests:
                    orphans.append(key)
            counts[table] = n
            if bad:
                problems.append(f"{name}: {len(bad)} {table} record(s) lack {required!r} (first: {bad[0]})")
            problems += _typed(name, table, wrong, more)
            if orphans:
                problems.append(f"queue.json: {len(orphans)} decision(s) refer to a request that does not exist (first: d{orphans[0]})")
    return counts, problems


def _states(root: Path, read: Mapping[str, tuple[str, Any]]) -> dict[str, str]:
    """Each data file's state. A file that is not there though a backup holds records of it was
    deleted (a sync tool, a slip in a shell), not never written: the store would read as empty."""
    states = {}
    for name, (state, _) in read.items():
        found = backups.deleted(root, name) if state == "missing" else None
        states[name] = found[1] if found else state
    return states


def _lock(root: Path, lock: ProcessLock) -> tuple[str, dict[str, Any] | None, list[str]]:
    """The lock as the report says it, its holder, and what is wrong with it. A held lock is
    never healthy: every write waits for it (a stopped holder never lets go)."""
    state, holder = lock_state(lock)
    if state == "free":
        return "free", None, []
    if state != "held":
        return state, None, [f"{root}: the store {state}: tui can read it, but no command can change it"]
    if holder is None:
        return "held by another process", None, [".lock: held by another process (it did not say which): every write waits for it"]
    said = f"held by {holder}"
    if holder.stopped:
        problem = f"{said}, which is stopped and will not let go: every write waits for it; resume it (kill -CONT {holder.pid}) or end it"
    else:
        problem = f"{said}: every write waits for it; if this lasts, see what PID {holder.pid} is doing"
    return said, _holder(holder), [f".lock: {problem}"]


def _holder(holder: LockHolder) -> dict[str, Any]:
    return {"pid": holder.pid, "command": holder.command, "stopped": holder.stopped}


def _repair(root: Path, files: dict[str, str], lock: ProcessLock, now: datetime) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Restore each damaged file from the newest backup holding a good copy, under the lock:
    what was restored (from where, and where the damaged copy went), and what could not be."""
    repaired: dict[str, dict[str, Any]] = {}
    unrepairable: list[str] = []
    for name, state in files.items():
        journaled = name in journal.FILES and (root / journal.name_of(name)).exists()
        if state in ("ok", "missing") and not journaled:
            continue
        if journaled:
            with holding(lock, root):
                fixed = backups.repair_journal(root, name, now)
            if fixed is not None:
                repaired[journal.name_of(name) if "lines_dropped" in fixed else name] = fixed
                continue
            if state in ("ok", "missing"):
                continue
        backup = backups.newest_good(root, name)
        if backup is None:
            unrepairable.append(name)
            continue
        there = (root / name).exists()  # (a deleted file leaves no damaged copy to keep)
        with holding(lock, root):
            aside = backups.restore(root, name, backup, now)
        repaired[name] = {"from": str(backup), "damaged_copy": str(aside) if there else ""}
    return repaired, unrepairable


def examine(
    root: Path, repair: bool = False, on_lock_wait: Callable[[LockHolder | None], None] | None = None, clock: Clock = system_clock
) -> dict[str, Any]:
    """Everything `tui doctor` reports. With ``repair``, damaged files are first restored from the
    newest backup that holds a good copy; the damaged file is kept beside it, never deleted.
    :class:`NoStore` when there is no data directory (nothing is created)."""
    if not root.is_dir():
        raise NoStore.at(root)
    lock = store_lock(root, on_wait=on_lock_wait)
    if repair and (root / commit.RECORD).exists():
        with holding(lock, root):  # a write of two files a kill left half renamed: made whole first
            commit.finish(root, DATA_FILES)
    read = backups.read_files(root)
    files = _states(root, read)
    repaired: dict[str, dict[str, Any]] = {}
    unrepairable: list[str] = []
    if repair:
        repaired, unrepairable = _repair(root, files, lock, clock())
        if repaired:
            read = backups.read_files(root)
            files = _states(root, read)
    damaged = [name for name, state in files.items() if state not in ("ok", "missing")]
    counts, problems = _records(read)
    has_data = files["contacts.json"] != "missing" or files["queue.json"] != "missing"
    try:
        schema = schema_of(read["meta.json"][1], has_data) if files["meta.json"] in ("ok", "missing") else None
    except StoreError as exc:
        schema = None
        problems.append(str(exc))
    if schema is not None and schema > SCHEMA:
        problems.append(f"meta.json: schema {schema} was written by a newer tui (this one knows {SCHEMA}); upgrade tui")
    snapshots = backups.snapshots(root)
    half_committed = (root / commit.RECORD).exists()  # the files as they lie may be half of it, half before
    copies = {name: _backup_copies(root, snapshots, name) for name in DATA_FILES if files[name] != "missing"}
    lock_said, holder, lock_problems = _lock(root, lock)
    problems += lock_problems
    return {
        "data": str(root),
        "files": files,
        "records": counts,
        "schema": schema,
        "schema_supported": SCHEMA,
        "lock": lock_said,
        "lock_holder": holder,
        "backups": [str(b) for b in snapshots],
        "good_backup": {name: good for name, (good, _) in copies.items()},
        "damaged_backups": {name: bad for name, (_, bad) in copies.items() if bad},
        "stray_temp_files": [str(p) for p in stray_temp_files(root)],
        "half_committed": half_committed,
        "repaired": repaired,
        "unrepairable": unrepairable,
        "problems": problems,
        "healthy": not damaged and not problems and not half_committed,
    }


def _backup_copies(root: Path, snapshots: list[Path], name: str) -> tuple[str | None, list[str]]:
    """The newest snapshot whose copy of ``name`` reads as the store would read it, and the newer
    ones whose copy does not (damaged: a repair would pass over them)."""
    from tui.store import scan

    damaged: list[str] = []
    for backup in snapshots:  # (as backups.newest_good goes through them)
        if scan.readable(backup, name, root):
            return str(backup), damaged
        if (backup / name).exists():
            damaged.append(str(backup / name))
    return None, damaged

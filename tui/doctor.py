"""`tui doctor`: check a data directory without trusting it, and repair it from backups.

Works on a store that may not open: every file is parsed on its own, so one damaged file does not
hide the state of the others. Pure core: no terminal code; the CLI prints the report.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui.fileio import LockHolder, stray_temp_files
from tui.store import DATA_FILES, SCHEMA, NoStore, Store

# The tables each file must hold, and the field every record of that table must carry.
_TABLES = {"meta.json": {"meta": "schema"}, "contacts.json": {"contacts": "name"}, "queue.json": {"requests": "name", "decisions": "request_id"}}


def _records(read: dict[str, tuple[str, dict[str, Any] | None]]) -> tuple[dict[str, int], list[str]]:
    """Record counts per table, and what is wrong inside files that do parse."""
    counts: dict[str, int] = {}
    problems: list[str] = []
    loaded: dict[str, dict[str, Any]] = {}
    for name, (_, data) in read.items():
        if data is None:
            continue
        for table, required in _TABLES[name].items():
            rows = data.get(table, {})
            counts[table] = len(rows)
            loaded[table] = rows
            bad = [key for key, doc in rows.items() if not isinstance(doc, dict) or required not in doc]
            if bad:
                problems.append(f"{name}: {len(bad)} {table} record(s) lack {required!r} (first: {bad[0]})")
    if "requests" in loaded and "decisions" in loaded:
        orphans = [k for k, d in loaded["decisions"].items() if isinstance(d, dict) and str(d.get("request_id", ""))[1:] not in loaded["requests"]]
        if orphans:
            problems.append(f"queue.json: {len(orphans)} decision(s) refer to a request that does not exist (first: d{orphans[0]})")
    return counts, problems


def _lock(store: Store) -> tuple[str, dict[str, Any] | None, list[str]]:
    """The lock as the report says it, its holder, and what is wrong with it. A held lock is
    never healthy: every write waits for it (a stopped holder never lets go)."""
    state, holder = store.lock_state()
    if state == "free":
        return "free", None, []
    if state != "held":
        return state, None, [f"{store.root}: the store {state}: tui can read it, but no command can change it"]
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


def examine(root: Path, repair: bool = False, on_lock_wait: Callable[[LockHolder | None], None] | None = None) -> dict[str, Any]:
    """Everything `tui doctor` reports. With ``repair``, damaged files are first restored from the
    newest backup that holds a good copy; the damaged file is kept beside it, never deleted.
    :class:`NoStore` when there is no data directory (nothing is created)."""
    if not root.is_dir():
        raise NoStore.at(root)
    store = Store(root)  # not Store.open: that stops at the first damaged file, and would migrate
    store.on_lock_wait = on_lock_wait
    read = store.read_files()
    files = {name: state for name, (state, _) in read.items()}
    repaired: dict[str, dict[str, str]] = {}
    unrepairable: list[str] = []
    if repair:
        for name, state in files.items():
            if state in ("ok", "missing"):
                continue
            backup = store.newest_good_backup(name)
            if backup is None:
                unrepairable.append(name)
                continue
            repaired[name] = {"from": str(backup), "damaged_copy": str(store.restore(name, backup))}
        if repaired:
            read = store.read_files()
            files = {name: state for name, (state, _) in read.items()}
    damaged = [name for name, state in files.items() if state not in ("ok", "missing")]
    counts, problems = _records(read)
    schema = store.schema_version() if files.get("meta.json") in ("ok", "missing") else None
    if schema is not None and schema > SCHEMA:
        problems.append(f"meta.json: schema {schema} was written by a newer tui (this one knows {SCHEMA}); upgrade tui")
    backups = store.list_backups()
    lock, holder, lock_problems = _lock(store)
    problems += lock_problems
    return {
        "data": str(root),
        "files": files,
        "records": counts,
        "schema": schema,
        "schema_supported": SCHEMA,
        "lock": lock,
        "lock_holder": holder,
        "backups": [str(b) for b in backups],
        "good_backup": {name: str(b) if (b := store.newest_good_backup(name)) else None for name in DATA_FILES if files[name] != "missing"},
        "stray_temp_files": [str(p) for p in stray_temp_files(root)],
        "repaired": repaired,
        "unrepairable": unrepairable,
        "problems": problems,
        "healthy": not damaged and not problems,
    }

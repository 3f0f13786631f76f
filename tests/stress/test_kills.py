"""110 SIGKILLs at random points: during plain writes, journal appends and compactions (of each journal), an import and a migration.

After every kill the store must open, the next start must remove the killed writer's temp files,
and every write the killer acknowledged (printed after the call returned) must be there.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import time
from pathlib import Path

import pytest

from tests.figures import FIGURES
from tests.stress.conftest import Child, stray_temps
from tui.store import SCHEMA, Store

pytestmark = pytest.mark.slow

WRITE_KILLS, IMPORT_KILLS, MIGRATION_KILLS = 30, 10, 10

WRITER = """
import sys
from tui.store import Store
from tui.models import Contact, Request
store = Store.open(sys.argv[1])
start = int(sys.argv[2])
print("go", flush=True)
for i in range(start, start + 100_000):
    kind = i % 4
    if kind == 0:  # both files written whole, together (an added contact alone is a journal line)
        store.import_records([Contact(name=f"Killed Contact {i}")], [Request(name=f"Killed Asker {i}", emails=[f"asker{i}@example.org"])])
    else:
        r = store.add_request(Request(name=f"Killed Request {i}"))
        if kind == 2:
            store.record_decision(r.id, "decline")
        elif kind == 3:
            store.record_decision(r.id, "accept")
            store.undo_last(r.id)
    print(i, flush=True)
"""


def check_acknowledged(store: Store, acked: list[int]) -> None:
    contacts = {c.name for c in store.contacts()}
    killed = [r for r in store.requests() if r.name.startswith("Killed")]
    requests = {r.name: r for r in killed}
    assert len(requests) == len(killed), "a request was stored twice"
    for i in acked:
        if i % 4 == 0:
            assert f"Killed Contact {i}" in contacts, i
        else:
            request = requests[f"Killed Request {i}"]
            assert request.status == ("declined" if i % 4 == 2 else "pending"), (i, request.status)


def check_together(store: Store) -> None:
    """Each write of both files landed whole or not at all, acknowledged or not (commit.json: a
    kill between the two renames left the contact without its request in 1 run of 3-4 before)."""
    contacts = {c.name.removeprefix("Killed Contact ") for c in store.contacts() if c.name.startswith("Killed Contact ")}
    askers = {r.name.removeprefix("Killed Asker ") for r in store.requests() if r.name.startswith("Killed Asker ")}
    assert contacts == askers, (sorted(contacts ^ askers), "half of a write of two files")


def reopen(data: Path) -> Store:
    """The next start after a crash: it must open, and it must sweep the temp files away."""
    store = Store.open(data)
    assert stray_temps(data) == []
    return store


def test_kills_during_plain_writes(tmp_path: Path, rng: random.Random) -> None:
    from bench.worlds import make_big_store

    data = tmp_path / "data"
    make_big_store(data, contacts=5_000, pending=300)  # big enough that a contacts write takes a while
    acked: list[int] = []
    mid_write = 0
    for n in range(WRITE_KILLS):
        child = Child(WRITER, str(data), str(n * 100_000))
        child.wait_ready()
        child.wait_acks(1)
        assert child.kill_after(rng.uniform(0.0, 0.6)), "the writer exited by itself"
        acked += [int(line) for line in child.acked]
        mid_write += bool(stray_temps(data))
        check_acknowledged(store := reopen(data), acked)
        check_together(store)
    assert len(acked) >= 10, "too few writes were acknowledged for the test to mean anything"
    FIGURES["kills survived (plain writes)"] += WRITE_KILLS
    FIGURES["kills that landed inside a file write (temp file left)"] += mid_write
    FIGURES["writes acknowledged before kills, all kept"] += len(acked)


def connections_csv(path: Path, rows: int) -> list[str]:
    names = []
    with path.open("w", newline="", encoding="utf-8") as f:
        f.write("Notes:\nThe export of your connections.\n\n")
        out = csv.writer(f)
        out.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"])
        for i in range(rows):
            first, last = f"Imported{i}", f"Person{i % 97}"
            out.writerow([first, last, f"https://www.linkedin.com/in/imported-{i}", f"imp{i}@example.net", "Acme", "CTO", "01 Mar 2024"])
            names.append(f"{first} {last}")
    return names


IMPORTER = """
import sys
from tui.cli import main
print("go", flush=True)
sys.argv = ["tui", "import", sys.argv[1]]
try:
    main()
except SystemExit as exc:
    if exc.code not in (0, None):
        raise
print("imported", flush=True)
"""


def calibrate(script: str, *args: str, env: dict[str, str] | None = None) -> float:
    """How long the work takes from ``go`` to exit, run once to completion; kills are drawn
    uniformly over that span so that they land during the work, not after it."""
    child = Child(script, *args, env=env)
    child.wait_ready()
    started = time.monotonic()
    assert child.finish() == "", "the calibration run failed"
    return time.monotonic() - started


def test_kills_during_an_import(tmp_path: Path, rng: random.Random) -> None:
    base = tmp_path / "base"
    store = Store.open(base)
    kept = [store.add_contact(_contact(f"Already Here {i}")).name for i in range(50)]
    source = tmp_path / "Connections.csv"
    names = connections_csv(source, 4_000)
    shutil.copytree(base, tmp_path / "calibration")
    span = calibrate(IMPORTER, str(source), env={"TUI_DATA_DIR": str(tmp_path / "calibration")})
    killed = completed = 0
    for n in range(3 * IMPORT_KILLS):
        if killed == IMPORT_KILLS:
            break
        data = tmp_path / f"data{n}"
        shutil.copytree(base, data)
        child = Child(IMPORTER, str(source), env={"TUI_DATA_DIR": str(data)})
        child.wait_ready()
        killed += child.kill_after(rng.uniform(0.0, span))
        FIGURES["kills that landed inside a file write (temp file left)"] += bool(stray_temps(data))
        have = [c.name for c in reopen(data).contacts()]
        assert set(kept) <= set(have)
        if "imported" in child.acked:
            completed += 1
            assert set(names) <= set(have)
        assert len(have) == len(set(have)), "an interrupted import duplicated contacts"
    # An import can always be run again after a kill, and never duplicates what the killed run left.
    child = Child(IMPORTER, str(source), env={"TUI_DATA_DIR": str(data)})
    child.wait_ready()
    assert child.finish() == "" and "imported" in child.acked
    have = [c.name for c in reopen(data).contacts()]
    assert sorted(have) == sorted(kept + names)
    assert killed == IMPORT_KILLS, f"only {killed} imports were killed before they ended"
    FIGURES["kills survived (import)"] += killed
    FIGURES["imports that finished before their kill, all rows kept"] += completed


def _contact(name: str):
    from tui.models import Contact

    return Contact(name=name)


def schema0_store(root: Path, contacts: int, requests: int) -> None:
    """A store as schema 0 wrote it: no meta.json, list fields as plain strings, no added_at."""
    root.mkdir(parents=True)
    people = {
        str(i): {"name": f"Old Contact {i}", "emails": f"old{i}@example.org", "urls": f"https://x.com/old{i}", "tags": "old"}
        for i in range(1, contacts + 1)
    }
    queue = {
        str(i): {"name": f"Old Request {i}", "emails": f"req{i}@example.org", "status": "pending", "sent_at": "2024-05-01T09:00:00Z"}
        for i in range(1, requests + 1)
    }
    (root / "contacts.json").write_text(json.dumps({"contacts": people}))
    (root / "queue.json").write_text(json.dumps({"requests": queue, "decisions": {}}))


MIGRATOR = """
import sys
from tui.store import Store
print("go", flush=True)
Store.open(sys.argv[1])
print("migrated", flush=True)
"""


def test_kills_during_a_migration(tmp_path: Path, rng: random.Random) -> None:
    template = tmp_path / "v0"
    schema0_store(template, contacts=20_000, requests=2_000)
    shutil.copytree(template, tmp_path / "calibration")
    span = calibrate(MIGRATOR, str(tmp_path / "calibration"))
    killed = 0
    for n in range(3 * MIGRATION_KILLS):
        if killed == MIGRATION_KILLS:
            break
        data = tmp_path / f"data{n}"
        shutil.copytree(template, data)
        child = Child(MIGRATOR, str(data))
        child.wait_ready()
        killed += child.kill_after(rng.uniform(0.0, span))
        FIGURES["kills that landed inside a file write (temp file left)"] += bool(stray_temps(data))
        store = reopen(data)  # finishes the migration the killed process started
        assert store.schema_version() == SCHEMA
        contacts, requests = store.contacts(), store.requests()
        assert len(contacts) == 20_000 and len(requests) == 2_000
        assert all(c.emails == [f"old{c.id[1:]}@example.org"] and c.tags == ["old"] for c in contacts)
        assert all(r.emails and r.added_at for r in requests)
        assert any(b.name.endswith("schema0") for b in store.list_backups())
    assert killed == MIGRATION_KILLS, f"only {killed} migrations were killed before they ended"
    FIGURES["kills survived (migration)"] += killed


JOURNAL_WRITER = """
import sys
import tui.store.journal as journal
journal.MIN_COMPACT = 4096  # a compaction every few writes, so that kills land in them too
from tui.store import Store
from tui.models import Contact, Request
store = Store.open(sys.argv[1])
start = int(sys.argv[3])
print("go", flush=True)
for i in range(start, start + 100_000):
    if sys.argv[2] == "contacts.json":
        store.add_contact(Contact(name=f"Killed Contact {i}", notes="x" * 300))
        print(i, flush=True)
        continue
    r = store.add_request(Request(name=f"Killed Request {i}", message="x" * 300))
    if i % 4 == 2:
        store.record_decision(r.id, "decline")
    elif i % 4 == 3:
        store.record_decision(r.id, "accept")
        store.undo_last(r.id)
    print(i, flush=True)
"""


def _journal_state(data: Path, name: str) -> str:
    """What a kill left of the journal: none, one that follows its file, or a stale one (the
    kill came between a compaction's new file and the old journal's removal)."""
    import orjson

    from tui.store import journal

    path = journal.path_of(data / name)
    if not path.exists():
        return "none"
    token = orjson.loads((data / name).read_bytes()).get(journal.TOKEN, {}).get("base")
    first = path.read_bytes().split(b"\n", 1)[0]
    return "follows" if orjson.loads(first).get("base") == token else "stale"


def _acknowledged_kept(store: Store, name: str, acked: list[int]) -> None:
    if name == "contacts.json":
        contacts = [c.name for c in store.contacts()]
        assert len(set(contacts)) == len(contacts), "a contact was stored twice"
        assert {f"Killed Contact {i}" for i in acked} <= set(contacts)
        return
    stored = store.requests()
    assert len({r.name for r in stored}) == len(stored), "a request was stored twice"
    requests = {r.name: r.status for r in stored}
    assert all(requests[f"Killed Request {i}"] == ("declined" if i % 4 == 2 else "pending") for i in acked)


@pytest.mark.parametrize("name", ["queue.json", "contacts.json"])
def test_kills_during_journal_appends_and_compactions(tmp_path: Path, rng: random.Random, name: str) -> None:
    """Every write here changes one journaled file alone (the queue, or the contacts): each is a
    journal append, and every few of them a compaction (the file written whole, the journal
    removed). Kills land in both."""
    data = tmp_path / "data"
    store = Store.open(data)
    for i in range(40):
        store.add_request(_request(f"Already Here {i}"))
        store.add_contact(_contact(f"Already Here {i}"))
    acked: list[int] = []
    compactions = stale = appended = 0
    for n in range(WRITE_KILLS):
        inode = (data / name).stat().st_ino
        child = Child(JOURNAL_WRITER, str(data), name, str(n * 100_000))
        child.wait_ready()
        child.wait_acks(1)
        assert child.kill_after(rng.uniform(0.0, 0.4)), "the writer exited by itself"
        acked += [int(line) for line in child.acked]
        compactions += (data / name).stat().st_ino != inode
        state = _journal_state(data, name)
        stale, appended = stale + (state == "stale"), appended + (state == "follows")
        _acknowledged_kept(reopen(data), name, acked)
    assert compactions >= 5, "too few compactions for the kills to have landed near one"
    assert appended >= 5, "too few kills left a journal: the writes were not appended"
    FIGURES[f"kills survived (journal appends and compactions of {name})"] += WRITE_KILLS
    FIGURES["compactions during those kill runs"] += compactions
    FIGURES["kills that left a stale journal beside a compacted file"] += stale
    FIGURES["writes acknowledged before kills, all kept"] += len(acked)


def _contact(name: str):
    from tui.models import Contact

    return Contact(name=name)


def _request(name: str):
    from tui.models import Request

    return Request(name=name)

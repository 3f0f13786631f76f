"""A store damaged between runs: every command stops with a clear error and the backup's path, the
damaged file is never overwritten, and `tui doctor` finds and repairs it. Real `tui` processes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.figures import FIGURES
from tests.stress.conftest import Child, tui
from tui.store import SCHEMA, Store

pytestmark = pytest.mark.slow

DAMAGE = b'{"contacts": {"1": {"name": "Ann"'


def test_every_command_stops_with_the_path_of_a_good_backup(sample: Path) -> None:
    contacts = sample / "contacts.json"
    contacts.write_bytes(DAMAGE)  # damaged in place, as a disk fault or an editor would
    for args in (
        ["list"],
        ["add", "Ann"],
        ["decide", "r2", "decline"],
        ["import", str(ROOT / "sample_data" / "requests.csv")],
        ["triage"],
        ["export"],
    ):
        result = tui(sample, *args)
        assert result.returncode == 3, (args, result)
        message = result.stderr.strip()
        assert "Traceback" not in result.stderr and "\n" not in message
        assert message.startswith(f"error: {contacts}: cannot be read (line 1:") and "nothing was changed" in message
        backup = Path(message.split("newest good backup: ")[1].split(";")[0])
        assert json.loads(backup.read_bytes())["contacts"], "the backup named must hold a good copy"
        assert contacts.read_bytes() == DAMAGE, "the damaged file was overwritten"
        FIGURES["commands refused on a corrupt store, file untouched"] += 1


def test_doctor_checks_then_repairs(sample: Path) -> None:
    requests_before = sorted((r.name, r.status) for r in Store.open(sample).requests())
    contacts_before = sorted(c.name for c in Store.open(sample).contacts())
    (sample / "contacts.json").write_bytes(DAMAGE)
    (sample / ".queue.json.999-0.tmp").write_bytes(b"half a write")

    check = tui(sample, "doctor")
    assert check.returncode == 3
    assert "✗ contacts.json  line 1:" in check.stdout and "✓ queue.json" in check.stdout
    assert "newest good copy of contacts.json: " in check.stdout and "run `tui doctor --repair`" in check.stdout
    assert "1 temp files from an interrupted write" in check.stdout
    report = json.loads(tui(sample, "doctor", "--json").stdout)
    assert report["schema"] == report["schema_supported"] == SCHEMA and report["lock"] == "free"
    assert report["records"]["requests"] == len(requests_before) and "contacts" not in report["records"]

    fixed = tui(sample, "doctor", "--repair")
    assert fixed.returncode == 0, fixed
    assert "restored contacts.json from " in fixed.stdout and fixed.stdout.strip().endswith("healthy")
    aside = next(sample.glob("contacts.json.damaged-*"))
    assert aside.read_bytes() == DAMAGE
    source = Path(fixed.stdout.split("restored contacts.json from ")[1].split(";")[0])
    in_backup = json.loads((source / "contacts.json").read_bytes())["contacts"]
    store = Store.open(sample)
    # Damage in place reaches the snapshots linked to that inode, so the copy is from before the
    # last write of contacts.json whole; the live contacts.jnl, which follows that copy, holds every
    # contact added since (the imports of contacts alone): none is lost, and neither is the queue.
    assert 0 < len(in_backup) < len(contacts_before)
    assert sorted(c.name for c in store.contacts()) == contacts_before
    assert sorted((r.name, r.status) for r in store.requests()) == requests_before
    assert not list(sample.glob(".*.tmp")), "the next start sweeps the temp file"
    assert tui(sample, "list").returncode == 0


def test_doctor_reports_a_held_lock_a_newer_schema_and_broken_records(sample: Path) -> None:
    holder = Child(
        "import sys, time\nfrom tui.store import Store\ns = Store.open(sys.argv[1])\nwith s._locked():\n    print('go', flush=True)\n    time.sleep(60)\n",
        str(sample),
    )
    holder.wait_ready()
    try:
        report = json.loads(tui(sample, "doctor", "--json").stdout)
        assert report["lock"].startswith(f"held by PID {holder.proc.pid} (") and report["healthy"] is False
    finally:
        holder.kill_after(0)
    assert json.loads(tui(sample, "doctor", "--json").stdout)["lock"] == "free"

    meta = sample / "meta.json"
    meta.write_text('{"meta": {"1": {"schema": 7}}}')
    result = tui(sample, "doctor")
    assert result.returncode == 3 and "schema 7 was written by a newer tui" in result.stdout
    listing = tui(sample, "list")
    assert listing.returncode == 1 and "upgrade tui" in listing.stderr
    meta.write_text('{"meta": {"1": {"schema": 1}}}')

    queue = sample / "queue.json"
    data = json.loads(queue.read_text())
    data["requests"]["5"] = {"title": "no name"}
    queue.write_text(json.dumps(data))
    result = tui(sample, "doctor")
    assert result.returncode == 3 and "1 requests record(s) lack 'name' (first: 5)" in result.stdout


def test_no_backup_at_all_is_said_plainly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "queue.json").write_bytes(b"\x00\x01 not json")
    (data / "meta.json").write_text('{"meta": {"1": {"schema": 1}}}')
    result = tui(data, "list")
    assert result.returncode == 3 and "no backup holds a good copy" in result.stderr
    repair = tui(data, "doctor", "--repair")
    assert repair.returncode == 3 and "damaged, and no backup holds a good copy" in repair.stderr
    assert (data / "queue.json").read_bytes() == b"\x00\x01 not json"
    assert os.listdir(data) and not list(data.glob("queue.json.damaged-*"))


def test_doctor_names_a_damaged_backup_while_the_store_itself_is_sound(sample: Path) -> None:
    """An outside attack: the newest backup's copy of contacts.json damaged, or every one of them,
    and `tui doctor` said healthy and nothing else (its JSON named an older good copy, no more)."""
    snapshots = sorted((p for p in (sample / "backups").iterdir() if (p / "contacts.json").exists()), reverse=True)
    assert snapshots, "the sample's import left a backup"
    newest = snapshots[0] / "contacts.json"
    data = newest.read_bytes()
    newest.unlink()  # (its own copy: the backups may share one file)
    newest.write_bytes(data[: len(data) // 2])
    check = tui(sample, "doctor")
    assert check.returncode == 0 and check.stdout.splitlines()[-1] == "healthy"  # the store itself is sound
    assert f"! backup copy damaged: {newest}" in check.stdout, check.stdout
    report = json.loads(tui(sample, "doctor", "--json").stdout)
    assert report["damaged_backups"] == {"contacts.json": [str(newest)]}

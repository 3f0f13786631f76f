"""The migration to the journal's layout (schema 1 to 2) on a store of 100k contacts and 20k
requests, through the real installed ``tui``: a full copy first, every document unchanged, the
files private, and then decisions written to the journal and read back."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import orjson
import pytest

from tests.conftest import TUI, subprocess_env
from tui.store import SCHEMA

pytestmark = pytest.mark.slow

CONTACTS, REQUESTS = 100_000, 20_000


def schema1_store(root: Path) -> tuple[bytes, bytes]:
    """A store as schema 1 wrote it: meta.json, contacts.json and queue.json, no journal."""
    root.mkdir(parents=True, mode=0o700)
    contacts = {
        str(i): {"name": f"Contact {i} Person{i % 997}", "company": f"Firm {i % 3001}", "emails": [f"c{i}@example.org"]}
        for i in range(1, CONTACTS + 1)
    }
    requests = {
        str(i): {
            "name": f"Asker {i} Person{i % 991}",
            "status": "pending",
            "sent_at": f"2026-{1 + i % 9:02d}-{1 + i % 28:02d}",
            "added_at": "2026-10-01T09:00:00Z",
        }
        for i in range(1, REQUESTS + 1)
    }
    files = {
        "meta.json": orjson.dumps({"meta": {"1": {"schema": 1}}}),
        "contacts.json": orjson.dumps({"contacts": contacts}),
        "queue.json": orjson.dumps({"requests": requests, "decisions": {}}),
    }
    for name, payload in files.items():
        (root / name).write_bytes(payload)
        os.chmod(root / name, 0o600)
    return files["contacts.json"], files["queue.json"]


def test_a_100k_store_migrates_to_the_journal_with_a_copy_first(tmp_path: Path) -> None:
    data = tmp_path / "data"
    contacts, queue = schema1_store(data)
    env = subprocess_env(data)
    decided = subprocess.run([TUI, "decide", "r7", "decline"], env=env, capture_output=True, text=True, timeout=300)
    assert decided.returncode == 0, decided.stderr
    copies = [b for b in (data / "backups").iterdir() if b.name.endswith("-schema1")]
    assert len(copies) == 1 and (copies[0] / "contacts.json").read_bytes() == contacts and (copies[0] / "queue.json").read_bytes() == queue
    assert (copies[0] / "queue.json").stat().st_ino != (data / "queue.json").stat().st_ino  # a copy, not a link
    assert orjson.loads((data / "meta.json").read_bytes())["meta"]["1"]["schema"] == SCHEMA == 3
    assert (data / "contacts.json").read_bytes() == contacts  # the contacts needed no change
    for rid in ("r8", "r9"):
        assert subprocess.run([TUI, "decide", rid, "accept"], env=env, capture_output=True, timeout=120).returncode == 0
    assert (data / "queue.jnl").exists()
    listed = subprocess.run([TUI, "list", "--status", "all", "--json"], env=env, capture_output=True, timeout=120)
    records = {r["id"]: r for r in map(orjson.loads, listed.stdout.splitlines())}
    assert (
        len(records) == REQUESTS
        and records["r7"]["status"] == "declined"
        and records["r8"]["status"] == records["r9"]["status"] == "accepted"
    )
    before = orjson.loads(queue)["requests"]
    assert all(records[f"r{k}"]["name"] == doc["name"] for k, doc in before.items())
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in data.iterdir() if p.is_file())

"""Real processes against one store: the lock, and writers killed mid-write."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tui.store import Store

pytestmark = pytest.mark.slow

ADDER = """
import sys
from tui.cli import app
worker, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    try:
        app(["add", f"Worker {worker} Person {i}", "--email", f"w{worker}p{i}@example.org"], prog_name="tui")
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
"""


def test_eight_processes_adding_keep_every_record(tmp_path: Path) -> None:
    data = tmp_path / "data"
    Store.open(data)
    env = dict(os.environ, TUI_DATA_DIR=str(data), PYTHONPATH=str(ROOT))
    reads, bad_reads = 0, []
    stop = threading.Event()

    def reader() -> None:
        nonlocal reads
        queue = data / "queue.json"
        while not stop.is_set():
            try:
                raw = queue.read_bytes()
            except FileNotFoundError:
                continue
            try:
                json.loads(raw)
                reads += 1
            except ValueError as exc:
                bad_reads.append(str(exc))

    watcher = threading.Thread(target=reader)
    watcher.start()
    workers = [subprocess.Popen([sys.executable, "-c", ADDER, str(w), "25"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for w in range(8)]
    errors = [p.communicate(timeout=300)[1] for p in workers]
    stop.set()
    watcher.join()
    assert [p.returncode for p in workers] == [0] * 8, errors
    requests = Store.open(data).requests()
    assert len(requests) == 200
    assert {r.name for r in requests} == {f"Worker {w} Person {i}" for w in range(8) for i in range(25)}
    assert len({r.id for r in requests}) == 200
    assert bad_reads == [] and reads > 0


WRITER = """
import sys
from tui.store import Store
from tui.models import Contact, Request
store = Store.open(sys.argv[1])
start = int(sys.argv[2])
for i in range(start, start + 1000):
    if i % 3 == 0:
        store.add_contact(Contact(name=f"Killed Contact {i}"))
    else:
        r = store.add_request(Request(name=f"Killed Request {i}"))
        if i % 3 == 2:
            store.record_decision(r.id, "decline")
    print(i, flush=True)
"""


def test_sigkill_during_writes_to_a_30k_store_loses_no_acknowledged_write(tmp_path: Path) -> None:
    from bench.worlds import make_big_store

    data = tmp_path / "data"
    make_big_store(data, contacts=30_000, pending=200)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    rng = random.Random(42)
    acked: list[int] = []
    start = 0
    for _round in range(4):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(data), str(start)], env=env, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(proc.stdout))  # type: ignore[arg-type]
        reader.start()
        time.sleep(rng.uniform(1.0, 3.0))  # let it get into its loop, then kill it wherever it is
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reader.join()
        acked += [int(line) for line in lines if line.strip()]
        start += 1000
        store = Store.open(data)  # must open cleanly, and clears the killed writer's temp files
        assert not list(data.glob(".*.tmp"))
        contacts = {c.name for c in store.contacts()}
        requests = {r.name: r for r in store.requests()}
        for i in acked:
            if i % 3 == 0:
                assert f"Killed Contact {i}" in contacts
            else:
                assert f"Killed Request {i}" in requests
                if i % 3 == 2:
                    assert requests[f"Killed Request {i}"].status == "declined"
        assert len(store.contacts()) >= 30_000
    assert len(acked) > 4, "the writer never got going; the test proved nothing"

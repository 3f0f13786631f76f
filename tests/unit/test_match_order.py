"""Matches come in one order in every run, and the command line's forked matching finds exactly
what one process finds."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import TUI, subprocess_env
from tui.dedup import match as match_module
from tui.dedup.match import Matcher
from tui.models import Contact, Request
from tui.store import Store

NICKNAMES_OF_LENA = ["Helen", "Magdalena", "Elena", "Karolina", "Selena", "Marlena"]


def tied_store(root: Path, requests: int = 1) -> Store:
    """Contacts that a "Lena Thornwood" matches equally well: the same surname, a first name Lena is short for."""
    store = Store.open(root)
    for n, first in enumerate(NICKNAMES_OF_LENA * 3):
        store.add_contact(Contact(name=f"{first} Thornwood", company=f"Firm {n}", emails=[f"{first.lower()}{n}@firm{n}.example"]))
    for n in range(requests):
        store.add_request(Request(name="Lena Thornwood", emails=[f"lena{n}@mail.example"]))
    return store


def test_dedup_prints_the_same_order_whatever_the_hash_seed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    tied_store(data)
    outputs = set()
    for seed in ("1", "2", "3", "4", "5"):
        env = {**subprocess_env(data), "PYTHONHASHSEED": seed}
        done = subprocess.run([TUI, "dedup", "--json", "--limit", "20"], capture_output=True, text=True, env=env, check=True, timeout=60)
        outputs.add(done.stdout)
    assert len(outputs) == 1, "the matches' order changed with the hash seed"
    assert '"c1"' in next(iter(outputs))


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="needs fork")
def test_forked_matching_finds_what_one_process_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tied_store(tmp_path / "data", requests=1)
    for n in range(40):
        store.add_request(Request(name=f"{NICKNAMES_OF_LENA[n % 6]} Thornwod", company=f"Firm {n % 18}"))
    monkeypatch.setattr(match_module, "PARALLEL_FROM", 10)
    ticks: list[tuple[int, int]] = []
    one = Matcher(store.contact_keys(), store.pending_keys()).all_pending()
    forked = Matcher(store.contact_keys(), store.pending_keys()).all_pending(lambda n, of: ticks.append((n, of)), workers=2)
    batch = Matcher(store.contact_keys(), store.pending_keys(), batch=True).all_pending(workers=2)  # close surnames in a thread first
    alone = Matcher(store.contact_keys(), store.pending_keys(), batch=True).all_pending()
    assert list(forked) == list(one) == list(batch) == list(alone) and len(one) == 41
    assert {rid: [m.to_doc() for m in ms] for rid, ms in batch.items()} == {rid: [m.to_doc() for m in ms] for rid, ms in alone.items()}
    assert {rid: [m.to_doc() for m in ms] for rid, ms in forked.items()} == {rid: [m.to_doc() for m in ms] for rid, ms in one.items()}
    assert any(one.values()) and ticks[-1] == (41, 41)


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="needs fork")
@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_a_forked_match_stopped_by_a_signal_leaves_no_traceback(tmp_path: Path, signal_name: str) -> None:
    """Ctrl-C in the terminal (SIGINT to the whole process group) or a kill of the command while its
    children match: the children end without a word (they printed a KeyboardInterrupt or a
    BrokenPipeError traceback each), and the command itself ends as it always does on a signal."""
    import os
    import signal
    import sys
    import time

    script = """
import os, sys, time
from tui.dedup import match
from tui.dedup.keys import build
from tui.models import Contact, Request
def slow(bounds):
    time.sleep(30)
match._match_slice = slow
matcher = match.Matcher(build([Contact(name="Ann Lee", id="c1")]), build([Request(name=f"Person {n}", id=f"r{n}") for n in range(40)]))
match.PARALLEL_FROM = 10
print("matching", flush=True)
matcher.all_pending(workers=2)
"""
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    assert proc.stdout is not None and proc.stdout.readline() == "matching\n"
    time.sleep(1.0)  # the children are at work
    target = -proc.pid if signal_name == "SIGINT" else proc.pid  # Ctrl-C reaches the group; a kill, the command
    os.kill(target, getattr(signal, signal_name))
    _, err = proc.communicate(timeout=60)
    assert "ForkPoolWorker" not in err, err  # (the script's own KeyboardInterrupt is its caller's: the CLI says nothing)


def test_work_in_the_background_hands_back_its_result_or_its_error() -> None:
    from tui.background import Background

    assert Background(sorted, [3, 1, 2]).result() == [1, 2, 3]
    with pytest.raises(ZeroDivisionError):
        Background(lambda: 1 / 0).result()

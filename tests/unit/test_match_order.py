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
    assert list(forked) == list(one) and len(one) == 41
    assert {rid: [m.to_doc() for m in ms] for rid, ms in forked.items()} == {rid: [m.to_doc() for m in ms] for rid, ms in one.items()}
    assert any(one.values()) and ticks[-1] == (41, 41)

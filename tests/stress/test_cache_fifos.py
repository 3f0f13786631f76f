"""Whatever sits in a cache file's place (a FIFO, a link to /dev/zero), every command reads
around it: never a hang, never memory filled, the same answers. An outside attack hung `tui
list` on a FIFO for requests.rows, and filled 24 GB through a link to /dev/zero."""

from __future__ import annotations

import os
import resource
import subprocess
from pathlib import Path

import pytest

from tests.conftest import TUI, subprocess_env
from tui.models import Contact, Request
from tui.store import Store

CACHES = ["requests.rows", "queue.head", "keys.idx", "keys.tail", "pending.idx", "queue.map", "contacts.map", "commit.json"]


def _capped() -> None:
    """A command that reads a device whole fails at 2 GB of memory, not at the machine's (a
    regression must not take the machine down with it)."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def run(data: Path, *args: str) -> str:
    done = subprocess.run([TUI, *args], env=subprocess_env(data), capture_output=True, text=True, timeout=30, preexec_fn=_capped)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def data(tmp_path: Path) -> Path:
    store = Store.open(tmp_path / "data")
    store.import_records([Contact(name=f"Known Person{i}", emails=[f"k{i}@example.org"]) for i in range(80)], [])
    store.import_records([], [Request(name=f"Asking Person{i}", source="x") for i in range(100)])
    store.add_contact(Contact(name="Late Contact"))  # keys.tail
    store.record_decision("r3", "decline")
    run(store.root, "list")  # requests.rows
    return store.root


@pytest.mark.parametrize("cache", CACHES)
@pytest.mark.parametrize("what", ["a FIFO", "a link to /dev/zero"])
def test_every_command_reads_around_a_cache_that_is_not_a_file(data: Path, cache: str, what: str) -> None:
    commands = [("list", "--status", "all"), ("show", "r5"), ("list", "--contacts"), ("add", "Asking Person7", "--source", "x", "--json")]
    before = [run(data, *c) for c in commands[:3]]
    (data / cache).unlink(missing_ok=True)
    if what == "a FIFO":
        os.mkfifo(data / cache)
    else:
        (data / cache).symlink_to("/dev/zero")
    assert [run(data, *c) for c in commands[:3]] == before
    assert '"duplicates"' in run(data, *commands[3])


@pytest.mark.parametrize("cache", CACHES)
def test_a_directory_in_a_caches_place_never_turns_a_landed_write_into_an_error(data: Path, cache: str) -> None:
    """An outside attack: with a directory named keys.tail, `tui add --contact` added the contact
    and then said "error: keys.tail: Is a directory", exit 1 (a retry made a duplicate)."""
    (data / cache).unlink(missing_ok=True)
    (data / cache).mkdir()
    assert run(data, "add", "Zed Quux", "--contact", "--email", "zed@example.org").startswith("added c")
    assert run(data, "add", "Yan Quux", "--source", "x").startswith("added r")
    assert sum(line.startswith("c") and "Zed Quux" in line for line in run(data, "list", "--contacts").splitlines()) == 1

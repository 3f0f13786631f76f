"""A write of two files (contacts and queue: an import of both, a merge) lands whole even when the
process dies between the two renames: the commit record written before them names both temp
files, and the next start (or writer) finishes the renames. Before, the next start swept the
second temp file away, keeping the new contacts.json beside the old queue.json (an outside kill
test found it in 1 run of 3-4)."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from tui.models import Contact, Request
from tui.store import Store, files


class Killed(BaseException):
    """The process dying at that point (nothing after it runs)."""


def die_at_rename(monkeypatch: pytest.MonkeyPatch, which: int) -> None:
    real = files.commit_temp
    calls = [0]

    def commit_temp(tmp: Path, path: Path, durable: bool = True) -> None:
        calls[0] += 1
        if calls[0] == which:
            raise Killed
        real(tmp, path, durable)

    monkeypatch.setattr(files, "commit_temp", commit_temp)


@pytest.mark.parametrize("which", [1, 2], ids=["before the first rename", "between the renames"])
def test_an_import_of_contacts_and_requests_lands_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, which: int) -> None:
    store = Store.open(tmp_path / "data")
    store.import_records([Contact(name="Ann Lee", emails=["ann@example.org"])], [Request(name="Bob Ray", source="x")])
    with monkeypatch.context() as m:
        die_at_rename(m, which)
        with pytest.raises(Killed):
            Store.open(store.root).import_records(
                [Contact(name="Cid Moe", emails=["cid@example.org"])], [Request(name="Dee Fox", source="x")]
            )
    after = Store.open(store.root)  # the next start
    names = sorted([c.name for c in after.contacts()] + [r.name for r in after.requests()])
    assert names == ["Ann Lee", "Bob Ray", "Cid Moe", "Dee Fox"]  # the write was committed before the renames: it lands
    assert not list(store.root.glob(".*.tmp")) and not (store.root / "commit.json").exists()


def test_a_writer_finishes_a_commit_another_process_left_half_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(tmp_path / "data")
    store.import_records([Contact(name="Ann Lee")], [Request(name="Bob Ray", source="x")])
    with monkeypatch.context() as m:
        die_at_rename(m, 2)
        with pytest.raises(Killed):
            store.import_records([Contact(name="Cid Moe")], [Request(name="Dee Fox", source="x")])
    other = Store.open(store.root, tidy=False)  # another process, opened without tidying (as a dry run does)
    assert (store.root / "commit.json").exists()
    other.record_decision("r1", "accept")  # its first write finishes the one left half done
    assert sorted(r.name for r in Store.open(store.root).requests()) == ["Bob Ray", "Dee Fox"]
    assert sorted(c.name for c in Store.open(store.root).contacts()) == ["Ann Lee", "Cid Moe"]


def test_doctor_says_so_and_its_repair_finishes_it(isolated: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.cli.conftest import tui

    store = Store.open(isolated["data"])
    store.import_records([Contact(name="Ann Lee")], [Request(name="Bob Ray", source="x")])
    with monkeypatch.context() as m:
        die_at_rename(m, 2)
        with pytest.raises(Killed):
            store.import_records([Contact(name="Cid Moe")], [Request(name="Dee Fox", source="x")])
    said = tui("doctor", code=3)
    assert "a write of two files was interrupted between its renames" in said.stdout
    assert "NOT healthy" in said.stdout  # (it said healthy: an outside check)
    assert (store.root / "commit.json").exists()  # doctor without --repair changes nothing
    assert tui("doctor", "--repair").stdout.splitlines()[-1] == "healthy"
    assert not (store.root / "commit.json").exists()
    assert sorted(r.name for r in Store.open(store.root, tidy=False).requests()) == ["Bob Ray", "Dee Fox"]


@pytest.mark.parametrize("how", ["a symbolic link", "a hard link to another data file", "a path outside"])
def test_a_forged_record_renames_nothing_but_a_writers_own_temp_file(tmp_path: Path, how: str) -> None:
    """An outside attack: a record naming a link called like a temp file had the next start put
    that link (to a file elsewhere) in place of contacts.json."""
    store = Store.open(tmp_path / "data")
    store.import_records([Contact(name="Ann Lee")], [Request(name="Bob Ray", source="x")])
    root, tmp = store.root, ".contacts.json.9-0.tmp"
    evil = tmp_path / "evil.json"
    evil.write_bytes(b'{"contacts": {"1": {"name": "EVIL Lee"}}}')
    if how == "a symbolic link":
        (root / tmp).symlink_to(evil)
    elif how == "a hard link to another data file":
        os.link(root / "queue.json", root / tmp)
    else:
        tmp = "../evil.json"
    (root / "commit.json").write_bytes(orjson.dumps([[tmp, "contacts.json"]]))
    assert [c.name for c in Store.open(root).contacts()] == ["Ann Lee"]
    assert not (root / "contacts.json").is_symlink() and not (root / "commit.json").exists() and evil.exists()

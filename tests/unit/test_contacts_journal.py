"""contacts.json journaled and mapped like queue.json (issue 16): a write of the contacts alone is
one line appended to contacts.jnl; `tui add --contact` parses no contacts.json and rebuilds no
keys.idx; a write of contacts and queue together stays one all-or-nothing write of both files; the
journal is snapshotted, restored and repaired as the queue's is; schema 3 keeps a tui that would
ignore contacts.jnl away."""

from __future__ import annotations

import subprocess
from pathlib import Path

import orjson
import pytest

from tests.conftest import TUI, subprocess_env
from tui.models import Contact, Request
from tui.store import SCHEMA, Store, StoreCorrupt, StoreError, backups, docmap, files, journal, keyfiles

CONTACTS, JOURNAL = "contacts.json", "contacts.jnl"


def names(root: Path) -> list[str]:
    return sorted(c.name for c in Store.open(root).contacts())


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """300 contacts (five chunks), written whole by an import; keys.idx built."""
    store = Store.open(tmp_path / "data")
    store.import_records([Contact(name=f"Contact {i} Person", emails=[f"c{i}@example.org"]) for i in range(300)], [])
    store.contact_keys()
    return store.root


def refuse_whole_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every parse of the whole contacts.json, and every read of a whole table, fails loudly."""
    decode = files.decode

    def refuse(raw: bytes) -> dict[str, dict[str, object]]:
        if raw.startswith(b'{"contacts"'):
            raise AssertionError(f"parsed the whole contacts.json, {len(raw)} bytes")
        return decode(raw)

    def no_table(self: docmap.Lazy, name: str) -> dict[str, object]:
        raise AssertionError(f"read the whole {name} table")

    monkeypatch.setattr(files, "decode", refuse)
    monkeypatch.setattr(docmap.Lazy, "read_table", no_table)


class TestAppending:
    def test_an_added_contact_is_one_line_appended_and_contacts_json_is_left_alone(self, root: Path) -> None:
        contacts = root / CONTACTS
        before, inode = contacts.read_bytes(), contacts.stat().st_ino
        store = Store.open(root)
        assert store.add_contact(Contact(name="Ann Lee")).id == "c301"
        assert contacts.read_bytes() == before and contacts.stat().st_ino == inode
        assert (root / JOURNAL).read_bytes().count(b"\n") == 2  # its first line, and this write
        assert oct((root / JOURNAL).stat().st_mode & 0o777) == "0o600"
        assert Store.open(root).add_contact(Contact(name="Bob Stone")).id == "c302"
        assert "Ann Lee" in names(root) and "Bob Stone" in names(root) and len(names(root)) == 302

    def test_add_contact_parses_no_contacts_json_and_rebuilds_no_keys(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        Store.open(root).add_contact(Contact(name="Ann Lee"))  # a journal there already
        keys = root / "keys.idx"
        inode, built = keys.stat().st_ino, keys.read_bytes()
        refuse_whole_reads(monkeypatch)
        monkeypatch.setattr(keyfiles, "contact_index", lambda contacts: pytest.fail("rebuilt keys.idx"))
        store = Store.open(root)
        assert store.add_contact(Contact(name="Bob Stone", emails=["bob@example.org"])).id == "c302"
        assert Store.open(root).add_contact(Contact(name="Cy Young")).id == "c303"
        assert keys.stat().st_ino == inode and keys.read_bytes() == built
        assert {"c301", "c302", "c303"} <= set(Store.open(root).contact_keys(quick=True).ids)
        assert Store.open(root).get("c302").emails == ["bob@example.org"]

    def test_the_add_command_parses_no_contacts_json(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from tests.cli.conftest import tui

        tui("add", "--contact", "Ann Lee", "--email", "ann@example.org")  # contacts.jnl started
        refuse_whole_reads(monkeypatch)
        monkeypatch.setattr(keyfiles, "contact_index", lambda contacts: pytest.fail("rebuilt keys.idx"))
        said = tui("add", "--contact", "Contact 7 Person", "--email", "c7@example.org", "--json").stdout
        assert orjson.loads(said)["id"] == "c302" and orjson.loads(said)["duplicates"]  # c8 found, from keys.idx
        assert tui("show", "c302").stdout.count("Contact 7 Person") == 1

    def test_a_contacts_only_import_appends_and_a_merge_writes_both_files_whole(self, root: Path) -> None:
        store = Store.open(root)
        store.import_records([Contact(name="Dee Ray", emails=["dee@example.org"])], [])
        assert (root / JOURNAL).exists() and "Dee Ray" in names(root)
        contacts_inode = (root / CONTACTS).stat().st_ino
        store.import_records([Contact(name="Eve Fox")], [Request(name="Fay Gold")])  # both files: one whole write of each
        assert (root / CONTACTS).stat().st_ino != contacts_inode and not (root / JOURNAL).exists()
        assert (root / "queue.json").exists() and not (root / "queue.jnl").exists()
        assert "Eve Fox" in names(root) and "Dee Ray" in names(root)

    def test_the_contacts_journal_is_folded_in_when_it_outgrows_a_quarter(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(journal, "MIN_COMPACT", 0)
        store = Store.open(root)
        inode = (root / CONTACTS).stat().st_ino
        for i in range(40):
            store.add_contact(Contact(name=f"Later {i}", notes="x" * 2000))
        assert (root / CONTACTS).stat().st_ino != inode  # compacted at least once
        assert (root / JOURNAL).stat().st_size <= (root / CONTACTS).stat().st_size // 4 + 1000 if (root / JOURNAL).exists() else True
        assert len(names(root)) == 340


class TestSchema:
    def test_a_store_with_a_contacts_journal_is_refused_by_a_schema_2_tui(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from tui.store import datadir

        Store.open(root).add_contact(Contact(name="Ann Lee"))
        assert orjson.loads((root / "meta.json").read_bytes())["meta"]["1"]["schema"] == SCHEMA >= 3
        monkeypatch.setattr(datadir, "SCHEMA", 2)  # the tui before this journal
        with pytest.raises(StoreError, match="written by a newer tui"):
            Store.open(root)

    def test_a_schema_2_store_is_migrated_after_a_copy(self, root: Path) -> None:
        (root / "meta.json").write_bytes(orjson.dumps({"meta": {"1": {"schema": 2}}}))
        store = Store.open(root)
        assert store.schema_version() == 3
        assert any(b.name.endswith("-schema2") for b in store.list_backups())
        assert len(names(root)) == 300

    def test_a_dry_run_never_migrates(self, root: Path, tmp_path: Path) -> None:
        """An outside attack: `tui import --dry-run` on a schema-2 store raised it to 3 (and took
        two backups): a dry run writes nothing at all."""
        (root / "meta.json").write_bytes(b'{"meta": {"1": {"schema": 2}}}')
        snapshots = backups.snapshots(root)
        csv = tmp_path / "people.csv"
        csv.write_text("name,email\nZed Quux,zed@example.org\n")
        done = subprocess.run(
            [TUI, "import", str(csv), "--as", "contacts", "--dry-run"], env=subprocess_env(root), capture_output=True, text=True
        )
        assert done.returncode != 0 and "a dry run writes nothing" in done.stderr, done.stderr
        assert (root / "meta.json").read_bytes() == b'{"meta": {"1": {"schema": 2}}}' and backups.snapshots(root) == snapshots

    def test_a_restored_meta_json_stays_at_3_while_contacts_jnl_exists(self, root: Path) -> None:
        store = Store.open(root)
        store.add_contact(Contact(name="Ann Lee"))
        old = root.parent / "old"
        old.mkdir()
        (old / "meta.json").write_bytes(orjson.dumps({"meta": {"1": {"schema": 2}}}))
        backups.restore(root, "meta.json", old, store.now())
        assert Store.open(root).schema_version() == 3


class TestDamage:
    @staticmethod
    def journaled(root: Path) -> Path:
        store = Store.open(root)
        for name in ("Ann Lee", "Bob Stone", "Cy Young"):
            store.add_contact(Contact(name=name))
        return root / JOURNAL

    def test_a_damaged_line_stops_every_command_and_a_repair_keeps_the_others(self, root: Path) -> None:
        path = self.journaled(root)
        lines = path.read_bytes().split(b"\n")
        lines[2] = b"GARBAGE{"  # Bob Stone's line; Cy Young's after it
        path.write_bytes(b"\n".join(lines))
        with pytest.raises(StoreCorrupt, match=r"contacts\.jnl: .*line 3:"):
            Store.open(root).contacts()
        env = subprocess_env(root)
        added = subprocess.run([TUI, "add", "--contact", "Dee Ray"], env=env, capture_output=True, text=True)
        assert added.returncode == 3 and "contacts.jnl" in added.stderr and "line 3" in added.stderr
        assert path.read_bytes() == b"\n".join(lines)
        fixed = subprocess.run([TUI, "doctor", "--repair", "--json"], env=env, capture_output=True, text=True)
        report = orjson.loads(fixed.stdout)
        assert report["healthy"] and report["repaired"][JOURNAL]["lines_dropped"] == [3], fixed.stdout
        now = names(root)
        assert "Ann Lee" in now and "Cy Young" in now and "Bob Stone" not in now
        assert b"GARBAGE{" in Path(report["repaired"][JOURNAL]["damaged_copy"]).read_bytes()

    def test_a_restore_of_contacts_json_takes_its_journal(self, root: Path) -> None:
        self.journaled(root)
        before = names(root)
        (root / CONTACTS).write_bytes(b'{"contacts": {')  # damaged in place
        with pytest.raises(StoreCorrupt):
            Store.open(root).contacts()
        from tui.doctor import examine

        report = examine(root, repair=True)
        assert report["healthy"] and "from" in report["repaired"][CONTACTS], report
        assert names(root) == before  # the three added since the snapshot: in the live journal

    def test_damage_in_place_after_a_compaction_is_repaired_without_losing_a_contact(
        self, root: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An outside attack: one byte changed in place in a compacted contacts.json (size and mtime
        kept) made `doctor --repair` go back to a day-old copy, 315 contacts lost: the write
        snapshots linked contacts.json, so they shared the damage. They copy it, as the queue's."""
        monkeypatch.setattr(journal, "MIN_COMPACT", 0)
        store = Store.open(root)
        inode = (root / CONTACTS).stat().st_ino
        for i in range(40):
            store.add_contact(Contact(name=f"Later {i}", notes="x" * 2000))
        assert (root / CONTACTS).stat().st_ino != inode and (root / JOURNAL).exists()  # compacted, then appended to
        before = names(root)
        path, st = root / CONTACTS, (root / CONTACTS).stat()
        raw = bytearray(path.read_bytes())
        at = raw.index(b"Contact 150 Person")
        raw[at - 1] = ord("}")  # the name's opening quote: the file no longer parses
        with open(path, "r+b") as f:
            f.write(bytes(raw))
        import os

        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        with pytest.raises(StoreCorrupt):
            Store.open(root).contacts()
        from tui.doctor import examine

        assert examine(root, repair=True)["healthy"]
        assert names(root) == before

    def test_a_snapshot_holds_the_contacts_journal_as_it_was(self, root: Path) -> None:
        self.journaled(root)
        Store.open(root).import_records([], [Request(name="Fay Gold")])  # a whole write: a snapshot
        newest = backups.snapshots(root)[0]
        assert len(backups.read_file(newest, CONTACTS)["contacts"]) == 303
        Store.open(root).add_contact(Contact(name="Later"))
        assert len(backups.read_file(newest, CONTACTS)["contacts"]) == 303  # the link's length kept beside it

    def test_the_errors_name_contacts_json_not_the_queue(self, root: Path) -> None:
        path = self.journaled(root)
        raw = path.read_bytes()
        path.write_bytes(raw.replace(b'"base":"', b'"base":"x', 1))
        with pytest.raises(
            StoreCorrupt, match=r"contacts\.jnl: cannot be read \(line 1: follows another contacts\.json .* puts back the contacts\.json"
        ):
            Store.open(root).contacts()
        path.write_bytes(raw)
        (root / CONTACTS).unlink()
        with pytest.raises(StoreCorrupt, match=r"contacts\.jnl: cannot be read \(line 1: its contacts\.json is missing"):
            Store.open(root).contacts()

    def test_doctor_says_a_missing_contacts_json_with_a_journal_is_not_healthy(self, root: Path) -> None:
        import shutil

        from tui.doctor import examine

        self.journaled(root)
        (root / CONTACTS).unlink()
        shutil.rmtree(root / "backups")
        report = examine(root)
        assert not report["healthy"] and "contacts.jnl holds writes" in report["files"][CONTACTS]

"""Store behaviours that spot checks once broke without a test noticing (issue 15): undo gives the
notes back, one file's rows with two different source ids stay two people, and a write that
touches two files lands wholly or not at all. Real TinyDB files in tmp_path.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from tests.conftest import store_bytes
from tests.unit.test_reconcile import Table, row
from tui.models import Contact, Request
from tui.store import Store, StoreError


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "data")


class TestUndoRestoresNotes:
    """A decision's note is appended to the request's notes; its undo takes exactly that back
    (``record_decision`` records ``notes`` among the fields its undo restores)."""

    def test_the_note_of_an_undone_decision_goes_and_the_earlier_notes_stay(self, store: Store) -> None:
        r = store.add_request(Request(name="Ann Lee", notes="met at PyCon"))
        store.record_decision(r.id, "decline", note="sells courses")
        assert store.get_request(r.id).notes == "met at PyCon\nsells courses"
        assert store.undo_last() is not None
        assert Store.open(store.root).get_request(r.id).notes == "met at PyCon"

    def test_a_request_without_notes_has_none_again(self, store: Store) -> None:
        r = store.add_request(Request(name="Bob Ray"))
        store.record_decision(r.id, "accept", note="old colleague")
        store.undo(store.decisions()[-1].id)
        assert Store.open(store.root).get_request(r.id).notes == ""


class TestOneFileTwoSourceIds:
    """A row that links two rows of the same file (one by URL, one by e-mail) joins them only when
    they do not contradict each other: two different source ids are two people, whatever row comes
    between them (tui/store/reconcile.py, ``_group_rows``)."""

    def test_a_row_sharing_a_url_with_one_and_an_email_with_the_other_does_not_merge_them(self) -> None:
        table = Table()
        rows = [
            row(source_id="li-1", urls=["https://linkedin.com/in/ann-1"]),
            row(source_id="li-2", emails=["ann@acme.io"]),
            row(urls=["https://linkedin.com/in/ann-1"], emails=["ann@acme.io"], title="CTO"),
        ]
        _, outcome = table.load(rows)
        assert sorted(d["source_id"] for d in table.docs.values()) == ["li-1", "li-2"]
        assert outcome[:2] == ["added:1", "added:2"]
        # and the file again changes nothing
        assert table.load(rows)[1] == ["unchanged:1", "unchanged:2", "unchanged:1"]

    def test_repeated_rows_of_each_id_stay_with_their_own_person(self, store: Store) -> None:
        rows = [
            Contact(name="John Smith", company="Acme", source="csv", source_id=sid, emails=["john@acme.io"])
            for sid in ("x-1", "x-2", "x-1", "x-2")
        ]
        report = store.import_records(rows, [])
        assert len(report.added) == 2 and len(report.unchanged) == 2
        assert sorted(c.source_id for c in Store.open(store.root).contacts()) == ["x-1", "x-2"]


class TestAWriteOfTwoFilesIsAtomic:
    """Every changed file goes to a temp file first; only when all are written are they renamed
    into place (tui/store/datadir.py, ``_transaction``). A failure writing the second file must
    leave the first untouched: the store is wholly old, never half new."""

    @pytest.fixture
    def two_file_store(self, store: Store) -> tuple[Store, str, str]:
        contact = store.add_contact(Contact(name="Ann Lee", company="Acme", source="linkedin", urls=["https://linkedin.com/in/ann"]))
        request = store.add_request(Request(name="Ann Lee", company="Acme", source="x", urls=["https://x.com/annlee"]))
        return store, request.id, contact.id

    @staticmethod
    def fail_writing(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
        """The temp file for ``name`` cannot be written (a full disk); returns the files that were."""
        import tui.store.files as files

        real, written = files.write_temp, []

        def write_temp(path: Path, payload: bytes, durable: bool = True) -> Path:
            if path.name == name:
                raise OSError(errno.ENOSPC, "No space left on device")
            written.append(path.name)
            return real(path, payload, durable)

        monkeypatch.setattr(files, "write_temp", write_temp)
        return written

    def test_a_merge_whose_queue_file_cannot_be_written_leaves_the_contacts_unchanged(
        self, two_file_store: tuple[Store, str, str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        store, rid, cid = two_file_store
        before = store_bytes(store.root)
        written = self.fail_writing(monkeypatch, "queue.json")
        with pytest.raises(StoreError, match=r"queue\.json: write failed \(No space left on device\); the store is unchanged"):
            store.merge(rid, cid)
        assert written == ["contacts.json"], "the contacts' temp file was written first (the test's premise)"
        assert store_bytes(store.root) == before
        assert list(store.root.glob(".*.tmp")) == []
        monkeypatch.undo()
        reopened = Store.open(store.root)
        assert reopened.get_request(rid).status == "pending" and "https://x.com/annlee" not in reopened.get(cid).urls  # type: ignore[union-attr]

    def test_an_import_of_contacts_and_requests_lands_wholly_or_not_at_all(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        store.add_contact(Contact(name="Carol King", source="csv"))
        store.add_request(Request(name="Dan Ode", source="csv"))
        before = store_bytes(store.root)
        self.fail_writing(monkeypatch, "queue.json")
        with pytest.raises(StoreError):
            store.import_records([Contact(name="Eve Park", source="csv")], [Request(name="Finn Moe", source="csv")])
        assert store_bytes(store.root) == before
        monkeypatch.undo()
        store.import_records([Contact(name="Eve Park", source="csv")], [Request(name="Finn Moe", source="csv")])
        reopened = Store.open(store.root)
        assert {c.name for c in reopened.contacts()} == {"Carol King", "Eve Park"}
        assert {r.name for r in reopened.requests()} == {"Dan Ode", "Finn Moe"}

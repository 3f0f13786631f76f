"""tui.store.stream: every document of a table a chunk at a time, as the table read whole has them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.models import Contact
from tui.store import Store
from tui.store.docmap import LazyTable


def _store(data: Path) -> None:
    store = Store.open(data)
    store.import_records([Contact(name=f"Person {i}", emails=[f"p{i}@example.org"]) for i in range(200)], [])
    store.add_contact(Contact(name="Added One"))
    with store._transaction(store._contacts) as (db,):  # a journal line that changes one contact and removes two
        db.table("contacts").update({"title": "Changed"}, doc_ids=[70])
        db.table("contacts").remove(doc_ids=[3, 130])
    store.add_contact(Contact(name="Added Two"))


def _whole(data: Path) -> list[tuple[str, str, str]]:
    return [(c.id, c.name, c.title) for c in Store.open(data).contacts()]


class TestEachContact:
    def test_the_order_and_documents_of_the_table_read_whole(self, tmp_path: Path) -> None:
        _store(tmp_path / "d")
        store = Store.open(tmp_path / "d")
        streamed = [(c.id, c.name, c.title) for c in store.each_contact()]
        assert isinstance(store._contacts.data["contacts"], LazyTable)  # read through the map, not whole
        assert store._contacts.data["contacts"].full is None
        assert streamed == _whole(tmp_path / "d")
        assert streamed[-2:] == [("c201", "Added One", ""), ("c202", "Added Two", "")]
        assert ("c70", "Person 69", "Changed") in streamed and not {"c3", "c130"} & {i for i, _, _ in streamed}

    def test_a_chunk_that_fails_its_check_gives_the_rest_from_the_file_read_whole(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _store(tmp_path / "d")
        store = Store.open(tmp_path / "d")
        it = store.each_contact()
        first = [next(it) for _ in range(70)]  # into the second chunk
        table = store._contacts.data["contacts"]
        monkeypatch.setattr(table.lazy, "read_chunk", lambda name, chunk: None)  # as if damaged since
        rest = list(it)
        assert [(c.id, c.name, c.title) for c in first + rest] == _whole(tmp_path / "d")
        assert table.full is not None  # it was read whole

    def test_a_store_without_a_map(self, tmp_path: Path) -> None:
        _store(tmp_path / "d")
        (tmp_path / "d" / "contacts.map").unlink()
        assert [(c.id, c.name, c.title) for c in Store.open(tmp_path / "d").each_contact()] == _whole(tmp_path / "d")

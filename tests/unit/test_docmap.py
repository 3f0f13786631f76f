"""queue.json read document by document through its map (tui/store/docmap.py): a command that
needs a few requests reads those, not the whole file, and gets the same answers as a whole read."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from tui.models import Request
from tui.store import Store, StoreCorrupt, docmap, files

QUEUE, MAP = "queue.json", "queue.map"
TABLES = ("requests", "decisions")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A store of 300 requests (five chunks), 40 decided, queue.json written whole by an import."""
    store = Store.open(tmp_path / "data")
    store.import_records([], [Request(name=f"Person {i} Example", emails=[f"p{i}@example.org"], source="linkedin") for i in range(300)])
    for i in range(1, 41):
        store.record_decision(f"r{i}", "decline")
    return store.root


def no_whole_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make every parse of the whole queue.json fail loudly; returns the sizes of those attempted."""
    sizes: list[int] = []
    decode = files.decode

    def refuse(raw: bytes) -> dict[str, dict[str, object]]:
        if raw.startswith(b'{"requests"'):
            sizes.append(len(raw))
            raise AssertionError(f"parsed the whole queue.json, {len(raw)} bytes")
        return decode(raw)

    monkeypatch.setattr(files, "decode", refuse)
    return sizes


class TestFewDocumentsRead:
    def test_a_record_a_decision_and_an_add_never_parse_the_whole_queue(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        no_whole_reads(monkeypatch)
        store = Store.open(root)
        assert store.get("r250").name == "Person 249 Example"
        assert store.get("r3").status == "declined"
        decision = store.record_decision("r251", "accept")
        assert store.get("r251").status == "accepted" and decision.id == "d41"
        assert store.add_request(Request(name="New Person")).id == "r301"
        assert store.get("d41").request_id == "r251"

    def test_what_was_written_so_is_what_a_whole_read_finds(self, root: Path) -> None:
        store = Store.open(root)
        store.record_decision("r251", "accept")
        store.add_request(Request(name="New Person"))
        store.update_request("r100", notes="met at the fair")
        whole = Store.open(root)
        whole._queue.maps = False  # the old way: every document parsed
        assert [r.to_doc() for r in whole.requests()] == [r.to_doc() for r in Store.open(root).requests()]
        assert whole.get("r251").status == "accepted" and whole.get("r301").name == "New Person"
        assert whole.get("r100").notes == "met at the fair"

    def test_going_through_every_request_reads_the_whole_file_once_keeping_changes(self, root: Path) -> None:
        store = Store.open(root)
        store.record_decision("r77", "accept")  # on the lazy tables
        assert store._queue.lazy is not None
        pending = store.pending()
        assert len(pending) == 300 - 41 and "r77" not in {r.id for r in pending}
        assert store.get("r77").status == "accepted"


class TestTheMap:
    def test_dump_gives_orjsons_very_bytes(self) -> None:
        hostile = {"name": 'a"b\\c\n\u202e\x00', "emoji": "👍", "nested": {"1": {"2": [1, None, True]}}}
        data = {"requests": {str(i): {**hostile, "i": i} for i in range(1, 200)}, "decisions": {}}
        mark = {"base": "ab", "keys": 12, "folded": None}
        raw, maps = docmap.dump(data, mark, "_journal")
        assert raw == orjson.dumps({**data, "_journal": mark})
        assert maps is not None and maps["requests"].chunk("150") is not None and maps["requests"].chunk("0150") is None
        assert docmap.dump({}, None, "_journal")[0] == b"{}"

    def test_ids_this_program_never_writes_get_no_map(self) -> None:
        raw, maps = docmap.dump({"requests": {"1": {}, "x": {}}}, None, "_journal")
        assert raw == orjson.dumps({"requests": {"1": {}, "x": {}}}) and maps is None

    def test_a_map_is_used_only_for_the_file_it_was_made_for(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        queue = root / QUEUE
        assert (root / MAP).exists()
        data = orjson.loads(queue.read_bytes())
        data["requests"]["250"]["name"] = "Changed Elsewhere"
        queue.write_bytes(orjson.dumps(data))  # another program: another size and mtime
        assert Store.open(root).get("r250").name == "Changed Elsewhere"

    def test_a_file_changed_in_place_keeping_size_and_mtime_is_caught_when_a_chunk_does_not_parse(self, root: Path) -> None:
        queue = root / QUEUE
        st = queue.stat()
        raw = bytearray(queue.read_bytes())
        at = raw.index(b'"250":{')
        raw[at + 7 : at + 9] = b"}}"  # damage inside the chunk that holds r250
        queue.write_bytes(bytes(raw))
        os.utime(queue, ns=(st.st_atime_ns, st.st_mtime_ns))
        with pytest.raises(StoreCorrupt, match=r"queue\.json: cannot be read \(line 1"):
            Store.open(root).get("r250")

    def test_a_store_without_maps_gets_one_on_its_first_whole_read_and_then_reads_few(
        self, root: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        (root / MAP).unlink()  # as every store before maps
        assert len(Store.open(root).requests()) == 300
        assert (root / MAP).exists()
        no_whole_reads(monkeypatch)
        assert Store.open(root).get("r299").name == "Person 298 Example"

    def test_a_file_not_written_by_this_program_is_read_whole_and_not_mapped_again(self, root: Path) -> None:
        queue = root / QUEUE
        queue.write_bytes(orjson.dumps(orjson.loads(queue.read_bytes()), option=orjson.OPT_INDENT_2))
        (root / MAP).unlink()
        assert Store.open(root).get("r12").name == "Person 11 Example"
        assert b'"tables"' not in (root / MAP).read_bytes()  # "none here": not tried again
        assert Store.open(root).get("r13").name == "Person 12 Example"

    def test_the_map_file_is_private_and_a_damaged_one_is_ignored(self, root: Path) -> None:
        assert oct((root / MAP).stat().st_mode & 0o777) == "0o600"
        (root / MAP).write_bytes(b"\x00garbage")
        assert Store.open(root).get("r40").status == "declined"


def damage_in_place(queue: Path, old: bytes, new: bytes) -> None:
    """Change bytes of ``queue`` where they are, keeping its size and mtime (disk damage does)."""
    assert len(old) == len(new)
    st = queue.stat()
    raw = queue.read_bytes()
    assert old in raw
    with open(queue, "r+b") as f:
        f.seek(raw.index(old))
        f.write(new)
    os.utime(queue, ns=(st.st_atime_ns, st.st_mtime_ns))


class TestChangedInPlace:
    """A file changed where it lies keeps its inode, size and mtime: the map still names it. The
    outside attack found writes landing on such a damaged file (one even reported as "nothing was
    changed" after it was saved) and reads answering from a map that no longer fits."""

    def test_a_write_on_a_file_damaged_elsewhere_is_refused_and_nothing_is_written(self, root: Path) -> None:
        journal_before = (root / "queue.jnl").read_bytes()
        damage_in_place(root / QUEUE, b'"150":{"name":', b'"150":{"name" ')  # far from r7's chunk
        with pytest.raises(StoreCorrupt, match=r"queue\.json: cannot be read \(line 1"):
            Store.open(root).record_decision("r7", "accept")
        assert (root / "queue.jnl").read_bytes() == journal_before

    def test_a_read_of_a_file_damaged_elsewhere_says_so(self, root: Path) -> None:
        damage_in_place(root / QUEUE, b'"150":{"name":', b'"150":{"name" ')
        with pytest.raises(StoreCorrupt):
            Store.open(root).get("r3")

    def test_an_edit_in_place_is_read_as_the_file_now_is(self, root: Path) -> None:
        damage_in_place(root / QUEUE, b"Person 249 Example", b"Edited 249 Example")
        assert Store.open(root).get("r250").name == "Edited 249 Example"

    def test_a_map_whose_chunks_were_swapped_is_not_believed(self, root: Path) -> None:
        import array

        path = root / MAP
        first, _, body = path.read_bytes().partition(b"\n")
        header = orjson.loads(first)
        count, chunks = header["tables"]["requests"]
        starts = array.array("q")
        starts.frombytes(body[16 * count : 16 * count + 8 * chunks])
        sizes = array.array("q")
        sizes.frombytes(body[16 * count + 8 * chunks : 16 * count + 16 * chunks])
        starts[0], starts[1], sizes[0], sizes[1] = starts[1], starts[0], sizes[1], sizes[0]
        forged = body[: 16 * count] + starts.tobytes() + sizes.tobytes() + body[16 * count + 16 * chunks :]
        path.write_bytes(first + b"\n" + forged)
        store = Store.open(root)
        assert store.get("r3").name == "Person 2 Example"
        assert len(store.requests()) == 300

    def test_a_fifo_in_place_of_the_map_does_not_hang(self, root: Path) -> None:
        (root / MAP).unlink()
        os.mkfifo(root / MAP)
        assert Store.open(root).get("r40").status == "declined"


def forge(root: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Rewrite queue.map with ``change(maps)`` applied, keeping what ties it to queue.json (its
    inode, size, mtime and CRC): a map made to lie, which only its layout can give away."""
    queue = root / QUEUE
    st = queue.stat()
    sig = (st.st_ino, st.st_size, st.st_mtime_ns)
    found = docmap.load(queue, sig, "_journal")
    assert found is not None, "no map to forge"
    maps, mark, crc = found
    change(maps)
    docmap.save(queue, maps, mark, sig, crc)


class TestMapsMadeToLie:
    """The second outside attack forged maps that keep the file's inode, size, mtime and CRC:
    a map saying the requests table is empty made `tui add` give out r1 again (overwriting
    r1 for good); a chunk pointing into the decisions showed a decision as r5 and let a decide
    overwrite it; an id left out made r5 "no record". A map whose layout does not fit its file
    byte for byte is not used."""

    def test_a_map_saying_the_requests_are_none_is_not_used(self, root: Path) -> None:
        from array import array

        def empty(maps):  # type: ignore[no-untyped-def]
            maps["requests"] = docmap.TableMap(*(array("q") for _ in range(5)))

        forge(root, empty)
        store = Store.open(root)
        assert len(store.requests()) == 300
        assert store.add_request(Request(name="Mallory X")).id == "r301"

    def test_a_chunk_pointing_into_the_other_table_is_not_used(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        def cross(maps):  # type: ignore[no-untyped-def]
            r, d = maps["requests"], maps["decisions"]
            r.starts[0], r.sizes[0], r.crcs[0] = d.starts[0], d.sizes[0], d.crcs[0]

        from tui.store import journal

        monkeypatch.setattr(journal, "MIN_COMPACT", 0)  # compacted past a quarter of queue.json: the decisions in it too
        store = Store.open(root)
        for i in range(41, 81):
            store.record_decision(f"r{i}", "decline")
        assert orjson.loads((root / QUEUE).read_bytes())["decisions"]
        forge(root, cross)
        store = Store.open(root)
        assert store.get("r5").name == "Person 4 Example" and store.get("r5").status == "declined"

    def test_a_map_with_an_id_left_out_is_not_used(self, root: Path) -> None:
        from array import array

        def drop(maps):  # type: ignore[no-untyped-def]
            r = maps["requests"]
            keep = [i for i, n in enumerate(r.ids) if n != 5]
            r.ids, r.chunk_of = array("q", [r.ids[i] for i in keep]), array("q", [r.chunk_of[i] for i in keep])

        forge(root, drop)
        assert Store.open(root).get("r5").name == "Person 4 Example"

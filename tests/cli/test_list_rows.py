"""`tui list` from requests.rows (tui/store/rows.py): each request's line as `tui list` prints
it, kept beside queue.json, so that listing 20k pending requests parses none of them. The output
is always what the table itself gives; the rows are a cache, checked before use."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from tests.cli.conftest import tui
from tui.models import Request
from tui.store import Store, docmap

ROWS = "requests.rows"


@pytest.fixture
def data(isolated: dict[str, Path]) -> Path:
    """300 requests (five chunks of queue.json) from two networks, 40 declined (in the journal)."""
    store = Store.open(isolated["data"])
    people = [
        Request(
            name=f"Person {i} Example",
            company=f"Firm {i % 7}",
            title="Founder",
            emails=[f"p{i}@example.org"],
            source=("linkedin", "x")[i % 2],
        )
        for i in range(300)
    ]
    store.import_records([], people)
    for i in range(1, 41):
        store.record_decision(f"r{i}", "decline")
    return store.root


def listed(*args: str) -> str:
    return tui("list", *args).stdout


def from_the_table(data: Path, *args: str) -> str:
    """What `tui list` prints when it reads every request (no rows to start from)."""
    (data / ROWS).unlink(missing_ok=True)
    return listed(*args)


def no_table_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every read of a whole table of queue.json fail loudly."""

    def refuse(self: docmap.Lazy, name: str) -> dict[str, object]:
        raise AssertionError(f"read the whole {name} table")

    monkeypatch.setattr(docmap.Lazy, "read_table", refuse)


LISTINGS = [(), ("--status", "all"), ("--status", "declined"), ("--source", "X"), ("--status", "pending", "--source", "linkedin")]


class TestRowsStandInForTheTable:
    @pytest.mark.parametrize("args", LISTINGS)
    def test_the_second_listing_reads_no_request_and_prints_what_the_table_gives(
        self, data: Path, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        truth = from_the_table(data, *args)
        assert (data / ROWS).exists() and truth
        with monkeypatch.context() as m:
            no_table_reads(m)
            assert listed(*args) == truth

    def test_writes_since_the_rows_were_made_are_laid_over_them_in_stored_order(self, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        listed()
        tui("decide", "r50", "accept")
        tui("add", "Newcomer Person", "--company", "Fresh Firm", "--source", "x")
        tui("add", "Hostile \x1b[31mPerson", "--source", "linkedin")
        tui("decide", "r61", "defer", "--until", "+3d")
        Store.open(data).update_request("r60", notes="met at the fair")
        after: dict[tuple[str, ...], str] = {}
        with monkeypatch.context() as m:
            no_table_reads(m)
            for args in LISTINGS:
                after[args] = listed(*args)
        for args in LISTINGS:
            assert after[args] == from_the_table(data, *args), args
        lines = after[("--status", "all")].splitlines()
        assert lines[-2].startswith("r301 ") and "Newcomer Person" in lines[-2] and lines[-1].startswith("r302 ")
        assert "r50     accepted" in after[("--status", "all")] and "\x1b" not in after[("--status", "all")]

    def test_only_the_requests_changed_since_the_rows_were_made_are_made_again(self, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """With 5,000 decisions in the journal (at 100k), each listing made the row of every request
        the journal ever changed, not of those changed since the rows: 2.3x the floor."""
        from tui.cli_records import _listed_row as list_row

        listed()  # the rows, made after the 40 declines of the fixture
        tui("decide", "r50", "accept")
        Store.open(data).update_request("r60", notes="met at the fair")
        made: list[str] = []

        def counted(request: Request) -> object:
            made.append(request.id)
            return list_row(request)

        store = Store.open(data)
        got = store.request_rows(counted, "counted")  # (another version: made from the table, kept)
        made.clear()
        tui("decide", "r70", "decline")
        again = Store.open(data).request_rows(counted, "counted")
        assert sorted(made) == ["r70"]
        got["r70"] = counted(Store.open(data).get_request("r70"))
        assert again == got

    def test_after_a_compaction_the_rows_are_made_again_from_the_new_file(self, data: Path) -> None:
        listed()
        store = Store.open(data)
        store._queue.rewrite()  # the next write is a whole one, as a compaction is
        store.record_decision("r100", "accept")
        assert not (data / "queue.jnl").exists()
        assert listed("--status", "all") == from_the_table(data, "--status", "all")
        assert "r100    accepted" in listed("--status", "all")

    def test_the_rows_file_is_private(self, data: Path) -> None:
        listed()
        assert oct((data / ROWS).stat().st_mode & 0o777) == "0o600"


class TestRowsMadeToLie:
    """requests.rows is a cache in the data directory: one that does not fit is ignored."""

    def forge(self, data: Path, change: object) -> None:
        listed()
        found = orjson.loads((data / ROWS).read_bytes())
        change(found)  # type: ignore[operator]
        (data / ROWS).write_bytes(orjson.dumps(found))

    def test_a_forged_line_never_puts_a_control_character_on_the_terminal(self, data: Path) -> None:
        def poison(found: dict) -> None:
            found["columns"][2][45] = "r46     pending   x          \x1b]0;owned\x07\x1b[2J"

        truth = from_the_table(data)
        self.forge(data, poison)
        assert listed() == truth

    @pytest.mark.parametrize(
        ("what", "field", "value"),
        [
            ("another version of the line", "version", "0.0.1/1"),
            ("another queue.json (its CRC)", 4, 12345),
            ("a journal read further than it is", 6, 10**9),
            ("a journal that is another file", 5, 1),
        ],
    )
    def test_rows_made_for_anything_else_are_not_used(self, data: Path, what: str, field: object, value: object) -> None:
        tui("decide", "r45", "accept")  # a journal to follow
        truth = from_the_table(data)

        def other(found: dict) -> None:
            if isinstance(field, int):
                found["point"][field] = value
            else:
                found[field] = value
            found["columns"][2][50] = "r51     pending   x          Not Who It Was"

        self.forge(data, other)
        assert listed() == truth, what

    @pytest.mark.parametrize("how", ["a number among the lines", "a column short of a row", "an id that is not text"])
    def test_rows_not_all_text_or_out_of_line_are_ignored(self, data: Path, how: str) -> None:
        truth = from_the_table(data)

        def spoil(found: dict) -> None:
            if how == "a number among the lines":
                found["columns"][2][7] = 7
            elif how == "a column short of a row":
                found["columns"][1].pop()
            else:
                found["ids"][3] = ["r4"]

        self.forge(data, spoil)
        assert listed() == truth, how

    def test_damaged_rows_are_ignored(self, data: Path) -> None:
        truth = from_the_table(data)
        (data / ROWS).write_bytes(b'{"ids": ["r1"], "columns": [[2]]')
        assert listed() == truth

    @pytest.mark.parametrize("what", ["a FIFO", "a link to /dev/zero", "a huge sparse file"])
    def test_rows_that_are_no_regular_file_of_sane_size_are_never_read(self, data: Path, what: str) -> None:
        """An outside attack: a link to /dev/zero grew `tui list` by 700 MB a second until the OOM
        killer stopped it; a FIFO hung it for good."""
        truth = from_the_table(data)
        rows = data / ROWS
        rows.unlink()
        if what == "a FIFO":
            os.mkfifo(rows)
        elif what == "a link to /dev/zero":
            rows.symlink_to("/dev/zero")
        else:
            with open(rows, "wb") as f:
                f.truncate(2**40)  # a terabyte of nothing, in no space
        assert listed() == truth

    def test_a_queue_damaged_in_place_still_stops_the_listing(self, data: Path) -> None:
        listed()
        queue = data / "queue.json"
        st = queue.stat()
        raw = queue.read_bytes()
        at = raw.index(b'"250":{')
        with open(queue, "r+b") as f:
            f.seek(at + 7)
            f.write(b"}}")
        os.utime(queue, ns=(st.st_atime_ns, st.st_mtime_ns))
        result = tui("list", code=3)
        assert "queue.json" in result.stderr


def test_the_lines_since_are_read_only_from_the_journal_the_rows_follow(tmp_path: Path) -> None:
    """A compaction between the read and this look replaces the journal: its bytes at those
    offsets are other lines, and would leave a change unlaid. Then every change is laid over."""
    from tui.store import rows

    journal = tmp_path / "queue.jnl"
    head = b'{"base":"t"}\n'
    journal.write_bytes(head + b'{"c":[["requests","5",{"name":"A"}],["decisions","9",{}]]}\n')
    point = [1, 2, 3, "t", 4, journal.stat().st_ino, journal.stat().st_size]
    assert rows.changed_since(journal, point, len(head), "requests") == {"5"}
    assert rows.changed_since(journal, [*point[:5], point[5] + 1, point[6]], len(head), "requests") is None
    assert rows.changed_since(journal, point, len(head) + 3, "requests") is None  # not at a line's start

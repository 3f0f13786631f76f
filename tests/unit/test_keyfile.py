"""The key file's blocking and identity sections (tui/dedup/keyfile.py) read back as they were
written: every surname group, first name, pair key, company count, sound code and identity (an
address two contacts share too), whatever the names hold, and however many lines each kind of key
has (one, several, none)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.dedup.keyfile import rows_of, split_rows
from tui.dedup.keys import KeyIndex, build
from tui.models import Contact

WORD = st.one_of(
    st.sampled_from(["ann", "smith", "o'neil", "li", "m", "van der berg", "josé", "x:y", "cf:z", "a,b", "ünal"]),
    st.text(alphabet="abcdeklmnorsty:;,é", min_size=1, max_size=8),
)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(WORD, WORD, st.one_of(st.just(""), WORD), st.sampled_from(["", "a@x.org", "b@x.org", "c@y.org"])), max_size=30)
)
def test_the_sections_read_back_as_written(rows: list[tuple[str, str, str, str]]) -> None:
    contacts = [
        Contact(name=f"{given} {family}", company=company, emails=[email] if email else [], id=f"c{i + 1}")
        for i, (given, family, company, email) in enumerate(rows)
    ]
    built = build(contacts).blocks()
    loaded, _ = KeyIndex.from_bytes(build(contacts).to_bytes({}))  # type: ignore[misc]
    read = loaded.materialise().blocks()
    assert loaded.columns == build(contacts).columns
    assert loaded.identities() == build(contacts).identities()
    assert all(loaded.rows_with_email(address) == build(contacts).rows_with_email(address) for address in ("a@x.org", "b@x.org", "c@y.org"))
    assert read.groups == built.groups
    assert read.companies == built.companies
    assert read.sounding == built.sounding
    for table in ("named", "pairs"):
        mine, theirs = getattr(read, table), getattr(built, table)
        assert set(mine) == set(theirs)
        assert all(rows_of(mine, key) == rows_of(theirs, key) for key in theirs)


def test_rows_split_at_once_only_when_every_line_has_its_fields() -> None:
    assert split_rows("a\tb\nc\td\n", 2, 2) == [["a", "c"], ["b", "d"]]
    assert split_rows("a\tb\tx\nc\td\n", 2, 2) is None  # a line with a field too many: line by line
    assert split_rows("", 2, 0) == [[], []]


class TestInPieces:
    """The key file's sections are split a piece at a time (each C call holds the GIL, and the
    app's keys wait behind it): the same tables as splitting each section at once."""

    def test_tables_columns_and_text_across_many_pieces(self, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        from tui.dedup import keyfile

        monkeypatch.setattr(keyfile, "PIECE", 64)  # many pieces from a small text
        lines = [f"k{i}:ä{'é' * (i % 7)}\t{i},{i + 1}" for i in range(500)]
        text = "".join(f"{line}\n" for line in lines)
        assert keyfile._table(text) == dict(line.split("\t") for line in lines)
        assert keyfile.identity_table(text) == dict(line.split("\t") for line in lines)
        rows = [[f"r{i}", f"ñ{i}", ""] for i in range(300)]
        columns = keyfile.split_rows("".join("\t".join(r) + "\n" for r in rows), 3, 300)
        assert columns == [[r[c] for r in rows] for c in range(3)]
        assert keyfile.split_rows("a\tb\tc\nd\te\n", 3, 2) is None  # a line short: read line by line instead
        blob = text.encode("utf-8")
        assert keyfile.text_of(blob, 0, len(blob)) == text
        start = blob.index(b"\n") + 1
        assert keyfile.text_of(blob, start, len(blob)) == text[len(lines[0]) + 1 :]

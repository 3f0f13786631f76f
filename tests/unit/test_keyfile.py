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

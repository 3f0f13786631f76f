"""The prefilters that blocking runs in C before its exact tests (tui/dedup/blocking.py) keep every
name the exact test would keep: a first name that :func:`first_level` does not call DIFFERENT, a
sound-alike surname that :func:`last_level` does not. A prefilter that drops one loses a match
without a trace, so each is held to the levels it stands for, on names of every shape."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tui.dedup import levels as lv
from tui.dedup.blocking import _maybe_last, first_name_table, maybe_firsts

REAL = [
    "katharina",
    "kathrin",
    "catherine",
    "katherine",
    "kate",
    "stephen",
    "steven",
    "stephanie",
    "stephi",
    "mario",
    "maria",
    "marie",
    "daniel",
    "daniela",
    "simon",
    "simone",
    "li",
    "lu",
    "liu",
    "zoe",
    "xiu",
    "mohamed",
    "muhammad",
    "mohammed",
    "jon",
    "john",
    "johan",
    "sean",
    "shaun",
    "rn",
    "m",
    "a",
    "schmidt",
    "shmidt",
    "schmitt",
    "smith",
    "smyth",
    "sandy",
    "whitmore",
    "witmoor",
    "stevens",
    "stephens",
]
NAME = st.one_of(st.sampled_from(REAL), st.text(alphabet="aeiourstnmlkhcdy", min_size=1, max_size=10))


@settings(max_examples=300, deadline=None)
@given(name=NAME.filter(lambda n: len(n) > 1), pool=st.lists(NAME, min_size=1, max_size=40, unique=True))
def test_first_names_kept_by_the_prefilter_include_every_agreeing_one(name: str, pool: list[str]) -> None:
    agreeing = {f for f in pool if lv.first_level(name, f)[0] != lv.DIFFERENT}
    assert agreeing <= maybe_firsts(first_name_table(pool), [name])[name]
    assert agreeing <= maybe_firsts(first_name_table(pool), [name, "zoe", "katharina"])[name]  # the same among others (a batch)


@settings(max_examples=300, deadline=None)
@given(name=NAME.filter(lambda n: len(n) > 1), group=st.lists(NAME, min_size=17, max_size=60, unique=True))
def test_surnames_kept_by_the_prefilter_include_every_agreeing_one(name: str, group: list[str]) -> None:
    kept = _maybe_last(name, group)
    assert [s for s in kept if s in group] == kept  # in the group's order
    assert {s for s in group if lv.last_level(name, s)[0] != lv.DIFFERENT} <= set(kept)


def test_the_prefilters_are_not_everything() -> None:
    """They filter: a name far from the query is left out (else they would cost and hold nothing)."""
    pool = ["zoe", "bartholomew", "katharina", *(f"x{'q' * n}" for n in range(20))]
    assert "bartholomew" not in maybe_firsts(first_name_table(pool), ["kathrin"])["kathrin"]
    assert "bartholomew" not in _maybe_last("smith", ["smyth", "bartholomew", *(f"x{'q' * n}" for n in range(20))])


LETTERS = "aeiournmlstkhcdy10"
PART = st.one_of(st.sampled_from(REAL), st.text(alphabet=LETTERS, min_size=2, max_size=9))


def mutated(name: str, how: int, at: int) -> str:
    """``name`` as a stranger might write it: a look-alike letter, cut short, a letter lost, added
    or swapped with the next, or as it is."""
    at = at % len(name)
    return [
        name.replace("m", "rn", 1),
        name.replace("l", "1", 1).replace("o", "0", 1),
        name[: max(3, len(name) - 1 - at)],
        name[:at] + name[at + 1 :] or name,
        name[:at] + "e" + name[at:],
        name[:at] + name[at + 1 : at + 2] + name[at : at + 1] + name[at + 2 :],
        name,
    ][how]


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.tuples(PART, PART), min_size=1, max_size=25),
    pick=st.integers(0, 24),
    how=st.tuples(st.integers(0, 6), st.integers(0, 6)),
    at=st.integers(0, 9),
)
def test_blocking_lets_through_every_row_whose_names_agree(rows: list[tuple[str, str]], pick: int, how: tuple[int, int], at: int) -> None:
    """Blocking against brute force: every contact whose surname and first name both agree with the
    request's at some level (what the weighing could show) is a candidate, on a loaded key file (one
    lookup, ``tui add``) and in memory (many, ``tui dedup`` and the cards). The request is one of
    the contacts as a stranger might write it."""
    from tui.dedup.blocking import candidates
    from tui.dedup.keys import KeyIndex, build, record_keys
    from tui.models import Contact, Request

    contacts = [Contact(name=f"{given} {family}", id=f"c{i + 1}") for i, (given, family) in enumerate(rows)]
    first, last = rows[pick % len(rows)]
    q = record_keys(Request(name=f"{mutated(first, how[0], at)} {mutated(last, how[1], at)}", source="x", id="r1"))
    # ("Dr Dr": no name left to compare; a request's surname of one letter, "Ann M.", is looked for
    # with the first name as written, the "i:" block, not with every name that agrees with it)
    assume(len(q.last) > 1)
    index = build(contacts)
    agree = {
        row
        for row in range(index.size())
        if index.row_keys(row).last  # (a contact "Col Col" has no name left either: only its addresses find it)
        and lv.last_level(q.last, index.row_keys(row).last)[0] != lv.DIFFERENT
        and lv.first_level(q.first, index.row_keys(row).first)[0] != lv.DIFFERENT
    }
    loaded, _ = KeyIndex.from_bytes(index.to_bytes({}))  # type: ignore[misc]
    assert agree <= set(candidates(loaded, q, {}))
    assert agree <= set(candidates(index, q, {}))

"""The prefilters that blocking runs in C before its exact tests (tui/dedup/blocking.py) keep every
name the exact test would keep: a first name that :func:`first_level` does not call DIFFERENT, a
sound-alike surname that :func:`last_level` does not. A prefilter that drops one loses a match
without a trace, so each is held to the levels it stands for, on names of every shape."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.dedup import levels as lv
from tui.dedup.blocking import _maybe_last, maybe_firsts

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
    assert agreeing <= maybe_firsts(pool, [name])[name]
    by_code: dict[str, list[str]] = {}
    for other in pool:
        by_code.setdefault(lv.sounds(other)[0], []).append(other)
    assert agreeing <= lv.maybe_first(name, pool, by_code)  # the same for one name at a time (the app's cards)


@settings(max_examples=300, deadline=None)
@given(name=NAME.filter(lambda n: len(n) > 1), group=st.lists(NAME, min_size=17, max_size=60, unique=True))
def test_surnames_kept_by_the_prefilter_include_every_agreeing_one(name: str, group: list[str]) -> None:
    kept = _maybe_last(name, group)
    assert [s for s in kept if s in group] == kept  # in the group's order
    assert {s for s in group if lv.last_level(name, s)[0] != lv.DIFFERENT} <= set(kept)


def test_the_prefilters_are_not_everything() -> None:
    """They filter: a name far from the query is left out (else they would cost and hold nothing)."""
    pool = ["zoe", "bartholomew", "katharina", *(f"x{'q' * n}" for n in range(20))]
    assert "bartholomew" not in maybe_firsts(pool, ["kathrin"])["kathrin"]
    assert "bartholomew" not in _maybe_last("smith", ["smyth", "bartholomew", *(f"x{'q' * n}" for n in range(20))])

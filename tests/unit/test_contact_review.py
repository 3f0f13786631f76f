"""The review of duplicate contacts as plain logic (no Textual): the group shown, the values kept."""

from __future__ import annotations

from tui.app.contact_review import ContactReview, Done
from tui.dedup.contact_groups import Group


def review() -> ContactReview:
    return ContactReview([Group(["c1", "c5"]), Group(["c2", "c7", "c9"])])


class TestChoosing:
    def test_the_first_members_values_and_every_list_by_default(self) -> None:
        r = review()
        assert r.kept("name") == "c1" and r.kept("emails") == "all" and r.choices() == {}

    def test_a_chosen_value_and_a_chosen_list_and_back_to_all(self) -> None:
        r = review()
        r.choose("name", "c5")
        r.choose("phones", "c5")
        assert r.choices() == {"name": "c5", "phones": "c5"}
        r.choose("phones", "c5")  # the same list again: every member's
        assert r.kept("phones") == "all" and r.choices() == {"name": "c5"}


class TestMoving:
    def test_skip_moves_on_and_forgets_the_choices(self) -> None:
        r = review()
        r.choose("name", "c5")
        r.skip()
        assert r.current.members == ["c2", "c7", "c9"] and r.keep == {}

    def test_the_counter_follows_skips_and_comes_round(self) -> None:
        r = review()
        assert r.counter() == (1, 2)
        r.skip()
        assert r.counter() == (2, 2) and r.current.members == ["c2", "c7", "c9"]
        r.skip()
        assert r.counter() == (1, 2) and r.current.members == ["c1", "c5"]

    def test_taking_the_last_group_comes_round_to_the_first(self) -> None:
        r = review()
        r.skip()
        r.take()
        assert r.counter() == (1, 1) and r.current.members == ["c1", "c5"]

    def test_a_stale_group_is_dropped_where_it_stands(self) -> None:
        r = ContactReview([Group(["c1", "c5"]), Group(["c2", "c7"]), Group(["c3", "c4"])])
        r.skip()
        r.drop(r.current)
        assert r.counter() == (2, 2) and r.current.members == ["c3", "c4"]

    def test_take_then_put_back_shows_the_group_again(self) -> None:
        r = review()
        step = r.take()
        assert isinstance(step, Done) and r.current.members == ["c2", "c7", "c9"] and r.last() is step
        r.put_back(step)
        assert r.current.members == ["c1", "c5"] and r.last() is None

    def test_nothing_left(self) -> None:
        r = ContactReview([Group(["c1", "c5"])])
        r.take()
        assert r.current is None
        r.skip()
        assert r.current is None

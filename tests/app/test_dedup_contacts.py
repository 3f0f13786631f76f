"""The duplicate-contacts review screen (key D): merge, not the same, skip and undo after a
restart, with the store checked after each step; snapshots at 80x24 and 160x45."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from tests.app.conftest import build, notices, notifications, settle, until
from tests.conftest import HOSTILE
from tests.unit.test_contact_groups import import_world
from tui.app.screens.dedup_contacts import ContactGroupsScreen
from tui.app.screens.history import HistoryScreen
from tui.dedup.contact_groups import find_groups
from tui.models import Contact
from tui.store import Store


@pytest.fixture
def world(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "data")
    import_world(store)
    return store


async def open_review(pilot: Pilot) -> ContactGroupsScreen:
    await settle(pilot)
    await pilot.press("D")
    await until(pilot, lambda: isinstance(pilot.app.screen, ContactGroupsScreen) and pilot.app.screen.review is not None)
    return pilot.app.screen  # type: ignore[return-value]


def groups_now(root: Path) -> list[list[str]]:
    store = Store.open(root)
    return [g.members for g in find_groups(store.contact_keys(), distinct=store.distinct_contacts())]


class TestReviewFlow:
    async def test_merge_keeps_the_chosen_name_then_undo_after_a_restart(self, world: Store, tmp_path: Path) -> None:
        first = groups_now(world.root)[0]  # Robert Whitfield (LinkedIn), Bob Whitfield (Google), "Whitfield, Bob" (vCard)
        app = build(world, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_review(pilot)
            assert screen.review.current.members == first
            await pilot.press("right", "right", "enter")  # Name: keep the second member's ("Bob Whitfield")
            await pilot.press("g")
            await settle(pilot)
            assert screen.review.current.members != first
        store = Store.open(world.root)
        merged = store.get(first[0])
        assert merged.name == "Bob Whitfield" and merged.title == "Head of Data"
        assert {"bob.whitfield@acme-analytics.example", "bob@whitfield-family.example"} == set(merged.emails)
        assert not {c.id for c in store.contacts()} & set(first[1:])
        assert len(groups_now(world.root)) == 9

        app = build(Store.open(world.root), tmp_path)  # a restart: this session did nothing yet
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            await pilot.press("h")  # the history undoes any decision, this merge too
            await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.query_one(DataTable).row_count > 0)
            await pilot.press("u")
            await settle(pilot)
            assert not [f"{n.title}: {n.message}" for n in notifications(seen) if n.severity == "error"]
        store = Store.open(world.root)
        assert store.get(first[1]).name == "Bob Whitfield" and store.get(first[0]).name == "Robert Whitfield"
        assert groups_now(world.root)[0] == first

    async def test_not_the_same_is_stored_and_never_suggested_again_and_u_takes_it_back(self, world: Store, tmp_path: Path) -> None:
        first = groups_now(world.root)[0]
        app = build(world, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_review(pilot)
            await pilot.press("x")
            await settle(pilot)
            assert first not in groups_now(world.root) and len(groups_now(world.root)) == 9
            assert len(Store.open(world.root).contacts()) == 30  # nothing merged
            await pilot.press("u")
            await settle(pilot)
            assert screen.review.current.members == first
        assert groups_now(world.root)[0] == first

    async def test_skip_writes_nothing_and_moves_the_group_to_the_back(self, world: Store, tmp_path: Path) -> None:
        first, second = groups_now(world.root)[:2]
        before = {p.name: p.read_bytes() for p in world.root.glob("*.json")}
        app = build(world, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_review(pilot)
            await pilot.press("s")
            await settle(pilot)
            assert screen.review.current.members == second and screen.review.groups[-1].members == first
        assert {p.name: p.read_bytes() for p in world.root.glob("*.json")} == before

    async def test_undo_in_the_review_after_a_restart_of_the_merge(self, world: Store, tmp_path: Path) -> None:
        first = groups_now(world.root)[0]
        app = build(world, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_review(pilot)
            await pilot.press("g")
            await settle(pilot)
        assert len(Store.open(world.root).contacts()) == 28
        app = build(Store.open(world.root), tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_review(pilot)
            assert first not in [g.members for g in screen.review.groups]
            await pilot.press("escape")
        undone = Store.open(world.root).undo_last()  # the CLI's `tui undo`, another process's view of the same store
        assert undone is not None and len(Store.open(world.root).contacts()) == 30

    async def test_a_group_changed_by_another_process_is_not_merged_and_is_shown_as_it_now_is(self, world: Store, tmp_path: Path) -> None:
        first = groups_now(world.root)[0]
        app = build(world, tmp_path)
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            screen = await open_review(pilot)
            Store.open(world.root).merge_contacts([first[0], first[1]])  # a script, meanwhile
            await pilot.press("g")
            await settle(pilot)
            await until(pilot, lambda: screen.review.current is not None and screen.review.current.members == [first[0], first[2]])
            assert any("Not saved" in n and first[1] in n for n in notices(seen))
        store = Store.open(world.root)
        assert store.get(first[2]).name == "Whitfield, Bob" and len(store.contacts()) == 29

    async def test_a_possible_group_asks_first_and_enter_cancels(self, world: Store, tmp_path: Path) -> None:
        from tui.app.contact_review import ContactReview
        from tui.app.screens.modals import ConfirmScreen
        from tui.dedup.contact_groups import Group, Link

        smiths = [c.id for c in world.contacts() if c.name == "John Smith"]
        app = build(world, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_review(pilot)
            # What `--kind possible` would list: namesakes at two companies.
            screen.review = ContactReview([Group(smiths, [Link(*smiths, 38, "possible", ["same name", "not likely: company differs"])])],
                                          world.contact_docs(smiths))
            screen.render_group()
            await pilot.press("g")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("enter")  # out of habit: Cancel
            await settle(pilot)
            assert len(Store.open(world.root).contacts()) == 30 and screen.review.current.members == smiths
            await pilot.press("g")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("tab", "enter")
            await settle(pilot)
        store = Store.open(world.root)
        assert len(store.contacts()) == 29 and set(store.get(smiths[0]).merged_from) == set(smiths)

    async def test_hostile_names_are_text(self, tmp_path: Path) -> None:
        store = Store.open(tmp_path / "data")
        store.import_records([Contact(name=f"Ann {h} Lee", company="Acme", emails=["ann@acme.example"], source=source)
                              for h, source in zip(HOSTILE[:2], ("linkedin", "google"), strict=True)], [])
        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_review(pilot)
            await until(pilot, lambda: screen.query_one(DataTable).row_count >= 2)
            await pilot.pause()  # and the rows are drawn: markup in them would end the app here
            assert app.is_running and screen.review.current is not None
            shown = " ".join(str(cell) for row in range(2) for cell in screen.query_one("DataTable").get_row_at(row))
            assert "[@click=app.quit]x[/]" in shown


def review(*pressed: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await open_review(pilot)
        for key in pressed:
            await pilot.press(key)
        await settle(pilot)

    return run_before


class TestReviewSnapshots:
    def test_review_80x24(self, snap_compare, world: Store, tmp_path: Path) -> None:
        assert snap_compare(build(world, tmp_path), terminal_size=(80, 24), run_before=review())

    def test_review_160x45(self, snap_compare, world: Store, tmp_path: Path) -> None:
        assert snap_compare(build(world, tmp_path), terminal_size=(160, 45), run_before=review("right", "right", "enter"))

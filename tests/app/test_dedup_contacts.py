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


async def merge_the_first_group(world: Store, tmp_path: Path) -> None:
    """A session that opens the review, merges its first group with g, and ends."""
    app = build(world, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        await pilot.press("g")
        await settle(pilot)


def groups_now(root: Path) -> list[list[str]]:
    store = Store.open(root)
    return [g.members for g in find_groups(store.contact_keys(), distinct=store.distinct_contacts())]


class TestReviewFlow:
    async def test_merge_keeps_the_chosen_name_then_undo_after_a_restart(self, world: Store, tmp_path: Path) -> None:
        first = groups_now(world.root)[0]  # the best group: Katharina Berger (LinkedIn), Katharina Schmidt (Google), one e-mail
        docs = world.contact_docs(first)
        app = build(world, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_review(pilot)
            assert screen.review.current.members == first
            await pilot.press("right", "right", "enter")  # Name: keep the second member's
            await pilot.press("g")
            await settle(pilot)
            assert screen.review.current.members != first
        store = Store.open(world.root)
        merged = store.get(first[0])
        assert merged.name == docs[first[1]]["name"] and merged.title == docs[first[0]]["title"]
        assert {e for d in docs.values() for e in d["emails"]} == set(merged.emails)
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
        assert Store.open(world.root).contact_docs(first) == docs
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

    async def test_skip_writes_nothing_and_the_counter_follows(self, world: Store, tmp_path: Path) -> None:
        found = groups_now(world.root)
        before = {p.name: p.read_bytes() for p in world.root.glob("*.json")}
        app = build(world, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_review(pilot)
            title = screen.query_one("#dedup-title")
            assert "group 1 of 10" in str(title.render())
            await pilot.press("s")
            await settle(pilot)
            assert screen.review.current.members == found[1] and "group 2 of 10" in str(title.render())
            await pilot.press(*"s" * 9)
            await settle(pilot)
            assert screen.review.current.members == found[0] and "group 1 of 10" in str(title.render())
        assert {p.name: p.read_bytes() for p in world.root.glob("*.json")} == before

    async def test_enter_keeps_the_cell_under_the_cursor_when_a_move_and_enter_arrive_together(self, world: Store, tmp_path: Path) -> None:
        # A laggy SSH session hands the app "→⏎" in one read: the driver posts both keys at once, and
        # Enter (a priority binding) is handled before the table has moved its cursor. Pilot's press
        # waits between keys, so the keys are posted as the driver posts them.
        from textual import events

        app = build(world, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_review(pilot)
            first, second = screen.review.current.members

            async def typed(*keys: str) -> None:
                for key in keys:
                    app.post_message(events.Key(key, "\r" if key == "enter" else None))
                await settle(pilot)

            await typed("right", "enter")
            assert screen.review.keep == {"name": first}
            await typed("right", "enter")
            assert screen.review.keep == {"name": second}
            await typed("left", "enter")
            assert screen.review.keep == {"name": first}
            await pilot.press("right", "enter")  # Pilot's way, too
            assert screen.review.keep == {"name": second}
            assert screen.query_one(DataTable).cursor_coordinate == (0, 2)

    async def test_a_merge_keeps_every_address_whichever_members_list_is_chosen(self, tmp_path: Path) -> None:
        store = Store.open(tmp_path / "data")
        store.add_contact(Contact(name="Ann Lee", company="Acme", emails=["ann@acme.example"], phones=["+1 555 0100"], source="linkedin"))
        store.add_contact(Contact(name="Ann Lee", company="Acme", source="google"))
        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_review(pilot)
            assert screen.review.current.members == ["c1", "c2"]
            await pilot.press("down", "down", "down", "right", "right", "enter")  # E-mails: the second's, none
            await pilot.press("down", "enter")  # Phones: the same
            assert screen.review.keep == {"emails": "c2", "phones": "c2"}
            await pilot.press("g")
            await settle(pilot)
        merged = Store.open(store.root).get("c1")
        assert merged.emails == ["ann@acme.example"] and merged.phones == ["+1 555 0100"]

    async def test_groups_are_shown_best_first(self, world: Store, tmp_path: Path) -> None:
        app = build(world, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_review(pilot)
            shown = [(g.kind != "identical", -g.score, [int(m[1:]) for m in g.members]) for g in screen.review.groups]
            assert shown == sorted(shown) and screen.review.current.kind == "identical"

    async def test_u_after_a_restart_undoes_the_last_merge_in_the_history(self, world: Store, tmp_path: Path) -> None:
        first = groups_now(world.root)[0]
        docs = world.contact_docs(first)
        await merge_the_first_group(world, tmp_path)
        assert len(Store.open(world.root).contacts()) == 31 - len(first)
        seen: list[object] = []
        app = build(Store.open(world.root), tmp_path)  # a restart
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            screen = await open_review(pilot)
            await pilot.press("u")
            await settle(pilot)
            await until(pilot, lambda: screen.review.current is not None and screen.review.current.members == first)
            said = [n.message for n in notifications(seen)]
            assert not any("Nothing to undo" in m for m in said) and any("Undid d1" in m for m in said), said
        assert Store.open(world.root).contact_docs(first) == docs and len(groups_now(world.root)) == 10

    async def test_a_group_another_process_merged_meanwhile_is_not_shown_and_the_user_is_told(self, world: Store, tmp_path: Path) -> None:
        first, second = groups_now(world.root)[:2]
        seen: list[object] = []
        app = build(world, tmp_path)
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            screen = await open_review(pilot)
            Store.open(world.root).merge_contacts(second[:2])  # `tui merge-contacts` in another terminal
            await pilot.press("s")
            await settle(pilot)
            await until(pilot, lambda: all(second[1] not in g.members for g in screen.review.groups))
            assert screen.review.current is None or second[1] not in screen.review.current.members
            said = " ".join(n.message for n in notifications(seen))
            assert f"{second[1]} was merged into {second[0]}" in said, said
            assert first in [g.members for g in screen.review.groups]

    async def test_undo_in_the_review_after_a_restart_of_the_merge(self, world: Store, tmp_path: Path) -> None:
        first = groups_now(world.root)[0]
        await merge_the_first_group(world, tmp_path)
        assert len(Store.open(world.root).contacts()) == 31 - len(first)
        app = build(Store.open(world.root), tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_review(pilot)
            assert first not in [g.members for g in screen.review.groups]
            await pilot.press("escape")
        undone = Store.open(world.root).undo_last()  # the CLI's `tui undo`, another process's view of the same store
        assert undone is not None and len(Store.open(world.root).contacts()) == 30

    async def test_a_group_changed_by_another_process_is_not_merged_and_is_shown_as_it_now_is(self, world: Store, tmp_path: Path) -> None:
        found = groups_now(world.root)
        first = next(g for g in found if len(g) == 3)
        app = build(world, tmp_path)
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            screen = await open_review(pilot)
            await pilot.press(*"s" * found.index(first))
            await settle(pilot)
            assert screen.review.current.members == first
            Store.open(world.root).merge_contacts([first[0], first[1]])  # a script, meanwhile
            await pilot.press("g")
            await settle(pilot)
            await until(pilot, lambda: screen.review.current is not None and screen.review.current.members == [first[0], first[2]])
            assert any("Not saved" in n and first[1] in n for n in notices(seen))
        store = Store.open(world.root)
        assert store.get(first[2]).name == world.get(first[2]).name and len(store.contacts()) == 29

    async def test_not_the_same_after_another_process_merged_a_member_says_where_it_went(self, world: Store, tmp_path: Path) -> None:
        first = groups_now(world.root)[0]
        app = build(world, tmp_path)
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            screen = await open_review(pilot)
            assert screen.review.current.members == first
            merged = Store.open(world.root).merge_contacts(first[:2])  # a script, meanwhile
            await pilot.press("x")
            await settle(pilot)
            said = [n for n in notices(seen) if "Not saved" in n]
            assert said and f"no contact '{first[1]}': merged into {first[0]} ({merged.id})" in said[0], notices(seen)
        assert Store.open(world.root).distinct_contacts() == []

    async def test_a_possible_group_asks_first_and_enter_cancels(self, world: Store, tmp_path: Path) -> None:
        from tui.app.contact_review import ContactReview
        from tui.app.screens.modals import ConfirmScreen
        from tui.dedup.contact_groups import Group, Link

        smiths = [c.id for c in world.contacts() if c.name == "John Smith"]
        app = build(world, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_review(pilot)
            # What `--kind possible` would list: namesakes at two companies.
            screen.review = ContactReview(
                [Group(smiths, [Link(*smiths, 38, "possible", ["same name", "not likely: company differs"])])], world.contact_docs(smiths)
            )
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

    async def test_a_group_chained_through_a_third_asks_first_naming_the_pair(self, tmp_path: Path) -> None:
        from tests.unit.test_contact_groups import kathy_chain
        from tui.app.screens.modals import ConfirmScreen

        store = kathy_chain(tmp_path)
        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_review(pilot)
            assert screen.review.current.members == ["c1", "c2", "c3"]
            assert "possible" in str(screen.query_one("#dedup-title").render())
            await pilot.press("g")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="no confirmation")
            risk = app.screen.risk  # type: ignore[attr-defined]
            assert "c1 Katherine Whitfield and c2 Kate Whitfield" in risk and "may be different people" in risk and "c3" not in risk, risk
            await pilot.press("escape")
            await settle(pilot)
        assert len(Store.open(store.root).contacts()) == 3

    async def test_hostile_names_are_text(self, tmp_path: Path) -> None:
        store = Store.open(tmp_path / "data")
        store.import_records(
            [
                Contact(name=f"Ann {h} Lee", company="Acme", emails=["ann@acme.example"], source=source)
                for h, source in zip(HOSTILE[:2], ("linkedin", "google"), strict=True)
            ],
            [],
        )
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


class TestKeyBar:
    async def test_every_binding_is_in_the_help(self, world: Store, tmp_path: Path) -> None:
        app = build(world, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_review(pilot)
            from tui.app.screens.help import binding_rows

            assert {"Back", "Merge", "Not same", "Skip", "Undo", "Keep"} <= {
                row[1] for row in binding_rows(screen)
            }  # the rest: in help (?)

    @pytest.mark.parametrize("size", [(60, 20), (80, 24), (160, 45)])
    async def test_the_bottom_line_keeps_help_and_quit_and_every_key_at_each_size(
        self, world: Store, tmp_path: Path, size: tuple[int, int]
    ) -> None:
        app = build(world, tmp_path)
        async with app.run_test(size=size) as pilot:
            await open_review(pilot)
            await pilot.pause()
            bottom = app.screen._compositor.render_strips()[-1].text  # the terminal's last line, as drawn
            shown = [f"{app.get_key_display(b)} {b.description}" for b in ContactGroupsScreen.BINDINGS if b.show]
            for words in ("? Help", "q Quit", "⏎ Keep", *shown):
                assert words in bottom, (size, bottom)


class TestReviewSnapshots:
    def test_review_80x24(self, snap_compare, world: Store, tmp_path: Path) -> None:
        assert snap_compare(build(world, tmp_path), terminal_size=(80, 24), run_before=review())

    def test_review_160x45(self, snap_compare, world: Store, tmp_path: Path) -> None:
        assert snap_compare(build(world, tmp_path), terminal_size=(160, 45), run_before=review("right", "right", "enter"))


class TestScreensOpenedAgain:
    async def test_contacts_opened_again_from_the_duplicate_groups_come_back_not_a_second_time(
        self, sample_store: Store, tmp_path: Path
    ) -> None:
        """An outside check: c, then D over it, then c again crashed the app (DuplicateIds:
        another screen with the id 'contacts')."""
        from tui.app.screens.contacts import ContactsScreen

        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            for key in ("c", "down", "D", "c"):
                await pilot.press(key)
                await settle(pilot)
            assert isinstance(app.screen, ContactsScreen)
            assert [type(s).__name__ for s in app.screen_stack].count("ContactsScreen") == 1
            for key in ("h", "t", "h"):  # the history, the stats, and the history again: one of each
                await pilot.press(key)
                await settle(pilot)
            assert isinstance(app.screen, HistoryScreen)
            assert [type(s).__name__ for s in app.screen_stack].count("HistoryScreen") == 1

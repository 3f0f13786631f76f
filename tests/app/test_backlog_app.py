"""A backlog, not just a queue: the filter, a bulk step with one note and one undo, and the other
screens (contacts in a lazy table, a history that names whom, honest stats)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.app.conftest import Calls, build, header, settle, triage, until
from tui.app.screens.triage import TriageScreen
from tui.models import Contact, Request
from tui.store import Store

PITCH = ["r6", "r18"]
"""Chad Maxwell and Greg Sullivan: one sales pitch, nearly word for word."""


async def choose_filter(pilot, option_id: str) -> None:  # type: ignore[no-untyped-def]
    from tui.app.widgets.lists import ReadableOptionList

    await pilot.press("f")
    await pilot.pause()
    options = pilot.app.screen.query_one(ReadableOptionList)
    options.highlighted = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == option_id)
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


async def open_bulk_step(pilot) -> None:  # type: ignore[no-untyped-def]
    """Chad Maxwell's card, only the requests with the same message (:data:`PITCH`), then B."""
    from tui.app.screens.backlog import BulkScreen

    await pilot.press("slash", *"chad", "enter")
    await settle(pilot)
    await choose_filter(pilot, "group")  # the same message as this card
    await pilot.press("B")
    await until(pilot, lambda: isinstance(pilot.app.screen, BulkScreen))


class TestFilter:
    async def test_the_age_choices_read_as_sentences(self, sample_store: Store, tmp_path: Path) -> None:
        """An outside report: "Sent sent in the last 7 days"."""
        from tui.app.widgets.lists import ReadableOptionList

        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("f")
            await pilot.pause()
            options = app.screen.query_one(ReadableOptionList)
            ages = [str(options.get_option_at_index(i).prompt).split("  ")[0] for i in range(options.option_count)]
            ages = [a for a in ages if a.startswith("Sent")]
            assert ages == ["Sent older than 30 days", "Sent older than 90 days", "Sent in the last 7 days"]

    async def test_only_one_network_then_everything(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await choose_filter(pilot, "source:facebook")
            assert triage(app).current.source == "facebook"  # type: ignore[union-attr]
            assert header(app) == "3 shown (only facebook) · 29 pending"
            await pilot.press("d")
            await settle(pilot)
            assert header(app) == "2 shown (only facebook) · 28 pending · 1 decided"
            await choose_filter(pilot, "all")
            assert triage(app).current.id == "r1" and header(app) == "28 pending · 1 decided"  # type: ignore[union-attr]

    async def test_only_requests_with_a_match(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await choose_filter(pilot, "match:impersonation")
            assert [r.id for r in triage(app).q.shown()] == ["r4", "r5"]

    async def test_by_red_flag_and_by_age_combined(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await choose_filter(pilot, "flag:sales-pitch")
            pitching = [r.id for r in triage(app).q.shown()]
            assert "r6" in pitching and "red flag sales-pitch" in header(app)
            await choose_filter(pilot, "age:0")  # older than 30 days (the clock is pinned at 2026-11-20)
            shown = triage(app).q.shown()
            assert shown and {r.id for r in shown} <= set(pitching)
            assert all(r.sent_at[:10] < "2026-10-21" for r in shown) and "older than 30d" in header(app)

    async def test_nothing_left_under_the_filter_says_so(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await choose_filter(pilot, "match:impersonation")
            await pilot.press("d", "d")
            await settle(pilot)
            summary = str(triage(app).query_one("#summary", Static).visual)
            assert "Nothing pending matches the filter" in summary and "27 pending in all" in summary


class TestBulkStep:
    async def test_a_mass_sent_group_declined_in_one_step_with_one_note_and_one_undo(self, sample_store: Store, tmp_path: Path) -> None:
        from tui.app.screens.backlog import BulkScreen
        from tui.app.widgets.lists import ReadableOptionList

        app = build(sample_store, tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await open_bulk_step(pilot)
            assert sorted(r.id for r in triage(app).q.shown()) == sorted(PITCH)
            assert isinstance(app.screen, BulkScreen)
            assert app.screen.query_one(ReadableOptionList).option_count == 2  # reviewed before deciding
            await pilot.press("enter")  # a reflex Enter is Cancel
            await settle(pilot)
            assert Store.open(sample_store.root).decisions() == []
            await pilot.press("B")
            await pilot.pause()
            app.screen.query_one("#bulk-note").value = "the same pitch to everyone"
            app.screen.query_one("#bulk-decline").focus()
            await pilot.press("enter")
            await settle(pilot)
            store = Store.open(sample_store.root)
            assert [store.get_request(r).status for r in PITCH] == ["declined"] * 2
            assert len({d.group for d in store.decisions()}) == 1 and {d.note for d in store.decisions()} == {"the same pitch to everyone"}
            assert "27 pending in all" in str(triage(app).query_one("#summary", Static).visual)
            await pilot.press("u")  # the whole step, at once
            await settle(pilot)
            store = Store.open(sample_store.root)
            assert [store.get_request(r).status for r in PITCH] == ["pending"] * 2
            assert sorted(r.id for r in triage(app).q.shown()) == sorted(PITCH) and header(app).startswith(
                "2 shown (the same message) · 29 pending"
            )
            assert [d.action for d in store.decisions()].count("undo") == 2

    async def test_a_request_decided_meanwhile_is_not_counted_as_decided_by_the_step(self, sample_store: Store, tmp_path: Path) -> None:
        import subprocess

        from tests.conftest import TUI, subprocess_env

        app = build(sample_store, tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await open_bulk_step(pilot)
            subprocess.run(
                [TUI, "decide", PITCH[1], "accept"], env=subprocess_env(sample_store.root), check=True, capture_output=True, timeout=60
            )
            app.screen.query_one("#bulk-decline").focus()
            await pilot.press("enter")
            await settle(pilot)
            line = str(triage(app).query_one("#notice", Static).visual)
            assert "1 of 2" in line and "changed meanwhile" in line, line
        store = Store.open(sample_store.root)
        assert [store.get_request(r).status for r in PITCH] == ["declined", "accepted"]

    async def test_its_notice_outlives_the_next_poll(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path, poll_interval=0.1)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await open_bulk_step(pilot)
            app.screen.query_one("#bulk-decline").focus()
            await pilot.press("enter")
            await settle(pilot)
            polls = Calls(app.store, "refresh")  # each poll asks the store whether its files changed
            await until(pilot, lambda: polls.count >= 2, timeout=5)  # the polls see the step's own write
            await settle(pilot)
            assert "2 requests in one step" in str(triage(app).query_one("#notice", Static).visual)

    async def test_without_a_filter_it_asks_for_one(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("B")
            await pilot.pause()
            assert isinstance(app.screen, TriageScreen) and "Set a filter first" in str(app.screen.query_one("#notice", Static).visual)


class TestContacts:
    async def test_every_contact_is_reachable_and_enter_shows_one(self, tmp_path: Path) -> None:
        from tui.app.screens.contacts import ContactScreen
        from tui.app.widgets.lazy_table import LazyTable

        store = Store.open(tmp_path / "d")
        store.import_records([Contact(name=f"Person {i:04d}", company="Acme", source="linkedin") for i in range(1200)], [])
        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)
            table = app.screen.query_one(LazyTable)
            assert table.row_count == 1200
            table.focus()
            await pilot.press("end", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ContactScreen) and "Person 1199" in str(app.screen.query(Static).first().visual)


class TestHistory:
    async def test_a_merge_says_with_whom(self, sample_store: Store, tmp_path: Path) -> None:
        from textual.widgets import DataTable

        sample_store.merge("r1", "c1")
        sample_store.mark_distinct("r2", "c2")
        app = build(Store.open(sample_store.root), tmp_path)
        async with app.run_test(size=(120, 24)) as pilot:
            await settle(pilot)
            await pilot.press("h")
            await settle(pilot)
            table = app.screen.query_one(DataTable)
            assert "not the same as c2" in str(table.get_row_at(0)[2]) and str(table.get_row_at(1)[2]) == "merge into c1 Robert Fletcher"


class TestStats:
    async def test_a_tie_names_no_rule_and_sent_invitations_are_not_received(self, sample_store: Store, tmp_path: Path) -> None:
        sample_store.record_decision("r1", "decline", {"drink": False, "recommend": True, "business": True})
        sample_store.record_decision("r2", "decline", {"drink": True, "recommend": False, "business": True})
        app = build(Store.open(sample_store.root), tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            text = str(app.screen.query_one("#stats-body Static", Static).visual)
        assert "Says no most often" not in text
        assert "Requests received: 29" in text and "1 you sent" in text


class TestAnUndoneRequestOutsideTheFilter:
    async def test_comes_back_to_the_queue_but_not_on_screen(self, tmp_path: Path) -> None:
        store = Store.open(tmp_path / "d")
        store.add_request(Request(name="Ann", source="linkedin", sent_at="2026-10-01"))
        store.add_request(Request(name="Fay", source="facebook", sent_at="2026-10-02"))
        store.add_request(Request(name="Fox", source="facebook", sent_at="2026-10-03"))
        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("d")  # Ann
            await settle(pilot)
            await choose_filter(pilot, "source:facebook")
            await pilot.press("u")
            await settle(pilot)
            assert triage(app).current.name == "Fay" and header(app) == "2 shown (only facebook) · 3 pending"  # type: ignore[union-attr]

"""The whole triage flow through Pilot, asserting on the store after every step."""

from __future__ import annotations

import os
import subprocess
from datetime import date, timedelta
from pathlib import Path

from textual.message import Message
from textual.widgets import Static

from tests.app.conftest import build, current_id, palette_choose, reopen, settle, triage, until
from tests.conftest import TUI
from tui.app.screens.triage import TriageScreen
from tui.app.widgets.request_card import RequestCard
from tui.models import Request
from tui.store import Store


def shown_text(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(selector, Static).visual)


class TestAnswering:
    async def test_three_yeses_propose_accept_and_enter_saves(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert current_id(app) == "r1"
            assert "Bob Fletcher" in shown_text(app, "#card-name")
            assert str(app.screen.query_one(RequestCard).border_title) == "29 pending"
            await pilot.press("y", "y")
            assert "Verdict" not in shown_text(app, "#card-rules")
            await pilot.press("y")
            assert "Verdict: Accept (inner circle)" in shown_text(app, "#card-rules")
            assert reopen(sample_store).get_request("r1").status == "pending"
            await pilot.press("enter")
            assert current_id(app) == "r2"  # the next card is there before the write lands
            await settle(pilot)
        r1 = reopen(sample_store).get_request("r1")
        assert (r1.status, r1.verdict) == ("accepted", "accept")
        assert r1.answers == {"drink": True, "recommend": True, "business": True}
        assert [d.action for d in reopen(sample_store).decisions()] == ["accept"]

    async def test_any_no_proposes_decline(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("y", "n", "y")
            assert "Verdict: Decline" in shown_text(app, "#card-rules")
            await pilot.press("enter")
            await settle(pilot)
        r1 = reopen(sample_store).get_request("r1")
        assert (r1.status, r1.answers["recommend"]) == ("declined", False)

    async def test_jump_to_a_rule_and_reanswer(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("y", "y", "n", "3")
            assert triage(app).answers == {"drink": True, "recommend": True}
            await pilot.press("y", "enter")
            await settle(pilot)
        assert reopen(sample_store).get_request("r1").status == "accepted"

    async def test_enter_before_every_rule_is_answered_saves_nothing(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("y", "enter")
            await settle(pilot)
            assert current_id(app) == "r1"
        assert reopen(sample_store).decisions() == []

    async def test_override_accept_and_decline(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("n", "n", "n", "a")  # the rules say decline; the user accepts anyway
            await pilot.press("d")
            await settle(pilot)
        store = reopen(sample_store)
        assert store.get_request("r1").status == "accepted"
        assert store.get_request("r1").answers == {"drink": False, "recommend": False, "business": False}
        assert store.get_request("r2").status == "declined"

    async def test_two_tier_sends_inner_circle_failures_to_the_wider_network(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path, two_tier=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("n", "y", "y")  # no drink, but would recommend and do business
            assert "Accept (wider network)" in shown_text(app, "#card-rules")
            await pilot.press("enter")
            await pilot.press("y", "y", "n", "enter")  # would not do business: declined even with two tiers
            await settle(pilot)
        store = reopen(sample_store)
        assert (store.get_request("r1").status, store.get_request("r1").verdict) == ("accepted", "wider")
        assert store.get_request("r2").status == "declined"

    async def test_values_rule_and_custom_rule_are_asked(self, sample_store: Store, tmp_path: Path) -> None:
        from tui.rules import DEFAULT_RULES, VALUES_RULE, Rule

        rules = (*DEFAULT_RULES, VALUES_RULE, Rule("local", "Do they live nearby?"))
        app = build(sample_store, tmp_path, rules=rules)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            text = shown_text(app, "#card-rules")
            assert "4. Do they share my values?" in text and "5. Do they live nearby?" in text
            await pilot.press("y", "y", "y", "y")
            assert "Verdict" not in shown_text(app, "#card-rules")
            await pilot.press("n", "enter")
            await settle(pilot)
        assert reopen(sample_store).get_request("r1").answers["local"] is False


class TestQueueMoves:
    async def test_skip_leaves_the_request_pending(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("s")
            assert current_id(app) == "r2"
            assert triage(app).queue[-1].id == "r1"
            await settle(pilot)
        assert reopen(sample_store).decisions() == []

    async def test_defer_next_week(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("z")
            await pilot.pause()
            await pilot.press("down", "enter")  # Tomorrow, [Next week], Next month
            await settle(pilot)
            assert current_id(app) == "r2"
        r1 = reopen(sample_store).get_request("r1")
        assert (r1.status, r1.until) == ("deferred", (date.today() + timedelta(days=7)).isoformat())

    async def test_defer_to_a_typed_date(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("z")
            await pilot.pause()
            app.screen.query_one("#defer-date").focus()
            await pilot.press(*"2031-01-15", "enter")
            await settle(pilot)
        assert reopen(sample_store).get_request("r1").until == "2031-01-15"

    async def test_search_jumps_to_a_request(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("slash")
            await pilot.pause()
            await pilot.press(*"alicia", "enter")
            await pilot.pause()
            assert triage(app).current.name == "Alicia Gómez"  # type: ignore[union-attr]


class TestUndo:
    async def test_undo_several_steps_of_this_session_then_nothing_after_a_restart(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("a", "d", "a")
            await pilot.press("u")
            await settle(pilot)
            assert current_id(app) == "r3"
            assert reopen(sample_store).get_request("r3").status == "pending"
            await pilot.press("u")
            await settle(pilot)
            assert current_id(app) == "r2"
        # A new session, as after a restart: `u` undoes this session's decisions only (the
        # history screen reaches the older ones).
        app = build(reopen(sample_store), tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("u")
            await settle(pilot)
            assert current_id(app) == "r2"
            assert "Nothing to undo in this session" in shown_text(app, "#notice")
        store = reopen(sample_store)
        assert [store.get_request(r).status for r in ("r1", "r2", "r3")] == ["accepted", "pending", "pending"]
        assert [d.action for d in store.decisions()] == ["accept", "decline", "accept", "undo", "undo"]

    async def test_undo_restores_the_answers(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("y", "n", "y", "enter", "u")
            await settle(pilot)
            assert current_id(app) == "r1"
            assert "Verdict: Decline" in shown_text(app, "#card-rules")
        assert reopen(sample_store).get_request("r1").answers == {}


class TestNotes:
    async def test_edit_notes_and_tags(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("e")
            await pilot.pause()
            await pilot.press(*"pycon, lawyer", "tab")
            await pilot.press(*"Met at the dinner")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "pycon" in shown_text(app, "#card-extras")
        r1 = reopen(sample_store).get_request("r1")
        assert (r1.tags, r1.notes) == (["pycon", "lawyer"], "Met at the dinner")


class TestEmptyQueue:
    async def test_summary_counts_the_session(self, tmp_path: Path) -> None:
        store = Store.open(tmp_path / "d")
        for name in ("Ann", "Bob", "Cy"):
            store.add_request(Request(name=name))
        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("y", "y", "y", "enter")  # Ann accepted
            await pilot.press("y", "n", "n", "enter")  # Bob declined
            await pilot.press("z")
            await pilot.pause()
            await pilot.press("enter")  # Cy deferred until tomorrow
            await settle(pilot)
            summary = shown_text(app, "#summary")
        assert "The queue is empty" in summary
        assert "1 accepted, 1 declined, 1 deferred" in summary
        assert "Would I happily recommend them to my clients?  1" in summary
        assert "Would I do business with them?  1" in summary
        assert [r.status for r in reopen(store).requests()] == ["accepted", "declined", "deferred"]


class TestOtherProcesses:
    async def test_request_added_by_tui_add_joins_the_queue(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path, poll_interval=0.1)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            env = dict(os.environ, TUI_DATA_DIR=str(sample_store.root))
            subprocess.run([TUI, "add", "Newcomer Nadia", "--company", "Late Ltd"], env=env, check=True)
            await until(pilot, lambda: any(r.name == "Newcomer Nadia" for r in triage(app).queue), timeout=5)
            names = [r.name for r in triage(app).queue]
            assert names[-1] == "Newcomer Nadia" and names[0] == "Bob Fletcher" and len(names) == 30
            await pilot.press("a")
            await settle(pilot)
        assert reopen(sample_store).get_request("r1").status == "accepted"

    async def test_request_decided_elsewhere_leaves_the_queue(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path, poll_interval=0.1)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            Store.open(sample_store.root).record_decision("r5", "decline")
            await until(pilot, lambda: all(r.id != "r5" for r in triage(app).queue), timeout=5)


class TestHostileText:
    async def test_markup_and_escapes_render_literally_and_clicks_do_nothing(self, sample_store: Store, tmp_path: Path) -> None:
        seen: list[Message] = []
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            await pilot.press("slash")
            await pilot.pause()
            await pilot.press(*"legit", "enter")
            await pilot.pause()
            name = shown_text(app, "#card-name")
            message = str(app.screen.query_one("#card-message-text", Static).visual)
            assert "[@click=app.quit]Totally Legit[/]" in name
            assert "[@click=app.simulate_key('y')]here[/]" in message
            for text in (name, message, shown_text(app, "#card-headline")):
                assert not any(ch in text for ch in "\x1b\x07\x9b\u202e")
            seen.clear()
            for selector in ("#card-name", "#card-message-text", "#card-headline"):
                await pilot.click(selector)
                await pilot.click(selector, offset=(3, 0))
            await pilot.pause()
            assert app.is_running
            assert triage(app).answers == {}
            assert not [m for m in seen if type(m).__name__ in ("ActionMessage", "Key")]
        assert reopen(sample_store).decisions() == []


class TestKeymap:
    async def test_bindings_can_be_remapped_by_id(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path, keymap={"accept-request": "A", "answer-yes": "j"})
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("j")
            assert triage(app).answers == {"drink": True}
            await pilot.press("A")
            await settle(pilot)
        assert reopen(sample_store).get_request("r1").status == "accepted"


class TestScreens:
    async def test_help_lists_every_key_with_its_id(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("question_mark")
            await pilot.pause()
            text = str(app.screen.query_one("#help-body Static", Static).visual)
            for ident in (
                "answer-yes",
                "confirm-verdict",
                "accept-request",
                "defer-request",
                "undo-decision",
                "edit-notes",
                "show-matches",
                "search-queue",
                "show-help",
                "quit",
            ):
                assert ident in text
            await pilot.press("escape")
            assert isinstance(app.screen, TriageScreen)

    async def test_contacts_search_ignores_accents_and_case(self, sample_store: Store, tmp_path: Path) -> None:
        from tui.app.widgets.lazy_table import LazyTable

        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)
            table = app.screen.query_one(LazyTable)
            assert table.row_count == 42
            await pilot.press(*"jose alv")  # the search is live from the start: no `/` first
            await pilot.pause()
            assert table.row_count == 1 and table.rows[0][0] == "José Álvarez"
            app.screen.query_one("#contacts-search").value = ""
            await pilot.press(*"bob fletcher")  # nickname-aware
            await pilot.pause()
            assert table.row_count == 1 and table.rows[0][0] == "Robert Fletcher"

    async def test_history_shows_decisions_and_undoes(self, sample_store: Store, tmp_path: Path) -> None:
        from textual.widgets import DataTable

        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("a", "d")
            await settle(pilot)
            await pilot.press("h")
            await settle(pilot)
            table = app.screen.query_one(DataTable)
            assert table.row_count == 2 and str(table.get_row_at(0)[2]) == "decline"
            await pilot.press("u")
            await settle(pilot)
            assert str(table.get_row_at(0)[2]) == "undo of d2"
            await pilot.press("escape")
            assert current_id(app) == "r2"
        assert reopen(sample_store).get_request("r2").status == "pending"

    async def test_stats_screen(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("y", "y", "n", "enter", "n", "y", "n", "enter", "y", "y", "y", "enter")
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            text = str(app.screen.query_one("#stats-body Static", Static).visual)
        assert "Acceptance rate: 33% of 3 decided" in text
        assert "Says no most often: Would I do business with them?" in text

    async def test_command_palette_lists_every_action(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            titles = {c.title for c in app.get_system_commands(app.screen)}
            assert {
                "Yes",
                "No",
                "OK",
                "Accept",
                "Decline",
                "Skip",
                "Defer",
                "Undo",
                "Notes",
                "Matches",
                "Search",
                "Help",
                "Contacts",
                "History",
                "Stats",
                "Quit",
            } <= titles
            await pilot.press("ctrl+p")
            await palette_choose(pilot, "decline", "Decline")
            await settle(pilot)
        assert reopen(sample_store).get_request("r1").status == "declined"

    async def test_quit_waits_for_the_last_decision(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("a", "q")
        assert reopen(sample_store).get_request("r1").status == "accepted"


class TestMatchPanel:
    async def test_matches_are_flagged_in_words(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            panel = shown_text(app, "#card-matches")  # Bob Fletcher asks; Robert Fletcher is a contact
            assert "POSSIBLE MATCH" in panel and "c1 Robert Fletcher" in panel and "nickname Bob→Robert" in panel
            await pilot.press("slash")
            await pilot.pause()
            await pilot.press(*"priya", "enter")
            await settle(pilot)
            panel = str(app.screen.query_one("#card-matches", Static).visual)  # Priya on X
            assert "LIKELY SAME PERSON" in panel and "c32 Priya Raman" in panel and "r5 Priya Raman" in panel
            await pilot.press("m")
            await pilot.pause()
            from textual.widgets import OptionList

            options = app.screen.query_one(OptionList)
            listed = " ".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))
            assert "same company" in listed and "c32" in listed and "r5" in listed

    async def test_request_sharing_a_contacts_url_says_already_a_contact(self, sample_store: Store, tmp_path: Path) -> None:
        sample_store.add_request(Request(name="Rob F.", urls=["https://linkedin.com/in/robert-fletcher-law"], sent_at="2000-01-01"))
        app = build(reopen(sample_store), tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert current_id(app) == "r31"
            panel = str(app.screen.query_one("#card-matches", Static).visual)
            assert "ALREADY A CONTACT" in panel and "c1 Robert Fletcher" in panel


class TestOrder:
    async def test_capital_o_cycles_newest_then_name_then_oldest(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert triage(app).current.name == "Bob Fletcher"  # type: ignore[union-attr]
            await pilot.press("O")
            assert triage(app).current.name == "Zoë Martín"  # type: ignore[union-attr]  # sent last
            await pilot.press("O")
            assert triage(app).current.name == "[@click=app.quit]Totally Legit[/] \x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x1b\\ Recruiter"  # type: ignore[union-attr]
            await pilot.press("O")
            assert triage(app).current.name == "Bob Fletcher"  # type: ignore[union-attr]

    async def test_order_from_config(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path, order="newest")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert triage(app).current.name == "Zoë Martín"  # type: ignore[union-attr]


class TestFastStart:
    async def test_first_card_from_the_head_then_the_whole_queue(self, tmp_path: Path) -> None:
        store = Store.open(tmp_path / "d")
        for i in range(45):
            store.add_request(Request(name=f"Person {i:02d}", sent_at=f"2026-02-{1 + i % 28:02d}T{i:02d}:00:00"))
        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = triage(app)
            assert screen.started_from_head  # the first card came from queue.head, not the worker
            assert str(app.screen.query_one(RequestCard).border_title) == "45 pending"
            await pilot.press("a")
            await settle(pilot)
            assert screen.unloaded == 0 and len(screen.queue) == 44
            assert [r.id for r in screen.queue] == [r.id for r in reopen(store).pending()]


class TestLongMessage:
    async def test_a_long_message_scrolls_with_the_keyboard(self, tmp_path: Path) -> None:
        store = Store.open(tmp_path / "d")
        store.add_request(Request(name="Verbose Vera", message="\n".join(f"Paragraph {i} of a long story." for i in range(60))))
        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            scroller = app.screen.query_one("#card-message")
            assert scroller.max_scroll_y > 0 and scroller.scroll_y == 0
            await pilot.press("down", "down", "pagedown")
            await pilot.pause()
            assert scroller.scroll_y > 2
            await pilot.press("y")  # the rule keys still work while the message has focus
            assert triage(app).answers == {"drink": True}


class TestStaleHead:
    async def test_a_stale_head_is_not_used(self, tmp_path: Path) -> None:
        store = Store.open(tmp_path / "d")
        for i in range(25):
            store.add_request(Request(name=f"Person {i:02d}", sent_at=f"2026-02-{1 + i:02d}"))
        queue = store.root / "queue.json"
        queue.write_text(queue.read_text().replace("Person 00", "Edited 00"))  # by hand: the head is stale
        app = build(Store.open(store.root), tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert not triage(app).started_from_head
            assert triage(app).current.name == "Edited 00"  # type: ignore[union-attr]

    async def test_a_copied_data_directory_gets_its_head_back_on_its_first_start(self, tmp_path: Path) -> None:
        """A copied, restored or synced data directory has files with new inodes: its queue.head
        names another queue.json. No write comes to rebuild it while the user only looks, so every
        start drew its first card the slow way (0.8 s instead of 0.4 s at 100k); the first start
        writes it."""
        import shutil

        store = Store.open(tmp_path / "d")
        for i in range(25):
            store.add_request(Request(name=f"Person {i:02d}", sent_at=f"2026-02-{1 + i:02d}"))
        copy = tmp_path / "copy"
        shutil.copytree(store.root, copy)
        for start in ("first", "second"):
            app = build(Store.open(copy), tmp_path)
            async with app.run_test(size=(80, 24)) as pilot:
                await settle(pilot)
                assert triage(app).started_from_head == (start == "second")
                assert triage(app).current.name == "Person 00"  # type: ignore[union-attr]


class TestMergeAndDistinct:
    async def test_merge_from_the_match_modal_and_undo(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert current_id(app) == "r1"  # Bob Fletcher, likely Robert Fletcher (c1)
            await pilot.press("m")
            await pilot.pause()
            await pilot.press("g")
            await settle(pilot)
            assert current_id(app) == "r2"
            store = reopen(sample_store)
            assert (store.get_request("r1").status, store.get_request("r1").merged_into) == ("merged", "c1")
            assert "https://www.linkedin.com/in/bob-fletcher-fh" in store.get("c1").urls  # type: ignore[union-attr]
            await pilot.press("u")
            await settle(pilot)
            assert current_id(app) == "r1"
        store = reopen(sample_store)
        assert store.get_request("r1").status == "pending"
        assert store.get("c1").urls == ["https://www.linkedin.com/in/robert-fletcher-law"]  # type: ignore[union-attr]

    async def test_a_request_merges_into_another_pending_request_of_the_same_person(self, sample_store: Store, tmp_path: Path) -> None:
        """Priya Raman asks on X (r26) and on LinkedIn (r5): one person, two networks."""
        from textual.widgets import OptionList

        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("slash")
            await pilot.pause()
            await pilot.press(*"priya", "enter")
            await settle(pilot)
            assert current_id(app) == "r26"
            await pilot.press("m")
            await pilot.pause()
            options = app.screen.query_one(OptionList)
            options.highlighted = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == "r5")
            await pilot.press("g")
            await settle(pilot)
            assert current_id(app) != "r26"
            store = reopen(sample_store)
            assert (store.get_request("r26").status, store.get_request("r26").merged_into) == ("merged", "r5")
            kept = store.get_request("r5")
            assert kept.status == "pending" and kept.emails == ["priya.r@gmail.com"]
            assert kept.urls == ["https://www.linkedin.com/in/priya-raman-lotus", "https://x.com/priya_builds"]
            await pilot.press("u")
            await settle(pilot)
            assert current_id(app) == "r26"
        store = reopen(sample_store)
        assert store.get_request("r26").status == "pending" and store.get_request("r5").emails == []

    async def test_not_the_same_person_is_remembered(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("m")
            await pilot.pause()
            await pilot.press("x")
            await settle(pilot)
            assert "Robert Fletcher" not in shown_text(app, "#card-matches")
            await pilot.press("u")  # undo brings the suggestion back
            await settle(pilot)
            assert "Robert Fletcher" in shown_text(app, "#card-matches")
            await pilot.press("m")
            await pilot.pause()
            await pilot.press("x")
            await settle(pilot)
        assert reopen(sample_store).distinct_pairs() == [("r1", "c1")]
        app = build(reopen(sample_store), tmp_path)  # and after a restart
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert "Robert Fletcher" not in shown_text(app, "#card-matches")
            await pilot.press("h")  # the history undoes an earlier session's decision
            await pilot.pause()
            await pilot.press("u")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert "Robert Fletcher" in shown_text(app, "#card-matches")
        assert reopen(sample_store).distinct_pairs() == []


class TestContextOnTheCard:
    async def test_red_flags_on_a_sales_pitch(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("slash", *"chad", "enter")
            await settle(pilot)
            context = shown_text(app, "#card-context")
            assert "Red flags:" in context and "the same message as 1 other request" in context and "a sales pitch" in context
            await pilot.press("slash", *"naomi", "enter")  # a personal, specific message
            await settle(pilot)
            assert "No red flags" in shown_text(app, "#card-context")

    async def test_re_request_and_who_you_know_there(self, sample_store: Store, tmp_path: Path) -> None:
        sample_store.record_decision("r6", "decline", {"drink": False, "recommend": False, "business": False}, note="pure sales")
        sample_store.add_request(
            Request(name="Chad Maxwell", urls=["https://www.linkedin.com/in/chad-maxwell-2027"], source="linkedin", sent_at="2026-11-20")
        )
        app = build(reopen(sample_store), tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("slash", *"chad", "enter")
            await settle(pilot)
            assert current_id(app) == "r31"
            context = shown_text(app, "#card-context")
            assert "Declined before" in context and "r6" in context and "said no to drink, recommend, business" in context

    async def test_reply_copies_the_text_marks_asked_and_undo(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await pilot.pause()
            await pilot.press("enter")  # the first template: "Ask why"
            await pilot.pause()
            assert app.clipboard.startswith("Hi Bob, thanks for the invitation.")
            await pilot.press("enter")
            await settle(pilot)
            assert current_id(app) == "r2"
            assert reopen(sample_store).get_request("r1").status == "asked"
            await pilot.press("W")  # show requests waiting for a reply
            await settle(pilot)
            assert any(r.id == "r1" for r in triage(app).queue)
            await pilot.press("u")
            await settle(pilot)
        assert reopen(sample_store).get_request("r1").status == "pending"

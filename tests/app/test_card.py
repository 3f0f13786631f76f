"""The card a person judges from, and an honest session: the pending count, a verdict as soon as it
is certain, "checking…" before the matches are known, identity (profile and e-mail), the match
comparison, notices, going back, and this session's decisions, any one of which can be undone."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import Static

from tests.app.conftest import build, current_id, header, notices, reopen, settle, triage, until
from tui.app.widgets.request_card import RequestCard
from tui.models import Request
from tui.store import Store


def hold_matching(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Hold the app's matching of the whole queue back (not the rest of its analysis) until the
    event is set (at most 30 s)."""
    from tui.dedup.match import Matcher

    release = threading.Event()
    real = Matcher.all_pending
    monkeypatch.setattr(Matcher, "all_pending", lambda self, *a, **k: (release.wait(30), real(self, *a, **k))[1])
    return release


def text(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(triage(app).query_one(selector, Static).visual)


def pending_in_store(store: Store) -> int:
    """What `tui list --status pending` counts."""
    return sum(1 for r in Store.open(store.root).requests() if r.status == "pending")


async def find(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("slash", *name, "enter")
    await settle(pilot)


class TestPendingCount:
    async def test_after_three_decisions_the_header_equals_the_store(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert header(app).startswith(f"{pending_in_store(sample_store)} pending")
            await pilot.press("a", "d")
            await pilot.press("z")
            await pilot.pause()
            await pilot.press("enter")  # deferred until tomorrow
            await settle(pilot)
            assert pending_in_store(sample_store) == 26
            assert header(app).startswith("26 pending")

    async def test_a_skip_neither_resets_nor_changes_it(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("a", "s", "s")
            await settle(pilot)
            assert header(app) == "28 pending · 1 decided"

    async def test_a_merge_and_another_process_update_it(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path, poll_interval=0.1)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("m")
            await settle(pilot)
            await pilot.press("g")  # Bob Fletcher merged into Robert Fletcher
            await settle(pilot)
            assert header(app).startswith("28 pending")
            Store.open(sample_store.root).record_decision("r10", "decline")
            await until(pilot, lambda: header(app).startswith("27 pending"), timeout=5)
            assert pending_in_store(sample_store) == 27


class TestCertainVerdict:
    async def test_a_no_shows_the_decline_at_once_and_enter_confirms(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("n")
            rules = text(app, "#card-rules")
            assert "Verdict: Decline" in rules and "2 rules still open" in rules
            await pilot.press("y")  # the other rules stay answerable
            assert triage(app).answers == {"drink": False, "recommend": True}
            await pilot.press("enter")
            await settle(pilot)
        r1 = Store.open(sample_store.root).get_request("r1")
        assert (r1.status, r1.answers) == ("declined", {"drink": False, "recommend": True})

    async def test_with_two_tiers_an_inner_circle_no_alone_is_not_certain(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path, two_tier=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("n")
            assert "Verdict" not in text(app, "#card-rules")
            await pilot.press("n")  # recommend: no, outside the inner circle
            assert "Verdict: Decline" in text(app, "#card-rules")

    async def test_the_verdict_reads_without_a_double_colon(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("y", "y", "y")
            assert "Verdict: Accept (inner circle)" in text(app, "#card-rules")


class TestChecking:
    async def test_no_check_mark_before_the_matches_are_known(self, sample_store: Store, tmp_path: Path) -> None:
        from tui.app.messages import AnalysisReady

        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = triage(app)
            ready = AnalysisReady(screen.analysis)  # type: ignore[arg-type]
            screen.analysis = None  # as in the first moments, before the worker has matched
            screen.render_card()
            assert "checking" in text(app, "#card-matches") and "✓" not in text(app, "#card-matches")
            assert "checking" in text(app, "#card-context") and "✓" not in text(app, "#card-context")
            screen.post_message(ready)
            await settle(pilot)
            assert "POSSIBLE MATCH" in text(app, "#card-matches") and "checking" not in text(app, "#card-context")


class TestIdentity:
    async def test_the_card_shows_the_profile_and_the_e_mail(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await find(pilot, "lotus")
            assert current_id(app) == "r26"
            assert "priya.r@gmail.com" in text(app, "#card-identity") and "https://x.com/priya_builds" in text(app, "#card-identity")

    async def test_o_without_a_browser_shows_and_copies_the_url(self, sample_store: Store, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5555 10.0.0.2 22")
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("o")
            assert app.clipboard == "https://www.linkedin.com/in/bob-fletcher-fh"
            assert "https://www.linkedin.com/in/bob-fletcher-fh" in text(app, "#notice")

    async def test_o_copies_a_long_url_whole(self, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5555 10.0.0.2 22")
        url = "https://www.linkedin.com/in/ann-lee-" + "x" * 400
        store = Store.open(tmp_path / "data")
        store.add_request(Request(name="Ann Lee", urls=[url]))
        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("o")
            assert app.clipboard == url  # cut short, it would lead nowhere

    async def test_o_with_a_browser_opens_it(self, sample_store: Store, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("DISPLAY", ":0")
        app = build(sample_store, tmp_path)
        opened: list[str] = []
        monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("o")
        assert opened == ["https://www.linkedin.com/in/bob-fletcher-fh"]

    async def test_at_copies_the_e_mail(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await find(pilot, "eleanor")
            await pilot.press("at")
            assert app.clipboard == "eleanor@priceandpartners.co.uk"


class TestMatchComparison:
    async def test_each_candidate_side_by_side_with_the_request(self, sample_store: Store, tmp_path: Path) -> None:
        from tui.app.screens.modals import MatchScreen
        from tui.app.widgets.lists import ReadableOptionList

        app = build(sample_store, tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await find(pilot, "lotus")
            await pilot.press("m")
            await settle(pilot)
            assert isinstance(app.screen, MatchScreen)
            options = app.screen.query_one(ReadableOptionList)
            shown = " ".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))
            for expected in (
                "company",
                "Lotus Software",
                "e-mails",
                "priya.r@gmail.com",
                "URLs",
                "x.com/priya_builds",
                "linkedin.com/in/priya-raman-lotus",
                "network",
                "connected",
                "this request",
                "why:",
            ):
                assert expected in shown, expected

    async def test_the_highlighted_option_is_drawn_plain(self, sample_store: Store, tmp_path: Path) -> None:
        from tui.app.widgets.lists import ReadableOptionList

        app = build(sample_store, tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await find(pilot, "lotus")
            await pilot.press("m")
            await settle(pilot)
            options = app.screen.query_one(ReadableOptionList)
            assert options.highlighted == 0
            assert not options.get_option_at_index(0).prompt.spans  # the theme's cursor colours, nothing over them
            assert options.get_option_at_index(1).prompt.spans
            await pilot.press("j")
            await pilot.pause()
            assert options.highlighted == 1 and not options.get_option_at_index(1).prompt.spans
            assert options.get_option_at_index(0).prompt.spans


class TestNoFalseRedFlags:
    async def test_a_facebook_request_without_a_message_raises_no_flag(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await find(pilot, "marco")
            assert "no message" not in text(app, "#card-context").lower()
            assert "this network sends none" in text(app, "#card-message-text")

    async def test_nothing_given_is_said_once(self, sample_store: Store, tmp_path: Path) -> None:
        for size in ((80, 24), (160, 45)):
            app = build(Store.open(sample_store.root), tmp_path)
            async with app.run_test(size=size) as pilot:
                await settle(pilot)
                shown = [
                    w
                    for w in ("#card-headline", "#card-details")
                    if triage(app).query_one(w).display and "no title, company or location given" in text(app, w)
                ]
                assert len(shown) == 1, (size, shown)


class TestNotices:
    async def test_a_notice_goes_with_its_card(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("enter")  # nothing answered yet: a notice
            assert "Answer the rules first" in text(app, "#notice")
            await pilot.press("s")
            assert not triage(app).query_one("#notice").display

    async def test_notices_and_toasts_never_cover_the_rules(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            app.notify("A long warning that could cover the card", severity="warning")
            await until(pilot, lambda: any(t.region.area for t in triage(app).query("Toast")))
            from tui.app.widgets.key_bar import KeyBar

            rules = triage(app).query_one("#card-rules").region
            notice = triage(app).query_one("#notice").region
            keys = triage(app).query_one(KeyBar).region
            assert not rules.overlaps(notice) and notice.y >= rules.bottom
            assert not keys.overlaps(notice) and notice.bottom <= keys.y  # seen, not under the keys
            toasts = list(triage(app).query("Toast"))
            assert toasts and all(not t.region.overlaps(rules) for t in toasts)


class TestHostileHeader:
    async def test_the_network_and_the_date_in_the_borders_are_text_not_markup(self, tmp_path: Path) -> None:
        store = Store.open(tmp_path / "d")
        store.add_request(Request(name="Ann", source="[@click=quit]n[/]", sent_at="[b]2026[/b]"))
        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("f")
            await pilot.pause()
            await pilot.press("down", "enter")  # only that network
            await settle(pilot)
            card = triage(app).query_one(RequestCard)
            # border_title/subtitle give back markup: read as markup again, it is the text itself
            subtitle, title = (Content.from_markup(border or "").plain for border in (card.border_subtitle, card.border_title))
            assert "[@click=quit]n[/]" in subtitle and "[b]2026[/b]" in subtitle
            assert "only [@click=quit]n[/]" in title
            await pilot.click(RequestCard, offset=(10, 23 - 1))
            await pilot.pause()
            assert app.is_running


class TestGoingBack:
    async def test_b_shows_the_previous_card_again(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("s", "s")
            assert current_id(app) == "r3"
            await pilot.press("b")
            assert current_id(app) == "r2"
            await pilot.press("b")
            assert current_id(app) == "r1"

    async def test_b_after_a_decision_says_how_to_undo_it(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("d", "b")
            assert current_id(app) == "r2" and "Bob Fletcher was decided" in text(app, "#notice")


class TestSessionView:
    async def test_any_decision_of_the_session_can_be_undone(self, sample_store: Store, tmp_path: Path) -> None:
        from tui.app.screens.backlog import SessionScreen
        from tui.app.widgets.lists import KeyTable

        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("a", "d", "a")
            await settle(pilot)
            await pilot.press("S")
            await pilot.pause()
            assert isinstance(app.screen, SessionScreen)
            table = app.screen.query_one(KeyTable)
            assert table.row_count == 3 and [str(table.get_row_at(i)[2]) for i in range(3)] == [
                "Nakamura, Kenji",
                "Jose Alvarez",
                "Bob Fletcher",
            ]
            await pilot.press("j", "u")  # the middle one, not the newest
            await settle(pilot)
            assert current_id(app) == "r2" and len(triage(app).session) == 2
        store = Store.open(sample_store.root)
        assert [store.get_request(r).status for r in ("r1", "r2", "r3")] == ["accepted", "pending", "accepted"]


class TestDeclineKindly:
    async def test_declines_and_copies_without_marking_asked(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await pilot.pause()
            await pilot.press("down", "enter")  # "Decline kindly"
            await pilot.pause()
            assert app.clipboard.startswith("Hi Bob, thank you for reaching out.")
            await pilot.press("enter")
            await settle(pilot)
            assert current_id(app) == "r2"
        assert Store.open(sample_store.root).get_request("r1").status == "declined"


class TestMouse:
    async def test_a_key_in_the_bar_can_be_clicked(self, sample_store: Store, tmp_path: Path) -> None:
        from tui.app.widgets.key_bar import KeyBar

        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            bar = triage(app).query_one(KeyBar)
            shown = str(bar.visual)  # the bar as drawn: "… s Skip …"
            assert shown.count("s Skip") == 1
            await pilot.click(KeyBar, offset=(shown.index("s Skip"), 0))
            await settle(pilot)
            assert current_id(app) == "r2" and reopen(sample_store).decisions() == []  # skipped, not decided


class TestNarrow:
    async def test_at_60x20_the_verdict_and_the_help_and_quit_keys_are_visible(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(60, 20)) as pilot:
            await settle(pilot)
            await pilot.press("y", "y", "y")
            await pilot.pause()
            rules = triage(app).query_one("#card-rules")
            card = triage(app).query_one(RequestCard)
            assert rules.region.bottom <= card.content_region.bottom  # nothing of the rules is clipped
            assert "Verdict: Accept" in text(app, "#card-rules")
            shown = app.export_screenshot()
            assert "Help" in shown and "Quit" in shown and "Verdict:" in shown

    async def test_at_60x20_the_key_bar_keeps_every_key_needed_to_decide(self, sample_store: Store, tmp_path: Path) -> None:
        """Attack finding #15: the bar dropped keys from its end, defer among them."""
        from tui.app.widgets.key_bar import KeyBar

        app = build(sample_store, tmp_path)
        async with app.run_test(size=(60, 20)) as pilot:
            await settle(pilot)
            bar = str(triage(app).query_one(KeyBar).visual)
            assert len(bar) <= 60 and "…" not in bar
            for key in ("y Yes", "n No", "a Accept", "d Decline", "z Defer", "? Help", "q Quit"):
                assert key in bar, (key, bar)


class TestDemo:
    async def test_the_demo_says_so(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path, demo=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert "DEMO" in header(app)


class TestScreenshot:
    async def test_saved_in_the_data_dir_and_says_where(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            saved = app.deliver_screenshot()
            await until(pilot, lambda: any(saved and saved in n for n in notices(seen)))
        assert saved and Path(saved).parent == sample_store.root / "screenshots" and Path(saved).read_text().startswith("<svg")


class TestFirstRun:
    async def test_an_empty_store_says_how_to_get_requests_in(self, tmp_path: Path) -> None:
        app = build(Store.open(tmp_path / "empty"), tmp_path)
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            summary = text(app, "#summary")
        for expected in (
            "tui import",
            "Connections.csv",
            "Invitations.csv",
            "Get a copy of your data",
            "Download your information",
            "received_friend_requests.json",
            "tui add",
        ):
            assert expected in summary, expected
        assert "This session" not in summary

    @pytest.mark.parametrize("size", [(80, 24), (60, 20)])
    async def test_at_a_small_size_the_whole_guide_can_be_scrolled_into_view(self, tmp_path: Path, size: tuple[int, int]) -> None:
        """The guide is taller than the screen: its end ("They appear here…") is reached with PgDn."""
        app = build(Store.open(tmp_path / "empty"), tmp_path)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            box = triage(app).query_one("#summary-box")
            assert box.max_scroll_y > 0 and box.scroll_y == 0
            for _ in range(12):
                await pilot.press("pagedown")
            await until(pilot, lambda: box.scroll_y == box.max_scroll_y)  # the scroll animates

    async def test_an_import_meanwhile_brings_the_first_card(self, tmp_path: Path) -> None:
        store = Store.open(tmp_path / "empty")
        app = build(store, tmp_path, poll_interval=0.1)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            Store.open(store.root).add_request(Request(name="First Person"))
            await until(pilot, lambda: current_id(app), timeout=5)
            assert triage(app).current.name == "First Person"  # type: ignore[union-attr]


class TestHelp:
    async def test_names_the_config_file_and_how_to_get_the_exports(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            await pilot.press("question_mark")
            await pilot.pause()
            help_text = str(app.screen.query_one("#help-body Static", Static).visual)
        assert str(tmp_path / "config" / "config.toml") in help_text and "tui config" in help_text
        assert "Get a copy of your data" in help_text and "Download your information" in help_text
        assert "ctrl+p  Command palette" in help_text


class TestFirstPaint:
    """The first card's matches with the contacts are there when it is first drawn, not once the
    whole queue is matched (issue 12); only the other requests are still being checked."""

    @staticmethod
    def store_with_a_known_face(tmp_path: Path) -> Store:
        from tui.models import Contact

        store = Store.open(tmp_path / "data")
        store.add_contact(Contact(name="Sarah Whitfield", company="Acme Ltd", emails=["sarah@acme.example"]))
        store.add_contact(Contact(name="Tom Brady", company="Initech"))
        store.add_request(
            Request(name="Sarah Whitfield", company="Acme", source="linkedin", emails=["sarah@acme.example"], sent_at="2026-11-01")
        )
        store.add_request(Request(name="Nobody Known", source="linkedin", sent_at="2026-11-02"))
        store.contact_keys()  # keys.idx, as after any import
        return Store.open(store.root)

    @staticmethod
    def hold_analysis(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
        """Hold the app's matching of the whole queue back until the event is set (at most 30 s),
        so that the first frame is seen before it."""
        import tui.backlog

        release = threading.Event()
        real = tui.backlog.analyse
        monkeypatch.setattr(tui.backlog, "analyse", lambda *a, **k: (release.wait(30), real(*a, **k))[1])
        return release

    @pytest.mark.parametrize("head", ["current", "stale"])  # stale: the first start of a day, or after a hand edit
    async def test_contact_matches_before_the_queue_is_matched(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, head: str) -> None:
        release = self.hold_analysis(monkeypatch)
        store = self.store_with_a_known_face(tmp_path)
        if head == "stale":
            (store.root / "queue.head").unlink()
        app = build(store, tmp_path)
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                matches = text(app, "#card-matches")
                assert triage(app).analysis is None  # the queue is not matched yet
                assert "ALREADY A CONTACT" in matches and "Sarah Whitfield" in matches
                assert "checking other requests" in matches and "✓" not in matches
                release.set()
                await settle(pilot)
                matches = text(app, "#card-matches")
                assert "ALREADY A CONTACT" in matches and "checking" not in matches
                await pilot.press("n", "n", "n", "enter")  # declined: the next card has no early matches
                await settle(pilot)
                assert "✓ No contact or other request" in text(app, "#card-matches")
        finally:
            release.set()

    @pytest.mark.parametrize("head", ["current", "stale"])
    async def test_matches_with_other_requests_at_first_paint_from_the_pending_index(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, head: str
    ) -> None:
        """With pending.idx current (written after the last session's analysis), the first card is
        drawn with its matches among the other requests too: nothing left to check."""
        release = self.hold_analysis(monkeypatch)
        store = self.store_with_a_known_face(tmp_path)
        store.add_request(Request(name="Nobody Known", source="facebook", sent_at="2026-11-03"))  # the same person, elsewhere
        store.save_pending_keys()
        store.add_request(Request(name="Sara Whitfield", company="Acme", source="instagram", sent_at="2026-11-04"))  # after it: the journal
        store = Store.open(store.root)
        if head == "stale":
            (store.root / "queue.head").unlink()
        app = build(store, tmp_path)
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                matches = text(app, "#card-matches")
                assert triage(app).analysis is None  # the queue is not matched yet
                assert "ALREADY A CONTACT" in matches and "checking" not in matches
                assert "Sara Whitfield" in matches  # another request, added after pending.idx was written
        finally:
            release.set()

    async def test_a_pair_told_apart_is_not_shown_at_first_paint(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        release = self.hold_analysis(monkeypatch)
        store = self.store_with_a_known_face(tmp_path)
        store.mark_distinct("r1", "c1")  # "not the same person", said in an earlier session
        app = build(Store.open(store.root), tmp_path)
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                assert triage(app).analysis is None
                matches = text(app, "#card-matches")
                assert "Sarah Whitfield" not in matches and "No contact looks like this person" in matches
        finally:
            release.set()

    async def test_the_first_cards_red_flags_come_before_the_queue_is_matched(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Matching the whole queue takes seconds at 30k contacts (34 s at 100k): the first card's
        red flags need only the queue's context (its mass-sent messages, who else asked), worked
        out first, so the card is complete long before the rest of the queue is matched."""
        from tui.models import Contact

        release = hold_matching(monkeypatch)
        store = Store.open(tmp_path / "data")
        store.add_contact(Contact(name="Sarah Whitfield", company="Acme Ltd", emails=["sarah@acme.example"]))
        pitch = "Grow your pipeline 10x with our platform, book a demo this week"
        store.add_request(
            Request(name="Sarah Whitfield", company="Acme", emails=["sarah@acme.example"], message=pitch, sent_at="2026-11-01")
        )
        for n in range(4):  # the same message from others: mass-sent, a red flag on the first card
            store.add_request(Request(name=f"Seller Number{n}", message=pitch, sent_at=f"2026-11-1{n}"))
        store.contact_keys()
        store.save_pending_keys()  # as the last session left it: the first card's matches are all known at once
        app = build(Store.open(store.root), tmp_path)
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await until(pilot, lambda: "checking for red flags" not in text(app, "#card-context"), what="the first card's red flags")
                assert triage(app).analysis is None  # the queue is not matched yet
                flags = text(app, "#card-context")
                assert "Red flags" in flags and "ALREADY A CONTACT" in text(app, "#card-matches")
                release.set()
                await settle(pilot)
                assert triage(app).analysis is not None and text(app, "#card-context") == flags
        finally:
            release.set()


class TestOtherProcessesChangeTheMatches:
    """The app polls the store for other processes' writes; what they change about a card's matches
    reaches the card, however the app read its contacts (from keys.idx alone, on any launch after
    the first, contacts.json is never parsed)."""

    @staticmethod
    def launched_before(tmp_path: Path) -> Store:
        from tui.models import Contact

        store = Store.open(tmp_path / "data")
        store.add_contact(Contact(name="Bob Stone"))
        store.add_request(Request(name="Zara Quill", source="linkedin", urls=["https://www.linkedin.com/in/zq"], sent_at="2026-11-01"))
        store.add_request(Request(name="Yuri Vant", source="linkedin", sent_at="2026-11-02"))
        store.contact_keys()
        store.save_pending_keys()  # as the last session left them
        return Store.open(store.root)

    async def test_a_contact_added_elsewhere_is_matched_on_the_card(self, tmp_path: Path) -> None:
        from tui.models import Contact

        store = self.launched_before(tmp_path)
        app = build(store, tmp_path, poll_interval=0.1)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert "No contact" in text(app, "#card-matches")
            Store.open(store.root).add_contact(Contact(name="Zara Qui11", urls=["https://www.linkedin.com/in/zq"]))  # another terminal
            await until(pilot, lambda: "ALREADY A CONTACT" in text(app, "#card-matches"), what="the new contact on the card")

    async def test_a_request_that_joins_the_queue_is_matched_on_the_other_cards(self, tmp_path: Path) -> None:
        store = self.launched_before(tmp_path)
        app = build(store, tmp_path, poll_interval=0.1)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert "No contact" in text(app, "#card-matches")
            Store.open(store.root).add_request(
                Request(
                    name="Z. Quill", source="email", emails=["zq@x.example"], urls=["https://www.linkedin.com/in/zq"], sent_at="2026-11-03"
                )
            )
            await until(pilot, lambda: "ANOTHER REQUEST" in text(app, "#card-matches"), what="the new request on the first card")
            assert "Z. Quill" in text(app, "#card-matches")  # by name, though the matcher's indexes never held it

    async def test_a_request_that_joins_while_the_queue_is_matched_is_taken_in(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        release = hold_matching(monkeypatch)
        store = self.launched_before(tmp_path)
        app = build(store, tmp_path, poll_interval=0.1)
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                Store.open(store.root).add_request(
                    Request(name="Z. Quill", source="email", urls=["https://www.linkedin.com/in/zq"], sent_at="2026-11-03")
                )
                await pilot.pause(0.3)  # (the polls wait behind the matching in the store worker)
                release.set()
                await until(pilot, lambda: "ANOTHER REQUEST" in text(app, "#card-matches"), what="the new request on the first card")
        finally:
            release.set()


class TestMatchesOnATallTerminal:
    @pytest.mark.parametrize("size, shown", [((80, 24), 1), ((120, 34), 2), ((160, 45), 5)])
    async def test_a_taller_terminal_shows_more_matches(self, tmp_path: Path, size: tuple[int, int], shown: int) -> None:
        """At 80x24 the card has room for one match and a count of the rest; a taller terminal
        shows more of them before "… and N more"."""
        from tui.models import Contact

        store = Store.open(tmp_path / "data")
        for n, company in enumerate(("Acme", "Globex", "Initech", "Umbrella", "Hooli")):
            store.add_contact(Contact(name="Priyanka Deshmukh", company=company, emails=[f"p{n}@example.org"]))
        store.add_request(Request(name="Priyanka Deshmukh", source="linkedin"))
        app = build(store, tmp_path)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await until(pilot, lambda: "checking" not in text(app, "#card-matches"))
            matches = text(app, "#card-matches")
            assert matches.count("Priyanka Deshmukh") == shown, matches
            assert ("more (m compares them all)" in matches) == (shown < 5), matches


async def test_the_comparison_marks_as_the_same_only_values_that_are(tmp_path: Path) -> None:
    """At 60x20 the columns cut two different profile URLs to one look: they must not be marked
    "=" (the same), as an outside check saw for a look-alike's new account."""
    from tui.app.screens.modals import MatchScreen
    from tui.dedup.match import Match

    request = Request(name="E11a Vandermolen", urls=["https://www.linkedin.com/in/ella-vandermolen-2"], id="r1")
    from tui.models import Contact

    contact = Contact(name="Ella Vandermolen", urls=["https://www.linkedin.com/in/ella-vandermolen"], id="c1")
    app = build(Store.open(tmp_path / "data"), tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        screen = MatchScreen(
            request, [(Match("c1", 100, "impersonation", ["look-alike letters in the name"]), contact.name)], {"c1": contact}
        )
        await app.push_screen(screen)
        await pilot.pause()
        urls = next(line for line in screen._prompt(*screen.matches[0]).plain.splitlines() if line.strip().startswith("URLs"))
        assert not urls.rstrip().endswith("="), urls

"""Trust laundering in the app: merging or accepting an impersonator needs a confirmation that
names the risk (and a reflex key never gives it); config problems are told once, by name."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.app.conftest import build, current_id, notices, settle, until
from tui.app.app import make_app
from tui.app.screens import modals
from tui.app.screens.modals import MatchScreen
from tui.app.screens.triage import AnalysisReady, TriageScreen
from tui.paths import Paths
from tui.store import Store


def dialog_text(app) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(s.visual) for s in app.screen.query(Static))


async def open_whitfield(pilot) -> None:  # type: ignore[no-untyped-def]
    """r4, "Sаrah Whitfield" with a Cyrillic "а": an impersonator of the contact c4."""
    await settle(pilot)
    await pilot.press("slash", *"whitfield", "enter")
    await settle(pilot)
    assert current_id(pilot.app) == "r4"


async def merge_with_the_first_match(pilot) -> None:  # type: ignore[no-untyped-def]
    """m (the matches dialog), then g (merge into the highlighted one)."""
    await pilot.press("m")
    await until(pilot, lambda: isinstance(pilot.app.screen, MatchScreen))
    await pilot.press("g")
    await pilot.pause()


def untouched(store: Store) -> None:
    store = Store.open(store.root)
    assert store.get_request("r4").status == "pending"
    assert store.get("c4").urls == ["https://www.linkedin.com/in/sarah-whitfield-nbc"]  # type: ignore[union-attr]


class TestMergeImpersonator:
    async def test_merge_asks_naming_the_risk_and_reflexes_cancel(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_whitfield(pilot)
            await merge_with_the_first_match(pilot)
            assert isinstance(app.screen, modals.ConfirmScreen)
            text = dialog_text(app)
            assert "impersonat" in text and "c4" in text and "profile" in text
            await pilot.press("y", "g", "enter")  # keys pressed by habit: Enter is on "Cancel"
            await settle(pilot)
            assert isinstance(app.screen, MatchScreen)
            await pilot.press("escape")
            await settle(pilot)
            assert current_id(app) == "r4"
        untouched(sample_store)

    async def test_merge_when_confirmed(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_whitfield(pilot)
            await merge_with_the_first_match(pilot)
            assert isinstance(app.screen, modals.ConfirmScreen)
            await pilot.press("tab", "enter")
            await settle(pilot)
            assert isinstance(app.screen, TriageScreen) and current_id(app) != "r4"
        store = Store.open(sample_store.root)
        assert (store.get_request("r4").status, store.get_request("r4").merged_into) == ("merged", "c4")

    async def test_a_plain_match_merges_without_asking(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("m")
            await pilot.pause()
            await pilot.press("g")
            await settle(pilot)
            assert isinstance(app.screen, TriageScreen) and current_id(app) == "r2"
        assert Store.open(sample_store.root).get_request("r1").status == "merged"


class TestAcceptImpersonator:
    async def test_accept_asks_once(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_whitfield(pilot)
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, modals.ConfirmScreen)
            assert "impersonat" in dialog_text(app) and "c4" in dialog_text(app)
            await pilot.press("enter")  # Cancel
            await settle(pilot)
            assert isinstance(app.screen, TriageScreen) and current_id(app) == "r4"
            untouched(sample_store)
            await pilot.press("a")
            await pilot.pause()
            await pilot.press("tab", "enter")
            await settle(pilot)
            assert isinstance(app.screen, TriageScreen) and current_id(app) != "r4"
        assert Store.open(sample_store.root).get_request("r4").status == "accepted"

    async def test_an_accept_while_checking_waits_and_then_asks(self, sample_store: Store, tmp_path: Path) -> None:
        """Attack finding #4: an impersonator accepted on a card still "checking…" is not accepted
        silently; the accept waits for the matches, then asks like any other."""
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_whitfield(pilot)
            screen = app.get_screen("triage")
            ready = AnalysisReady(screen.analysis)
            screen.analysis = None  # as in the first moments after start, before the worker has matched
            screen.render_card()
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(app.screen, TriageScreen) and current_id(app) == "r4"  # nothing decided yet
            assert "checking" in str(screen.query_one("#notice", Static).visual).lower()
            untouched(sample_store)
            screen.post_message(ready)
            await settle(pilot)
            assert isinstance(app.screen, modals.ConfirmScreen)
            assert "impersonat" in dialog_text(app) and "c4" in dialog_text(app)
            await pilot.press("enter")  # Cancel
            await settle(pilot)
            assert isinstance(app.screen, TriageScreen) and current_id(app) == "r4"
        untouched(sample_store)

    async def test_an_accept_while_checking_goes_through_when_no_look_alike(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.get_screen("triage")
            first = current_id(app)
            ready = AnalysisReady(screen.analysis)
            screen.analysis = None
            await pilot.press("a")
            await settle(pilot)
            assert current_id(app) == first
            screen.post_message(ready)
            await settle(pilot)
            assert isinstance(app.screen, TriageScreen) and current_id(app) != first
        assert Store.open(sample_store.root).get_request(first).status == "accepted"

    async def test_moving_on_drops_the_waiting_accept(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_whitfield(pilot)
            screen = app.get_screen("triage")
            ready = AnalysisReady(screen.analysis)
            screen.analysis = None
            await pilot.press("a", "s")  # accept, then skip to the next card before the matches arrive
            await settle(pilot)
            following = current_id(app)
            screen.post_message(ready)
            await settle(pilot)
            assert isinstance(app.screen, TriageScreen) and current_id(app) == following != "r4"
        untouched(sample_store)
        assert Store.open(sample_store.root).get_request(following).status == "pending"

    async def test_quitting_while_an_accept_waits_says_so_and_q_again_quits_without_it(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            screen = app.get_screen("triage")
            ready = AnalysisReady(screen.analysis)
            screen.analysis = None
            await pilot.press("a", "q")
            await settle(pilot)
            assert app.is_running and any("q again" in n and "Bob Fletcher" in n for n in notices(seen))
            screen.post_message(ready)  # the check ends: the accept is made, then the app quits, as q asked
            await settle(pilot)
            await until(pilot, lambda: not app.is_running, timeout=5)
        assert Store.open(sample_store.root).get_request("r1").status == "accepted"
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.get_screen("triage")
            screen.analysis = None
            await pilot.press("a", "q", "q")  # told, then quit without it
            await settle(pilot)
            assert not app.is_running
        assert Store.open(sample_store.root).get_request("r2").status == "pending"

    async def test_declining_does_not_ask(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_whitfield(pilot)
            await pilot.press("d")
            await settle(pilot)
            assert isinstance(app.screen, TriageScreen) and current_id(app) != "r4"
        assert Store.open(sample_store.root).get_request("r4").status == "declined"


class TestConfigProblems:
    async def test_a_misspelt_keymap_id_is_named_with_the_close_match(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path, keymap={"accept-reqest": "A", "answer-yes": "j"})
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            told = [n for n in notices(seen) if "accept-reqest" in n]
            assert len(told) == 1 and "accept-request" in told[0] and "keymap" in told[0]
            assert not any("answer-yes" in n for n in notices(seen))

    async def test_config_warnings_are_shown(self, sample_store: Store, tmp_path: Path) -> None:
        config = tmp_path / "config"
        config.mkdir()
        (config / "config.toml").write_text("two_teir = true\n")
        app = make_app(Paths(sample_store.root, config), store=sample_store)  # reads config.toml, as `tui triage` does
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            told = [n for n in notices(seen) if "two_teir" in n]
            assert len(told) == 1 and "two_tier" in told[0] and "config.toml" in told[0]


class TestContactsChangedWhileOpen:
    """Contacts that arrive while the app is open (an import in another terminal, as the first-run
    screen suggests) are matched before a card says "no contact looks like this person"."""

    async def test_an_impersonator_of_a_contact_imported_meanwhile_is_asked_about(self, tmp_path: Path) -> None:
        import subprocess

        from tests.conftest import TUI, subprocess_env
        from tui.models import Request

        store = Store.open(tmp_path / "data")
        store.add_request(
            Request(
                name="Sаrah Whitfield",
                urls=["https://www.linkedin.com/in/sarah-whitfield-md-2026"],
                source="linkedin",
                message="Hi, I lost access to my old account.",
                sent_at="2026-10-05T09:21:00",
            )
        )
        app = build(store, tmp_path, poll_interval=0.1)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.get_screen("triage")
            assert screen.analysis is not None and not screen.analysis.kinds(screen.current)
            subprocess.run(
                [
                    TUI,
                    "add",
                    "Sarah Whitfield",
                    "--contact",
                    "--company",
                    "Northbank Capital",
                    "--url",
                    "https://www.linkedin.com/in/sarah-whitfield-nbc",
                ],
                env=subprocess_env(store.root),
                check=True,
                capture_output=True,
                timeout=60,
            )
            # the poll sees the new contact and matches the queue again
            await until(pilot, lambda: screen.analysis is not None and "impersonation" in screen.analysis.kinds(screen.current))
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(app.screen, modals.ConfirmScreen)
        assert Store.open(store.root).get_request("r1").status == "pending"

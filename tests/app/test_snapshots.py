"""How the screens look at 80x24 (pytest-textual-snapshot). Update with --snapshot-update."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.app.conftest import build, settle
from tests.conftest import ROOT
from tui.models import Request
from tui.store import Store

SIZE = (80, 24)


def keys(*pressed: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)

    return run_before


class TestCardSnapshots:
    def test_card(self, snap_compare, sample_store: Store, tmp_path: Path) -> None:
        assert snap_compare(build(sample_store, tmp_path), terminal_size=SIZE, run_before=keys("y"))

    def test_card_with_duplicate_warning(self, snap_compare, sample_store: Store, tmp_path: Path) -> None:
        # Priya Raman asked on X and on LinkedIn with the same e-mail address.
        press = ("slash", *"priya", "enter", "y", "y", "y")
        assert snap_compare(build(sample_store, tmp_path), terminal_size=SIZE, run_before=keys(*press))

    def test_hostile_card(self, snap_compare, sample_store: Store, tmp_path: Path) -> None:
        assert snap_compare(build(sample_store, tmp_path), terminal_size=SIZE, run_before=keys("slash", *"legit", "enter"))


class TestScreenSnapshots:
    def test_help(self, snap_compare, sample_store: Store, tmp_path: Path) -> None:
        assert snap_compare(build(sample_store, tmp_path), terminal_size=SIZE, run_before=keys("question_mark"))

    def test_stats(self, snap_compare, sample_store: Store, tmp_path: Path) -> None:
        press = ("y", "y", "n", "enter", "n", "y", "n", "enter", "y", "y", "y", "enter", "t")
        assert snap_compare(build(sample_store, tmp_path), terminal_size=SIZE, run_before=keys(*press))

    def test_accepting_a_possible_impersonator_asks(self, snap_compare, sample_store: Store, tmp_path: Path) -> None:
        assert snap_compare(build(sample_store, tmp_path), terminal_size=SIZE, run_before=keys("slash", *"whitfield", "enter", "a"))

    def test_empty_queue_summary(self, snap_compare, tmp_path: Path) -> None:
        store = Store.open(tmp_path / "d")
        store.add_request(Request(name="Ann Lee", sent_at="2026-10-01"))
        store.add_request(Request(name="Bo Chen", sent_at="2026-10-02"))
        app = build(store, tmp_path)
        assert snap_compare(app, terminal_size=SIZE, run_before=keys("y", "y", "y", "enter", "n", "y", "y", "enter"))


class TestContextSnapshots:
    def test_card_with_red_flags(self, snap_compare, sample_store: Store, tmp_path: Path) -> None:
        assert snap_compare(build(sample_store, tmp_path), terminal_size=SIZE, run_before=keys("slash", *"chad", "enter"))

    def test_card_of_a_re_request(self, snap_compare, sample_store: Store, tmp_path: Path) -> None:
        sample_store.record_decision("r6", "decline", {"drink": False, "recommend": False, "business": False}, note="pure sales")
        sample_store.add_request(
            Request(name="Chad Maxwell", urls=["https://www.linkedin.com/in/chad-maxwell-2027"], source="linkedin", sent_at="2026-11-20")
        )
        store = Store.open(sample_store.root)
        assert snap_compare(build(store, tmp_path), terminal_size=SIZE, run_before=keys("slash", *"chad", "enter"))


SIZES = {"60x20": (60, 20), "80x24": (80, 24), "160x45": (160, 45)}


def re_request(store: Store) -> Store:
    """Chad Maxwell, declined before for a sales pitch, asks again from a new profile."""
    store.record_decision("r6", "decline", {"drink": False, "recommend": False, "business": False}, note="pure sales")
    store.add_request(
        Request(name="Chad Maxwell", urls=["https://www.linkedin.com/in/chad-maxwell-2027"], source="linkedin", sent_at="2026-11-20")
    )
    return Store.open(store.root)


STATES = {
    "plain": (lambda store: store, ("slash", *"naomi", "enter")),
    "impersonator": (lambda store: store, ("slash", *"whitfield", "enter")),
    "re-request": (re_request, ("slash", *"chad", "enter")),
    "verdict": (lambda store: store, ("y", "y", "n")),
}


class TestCardAtEachSize:
    """The card at the three sizes it is designed for: narrow (60x20), standard, wide (a second column)."""

    @pytest.mark.parametrize("size", list(SIZES))
    @pytest.mark.parametrize("state", list(STATES))
    def test_card(self, snap_compare, sample_store: Store, tmp_path: Path, size: str, state: str) -> None:
        prepare, pressed = STATES[state]
        assert snap_compare(build(prepare(sample_store), tmp_path), terminal_size=SIZES[size], run_before=keys(*pressed))


class TestBacklogSnapshots:
    @pytest.mark.parametrize("theme", ["tui-dark", "monochrome", "tui-light"])
    def test_match_comparison_with_a_readable_highlight(self, snap_compare, sample_store: Store, tmp_path: Path, theme: str) -> None:
        app = build(sample_store, tmp_path, theme=theme)
        assert snap_compare(app, terminal_size=(120, 40), run_before=keys("slash", *"lotus", "enter", "m"))

    def test_filter(self, snap_compare, sample_store: Store, tmp_path: Path) -> None:
        assert snap_compare(build(sample_store, tmp_path), terminal_size=(80, 40), run_before=keys("slash", *"chad", "enter", "f"))

    def test_first_run(self, snap_compare, tmp_path: Path) -> None:
        assert snap_compare(build(Store.open(tmp_path / "empty"), tmp_path), terminal_size=(120, 30), run_before=keys())


class TestThemeSnapshots:
    """The card at 80x24 in every shipped theme, and with NO_COLOR."""

    @pytest.mark.parametrize("theme", sorted(p.stem for p in (ROOT / "themes").glob("*.toml")))
    def test_card_in_theme(self, snap_compare, sample_store: Store, tmp_path: Path, theme: str) -> None:
        app = build(sample_store, tmp_path, theme=theme)
        assert snap_compare(app, terminal_size=SIZE, run_before=keys("y", "y", "n"))

    def test_card_with_no_color(self, snap_compare, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("NO_COLOR", "1")
        assert snap_compare(build(sample_store, tmp_path), terminal_size=SIZE, run_before=keys("y", "y", "n"))

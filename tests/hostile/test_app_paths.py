"""The injection corpus through the app: every card (with its match panel and context), the
contacts table, the history, the stats, the search, and the notifications.

What is checked on every screen the corpus reaches: the text the widgets render holds no control,
escape or bidi character; no rendered cell carries an action the app did not put there itself; the
app is still running; and no action ran but the ones our keys asked for (``run_action`` spied, and
the text clicked where the hostile name is drawn)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from tests.app.conftest import build, settle
from tests.corpus import assert_inert, corpus
from tests.hostile.conftest import PATHS
from tui.app.app import TuiApp
from tui.models import Contact, Request
from tui.store import Store

CORPUS = corpus()


def rendered(app: App) -> tuple[str, set[str]]:
    """The text of every visible widget on the screen, and every click action in its cells."""
    lines, actions = [], set()
    for widget in app.screen.walk_children(Widget, with_self=True):
        if not widget.display or not widget.region.area:
            continue
        for strip in widget.render_lines(Region(0, 0, widget.size.width, widget.size.height)):
            lines.append("".join(segment.text for segment in strip))
            for segment in strip:
                if segment.style is not None and "@click" in segment.style.meta:
                    actions.add(str(segment.style.meta["@click"]))
    return "\n".join(lines), actions


@pytest.fixture
def hostile_store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "data")
    for i, text in enumerate(CORPUS):
        email = f"h{i}@example.org"
        store.add_request(
            Request(
                name=text,
                message=text,
                title=text,
                company=text,
                location=text,
                tags=[text[:60]],
                notes=text,
                emails=[email],
                sent_at=f"2026-10-01T09:{i // 60:02d}:{i % 60:02d}",
            )
        )
        store.add_contact(Contact(name=text, company=text, title=text, emails=[email]))  # an exact match: its name shows in the panel
    for request in store.pending()[:4]:
        store.record_decision(request.id, "decline", {"drink": False}, note=request.name)
    return store


class Spy:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.actions: list[str] = []
        original = App.run_action

        async def run_action(app: App, action: str, *args: object, **kwargs: object) -> bool:
            self.actions.append(str(action))
            return await original(app, action, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(App, "run_action", run_action)
        self.screens: list[str] = []
        push = App.push_screen

        def push_screen(app: App, screen: object, *args: object, **kwargs: object) -> object:
            self.screens.append(type(screen).__name__)
            return push(app, screen, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(App, "push_screen", push_screen)


async def check(pilot: Pilot, allowed: set[str], where: str) -> None:
    await pilot.pause()
    assert pilot.app.is_running, f"{where}: the app stopped"
    text, actions = rendered(pilot.app)
    assert_inert(text, where)
    assert actions <= allowed, f"{where}: a cell carries an action the app did not put there: {actions - allowed}"


async def test_every_card_and_screen(hostile_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy(monkeypatch)
    seen: list[object] = []
    app = build(hostile_store, tmp_path)
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await settle(pilot)
        _, allowed = rendered(app)  # the key bar's own click actions
        cards = len(hostile_store.pending())
        assert cards == len(CORPUS) - 4
        for n in range(cards):
            screen = app.screen
            await check(pilot, allowed, f"card {n + 1}")
            # Click where the stranger's name is drawn: a [@click=...] in it must not run.
            if "[" in screen.current.name:  # type: ignore[attr-defined]
                card = screen.query_one("#card")
                await pilot.click(card, offset=(4, 1))
                await pilot.click(card, offset=(12, 1))
                assert app.screen is screen, f"card {n + 1}: a click changed the screen"
            await pilot.press("s")
        PATHS["card (name, title, company, location, tags, notes, message, match panel)"] = cards

        for key, name in (("c", "contacts table"), ("h", "history"), ("t", "stats"), ("question_mark", "help")):
            await pilot.press(key)
            await settle(pilot)
            await check(pilot, allowed | {a for a in rendered(app)[1] if not any(t in a for t in ("@", "["))}, name)
            await pilot.press("escape")
            await settle(pilot)
            PATHS[name] = len(CORPUS)

        # A decision and its undo notify with the stranger's name.
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await check(pilot, allowed, "notifications")
        PATHS["notifications"] = 2

        await pilot.press("slash")
        await pilot.press(*"click")
        await settle(pilot)
        await check(pilot, allowed, "search results")
        PATHS["search results"] = len([t for t in CORPUS if "click" in t.lower()])
        await pilot.press("escape")
        assert app.is_running

    # The message hook saw every message: only the one decision and the one undo we keyed. And no
    # screen was opened but the ones our keys asked for.
    from tui.app.messages import DecisionSaved, DecisionUndone

    assert len({m.decision.id for m in seen if isinstance(m, DecisionSaved)}) == 1
    assert len({m.undo.id for m in seen if isinstance(m, DecisionUndone) and m.undo is not None}) == 1
    assert set(spy.screens) <= {"TriageScreen", "ContactsScreen", "HistoryScreen", "StatsScreen", "HelpScreen", "SearchScreen", "str"}, (
        spy.screens
    )
    expected = {
        "skip",
        "contacts",
        "history",
        "stats",
        "help",
        "app.pop_screen",
        "pop_screen",
        "decide('accept')",
        "undo",
        "search",
        "dismiss_none",
    }
    unexpected = [a for a in spy.actions if a not in expected and not a.startswith(("focus", "scroll"))]
    assert unexpected == [], f"actions ran that no key asked for: {unexpected[:5]}"
    assert isinstance(app, TuiApp) and app.return_code in (None, 0)

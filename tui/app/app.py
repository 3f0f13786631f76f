"""The Textual app: screens, keys, theme variables, and the one factory that builds it."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from tui import keymap
from tui.app.screens.triage import TriageScreen
from tui.app.themes import choose_theme, register_themes
from tui.app.writer import StoreWriter
from tui.config import ConfigError, Settings, save_theme
from tui.paths import Paths
from tui.store import Store
from tui.text import clean, clean_multiline

GIVE_WAY_AFTER_KEY = 0.3
"""Seconds after a key during which the store worker's long work gives way (see give_way)."""


class TuiApp(App[None]):
    # Read as a package resource (not a path beside this module), so it works from any install.
    CSS = files("tui.app").joinpath("app.tcss").read_text(encoding="utf-8")
    TITLE = "tui"
    ENABLE_COMMAND_PALETTE = True
    # Every screen gets its size class: the card and the dialogs lay out for narrow, standard and
    # wide terminals, and give way on short ones (app.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-standard"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="show-help"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("c", "contacts", "Contacts", show=False, id="show-contacts"),
        Binding("h", "history", "History", show=False, id="show-history"),
        Binding("t", "stats", "Stats", show=False, id="show-stats"),
        Binding("D", "dedup_contacts", "Duplicate contacts", show=False, id="show-duplicate-contacts"),
    ]

    def __init__(self, settings: Settings, store: Store, paths: Paths, demo: bool = False) -> None:
        super().__init__()
        self.last_key = 0.0
        """When the user last pressed a key (time.monotonic()): see give_way."""
        self.settings = settings
        self.store = store
        self.paths = paths
        self.demo = demo
        """A demo on a temporary copy of the sample: the card says so."""
        self.on_hang_up: Callable[[], None] | None = None
        """What a closed terminal must still get done once the last write is in (the demo removes
        its temporary copy), even if the shutdown that follows never ends."""
        self.writer = StoreWriter()
        self._quitting = False
        self._told_waiting: tuple[str, str] | None = None
        self.theme_failures = register_themes(self, paths.themes)
        """Theme files that could not be used, and why: told once, at start."""

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {
            "verdict-accept": "#3fb950",
            "verdict-wider": "#58a6ff",
            "verdict-decline": "#f85149",
            "answer-yes": "#3fb950",
            "answer-no": "#f85149",
            "match-identical": "#f85149",
            "match-impersonation": "#ff7b72",
            "match-likely": "#d29922",
            "match-possible": "#8b949e",
        }

    # The three doors through which text leaves the app other than widgets: notices, the clipboard
    # and key names (from the keymap in config). Each passes through tui.text, whatever its source
    # (a stranger's name, a theme file's name, a reply template, an error message).
    def notify(
        self, message: str, *, title: str = "", severity: SeverityLevel = "information", timeout: float | None = None, markup: bool = True
    ) -> None:
        super().notify(clean_multiline(message, 2000), title=clean(title, 80), severity=severity, timeout=timeout, markup=False)

    def copy_to_clipboard(self, text: str) -> None:
        super().copy_to_clipboard(clean_multiline(text, None))

    def get_key_display(self, binding: Binding) -> str:
        return clean(super().get_key_display(binding), 40)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.last_key = time.monotonic()
        await super().on_event(event)

    def give_way(self) -> None:
        """Called between requests by work in the store worker (the queue's matching): while the
        user is typing, pause a moment, so that the next card is drawn without waiting for the
        interpreter (the worker and the screen share it). At full speed once the keys stop."""
        if time.monotonic() - self.last_key < GIVE_WAY_AFTER_KEY:
            time.sleep(0.002)

    def on_mount(self) -> None:
        theme, problem = choose_theme(self, self.settings.theme)
        if theme != self.theme:  # setting it re-applies every style: not for nothing at start-up
            self.theme = theme
        if problem:
            self.notify(problem, title="Theme", severity="warning", markup=False, timeout=8)
        if self.theme_failures:
            names = "; ".join(f"{path.name}: {why}" for path, why in self.theme_failures)
            self.notify(f"Skipped theme files: {names}", title="Theme", severity="warning", markup=False, timeout=10)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        if self.settings.warnings or self.settings.keymap:
            self.call_after_refresh(self._tell_config_problems)  # after the first card: it imports every screen
        self.run_worker(self.writer.run, thread=True, name="store-writer", group="store")
        self._exit_on_hangup()
        if self.is_web:
            self._exit_when_input_ends()
        self.install_screen(TriageScreen(), "triage")
        self.push_screen("triage")

    def _tell_config_problems(self) -> None:
        """Once, in one notice: what config.toml held that was ignored, misspelt keymap ids and
        clashing keys too."""
        config = self.settings.source or self.paths.config_file
        # Settings read from config.toml carry the keymap's problems already; built ones may not.
        problems = list(dict.fromkeys([*self.settings.warnings, *keymap.problems(self.settings.keymap, str(config))]))
        if problems:
            self.notify("\n".join(problems), title="Config: ignored", severity="warning", markup=False, timeout=15)

    def _theme_changed(self, theme: Theme) -> None:
        """Chosen from the command palette (or anywhere): remember it in config.toml."""
        if theme.name == self.settings.theme:
            return
        self.settings.theme = theme.name
        try:
            save_theme(self.paths.config_file, theme.name)
        except ConfigError as exc:
            self.notify(str(exc), severity="warning", markup=False)
        except OSError as exc:
            self.notify(f"{self.paths.config_file}: theme not saved ({exc.strerror})", severity="warning", markup=False)

    def _exit_on_hangup(self) -> None:
        """A closed terminal (SIGHUP, SIGTERM) ends the app: the last decision reaches the disk and
        the demo's temporary copy is removed."""
        import asyncio
        import signal

        try:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self._hang_up)
        except (NotImplementedError, RuntimeError, ValueError, AttributeError):
            pass  # not the main thread, or no such signal here

    def _exit_when_input_ends(self) -> None:
        """In a browser (`tui serve`), the app's input is the server's pipe. When it ends, the
        server is gone (killed, or stopped before it told this app to quit: a session cancelled
        while the app started), and nothing will ever tell the app to quit: end as a closed
        terminal ends (:meth:`_hang_up`), not run on as an orphan. A quit the server asked for
        sets the driver's exit event first: then nothing more is done here."""
        driver = self._driver
        reader: threading.Thread | None = getattr(driver, "_key_thread", None)  # the web driver's reader of stdin
        if reader is None:
            return

        def watch() -> None:
            while reader.ident is None:  # not started yet
                time.sleep(0.05)
            reader.join()
            if not getattr(driver, "exit_event", threading.Event()).is_set():
                with contextlib.suppress(RuntimeError):  # the app ended meanwhile
                    self.call_from_thread(self._hang_up)

        threading.Thread(target=watch, name="tui-input-ended", daemon=True).start()

    def _hang_up(self) -> None:
        """Nobody is left to read a notice or press q again: what is queued gets a few seconds to
        reach the disk (what does not is named on stderr, :meth:`StoreWriter.report`), and the app
        ends at once. Waiting on screen instead lets frames pile up for a terminal that is gone,
        and Textual's shutdown then blocks on its full output queue."""
        self.writer.stop()
        if not self.writer.wait_idle(5):
            self.writer.abandon(self.store.give_up_waiting, self._lost_because("the terminal closed"))
        if self.on_hang_up is not None:  # before Textual's shutdown, which a vanished terminal can stall
            self.on_hang_up()
        self.exit()
        # Textual's shutdown can block for good on the frames queued for the terminal that is gone
        # (its output thread died on the closed pty, its queue full): the suite left a `tui demo`
        # behind so. Everything is saved or reported by now, so the process ends regardless.
        if not self.is_headless:  # (a test's app runs in the test's own process)
            ended = 1 if self.writer.report() else 0

            def end() -> None:
                time.sleep(3)
                os._exit(ended)

            threading.Thread(target=end, name="tui-hang-up", daemon=True).start()

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None, time_format: str | None = None) -> str | None:
        """The palette's Screenshot: saved in the data dir (servers have no ~/Downloads), and the
        notice says where. In a browser, the browser downloads it."""
        if self.is_web:
            return super().deliver_screenshot(filename, path, time_format)
        from tui.fileio import private_dir

        folder = Path(path) if path else self.paths.data / "screenshots"
        try:
            private_dir(folder)
            saved = self.save_screenshot(filename, str(folder), time_format)
        except OSError as exc:
            self.notify(
                f"Screenshot not saved: {exc.filename or folder}: {exc.strerror}", title="Screenshot", severity="error", markup=False
            )
            return None
        self.notify(f"Saved to {saved}", title="Screenshot", markup=False, timeout=10)
        return saved

    # -- quitting: never before the last decision reaches the disk, unless the user says so ----

    def on_unmount(self) -> None:
        """However the app ends, its worker ends with it: what is queued gets a few seconds (the
        exit waits for the worker's thread), then whatever still waits for the lock is given up
        and reported (:meth:`StoreWriter.report`)."""
        if not self.writer.ended:
            self.writer.stop()
            if not self.writer.wait_idle(5):
                self.writer.abandon(self.store.give_up_waiting, self._lost_because("tui ended"))

    def action_quit(self) -> None:  # type: ignore[override]
        if self._unmade_accept():
            return
        if self._quitting:  # q again: quit without saving
            self.writer.abandon(self.store.give_up_waiting, self._lost_because("you quit"))
            self.exit()
            return
        idle = self.writer.idle
        self.writer.stop()
        if idle:
            self.exit()
            return
        self._quitting = True
        self.set_interval(0.05, self._exit_when_saved)
        changes = self.writer.changes()
        if changes:  # (reads never wait for the lock: they end at once)
            what = f"{len(changes)} change{'s' if len(changes) != 1 else ''} ({', '.join(changes)})"
            held = self._held()
            self.notify(
                f"Saving {what}: waiting for the store{', ' + held if held else ''}. Press q again to quit without saving.",
                title="Quitting",
                severity="warning",
                timeout=3600,
                markup=False,
            )

    def accept_made(self, waiting: tuple[str, str], asking: bool) -> None:
        """The accept that waited for the check is made (or its dialog asks): the notice that it
        waits is no longer true. If q was pressed meanwhile, quit now, as it asked (saving first),
        unless a dialog asks about the accept."""
        if self._told_waiting != waiting:
            return
        self._told_waiting = None
        self.clear_notifications()
        if not asking:
            self.action_quit()

    def _unmade_accept(self) -> bool:
        """An accept pressed while the card still said "checking…" waits for the check (triage.py);
        the first q says so and stays, the next quits without it."""
        triage = self.get_screen("triage") if self.is_screen_installed("triage") else None
        waiting = getattr(triage, "waiting_accept", None)
        if waiting is None or self._told_waiting == waiting:
            return False
        self._told_waiting = waiting
        name = clean(getattr(getattr(triage, "current", None), "name", ""), 60)
        self.notify(
            f"The accept of {name or waiting[0]} waits for the check against your contacts (a moment). "
            "Press q again to quit without accepting.",
            title="Quitting",
            severity="warning",
            timeout=10,
            markup=False,
        )
        return True

    def _exit_when_saved(self) -> None:
        if self.writer.ended:
            self.exit()

    def _held(self) -> str:
        """Who keeps the store, in words ("held by PID n (tui import big.csv)"); empty when free."""
        state, holder = self.store.lock_state()
        if state == "free":
            return ""
        return f"held by {holder or 'another process'}" if state == "held" else f"unwritable: it {state}"

    def _lost_because(self, who: str) -> str:
        held = self._held()
        return f"{who} while the store was {held}" if held else f"{who} before it was saved"

    # -- the other screens, and the command palette ----------------------------------------

    def action_help(self) -> None:
        from tui.app.screens.help import HelpScreen

        if self.screen.id != "help":
            self.push_screen(HelpScreen(self.screen))

    def action_contacts(self) -> None:
        from tui.app.screens.contacts import ContactsScreen

        self._open(ContactsScreen)

    def action_history(self) -> None:
        from tui.app.screens.history import HistoryScreen

        self._open(HistoryScreen)

    def action_stats(self) -> None:
        from tui.app.screens.stats import StatsScreen

        self._open(StatsScreen)

    def action_dedup_contacts(self) -> None:
        from tui.app.screens.dedup_contacts import ContactGroupsScreen

        self._open(ContactGroupsScreen)

    def _open(self, kind: Callable[[], Screen[Any]]) -> None:
        """One screen of each kind: opened again from a screen above it (the contacts from the
        duplicate groups opened over them), the one below comes back, the screens above it closed
        (a second contacts screen was a crash: DuplicateIds)."""
        below = next((i for i, screen in enumerate(self.screen_stack) if type(screen) is kind), None)
        if below is None:
            self.push_screen(kind())
            return
        for _ in range(len(self.screen_stack) - 1 - below):
            self.pop_screen()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        seen = set()
        for node, bindings in ((screen, screen.BINDINGS), (self, self.BINDINGS)):
            for binding in bindings:
                if not isinstance(binding, Binding) or binding.id in seen or binding.id is None:
                    continue
                seen.add(binding.id)
                keys = self.get_key_display(binding)
                yield SystemCommand(binding.description, f"{keys} · {binding.id}", partial(self.run_action, binding.action, node))


def make_app(
    paths: Paths, settings: Settings | None = None, store: Store | None = None, *, theme: str | None = None, demo: bool = False
) -> TuiApp:
    """The one way to build the app: `tui triage`, `tui demo`, `tui serve` (which runs one of those
    for each visitor) and the tests all come through here.

    ``settings`` are read from ``paths.config_file`` unless given (their problems are told in the
    app, once); the store at ``paths.data`` is opened unless given; ``theme`` is this session's,
    over the configured one (the app falls back to the default theme if it is unknown); ``demo``
    marks a temporary copy of the sample data, which the card says."""
    if settings is None:
        from tui.config import load

        settings = load(paths.config_file)
    if theme:
        settings.theme = theme
    if store is None:
        store = Store.open(paths.data)
    return TuiApp(settings, store, paths, demo)

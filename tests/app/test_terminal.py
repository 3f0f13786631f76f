"""The real app in a real terminal: tmux at 80x24, keys typed, screen read back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import TUI, store_bytes
from tui.models import Request
from tui.sample import load_sample
from tui.store import Store

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")]


def capture(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-t", session, "-p"], capture_output=True, text=True, check=True).stdout


def wait_for(session: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = capture(session)
        if text in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


@pytest.fixture
def tmux_session():  # type: ignore[no-untyped-def]
    name = f"tui-test-{uuid.uuid4().hex[:8]}"
    yield name
    subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


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
    subprocess.run(["tmux", "new-session", "-d", "-s", tmux_session, "-x", "80", "-y", "24", command], check=True, env={**os.environ, "TERM": term})
    screen = wait_for(tmux_session, "Bob Fletcher")
    assert "29 pending" in screen and "Would I meet them and have a drink" in screen
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
    screen = wait_for(tmux_session, "Bob Fletcher")
    assert "? Help" in screen and "q Quit" in screen
    for key in ("y", "y", "y"):
        subprocess.run(["tmux", "send-keys", "-t", tmux_session, key], check=True)
        time.sleep(0.15)
    screen = wait_for(tmux_session, "Verdict: Accept (inner circle)")
    assert "? Help" in screen and "q Quit" in screen
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
    screen = wait_for(tmux_session, "Bob Fletcher")
    assert "DEMO" in screen
    demo_dirs = list(tmp_path.glob("tui-demo-*"))
    assert len(demo_dirs) == 1
    subprocess.run(["tmux", "kill-session", "-t", tmux_session], check=True)  # the terminal goes: SIGHUP
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and demo_dirs[0].exists():
        time.sleep(0.1)
    assert not demo_dirs[0].exists(), "the demo's temporary data dir outlived its terminal"

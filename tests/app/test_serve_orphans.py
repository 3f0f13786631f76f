"""An app served to a browser (`tui serve` runs `tui triage` under Textual's web driver, talking
over its stdin and stdout) ends when its stdin ends: the server is gone (killed, or it stopped
before it told the app to quit, as when a session is cancelled while the app starts), and nothing
will ever tell it to quit. Before, each such app ran on for good, an orphan (the suite left one
behind at every run)."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import TUI, subprocess_env
from tui.sample import load_sample
from tui.store import Store

WEB = {"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver", "TEXTUAL_COLOR_SYSTEM": "truecolor", "COLUMNS": "80", "ROWS": "24"}


def served_app(data: Path) -> tuple[subprocess.Popen[bytes], list[bytes]]:
    process = subprocess.Popen(
        [TUI, "triage"], env=subprocess_env(data, **WEB), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out: list[bytes] = []

    def drain() -> None:
        assert process.stdout is not None
        while chunk := process.stdout.read1(65536):
            out.append(chunk)

    threading.Thread(target=drain, daemon=True).start()
    return process, out


def ended(process: subprocess.Popen[bytes], timeout: float) -> bool:
    try:
        process.wait(timeout)
        return True
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return False


@pytest.mark.parametrize("when", ["once it has drawn", "before it has started"])
def test_a_served_app_ends_when_its_server_is_gone(tmp_path: Path, when: str) -> None:
    data = tmp_path / "data"
    load_sample(data)
    process, out = served_app(data)
    assert process.stdin is not None
    if when == "once it has drawn":
        deadline = time.monotonic() + 30
        while sum(map(len, out)) < 2000:
            assert time.monotonic() < deadline and process.poll() is None, "the served app drew nothing"
            time.sleep(0.05)
    process.stdin.close()  # the server's end of the pipe: gone
    assert ended(process, 20), f"still running {when} its stdin ended"
    assert Store.open(data).get_request("r1").status == "pending"  # and nothing was changed on the way out

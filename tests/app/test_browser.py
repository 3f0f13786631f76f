"""`tui serve` in headless Chromium: Debian's chromium, driven by Playwright with the system browser.

The page draws the terminal on a canvas, so "seeing the card" means reading what the browser
received over the app's websocket (the text of the card is in it), and a screenshot is kept for a
person to look at. Then keys are pressed in the page and the decision is read from the store.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import TUI, free_port
from tui.sample import load_sample
from tui.store import Store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
pytest.importorskip("textual_serve", reason="textual-serve is in the test and serve extras")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs Debian's chromium)")]

# As the machine's own probe starts it: no sandbox (root in CI), no GPU, and none of the background
# connections that a closed network refuses.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_serve_shows_a_card_and_a_key_decides(tmp_path: Path) -> None:
    data = tmp_path / "data"
    load_sample(data)
    port = free_port()
    env = {**os.environ, "TUI_DATA_DIR": str(data), "TUI_CONFIG_DIR": str(tmp_path / "config")}
    server = subprocess.Popen([TUI, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "tui serve did not start"
                time.sleep(0.1)
        received = bytearray()
        with playwright.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            page = browser.new_page(viewport={"width": 1100, "height": 700})

            def on_socket(ws) -> None:  # type: ignore[no-untyped-def]
                ws.on("framereceived", lambda payload: received.extend(payload if isinstance(payload, bytes) else payload.encode()))

            page.on("websocket", on_socket)
            page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
            deadline = time.monotonic() + 40
            while b"Bob Fletcher" not in received:
                assert time.monotonic() < deadline, "no card reached the browser"
                page.wait_for_timeout(200)
            assert b"pending" in received and b"Would I meet them" in received
            page.wait_for_timeout(500)
            page.screenshot(path=str(tmp_path / "browser.png"))
            page.mouse.click(500, 300)  # focus the terminal
            for key in ("y", "y", "y", "Enter"):
                page.keyboard.press(key)
                page.wait_for_timeout(250)
            deadline = time.monotonic() + 20
            while Store.open(data).get_request("r1").status != "accepted":
                assert time.monotonic() < deadline, "the key press never reached the store"
                time.sleep(0.2)
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
    r1 = Store.open(data).get_request("r1")
    assert (r1.name, r1.status, r1.answers) == ("Bob Fletcher", "accepted", {"drink": True, "recommend": True, "business": True})

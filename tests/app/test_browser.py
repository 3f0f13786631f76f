"""`tui serve`: the real page in headless Chromium, and every stranger refused.

The page draws the terminal on a canvas, so "seeing the card" means reading what the browser
received over the app's websocket (the text of the card is in it), and a screenshot is kept for a
person to look at. Then keys are pressed in the page and the decision is read from the store.

The attacks are the ones measured against the old `tui serve` (no secret, no Origin or Host check):
a page from another origin in the same browser opening the websocket, a DNS-rebinding page whose
requests carry its own Host, and another local user connecting with a plain client.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import TUI, free_port
from tui.sample import load_sample
from tui.store import Store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytest.importorskip("textual_serve", reason="textual-serve is in the test and serve extras")
aiohttp = pytest.importorskip("aiohttp", reason="aiohttp comes with textual-serve")

pytestmark = [pytest.mark.slow]
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs Debian's chromium)")

# As the machine's own probe starts it: no sandbox (root in CI), no GPU, and none of the background
# connections that a closed network refuses.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Served:
    """A running `tui serve`, with what it printed so far."""

    process: subprocess.Popen[str]
    port: int
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The address `tui serve` printed for the user to open."""
        deadline = time.monotonic() + 5
        while not any(line.startswith("http") for line in self.stdout):
            assert time.monotonic() < deadline, f"tui serve printed no URL: {self.stdout!r}"
            time.sleep(0.05)
        return next(line for line in self.stdout if line.startswith("http")).strip()

    @property
    def token(self) -> str:
        token = urlsplit(self.url).path.strip("/")
        assert len(token) >= 32, self.url
        return token


def _drain(stream, into: list[str]) -> None:  # type: ignore[no-untyped-def]
    for line in stream:
        into.append(line)


@contextmanager
def serving(root: Path, *args: str, port: int | None = None) -> Iterator[Served]:
    """`tui serve` on the sample data in ``root``, started as a user would, stopped afterwards."""
    data = root / "data"
    if not data.exists():
        load_sample(data)
    port = port or free_port()
    env = {**os.environ, "TUI_DATA_DIR": str(data), "TUI_CONFIG_DIR": str(root / "config")}
    process = subprocess.Popen(
        [TUI, "serve", "--port", str(port), *args], env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    served = Served(process, port)
    readers = [
        threading.Thread(target=_drain, args=(process.stdout, served.stdout), daemon=True),
        threading.Thread(target=_drain, args=(process.stderr, served.stderr), daemon=True),
    ]
    for reader in readers:
        reader.start()
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, f"tui serve did not start: {served.stderr!r}"
                time.sleep(0.1)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for reader in readers:
            reader.join(5)


def http_status(url: str, **headers: str) -> int:
    async def get() -> int:
        async with aiohttp.ClientSession() as session, session.get(url, headers=headers, allow_redirects=False) as response:
            return response.status

    return asyncio.run(get())


def ws_status(url: str, origin: str | None = None, **headers: str) -> int:
    """101 when the websocket opened, else the HTTP status the handshake was refused with."""

    async def connect() -> int:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(url, origin=origin, headers=headers):
                    return 101
            except aiohttp.WSServerHandshakeError as refused:
                return refused.status

    return asyncio.run(connect())


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the attack tests (each only knocks; none changes the store)."""
    with serving(tmp_path_factory.mktemp("guarded")) as served:
        yield served


class TestStrangersAreRefused:
    def test_the_page_needs_the_token(self, guarded: Served) -> None:
        assert http_status(f"{guarded.base}/") == 403
        assert http_status(f"{guarded.base}/?token=") == 403
        assert http_status(f"{guarded.base}/{'A' * 43}/") == 403
        assert http_status(guarded.url) == 200

    def test_the_websocket_needs_the_token(self, guarded: Served) -> None:
        # Another local user, with a plain client and no browser: no Origin to check, so the secret decides.
        ws = f"ws://127.0.0.1:{guarded.port}"
        assert ws_status(f"{ws}/ws") == 403
        assert ws_status(f"{ws}/ws", origin=guarded.base) == 403
        assert ws_status(f"{ws}/{'A' * 43}/ws", origin=guarded.base) == 403
        assert ws_status(f"{ws}/{guarded.token}x/ws", origin=guarded.base) == 403
        assert ws_status(f"{ws}/{guarded.token}/ws", origin=guarded.base) == 101

    def test_a_foreign_origin_is_refused_even_with_the_token(self, guarded: Served) -> None:
        ws = f"ws://127.0.0.1:{guarded.port}/{guarded.token}/ws"
        for origin in (
            "http://evil.example",
            f"http://127.0.0.1:{free_port()}",
            f"http://localhost:{guarded.port}",
            f"https://127.0.0.1:{guarded.port}",
            "null",
        ):
            assert ws_status(ws, origin=origin) == 403, origin
        assert http_status(guarded.url, Origin="http://evil.example") == 403

    def test_a_foreign_host_is_refused(self, guarded: Served) -> None:
        # DNS rebinding: evil.example now resolves to 127.0.0.1, and the browser sends Host: evil.example:PORT.
        for host in (
            f"evil.example:{guarded.port}",
            "evil.example",
            f"127.0.0.1:{guarded.port + 1}",
            f"127.0.0.1.evil.example:{guarded.port}",
        ):
            assert http_status(f"{guarded.base}/", Host=host) == 403, host
            assert http_status(guarded.url, Host=host) == 403, host
            rebound = f"http://{host}"
            assert ws_status(f"ws://127.0.0.1:{guarded.port}/{guarded.token}/ws", origin=rebound, Host=host) == 403, host

    def test_the_page_sends_its_websocket_to_the_host_it_was_asked_for(self, guarded: Served) -> None:
        async def page(host: str) -> tuple[str, dict[str, str]]:
            async with aiohttp.ClientSession() as session, session.get(guarded.url, headers={"Host": host}) as response:
                return await response.text(), dict(response.headers)

        for host in (f"127.0.0.1:{guarded.port}", f"localhost:{guarded.port}"):
            html, headers = asyncio.run(page(host))
            assert f'data-session-websocket-url="ws://{host}/{guarded.token}/ws"' in html
            assert headers["Referrer-Policy"] == "no-referrer"
            assert headers["Cache-Control"] == "no-store"
        assert ws_status(f"ws://localhost:{guarded.port}/{guarded.token}/ws", origin=f"http://localhost:{guarded.port}") == 101


class TestServeOptions:
    @pytest.mark.parametrize(
        "args", [["--port", "0"], ["--port", "70000"], ["--port", "-1"], ["--host", "no-such-host.invalid"], ["--host", "not a host"]]
    )
    def test_a_bad_address_is_one_line_exit_2(self, args: list[str], tmp_path: Path) -> None:
        done = subprocess.run([TUI, "serve", *args], capture_output=True, text=True, timeout=30)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
        assert done.stdout == ""

    def test_a_busy_port_is_one_line_exit_2(self, tmp_path: Path) -> None:
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            port = busy.getsockname()[1]
            done = subprocess.run([TUI, "serve", "--port", str(port)], capture_output=True, text=True, timeout=30)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1 and str(port) in done.stderr, done.stderr

    def test_loopback_prints_the_token_url_and_no_warning(self, guarded: Served) -> None:
        assert guarded.url == f"http://127.0.0.1:{guarded.port}/{guarded.token}/"
        assert "WARNING" not in "".join(guarded.stderr).upper()

    def test_each_launch_has_its_own_token(self, guarded: Served, tmp_path: Path) -> None:
        with serving(tmp_path) as other:
            assert other.token != guarded.token
            assert http_status(f"{other.base}/{guarded.token}/") == 403

    def test_every_address_gets_a_loud_warning_and_still_the_checks(self, tmp_path: Path) -> None:
        with serving(tmp_path, "--host", "0.0.0.0") as served:
            url = served.url
            warning = "".join(served.stderr)
            assert served.token in url and "0.0.0.0" not in url
            assert http_status(f"{served.base}/{served.token}/") == 200
            assert http_status(f"{served.base}/") == 403
            assert http_status(f"{served.base}/{served.token}/", Host=f"evil.example:{served.port}") == 403
            assert ws_status(f"ws://127.0.0.1:{served.port}/{served.token}/ws", origin="http://evil.example") == 403
        assert "WARNING" in warning and "0.0.0.0" in warning and "network" in warning
        assert "ssh -L" in warning


def descendants(pid: int) -> set[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if not children.exists():
        pytest.skip("needs Linux's /proc/PID/task/PID/children")
    found = {int(child) for child in children.read_text().split()}
    return found.union(*(descendants(child) for child in found))


class TestStopping:
    # SIGHUP: the SSH session that started `tui serve` ends.
    @pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=["TERM", "INT", "HUP"])
    def test_stopping_ends_the_app_of_every_open_tab(self, tmp_path: Path, signum: int) -> None:
        with serving(tmp_path) as served:

            async def session() -> tuple[set[int], float]:
                url = f"ws://127.0.0.1:{served.port}/{served.token}/ws?width=80&height=24"
                async with aiohttp.ClientSession() as client, client.ws_connect(url, origin=served.base) as ws:
                    received = bytearray()
                    while b"Bob Fletcher" not in received:
                        message = await ws.receive(timeout=30)
                        received.extend(message.data if isinstance(message.data, bytes) else str(message.data).encode())
                    apps = descendants(served.process.pid)
                    started = time.monotonic()
                    served.process.send_signal(signum)
                    async for _ in ws:  # the browser side answers the server's close, as a browser does
                        pass
                    await asyncio.to_thread(served.process.wait, 30)
                    return apps, time.monotonic() - started

            apps, took = asyncio.run(session())
        assert apps and took < 5, (apps, took)
        assert not [pid for pid in apps if Path(f"/proc/{pid}").exists()]


def _launch(pw, *extra: str):  # type: ignore[no-untyped-def]
    return pw.chromium.launch(executable_path=CHROMIUM, args=[*FLAGS, *extra], headless=True)


@needs_chromium
def test_serve_shows_a_card_and_a_key_decides(tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    data = tmp_path / "data"
    with serving(tmp_path) as served:
        received = bytearray()
        with playwright.sync_playwright() as pw:
            browser = _launch(pw)
            page = browser.new_page(viewport={"width": 1100, "height": 700})

            def on_socket(ws) -> None:  # type: ignore[no-untyped-def]
                ws.on("framereceived", lambda payload: received.extend(payload if isinstance(payload, bytes) else payload.encode()))

            page.on("websocket", on_socket)
            assert page.goto(f"{served.base}/", wait_until="domcontentloaded").status == 403
            assert page.goto(served.url, wait_until="domcontentloaded").status == 200
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
    r1 = Store.open(data).get_request("r1")
    assert (r1.name, r1.status, r1.answers) == ("Bob Fletcher", "accepted", {"drink": True, "recommend": True, "business": True})


# What a hostile page can try from the same browser: open the websocket (without the token, which it
# cannot know, and with it, as if it had leaked), and read the page once DNS points its name here.
TRY_SOCKET = """url => new Promise(done => {
    const ws = new WebSocket(url);
    ws.onopen = () => { ws.close(); done("open"); };
    ws.onerror = () => done("refused");
    setTimeout(() => done("timeout"), 10000);
})"""


@contextmanager
def hostile_site() -> Iterator[int]:
    """Somebody else's web page on this machine (another user's, or a public one once DNS points here)."""

    class Cats(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<p>cute cats</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Cats)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        yield site.server_address[1]
    finally:
        site.shutdown()
        site.server_close()


@needs_chromium
def test_a_hostile_page_in_the_same_browser_gets_nothing(tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    with serving(tmp_path) as served, hostile_site() as cats, playwright.sync_playwright() as pw:
        browser = _launch(pw, "--host-resolver-rules=MAP evil.example 127.0.0.1")
        page = browser.new_page()
        ws = f"ws://127.0.0.1:{served.port}"
        for hostile in (f"http://127.0.0.1:{cats}/", f"http://evil.example:{cats}/"):
            assert page.goto(hostile).status == 200
            assert page.evaluate(TRY_SOCKET, f"{ws}/ws") == "refused", hostile
            assert page.evaluate(TRY_SOCKET, f"{ws}/{served.token}/ws") == "refused", hostile
        # DNS rebinding: the hostile name now resolves to 127.0.0.1, so its pages are same-origin with the server.
        assert page.goto(f"http://evil.example:{served.port}/").status == 403
        assert page.goto(f"http://evil.example:{served.port}/{served.token}/").status == 403
        assert page.evaluate(TRY_SOCKET, f"ws://evil.example:{served.port}/ws") == "refused"
        assert page.evaluate(TRY_SOCKET, f"ws://evil.example:{served.port}/{served.token}/ws") == "refused"
        # The same browser, on the printed URL, still gets the app.
        assert page.goto(served.url).status == 200
        assert page.evaluate(TRY_SOCKET, f"{ws}/{served.token}/ws") == "open"
        browser.close()

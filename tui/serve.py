"""`tui serve`: the app in a web browser, for the person who started it and nobody else.

textual-serve (an aiohttp server) starts one app process per websocket and checks nobody: any page
open in the same browser, any DNS-rebinding site and any local user could read the queue and decide.
This module keeps textual-serve's handlers and page, and puts three checks in front of them:

- a secret per launch (``secrets.token_urlsafe``), the first part of the path of the page and of its
  websocket, compared in constant time. It is printed as the URL to open. It lives in the URL and
  not in a cookie, because a browser sends a cookie for 127.0.0.1 to every port on 127.0.0.1, so
  a cookie would reach other local users' servers;
- the Host header must name the address the server is bound to (DNS rebinding sends the rebinding
  site's own name), and an Origin header, which every browser sends with a websocket, must be the
  page's own origin (another site's page is refused, even if it had the secret);
- a loud warning when the address is reachable from beyond this machine.

textual-serve's static files (its JavaScript, CSS and fonts, the same for everyone) are served
without the secret, as are the downloads it names by a random key sent only over the websocket.
textual-serve and aiohttp are imported only by :func:`serve`, so this module loads fast.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import os
import re
import secrets
import shlex
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from tui.errors import BadInput, UserError
from tui.output import err, out
from tui.text import clean

IP = ipaddress.IPv4Address | ipaddress.IPv6Address

# A Host header as browsers send it: a name or an IPv4 address, or an IPv6 address in brackets,
# then an optional port. Anything else (spaces, userinfo, paths, other characters) is refused.
_HOST_HEADER = re.compile(r"(?P<name>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(?P<port>[0-9]{1,5}))?")

# Routes whose content is not private: textual-serve's own static files, and a download whose
# random key only an open websocket learns. Every other path needs the secret.
_PUBLIC_ROUTES = ("static", "download")

# Sent with every response: never cached, never leak the URL as a Referer, never framed.
_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}


def _ip(name: str) -> IP | None:
    try:
        return ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return None


@dataclass(frozen=True)
class Address:
    """Where `tui serve` listens: the host as given, the port, and the addresses the host stands for."""

    host: str
    port: int
    ips: tuple[IP, ...]
    machine: str = field(default_factory=lambda: socket.gethostname().lower())

    @property
    def wildcard(self) -> bool:
        """Every address of this machine (0.0.0.0 or ::)."""
        return any(ip.is_unspecified for ip in self.ips)

    @property
    def loopback(self) -> bool:
        return all(ip.is_loopback for ip in self.ips)

    @property
    def shown(self) -> str:
        """The host as it appears in a URL."""
        ip = _ip(self.host)
        return f"[{ip}]" if isinstance(ip, ipaddress.IPv6Address) else self.host

    def url(self, token: str) -> str:
        """The URL to open in a browser on this machine."""
        local = self.shown
        if self.wildcard:
            local = "[::1]" if all(isinstance(ip, ipaddress.IPv6Address) for ip in self.ips) else "127.0.0.1"
        return f"http://{local}:{self.port}/{token}/"

    def allows_host(self, header: str | None) -> bool:
        """Whether a request's Host header names this server (a rebinding site sends its own name)."""
        match = _HOST_HEADER.fullmatch(header or "")
        if match is None or int(match["port"] or 80) != self.port:
            return False
        name = match["name"].lower()
        ip = _ip(name)
        if ip is not None:
            # An address cannot be rebound; on a wildcard bind every address of the machine is ours.
            return self.wildcard or ip in self.ips
        if name == "localhost":
            return self.loopback or self.wildcard
        return name == self.host.lower() or (self.wildcard and name == self.machine)


def check_address(host: str, port: int) -> Address:
    """The address to listen on, or BadInput naming the option that is wrong."""
    if not 1 <= port <= 65535:
        raise BadInput(f"--port {port}: must be between 1 and 65535")
    if not host or host != host.strip():
        raise BadInput(f"--host {clean(host, 100)!r}: not an address")
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or str(exc)
        raise BadInput(f"--host {clean(host, 100)}: not an address to listen on ({clean(why, 200)})") from None
    ips = tuple(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found))
    return Address(host, port, ips)


@dataclass(frozen=True)
class Guard:
    """The checks every request passes before textual-serve sees it."""

    address: Address
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)

    def refusal(self, host: str | None, origin: str | None, given: str | None) -> str | None:
        """Why a request is refused, or None. ``given`` is the secret in its path (None: a public route)."""
        if not self.address.allows_host(host):
            return "unexpected Host header"
        if origin is not None and origin.lower() != f"http://{(host or '').lower()}":
            return "the request comes from another site's page"
        if given is not None and not hmac.compare_digest(given.encode(), self.token.encode()):
            return "open the URL that tui serve printed; it holds this launch's secret"
        return None


def warn_if_exposed(address: Address) -> None:
    """Loud lines on stderr when the server can be reached from other machines."""
    if address.loopback:
        return
    where = f"{address.host}, every address of this machine" if address.wildcard else address.host
    for line in (
        f"tui serve is listening on {where}, beyond loopback (127.0.0.1).",
        "Anyone on the network who learns the URL can read your requests and decide them, and plain http",
        "sends the URL, its secret and every card across the network unencrypted.",
        "Prefer the default --host 127.0.0.1 and, from another machine, a tunnel:",
        f"ssh -L {address.port}:127.0.0.1:{address.port} THIS-HOST, then the same URL works on that machine.",
    ):
        err(f"WARNING: {line}")


def serve(command: list[str], address: Address, title: str = "tui") -> None:
    """Run the guarded server until Ctrl+C or SIGTERM; print the URL once it listens."""
    try:
        from textual_serve.server import Server
    except ImportError:
        raise UserError("tui serve needs textual-serve: pip install 'tui[serve]'") from None
    guard = Guard(address)
    server = Server(shlex.join(command), host=address.host, port=address.port, title=title)
    asyncio.run(_run(_make_app(server, guard), guard))


def _make_app(server: Any, guard: Guard) -> Any:
    """textual-serve's routes and handlers, behind the guard, with the secret in the page's paths."""
    import aiohttp_jinja2
    import jinja2
    from aiohttp import web

    @web.middleware
    async def check(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        route = request.match_info.route
        given = None if route.name in _PUBLIC_ROUTES else request.match_info.get("token", "")
        why = guard.refusal(request.headers.get("Host"), request.headers.get("Origin"), given)
        if why is not None:
            raise web.HTTPForbidden(text=f"tui serve: {why}\n")
        return await handler(request)

    async def page(request: web.Request) -> web.StreamResponse:
        # The Host passed the guard, so the websocket goes back to the name the browser used,
        # and the browser's Origin for it will be this page's.
        try:
            font_size = int(request.query.get("fontsize", "16"))
        except ValueError:
            font_size = 16
        context = {
            "font_size": font_size,
            "app_websocket_url": f"ws://{request.host}/{guard.token}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": server.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    sessions: set[asyncio.Task[Any]] = set()

    async def websocket(request: web.Request) -> web.StreamResponse:
        task = asyncio.current_task()
        assert task is not None
        sessions.add(task)
        try:
            response: web.StreamResponse = await server.handle_websocket(request)  # (textual-serve is untyped)
            return response
        finally:
            sessions.discard(task)

    async def end_sessions(app: web.Application) -> None:
        # Cancelling a session makes textual-serve tell its app process to quit and wait for it,
        # so on Ctrl+C every open tab's app finishes its writes instead of being orphaned.
        for task in sessions:
            task.cancel()
        if sessions:
            await asyncio.wait(set(sessions), timeout=10)

    async def secure_headers(request: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(_HEADERS)

    app = web.Application(middlewares=[check])
    aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(server.templates_path))
    app.add_routes(
        [
            web.get("/{token}/", page, name="index"),
            web.get("/{token}/ws", websocket, name="websocket"),
            web.get("/download/{key}", server.handle_download, name="download"),
            web.static("/static", server.statics_path, name="static"),
        ]
    )
    app.on_response_prepare.append(secure_headers)
    app.on_shutdown.append(end_sessions)
    return app


async def _run(app: Any, guard: Guard) -> None:
    from aiohttp import web

    address = guard.address
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=2)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, address.host, address.port).start()
        except OSError as exc:
            why = os.strerror(exc.errno) if exc.errno else str(exc)
            raise BadInput(f"cannot listen on {clean(address.shown, 100)}:{address.port}: {clean(why, 200)}") from None
        stop = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # HUP: the SSH session that started it ended
            asyncio.get_running_loop().add_signal_handler(signum, stop.set)
        warn_if_exposed(address)
        out(address.url(guard.token))
        sys.stdout.flush()
        elsewhere = "; from another machine, put this machine's address in place of 127.0.0.1" if address.wildcard else ""
        err(f"tui serve: open the URL above in a browser{elsewhere} (Ctrl+C stops)")
        await stop.wait()
    finally:
        await runner.cleanup()

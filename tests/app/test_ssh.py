"""Over SSH: a real sshd on 127.0.0.1, `ssh -tt` inside tmux at 80x24, `tui demo` drawn in the theme's
24-bit colours (COLORTERM forwarded), a decision by keys.

sshd comes from Debian's openssh-server, which .ci/run installs when it is missing; the test is
skipped, saying so, only when there is no sshd to run.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
import tomllib
import uuid
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
from textual.color import Color

from tests.app.test_terminal import capture, own_tmux_server, wait_for
from tests.conftest import TUI, free_port
from tui.store import Store
from tui.theme_files import DEFAULT_THEME

SSHD = shutil.which("sshd") or ("/usr/sbin/sshd" if Path("/usr/sbin/sshd").exists() else None)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SSHD is None, reason="sshd is not installed (.ci/run installs Debian's openssh-server)"),
    pytest.mark.skipif(shutil.which("tmux") is None or shutil.which("ssh") is None, reason="tmux and ssh are needed"),
]


class Server:
    def __init__(self, root: Path) -> None:
        self.root, self.port, self.user = root, free_port(), getpass.getuser()
        root.mkdir()
        self.key = root / "client_key"
        for name in ("host_key", "client_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(root / name)], check=True)
        (root / "authorized_keys").write_text((root / "client_key.pub").read_text())
        os.chmod(root / "authorized_keys", 0o600)
        config = root / "sshd_config"
        config.write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {root / 'host_key'}\nPidFile {root / 'sshd.pid'}\n"
            f"AuthorizedKeysFile {root / 'authorized_keys'}\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
            "PubkeyAuthentication yes\nUsePAM no\nStrictModes no\nPermitRootLogin yes\nAcceptEnv COLORTERM LANG LC_*\n"
        )
        try:
            Path("/run/sshd").mkdir(exist_ok=True)  # the privilege-separation directory sshd insists on
        except PermissionError:
            pytest.skip("sshd needs /run/sshd, which only root can create (CI runs as root)")
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        raise AssertionError(f"sshd did not start: {self.proc.stderr.read() if self.proc.stderr else ''}")

    def ssh(self, *remote: str, tty: bool = True) -> list[str]:
        return [
            "ssh",
            *(["-tt"] if tty else []),
            "-i",
            str(self.key),
            "-p",
            str(self.port),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "SendEnv=COLORTERM",
            "-o",
            "BatchMode=yes",
            f"{self.user}@127.0.0.1",
            *remote,
        ]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def true_colour_background() -> str:
    """The SGR sequence for the default theme's background, as its shipped file gives it."""
    shipped = tomllib.loads(files("tui.themes").joinpath(f"{DEFAULT_THEME}.toml").read_text(encoding="utf-8"))
    r, g, b = Color.parse(shipped["background"]).rgb
    return f"\x1b[48;2;{r};{g};{b}m"


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[Server]:
    server = Server(tmp_path / "ssh")
    yield server
    server.stop()


@pytest.fixture
def own_tmux(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with own_tmux_server(monkeypatch):  # a user's running server lacks COLORTERM
        yield


@pytest.mark.usefixtures("own_tmux")
def test_demo_over_ssh_in_tmux(sshd: Server, tmp_path: Path) -> None:
    demo = tmp_path / "demo-data"
    remote = f"env TUI_CONFIG_DIR={tmp_path / 'config'} {TUI} demo --into {demo}"
    command = " ".join(sshd.ssh(remote))
    session = f"tui-ssh-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command], check=True, env=env)
    try:
        wait_for(session, "Bob Fletcher", "29 pending", "Would I meet them and have a drink", timeout=40)
        # COLORTERM=truecolor crosses ssh (SendEnv/AcceptEnv), so the app draws the default theme's
        # own background in 24-bit colour (without it, Textual falls back to the 256-colour palette).
        drawn = subprocess.run(["tmux", "capture-pane", "-e", "-p", "-t", session], capture_output=True, text=True, check=True).stdout
        assert true_colour_background() in drawn, "not drawn in the theme's 24-bit background colour"
        for key in ("y", "y", "n"):
            subprocess.run(["tmux", "send-keys", "-t", session, key], check=True)
            time.sleep(0.2)
        wait_for(session, "Verdict: Decline")
        subprocess.run(["tmux", "send-keys", "-t", session, "Enter"], check=True)
        wait_for(session, "Jose Alvarez", "28 pending")
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and "Bob Fletcher" in capture(session):
            time.sleep(0.1)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    r1 = Store.open(demo).get_request("r1")
    assert (r1.name, r1.status, r1.answers) == ("Bob Fletcher", "declined", {"drink": True, "recommend": True, "business": False})

"""The installed `tui` on a pseudo-terminal, read back byte for byte (tests/app/test_quit.py,
tests/hostile/test_pty.py)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import termios
import time

from tests.conftest import TUI


class PtySession:
    """``tui *args`` in a child whose terminal is a new pty (``env`` added to its environment);
    ``output`` holds everything it wrote so far."""

    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] | None = None, stderr_elsewhere: bool = False) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: tui, with the pty as its terminal
            if stderr_elsewhere:
                os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
            os.environ.update(env)
            os.execv(TUI, [TUI, *args])
        if size is not None:
            columns, rows = size
            fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.output = bytearray()

    def read_for(self, seconds: float) -> None:
        """Read what it writes for ``seconds``; return early once the terminal is closed."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if select.select([self.fd], [], [], 0.05)[0]:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.output.extend(chunk)

    def read_until(self, text: bytes, timeout: float = 20.0) -> None:
        """Read until ``text`` has been written (or ``timeout`` seconds have passed)."""
        deadline = time.monotonic() + timeout
        while text not in self.output and time.monotonic() < deadline:
            self.read_for(0.1)

    def press(self, key: str, then_read: float) -> None:
        os.write(self.fd, key.encode())
        self.read_for(then_read)

"""Durable file primitives: a cross-process lock, an atomic write, private files and directories.

Used only by :mod:`tui.store` (and the config's theme save). The lock is ``flock(2)`` on a lock
file, re-entrant within a process; its holder writes its PID and command line into the file, so
that a waiting process, or `tui doctor`, can say whom it waits for. The ``filelock`` package would
do the locking, but importing it costs 17-48 ms (it pulls in asyncio, logging and hashlib), which
alone would break the ``tui add`` start-up budget.

Everything written here is private: files 0600, directories 0700 (the XDG base directory spec's
mode), whatever the umask.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import itertools
import os
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

TEMP_SUFFIX = ".tmp"
NOTICE_AFTER = 1.0
"""Seconds a writer waits for the lock before it says whom it waits for."""
_counter = itertools.count()


class LockHolder(NamedTuple):
    """The process that holds a lock, as it wrote itself into the lock file."""

    pid: int
    command: str

    def __str__(self) -> str:
        return f"PID {self.pid} ({self.command})" if self.command else f"PID {self.pid}"

    @property
    def stopped(self) -> bool:
        """True when the process is stopped (SIGSTOP, Ctrl+Z, a debugger): it will not let go
        until it is resumed. Linux only; False where /proc cannot tell."""
        try:
            stat = Path(f"/proc/{self.pid}/stat").read_text()
        except OSError:
            return False
        return stat.rpartition(")")[2].split()[:1] in (["T"], ["t"])


class LockTimeout(OSError):
    """Another process held the store lock for longer than the timeout."""

    holder: LockHolder | None = None


def _own_command() -> str:
    """This process's command line, short, for the lock file: ``tui add Ann``."""
    argv = list(sys.argv) or ["python"]
    program = Path(argv[0])
    if program.name == "__main__.py":  # python -m tui
        argv[0] = program.parent.name
    else:
        argv[0] = "python -c" if argv[0] == "-c" else program.name
    return " ".join(argv).replace("\n", " ")[:200]


class ProcessLock:
    """An exclusive lock shared by every process that opens the same lock file.

    Re-entrant for the thread that holds it; other threads of the same process wait on a
    ``threading.RLock`` first, so ``flock`` is only ever taken once per process. A process that
    has waited ``NOTICE_AFTER`` seconds calls ``on_wait`` once with the holder (or None when the
    holder did not say who it is).

    A lock file that cannot be opened for writing (a read-only filesystem, a directory the user may
    not write) raises that OSError: such a store can be read, never written.
    """

    def __init__(self, path: Path, timeout: float = 30.0, on_wait: Callable[[LockHolder | None], None] | None = None) -> None:
        self.path = path
        self.timeout = timeout
        self.on_wait = on_wait
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        self.given_up = threading.Event()
        """Set by a process on its way out: a wait for the lock ends at once (:class:`LockTimeout`),
        and no new one starts."""

    def acquire(self, timeout: float | None = None) -> bool:
        timeout = self.timeout if timeout is None else timeout
        if not self._thread_lock.acquire(timeout=timeout if timeout >= 0 else -1):
            raise LockTimeout(errno.EAGAIN, "store is busy", str(self.path))
        if self._depth:
            self._depth += 1
            return True
        try:
            if self.given_up.is_set():
                raise self._timeout()
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                self._wait_for(fd, timeout)
            except BaseException:
                os.close(fd)
                raise
        except BaseException:
            self._thread_lock.release()
            raise
        self._fd = fd
        self._depth = 1
        self._sign(fd)
        return True

    def _wait_for(self, fd: int, timeout: float) -> None:
        start = time.monotonic()
        told = False
        pause = 0.0005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                waited = time.monotonic() - start
                if not told and waited >= NOTICE_AFTER and self.on_wait is not None:
                    told = True
                    self.on_wait(self.holder())
                if waited >= timeout or self.given_up.is_set():
                    raise self._timeout() from None
                time.sleep(pause)
                pause = min(pause * 2, 0.02)

    def _timeout(self) -> LockTimeout:
        error = LockTimeout(errno.EAGAIN, "store is locked by another process", str(self.path))
        error.holder = self.holder()
        return error

    @staticmethod
    def _sign(fd: int) -> None:
        """Write who holds the lock into the lock file. Best effort: on a full disk the lock is
        held all the same, only anonymously."""
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n{_own_command()}\n".encode("utf-8", "replace"), 0)
        except OSError:
            pass

    def holder(self) -> LockHolder | None:
        """Who holds the lock, as the lock file says (None when it does not say)."""
        try:
            pid, _, command = self.path.read_text("utf-8", "replace").partition("\n")
            return LockHolder(int(pid), command.strip())
        except (OSError, ValueError):
            return None

    def try_acquire(self) -> bool:
        """Take the lock only if it is free right now."""
        try:
            return self.acquire(timeout=0)
        except LockTimeout:
            return False

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)  # no stale PID for the next reader of the file
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        self._thread_lock.release()

    def __enter__(self) -> ProcessLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def private_dir(path: Path) -> None:
    """Create ``path`` and each missing parent with mode 0700 (``mkdir -p`` gives parents the
    umask's mode). An existing directory is left as it is."""
    missing = []
    while not path.is_dir():
        missing.append(path)
        if path.parent == path:
            break
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            if not folder.is_dir():
                raise
        os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask


def copy_private(source: Path, target: Path) -> None:
    """Copy a file into a new file that is 0600 from its first byte (shutil.copyfile would make it
    0644 under the usual umask)."""
    with open(source, "rb") as src:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_temp(path: Path, payload: bytes | Iterable[bytes], durable: bool = True) -> Path:
    """The first half of an atomic write: ``payload`` (or its pieces, as they are made) in a temp
    file beside ``path``, fsynced. On any error (a full disk, a size limit, a piece that could not
    be made) the temp file is removed and the error raised."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{next(_counter)}{TEMP_SUFFIX}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            for piece in (payload,) if isinstance(payload, bytes) else payload:
                view = memoryview(piece)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def commit_temp(tmp: Path, path: Path, durable: bool = True) -> None:
    """The second half: rename the temp file over ``path`` (needs no space), fsync the directory."""
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        fsync_dir(path.parent)


def atomic_write(path: Path, payload: bytes, durable: bool = True) -> None:
    """Write ``payload`` to ``path`` so that a crash leaves either the old or the new file.

    ``durable=False`` skips the fsyncs: for derived caches that are checked before use and
    rebuilt when they do not match.

    The bytes go to a temp file in the same directory, which is fsynced and then renamed over
    ``path``; the directory is fsynced so the rename itself is durable. On any error (a full disk,
    a size limit) the temp file is removed and the original is untouched.
    """
    commit_temp(write_temp(path, payload, durable), path, durable)


def read_cache(path: Path, limit: int = 64 << 20) -> bytes | None:
    """A cache file's bytes, or None unless it is a regular file of at most ``limit`` bytes: a
    FIFO put in its place must not hang a command, nor a link to /dev/zero or a huge sparse file
    fill its memory. Never raises for what is there instead (a directory, a device, no access)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        with open(fd, "rb", closefd=False) as f:
            raw = f.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return raw if len(raw) <= limit else None


def stray_temp_files(directory: Path) -> list[Path]:
    """Temp files left behind by a writer that was killed mid-write."""
    return [p for p in directory.glob(f".*{TEMP_SUFFIX}") if p.is_file()]

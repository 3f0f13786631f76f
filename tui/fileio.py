"""Durable file primitives: a cross-process lock and an atomic write.

Used only by :mod:`tui.store`. The lock is ``flock(2)`` on a lock file, re-entrant within a process.
The ``filelock`` package would do the same, but importing it costs 17-48 ms (it pulls in asyncio,
logging and hashlib), which alone would break the ``tui add`` start-up budget.
"""

from __future__ import annotations

import errno
import fcntl
import itertools
import os
import threading
import time
from pathlib import Path

TEMP_SUFFIX = ".tmp"
_counter = itertools.count()


class LockTimeout(OSError):
    """Another process held the store lock for longer than the timeout."""


class ProcessLock:
    """An exclusive lock shared by every process that opens the same lock file.

    Re-entrant for the thread that holds it; other threads of the same process wait on a
    ``threading.RLock`` first, so ``flock`` is only ever taken once per process.
    """

    def __init__(self, path: Path, timeout: float = 30.0) -> None:
        self.path = path
        self.timeout = timeout
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    def acquire(self, timeout: float | None = None) -> bool:
        timeout = self.timeout if timeout is None else timeout
        if not self._thread_lock.acquire(timeout=timeout if timeout >= 0 else -1):
            raise LockTimeout(errno.EAGAIN, "store is busy", str(self.path))
        if self._depth:
            self._depth += 1
            return True
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            deadline = time.monotonic() + timeout
            pause = 0.0005
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        os.close(fd)
                        raise LockTimeout(errno.EAGAIN, "store is locked by another process", str(self.path)) from None
                    time.sleep(pause)
                    pause = min(pause * 2, 0.02)
        except BaseException:
            self._thread_lock.release()
            raise
        self._fd = fd
        self._depth = 1
        return True

    def try_acquire(self) -> bool:
        """Take the lock only if it is free right now."""
        try:
            return self.acquire(timeout=0)
        except LockTimeout:
            return False

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        self._thread_lock.release()

    def __enter__(self) -> ProcessLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_temp(path: Path, payload: bytes, durable: bool = True) -> Path:
    """The first half of an atomic write: ``payload`` in a temp file beside ``path``, fsynced.
    On any error (a full disk, a size limit) the temp file is removed and the error raised."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{next(_counter)}{TEMP_SUFFIX}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            view = memoryview(payload)
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


def stray_temp_files(directory: Path) -> list[Path]:
    """Temp files left behind by a writer that was killed mid-write."""
    return [p for p in directory.glob(f".*{TEMP_SUFFIX}") if p.is_file()]

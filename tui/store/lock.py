"""The store lock, as the store and `tui doctor` take it: one ``.lock`` file per data directory
(:class:`tui.fileio.ProcessLock`), with the store's one-line errors when it cannot be had."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tui.fileio import LockHolder, LockTimeout, ProcessLock
from tui.store.errors import StoreBusy, StoreError

LOCK_FILE = ".lock"


def store_lock(root: Path, timeout: float = 30.0, on_wait: Callable[[LockHolder | None], None] | None = None) -> ProcessLock:
    """The lock of the data directory ``root`` (nothing is taken yet)."""
    return ProcessLock(root / LOCK_FILE, timeout=timeout, on_wait=on_wait)


@contextmanager
def holding(lock: ProcessLock, root: Path) -> Iterator[None]:
    """Hold ``lock`` for a write; :class:`StoreBusy` when another process keeps it past the
    timeout, :class:`StoreError` when it cannot be taken at all (a read-only store)."""
    try:
        lock.acquire()
    except LockTimeout as exc:
        who = exc.holder or "another process"
        raise StoreBusy(f"{root}: the store lock is held by {who}; gave up after {lock.timeout:g} s; nothing was changed") from None
    except OSError as exc:
        raise StoreError(f"{root}: the store cannot be written ({exc.strerror}); nothing was changed") from None
    try:
        yield
    finally:
        lock.release()


def lock_state(lock: ProcessLock) -> tuple[str, LockHolder | None]:
    """("free", None); ("held", the holder, if it said who it is); or, when the lock cannot even
    be taken (a read-only store), why: ("cannot be written (Read-only file system)", None)."""
    try:
        if lock.try_acquire():
            lock.release()
            return "free", None
    except OSError as exc:
        return f"cannot be written ({exc.strerror})", None
    return "held", lock.holder()

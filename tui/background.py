"""Work in a thread of its own while this one goes on: for a C function that lets go of the GIL
(rapidfuzz's ``cdist``), which then runs beside this thread's Python work."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class Background:
    """``work(*args)`` in a thread of its own, for a C function that lets go of the GIL (rapidfuzz's
    ``cdist``) while this thread does Python work; :meth:`result` waits for it (and raises what it raised)."""

    def __init__(self, work: Callable[..., Any], *args: Any) -> None:
        self._found: list[Any] = []
        self._thread = threading.Thread(target=lambda: self._found.append(self._run(work, args)), daemon=True)
        self._thread.start()

    @staticmethod
    def _run(work: Callable[..., Any], args: tuple[Any, ...]) -> tuple[bool, Any]:
        try:
            return True, work(*args)
        except Exception as exc:  # noqa: BLE001 (handed to the caller, which raises it)
            return False, exc

    def wait(self, timeout: float) -> bool:
        """Wait about ``timeout`` seconds at most; True once the work is done. A sleep, not a timed
        join: a timed wait's deadline is absolute, and a clock moved by libfaketime (the suite run a
        year ahead) puts it a year away."""
        if self._thread.is_alive():
            time.sleep(timeout)
        return not self._thread.is_alive()

    def result(self) -> Any:
        self._thread.join()
        done, value = self._found[0]
        if not done:
            raise value
        return value

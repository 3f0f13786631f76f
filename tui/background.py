"""Work in a thread of its own while this one goes on: for a C function that lets go of the GIL
(rapidfuzz's ``cdist``), which then runs beside this thread's Python work."""

from __future__ import annotations

import threading
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
        """Wait at most ``timeout`` seconds; True once the work is done."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def result(self) -> Any:
        self._thread.join()
        done, value = self._found[0]
        if not done:
            raise value
        return value

"""The one thread that talks to the store while the app runs.

Jobs run in the order they were queued, so an undo never overtakes the decision it undoes, and the
UI thread never waits on the disk. Results come back as messages to the screen that asked.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from textual.message import Message
from textual.message_pump import MessagePump

from tui.app.messages import StoreFailed
from tui.app.session import Entry
from tui.errors import UserError
from tui.store import Conflict

Job = Callable[[], Message | None]


class StoreWriter:
    """Runs as a long-lived thread worker of the app (``app.run_worker(writer.run, thread=True)``)."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[tuple[Job, MessagePump, Entry | None, threading.Event | None] | None] = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()

    def submit(self, job: Job, reply_to: MessagePump, entry: Entry | None = None, gate: threading.Event | None = None) -> None:
        """Queue ``job``; its message goes to ``reply_to``. ``entry`` is the session's decision the
        job saves or undoes: a failure names it, so the screen can put things right. With ``gate``,
        the job waits (at most 0.1 s) until the gate is set, e.g. once the next frame is drawn,
        keeping its place in line."""
        self._idle.clear()
        self._jobs.put((job, reply_to, entry, gate))

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every queued job has finished (tests and shutdown use this)."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        """Finish the queued jobs, then end the worker."""
        self._jobs.put(None)

    def run(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                self._idle.set()
                return
            job, reply_to, entry, gate = item
            if gate is not None:
                gate.wait(0.1)
            try:
                message = job()
            except Conflict as exc:
                message = StoreFailed(str(exc), entry, exc.current, conflict=True)
            except UserError as exc:
                message = StoreFailed(str(exc), entry)
            except OSError as exc:
                message = StoreFailed(f"{exc.filename or 'store'}: {exc.strerror}", entry)
            if message is not None:
                reply_to.post_message(message)
            if self._jobs.empty():
                self._idle.set()

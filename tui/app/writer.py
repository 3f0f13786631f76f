"""The one thread that talks to the store while the app runs.

Jobs run in the order they were queued, so an undo never overtakes the decision it undoes, and the
UI thread never waits on the disk. Results come back as messages to the screen that asked. The one
exception: a long job (the queue's matching, seconds at 100k contacts) calls :meth:`StoreWriter.between`
between its steps, which runs the jobs queued meanwhile, still in their own order, except the
optional ones (reads and caches that may wait, or be dropped at the end); an undo pressed then
comes back in a fraction of a second, not after the matching (17-20 s). An optional job is also
what a quit does not wait for: the matching ends at its next step, an optional job queued is
dropped, and every change is still saved (a quit during the matching took 17-18 s).

When the app quits, the writer finishes what is queued (:meth:`StoreWriter.stop`), or, when the
user will not wait for the store, drops it (:meth:`StoreWriter.abandon`). Either way, every
change that was not saved from then on is named in :meth:`StoreWriter.report`, which the command
line prints on stderr, with a non-zero exit status.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import NamedTuple

from textual.message import Message
from textual.message_pump import MessagePump

from tui.app.messages import StoreFailed
from tui.app.session import Entry
from tui.errors import UserError
from tui.store import Conflict
from tui.text import clean

Job = Callable[[], Message | None]


class _Item(NamedTuple):
    job: Job
    reply_to: MessagePump
    entry: Entry | None
    gate: threading.Event | None
    what: str
    optional: bool = False


class _Stopped(Exception):
    """Raised by :meth:`StoreWriter.between` in an optional long job once the app is quitting."""


def describe(entry: Entry | None, what: str = "") -> str:
    """A change in words, for "not saved": ``decline r1 (Ann Lee)``, ``undo of accept r2 (Bob)``.
    Empty for a job that is no change the user made (a read)."""
    if entry is None:
        return what
    change = f"{entry.action} {entry.request.id} ({clean(entry.request.name, 40)})"
    return f"undo of {change}" if entry.undoing else change


class StoreWriter:
    """Runs as a long-lived thread worker of the app (``app.run_worker(writer.run, thread=True)``)."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[_Item | None] = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._ended = threading.Event()
        self._running: _Item | None = None
        self._stopping = False
        self._abandoned = False
        self._lost: list[tuple[str, str]] = []
        """(change, why) for each change not saved once the app began to quit."""
        self._why_abandoned = ""
        self._thread: threading.Thread | None = None
        """The worker's thread, once it runs."""

    def submit(
        self,
        job: Job,
        reply_to: MessagePump,
        entry: Entry | None = None,
        gate: threading.Event | None = None,
        what: str = "",
        optional: bool = False,
    ) -> None:
        """Queue ``job``; its message goes to ``reply_to``. ``entry`` is the session's decision the
        job saves or undoes: a failure names it, so the screen can put things right. With ``gate``,
        the job waits (at most 0.1 s) until the gate is set, e.g. once the next frame is drawn,
        keeping its place in line. ``what`` names a change that has no entry (an edit), for the
        report of what was not saved. ``optional``: a read or a cache that changes nothing the
        user made (the queue's matching): it waits behind a long job, and a quit drops it."""
        if self._abandoned:
            return
        self._idle.clear()
        self._jobs.put(_Item(job, reply_to, entry, gate, what, optional))

    @property
    def idle(self) -> bool:
        """Nothing queued, nothing running."""
        return self._idle.is_set()

    @property
    def ended(self) -> bool:
        """The worker has stopped (after :meth:`stop` or :meth:`abandon`)."""
        return self._ended.is_set()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every queued job has finished (tests and shutdown use this); False after
        ``timeout`` seconds. Short sleeps, not a timed wait: a timed wait's deadline is absolute,
        and a clock moved by libfaketime (the suite run a year ahead) puts it a year away."""
        deadline = time.monotonic() + timeout
        while not self._idle.is_set():
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.005)
        return True

    def changes(self) -> list[str]:
        """The changes the user made that are queued or being saved now, in words."""
        items = [self._running, *list(self._jobs.queue)]
        return [change for item in items if item is not None and (change := describe(item.entry, item.what))]

    def stop(self) -> None:
        """Finish the queued jobs, then end the worker. From now on, a change that fails is
        reported (:meth:`report`)."""
        self._stopping = True
        self._jobs.put(None)

    def abandon(self, give_up: Callable[[], None], why: str) -> None:
        """Quit without saving: drop every job not started yet (each change named, with ``why``),
        and call ``give_up`` so that the running one stops waiting for the store lock."""
        self._why_abandoned = why
        self._stopping = self._abandoned = True
        while True:
            try:
                item = self._jobs.get_nowait()
            except queue.Empty:
                break
            if item is not None and (change := describe(item.entry, item.what)):
                self._lost.append((change, why))
        give_up()
        self._jobs.put(None)

    def report(self) -> str | None:
        """What was not saved as the app closed, in one line (None when everything was)."""
        if not self._lost:
            return None
        by_why: dict[str, list[str]] = {}
        for change, why in self._lost:
            by_why.setdefault(why, []).append(change)
        return "; ".join(f"{', '.join(changes)}: {why}" for why, changes in by_why.items())

    def between(self) -> None:
        """Called by a long job between its steps (the queue's matching, seconds at 100k contacts),
        on this worker's thread: run the jobs queued meanwhile (decisions, undos, edits, reads),
        in their order, so that none waits behind it; optional ones keep their place after it.
        Once the app is quitting, end the long job here (it must be optional: a read). From any
        other thread, nothing."""
        if threading.current_thread() is not self._thread:
            return
        with self._jobs.mutex:
            waiting = list(self._jobs.queue)
            ahead = waiting[: waiting.index(None)] if None in waiting else waiting  # after a stop's end mark: never run
            now = [item for item in ahead if item is not None and not item.optional]
            for item in now:
                self._jobs.queue.remove(item)
        running = self._running
        for item in now:
            self._running = item
            self._run(item)
        self._running = running
        if self._stopping and running is not None and running.optional:
            raise _Stopped

    def run(self) -> None:
        self._thread = threading.current_thread()
        try:
            while (item := self._jobs.get()) is not None:
                if item.optional and self._stopping:
                    continue  # a read or a cache nobody will see now
                self._running = item
                self._run(item)
                self._running = None
                if self._jobs.empty():
                    self._idle.set()
        finally:
            self._running = None
            self._idle.set()
            self._ended.set()

    def _run(self, item: _Item) -> None:
        if item.gate is not None:  # at most 0.1 s, in short sleeps (see wait_idle: never a timed wait)
            for _ in range(20):
                if item.gate.is_set():
                    break
                time.sleep(0.005)
        try:
            message = item.job()
        except _Stopped:
            message = None
        except Conflict as exc:
            message = StoreFailed(str(exc), item.entry, exc.current, conflict=True)
        except UserError as exc:
            message = StoreFailed(str(exc), item.entry)
        except OSError as exc:
            message = StoreFailed(f"{exc.filename or 'store'}: {exc.strerror}", item.entry)
        if isinstance(message, StoreFailed) and self._stopping and (change := describe(item.entry, item.what)):
            self._lost.append((change, self._why_abandoned if self._abandoned else message.error))
        if message is not None:
            item.reply_to.post_message(message)

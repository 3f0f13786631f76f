"""The key indexes the store keeps beside its files, as caches (:mod:`tui.store.keyfiles`): the
contacts' (``keys.idx``, with ``keys.tail`` laid over it), the queue's (``pending.idx``) and its
first cards (``queue.head``). Each is checked against the file it was made from before use."""

from __future__ import annotations

import contextlib
from typing import Any

from tui.dedup.delta import DeltaIndex
from tui.dedup.keys import KeyIndex
from tui.gcpause import paused_gc
from tui.store import derived, keyfiles
from tui.store.datadir import DataDir


class KeyCaches(DataDir):
    def contact_keys(self, quick: bool = False) -> KeyIndex:
        """Identity keys of all contacts, from keys.idx when it matches contacts.json. With
        ``quick`` (one record's lookups: ``tui add``, ``tui query``, the first card), keys.idx with
        the contacts added or changed since laid over it (keys.tail) will do; else the two are made
        one keys.idx (a second at 100k), or it is rebuilt from every contact (ten)."""
        sig = self._contacts.signature()
        loaded = keyfiles.load_contact_keys(self.root, sig, with_tail=True)
        if loaded is not None and (quick or not isinstance(loaded, DeltaIndex)):
            return loaded
        return self._rebuild_keys(loaded, sig)

    def _rebuild_keys(self, laid_over: KeyIndex | None = None, sig: tuple[int, ...] | None = None) -> KeyIndex:
        """Build the contacts' keys (from keys.idx with its tail ``laid_over`` it, for ``sig``), and
        save them in keys.idx if the lock is free right now (a cache: checked against contacts.json
        before use, rebuilt when missing or stale)."""
        with self._lock_if_free() as free:
            if isinstance(laid_over, DeltaIndex):
                with paused_gc():
                    index = laid_over.compacted()
            else:
                index, sig = keyfiles.contact_index(self._table(self._contacts, "contacts")), self._contacts.sig
            if free and sig:
                keyfiles.save_contact_keys(self.root, index, sig)
                with contextlib.suppress(OSError):  # a cache: whatever is in its place is never an error
                    (self.root / keyfiles.TAIL_FILE).unlink(missing_ok=True)
            return index

    def pending_head(self) -> derived.Head | None:
        """The first cards of the oldest-first queue, how many are pending in all and the pairs
        told apart that involve them, or None when the head cache does not match the queue as it
        is now (then use :meth:`pending`)."""
        return derived.head_cards(derived.read_head(self.root, self._queue.signature()), self.today())

    def pending_keys(self, today: str | None = None, quick: bool = False) -> KeyIndex:
        """Identity keys of the requests in the triage queue, from keys stored with each request.
        With ``quick`` (one record's lookups: ``tui add``), from pending.idx and the journal when
        the queue is not read yet, without reading it; else from the queue as read."""
        today = today or self.today()
        with self._mutex:
            if quick and self._queue.data is None:
                laid = keyfiles.load_pending_keys(self.root, self._queue.journal or self.root, today)
                if laid is None and self.save_pending_keys():  # built once here, for every later add too
                    laid = keyfiles.load_pending_keys(self.root, self._queue.journal or self.root, today)
                if laid is not None:
                    return laid
            requests = self._table(self._queue, "requests")
            return derived.request_index((f"r{k}", doc) for k, doc in requests.items() if derived.is_due_doc(doc, today))

    def quick_pending_keys(self) -> KeyIndex | None:
        """The keys of the requests in the triage queue from pending.idx and the journal alone
        (milliseconds, without reading queue.json), or None when pending.idx is out of date."""
        return keyfiles.load_pending_keys(self.root, self._queue.journal or self.root, self.today())

    def save_pending_keys(self) -> bool:
        """Write pending.idx for the queue as it is, if it is out of date and the lock is free (a
        cache, for the next :meth:`quick_pending_keys`). True when it was written."""
        with self._lock_if_free() as free:
            quick = self.quick_pending_keys() if free else None
            if free and (quick is None or getattr(getattr(quick, "tail", None), "size", lambda: 0)() > keyfiles.PENDING_REFRESH):
                self._queue.load()
                if self._queue.sig is not None and self._queue.token is not None and self._queue.data is not None:
                    return keyfiles.save_pending_keys(
                        self.root, self._queue.data["requests"], self._queue.sig, self._queue.token, self._queue.end
                    )
        return False

    def _note_contacts(self, before: tuple[int, ...] | None, changed: list[tuple[str, dict[str, Any]]] | None) -> None:
        """Keys of the contacts a write added or changed in keys.tail, or keys.idx anew (``changed`` None)."""
        with self._lock_if_free() as free:
            noted = free and changed is not None and keyfiles.note_contacts(self.root, before, self._contacts.sig, changed)
        if not noted:
            self._rebuild_keys()

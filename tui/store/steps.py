"""Undo, and decisions made in one step (a bulk step): written in one transaction, undone in one.

:meth:`~DecisionSteps.undo` and :meth:`~DecisionSteps.undo_last` choose what to undo: one decision
(reverted by the store's own ``_undo``), or a whole step.

A step's decisions share ``Decision.group``, the id of its first decision. Undoing any of them
undoes the step (a request decided again since keeps its newer decision). A mixin of
:class:`~tui.store.store.Store`, kept apart so the store stays readable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.models import DECIDE_ACTIONS, Action, Decision
from tui.store import history
from tui.store.datadir import DataDir
from tui.store.errors import Conflict, NotFound, StoreError


class DecisionSteps(DataDir):
    if TYPE_CHECKING:  # the Store's own, which these steps use

        @staticmethod
        def _normal_id(record_id: str, prefix: str) -> str: ...

        def _doc_id(self, record_id: str, prefix: str) -> int: ...

    def _undo(self, target: Decision) -> Decision:  # the Store's own, for one decision
        raise NotImplementedError

    def undo_last(self, request_id: str | None = None) -> Decision | None:
        """Revert the newest decision still in force (for one request, or any). Returns the undo,
        or None when there is nothing to undo."""
        with self._locked():
            wanted = f"r{self._doc_id(request_id, 'r')}" if request_id else None
            target = history.newest_undoable(self._table(self._queue, "decisions"), wanted)
            return None if target is None else self._undo_step(target)[0]

    def undo(self, decision_id: str) -> Decision:
        """Revert one decision, whoever made it and however old. :class:`Conflict` when it was
        already undone, or when the request was decided again since (undo that one first). A
        decision of a step (steps.py) is undone with its whole step; the first undo is returned."""
        with self._locked():
            key = str(self._doc_id(decision_id, "d"))
            doc = self._table(self._queue, "decisions").get(key)
            if doc is None:
                raise NotFound(f"no decision {decision_id!r}")
            return self._undo_step(Decision.from_doc(doc, f"d{key}"))[0]

    def _undo_step(self, target: Decision) -> list[Decision]:
        """Undo ``target``, or the whole step it belongs to. Under the lock."""
        if target.group and target.action != Action.UNDO:
            return self.undo_group(target.group)
        return [self._undo(target)]

    def record_decisions(
        self,
        request_ids: list[str],
        action: str,
        note: str = "",
        until: str = "",
        expected: str | tuple[str, ...] | dict[str, str] | None = None,
    ) -> tuple[list[Decision], list[Conflict]]:
        """Decide several requests in one step: one write, one undo. ``expected`` is the status (or
        statuses) each request must still have, or, as a dict, each request's own; a request that
        changed meanwhile is left as it is and comes back as a :class:`Conflict` (the rest are
        decided). Unknown ids raise :class:`NotFound` before anything is written."""
        if action not in DECIDE_ACTIONS:
            raise StoreError(f"cannot decide in one step: {action!r}")
        if action == Action.DEFER and not until:
            raise StoreError("a deferral needs a date")
        ids = list(dict.fromkeys(self._normal_id(r, "r") for r in request_ids))
        decided: list[Decision] = []
        refused: list[Conflict] = []
        with self._transaction(self._queue) as (db,):
            requests, decisions = db.table("requests"), db.table("decisions")
            docs = {rid: doc for rid in ids if (doc := requests.get(doc_id=self._doc_id(rid, "r"))) is not None}
            missing = [rid for rid in ids if rid not in docs]
            if missing:
                more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
                raise NotFound(f"no request {missing[0]!r}{more}; nothing was decided")
            at, group = self.now_iso(), ""
            updates: dict[int, dict[str, Any]] = {}
            for rid, doc in docs.items():
                doc_id = self._doc_id(rid, "r")
                want = expected.get(rid) if isinstance(expected, dict) else expected
                conflict = history.refusal(self._table(self._queue, "decisions"), doc_id, doc, want, action)
                if conflict is not None:
                    refused.append(conflict)
                    continue
                changes, decision = history.new_decision(rid, doc, action, at, until, note, group=group)
                decision.id = f"d{decisions.insert(decision.to_doc())}"
                group = group or decision.id
                decision.group = group
                decided.append(decision)
                updates[doc_id] = changes
            if decided:
                decisions.update({"group": group}, doc_ids=[int(decided[0].id[1:])])
                in_order = iter(updates.values())
                requests.update(lambda doc: doc.update(next(in_order)), doc_ids=list(updates))
        return decided, refused

    def group(self, group_id: str) -> list[Decision]:
        """The decisions of one step (not their undos), oldest first."""
        with self._mutex:
            table = self._table(self._queue, "decisions")
            return [
                Decision.from_doc(d, f"d{k}")
                for k, d in sorted(table.items(), key=lambda kv: int(kv[0]))
                if d.get("group") == group_id and d.get("action") != Action.UNDO
            ]

    def undo_group(self, group_id: str) -> list[Decision]:
        """Undo a step in one write. A request decided again since keeps that newer decision; the
        others go back to what they were. :class:`Conflict` when nothing is left to undo."""
        with self._locked():
            decisions = self._table(self._queue, "decisions")
            members = self.group(group_id)
            if not members:
                raise NotFound(f"no step {group_id!r}")
            reverted = history.undone(decisions)
            if all(m.id in reverted for m in members):
                raise Conflict(f"the step {group_id} was already undone; nothing was changed")
            newest = history.newest_in_force(decisions)  # (once: per request, it took 91 s for a step of 11,740)
            live = [m for m in members if m.id not in reverted and newest.get(m.request_id, (0, ""))[0] <= int(m.id[1:])]
            if not live:
                raise Conflict(f"every request of the step {group_id} was decided again since; nothing was changed")
            with self._transaction(self._queue) as (db,):
                requests, table = db.table("requests"), db.table("decisions")
                befores = iter([m.before for m in live])
                requests.update(lambda doc: doc.update(next(befores)), doc_ids=[self._doc_id(m.request_id, "r") for m in live])
                at, undos = self.now_iso(), []
                for m in live:
                    undo = Decision(
                        request_id=m.request_id, at=at, action=Action.UNDO.value, undoes=m.id, verdict=m.verdict, group=group_id
                    )
                    undo.id = f"d{table.insert(undo.to_doc())}"
                    undos.append(undo)
            return undos

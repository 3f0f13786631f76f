"""The decision history: an append-only log in ``queue.json``, read by pure functions.

A decision is never deleted; an ``undo`` entry reverts one (``undoes``). A decision is *in
force* when nothing undid it. Every function here takes the ``decisions`` table (document id to
document) and opens nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tui.dedup.normalise import email_key, url_key
from tui.models import DECIDE_STATUS, Action, Decision, Request, Status, Verdict, as_text, as_texts
from tui.store.errors import Conflict

_VERDICTS = frozenset(v.value for v in Verdict)

Decisions = dict[str, dict[str, Any]]

#: The fields of a request a decision changes, and so records as they were (for its undo).
UNDO_FIELDS = ("status", "until", "answers", "verdict", "merged_into")

#: The contact's lists a merge adds to, each with the form in which two of its items are one.
MERGED_LISTS: dict[str, Callable[[str], str]] = {"urls": url_key, "emails": email_key, "also_on": str.lower}


def undone(decisions: Decisions) -> set[str]:
    """Ids of the decisions that an ``undo`` entry reverted."""
    return {undoes for d in decisions.values() if d.get("action") == Action.UNDO and isinstance(undoes := d.get("undoes"), str)}


def newest_in_force(decisions: Decisions) -> dict[str, tuple[int, str]]:
    """For each request, (number, key) of its newest decision that set its state (not an undo,
    not "not the same person") and is still in force: one pass, for every request at once."""
    reverted = undone(decisions)
    newest: dict[str, tuple[int, str]] = {}
    for k, d in decisions.items():
        rid = d.get("request_id")
        if isinstance(rid, str) and d.get("action") not in (Action.UNDO, Action.DISTINCT) and f"d{k}" not in reverted:
            newest[rid] = max(newest.get(rid, (0, "")), (int(k), k))
    return newest


def in_force(decisions: Decisions, request_id: str, after: int = 0) -> tuple[str, dict[str, Any]] | None:
    """The newest decision (key, doc) on ``request_id`` newer than ``after`` that set its state
    (not an undo, not "not the same person") and is still in force."""
    number, key = newest_in_force(decisions).get(request_id, (0, ""))
    return (key, decisions[key]) if number > after else None


def decided_at(decisions: Decisions) -> dict[str, str]:
    """When each request's decision in force was made."""
    reverted = undone(decisions)
    at: dict[str, str] = {}
    for key, d in sorted(decisions.items(), key=lambda kv: int(kv[0])):
        if d.get("action") not in (Action.UNDO, Action.DISTINCT) and f"d{key}" not in reverted:
            at[d["request_id"]] = d.get("at", "")
    return at


def distinct_pairs(decisions: Decisions) -> list[tuple[str, str]]:
    """Pairs the user said are not the same person, and has not taken back."""
    reverted = undone(decisions)
    return [(d["request_id"], d["other"]) for k, d in decisions.items() if d.get("action") == Action.DISTINCT and f"d{k}" not in reverted]


def newest_undoable(decisions: Decisions, request_id: str | None) -> Decision | None:
    """The newest decision still in force (on ``request_id``, or on any request)."""
    reverted = undone(decisions)
    key = next(
        (
            k
            for k, doc in sorted(decisions.items(), key=lambda kv: -int(kv[0]))
            if doc.get("action") != Action.UNDO and f"d{k}" not in reverted and (request_id is None or doc.get("request_id") == request_id)
        ),
        None,
    )
    return None if key is None else Decision.from_doc(decisions[key], f"d{key}")


def why_not_undo(decisions: Decisions, target: Decision) -> Conflict | None:
    """Why ``target`` cannot be undone (an undo itself, already undone, or decided again since),
    or None when it can."""
    if target.action == Action.UNDO:
        return Conflict(f"{target.id} is itself an undo (of {target.undoes}); decide {target.request_id} again instead")
    by = next((f"d{k}" for k, d in decisions.items() if d.get("action") == Action.UNDO and d.get("undoes") == target.id), "")
    if by:
        return Conflict(f"{target.id} was already undone (by {by}); nothing was changed", by=by)
    if target.action != Action.DISTINCT:
        later = in_force(decisions, target.request_id, after=int(target.id[1:]))
        if later is not None:
            key, doc = later
            return Conflict(
                f"{target.request_id} was decided again since {target.id} ({doc.get('action')}, d{key}); undo d{key} first; nothing was changed",
                by=f"d{key}",
                at=doc.get("at", ""),
            )
    return None


def decision_changes(doc: dict[str, Any], action: str, until: str, note: str, answers: dict[str, bool] | None = None) -> dict[str, Any]:
    """What deciding a request (``doc``) changes in it: status, verdict, until, answers, notes."""
    changes: dict[str, Any] = {"answers": dict(answers or doc.get("answers") or {})}
    try:
        status = DECIDE_STATUS[Action(action)]
    except (ValueError, KeyError):
        raise ValueError(f"{action!r} is not a decision on a request (one of {', '.join(DECIDE_STATUS)})") from None
    verdict = action if action in _VERDICTS else ""
    changes |= {"status": status.value, "until": until if action == Action.DEFER else "", "verdict": verdict}
    if note:
        changes["notes"] = note if not doc.get("notes") else f"{doc['notes']}\n{note}"
    return changes


def new_decision(
    request_id: str,
    doc: dict[str, Any],
    action: str,
    at: str,
    until: str,
    note: str,
    answers: dict[str, bool] | None = None,
    group: str = "",
) -> tuple[dict[str, Any], Decision]:
    """Deciding a request (``doc``): what it changes in it (:func:`decision_changes`), and the
    decision that records it, with the fields an undo puts back."""
    changes = decision_changes(doc, action, until, note, answers)
    decision = Decision(
        request_id=request_id,
        at=at,
        action=action,
        answers=changes["answers"],
        verdict=changes.get("verdict", ""),
        note=note,
        until=until,
        before={k: doc.get(k, "") for k in (*UNDO_FIELDS, "notes")},
        group=group,
    )
    return changes, decision


def state_words(doc: dict[str, Any]) -> str:
    """A request's state in words: "declined", "deferred until 2026-12-01", "merged into c4"."""
    status = doc.get("status") or Status.PENDING.value
    if status == Status.DEFERRED and doc.get("until"):
        return f"deferred until {doc['until']}"
    if status == Status.ACCEPTED and doc.get("verdict") == Verdict.WIDER:
        return "accepted into the wider network"
    if status == Status.MERGED and doc.get("merged_into"):
        return f"merged into {doc['merged_into']}"
    return {Status.ASKED.value: "asked and waiting for a reply", Status.SENT.value: "an invitation you sent"}.get(status, status)


def refusal(decisions: Decisions, doc_id: int, doc: dict[str, Any], expected: str | tuple[str, ...] | None, action: str) -> Conflict | None:
    """The :class:`Conflict` for an ``action`` on a request whose status is not one of
    ``expected`` (None: any will do), naming the decision in force; None when it may go ahead."""
    status = doc.get("status") or Status.PENDING.value
    if expected is None or status in ((expected,) if isinstance(expected, str) else expected):
        return None
    rid = f"r{doc_id}"
    state = state_words(doc)
    by, at = "", ""
    last = in_force(decisions, rid)
    if last is not None:
        by, at = f"d{last[0]}", str(last[1].get("at", ""))
    how = f" (by {by}, {at.replace('T', ' ').rstrip('Z')} UTC)" if by else ""
    what = "is back in the queue" if status == Status.PENDING else f"is already {state}"
    return Conflict(f"{rid} {what}{how}; this {action} was not recorded", Request.from_doc(doc, rid), state, by, at)


# -- a merge's undo --------------------------------------------------------------------------


def merge_gains(before: dict[str, Any], request: dict[str, Any]) -> dict[str, list[str]] | None:
    """What a merge added to the contact's lists, taken out of its decision's ``before`` (which
    then holds only the request's fields); None for a decision that did not touch a contact.

    A merge records its gains (``contact_gained``). One recorded by an earlier tui kept the
    contact's lists as they were before it (``contact``): its gains are the request's own values
    that those lacked. Either way, an undo removes only these, never what came since."""
    gained, old = before.pop("contact_gained", None), before.pop("contact", None)
    if isinstance(gained, dict):
        return {field: as_texts(gained.get(field)) for field in MERGED_LISTS}
    if not isinstance(old, dict):
        return None
    source = as_text(request.get("source"))
    offered = {"urls": as_texts(request.get("urls")), "emails": as_texts(request.get("emails")), "also_on": [source] if source else []}
    return {
        field: [x for x in offered[field] if _key(field, x) not in {_key(field, o) for o in as_texts(old.get(field))}]
        for field in MERGED_LISTS
    }


def without_gains(contact: dict[str, Any], gains: dict[str, list[str]]) -> dict[str, list[str]]:
    """The record's lists without what a merge added (compared in canonical form). A request that
    was merged into holds no ``also_on``: only the lists the record has are touched."""
    return {
        field: [x for x in as_texts(contact.get(field)) if _key(field, x) not in {_key(field, g) for g in items}]
        for field, items in gains.items()
        if field in contact
    }


def _key(field: str, item: str) -> str:
    return MERGED_LISTS[field](item) or item

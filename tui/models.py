"""Plain records: people, requests, contacts and decisions.

No I/O here. Records turn into JSON-ready dicts with :meth:`to_doc` and back with ``from_doc``;
``store`` is the only module that puts those dicts on disk. Text fields hold the original,
untrusted text; display code runs them through :mod:`tui.text`.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Self


class Status(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    DEFERRED = "deferred"
    MERGED = "merged"
    ASKED = "asked"
    """The user asked the sender why they want to connect, and waits for the answer."""
    SENT = "sent"
    """An invitation the user sent (from a LinkedIn export): kept, never in the triage queue."""


class Verdict(StrEnum):
    ACCEPT = "accept"
    WIDER = "wider"
    """Accepted into the wider network (the optional second tier), not the inner circle."""
    DECLINE = "decline"


#: What each verdict does to a request's status.
VERDICT_STATUS = {
    Verdict.ACCEPT: Status.ACCEPTED,
    Verdict.WIDER: Status.ACCEPTED,
    Verdict.DECLINE: Status.DECLINED,
}


class Action(StrEnum):
    """What a decision did to a request (:attr:`Decision.action`): the one source of these names,
    for the store, the command line and the screens."""

    ACCEPT = Verdict.ACCEPT.value
    WIDER = Verdict.WIDER.value
    DECLINE = Verdict.DECLINE.value
    DEFER = "defer"
    ASK = "ask"
    """Asked the sender why they want to connect; waiting for the answer."""
    MERGE = "merge"
    DISTINCT = "distinct"
    """Told apart from a contact or request it matched: "not the same person"."""
    UNDO = "undo"
    MERGE_CONTACTS = "merge-contacts"
    DISTINCT_CONTACTS = "distinct-contacts"


#: The status each decision that ``tui decide`` (and the triage keys) can make leaves a request in:
#: a verdict, defer or ask.
DECIDE_STATUS = {
    **{Action(verdict.value): status for verdict, status in VERDICT_STATUS.items()},
    Action.DEFER: Status.DEFERRED,
    Action.ASK: Status.ASKED,
}
DECIDE_ACTIONS = tuple(DECIDE_STATUS)

#: The words shown for a verdict; meaning never rests on colour alone.
VERDICT_WORDS = {
    Verdict.ACCEPT: "Accept (inner circle)",
    Verdict.WIDER: "Accept (wider network)",
    Verdict.DECLINE: "Decline",
}


def ascii_int(text: str) -> int | None:
    """The number ``text`` writes in ASCII digits (``"12"``), else None.

    ``str.isdigit()`` and ``int()`` also take ``"²"``, ``"٣"`` and full-width digits, and
    ``int()`` takes ``" 1_0 "``: every id and count from a file or a command line goes through
    here instead, so that a stranger's superscript never reaches ``int()``. Nor do 4300 digits,
    which it refuses with a ValueError: past 18 digits, no id or count is meant."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def count_value(text: object) -> int | None:
    """A network size as an export writes it (``500+``, ``12``): its number, else None (for
    anything that is not a text, too: it may come from a JSON file)."""
    return ascii_int(text.removesuffix("+")) if isinstance(text, str) else None


def as_text(value: Any) -> str:
    """A stored value as the text a record holds: text as it is, a number's digits, null (and
    anything else that is no text: an object, true/false) empty, a list its texts joined by
    ``"; "``. Never raises: a hand-edited file must not stop a command."""
    if type(value) is str:
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return str(value)
        except ValueError:  # an int past Python's 4300-digit limit
            return ""
    if isinstance(value, list):
        return "; ".join(t for t in (as_text(v) for v in value if not isinstance(v, (list, dict))) if t)
    return value if isinstance(value, str) else ""


def as_texts(value: Any) -> list[str]:
    """A stored value as a list field: a list of its items that are text or numbers (as text),
    one text as a list of it, nothing else. Never raises."""
    if type(value) is list and all(type(v) is str and v for v in value):
        return value
    if isinstance(value, (list, tuple)):
        return [t for t in map(as_text, (v for v in value if not isinstance(v, (list, dict)))) if t]
    found = as_text(value)
    return [found] if found else []


def yes_no(value: Any) -> dict[str, bool]:
    """A stored rule-answers dict: only its true/false answers, by rule id."""
    return {k: v for k, v in value.items() if type(v) is bool} if isinstance(value, dict) else {}


def wrong_types(cls: type, doc: dict[str, Any]) -> list[str]:
    """The fields of a stored document whose value is not of the type ``cls`` keeps there (a
    list of texts, a dict, text): what reading it changes. Absent fields are fine."""
    wrong = []
    for name, kind, _ in _spec(cls):
        value = doc.get(name)
        if value is None and name not in doc:
            continue
        if kind == "list":
            ok = type(value) is list and all(type(v) is str for v in value)
        elif kind == "dict":
            ok = type(value) is dict and (name != "answers" or all(type(v) is bool for v in value.values()))
        else:
            ok = type(value) is str
        if not ok:
            wrong.append(name)
    return wrong


_SPECS: dict[type, tuple[tuple[str, str, bool], ...]] = {}


def _spec(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """(field name, "list" | "dict" | "", required) for each field but ``id``; computed once per
    class."""
    spec = _SPECS.get(cls)
    if spec is None:
        spec = tuple(
            (
                f.name,
                "list" if f.default_factory is list else "dict" if f.default_factory is dict else "",
                f.default is MISSING and f.default_factory is MISSING,
            )
            for f in fields(cls)
            if f.name != "id"
        )
        _SPECS[cls] = spec
    return spec


def _coerce(cls: type, doc: dict[str, Any]) -> dict[str, Any]:
    """Keep the known fields of ``doc``, with lists and dicts where the record expects them, and
    text everywhere else.

    This is the one door through which a stored document becomes a record. Unknown keys (from a
    newer schema, or a hand-edited file) are ignored rather than fatal, and a value of the wrong
    type (a number an older version stored, a hand edit, null) becomes text (:func:`text`) or a
    list of texts (:func:`texts`): reading a record never fails. ``tui doctor`` reports such
    values (:func:`wrong_types`).
    """
    kwargs: dict[str, Any] = {}
    for name, kind, required in _spec(cls):
        value = doc.get(name)
        if value is None:
            if required:
                kwargs[name] = ""
            continue
        if kind == "list":
            if type(value) is not list or not all(type(v) is str for v in value):
                value = as_texts(value)
        elif kind == "dict":
            value = yes_no(value) if name == "answers" else dict(value) if isinstance(value, dict) else {}
        elif type(value) is not str:
            value = as_text(value)
        kwargs[name] = value
    return kwargs


class Record:
    """Turning a dataclass record into a stored document and back. Every record has an ``id``.

    Records compare by identity (``eq=False``): nothing compares them by value, and skipping the
    generated ``__eq__`` keeps ``tui add`` start-up short."""

    __slots__ = ()
    id: str

    if TYPE_CHECKING:  # each record class is a dataclass, whose generated __init__ takes its fields and id

        def __init__(self, *, id: str = "", **fields: Any) -> None: ...

    def to_doc(self) -> dict[str, Any]:
        # Shallow, with fresh lists and dicts: dataclasses.asdict deep-copies recursively and
        # costs ten times more, which a 30k-row import feels.
        doc = {}
        for name, kind, _ in _spec(type(self)):
            value = getattr(self, name)
            doc[name] = list(value) if kind == "list" else dict(value) if kind == "dict" else value
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any], id: str = "") -> Self:
        return cls(**_coerce(cls, doc), id=id)

    def public(self) -> dict[str, Any]:
        """The record as scripts see it: ``id`` first, then every field."""
        return {"id": self.id, **self.to_doc()}


@dataclass(slots=True, eq=False)
class Person(Record):
    """Who someone is, as a file or a network described them."""

    name: str
    first_name: str = ""
    last_name: str = ""
    title: str = ""
    company: str = ""
    location: str = ""
    emails: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    source: str = ""
    source_id: str = ""
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    phones: list[str] = field(default_factory=list)
    nicknames: list[str] = field(default_factory=list)
    """Other names the person goes by (a vCard NICKNAME, Google's Nickname): matching uses them."""
    department: str = ""
    """The unit within the company (a vCard ORG's second part)."""
    id: str = ""


@dataclass(slots=True, eq=False)
class Contact(Person):
    """Someone already in the user's network."""

    connected_on: str = ""
    also_on: list[str] = field(default_factory=list)
    """Other networks this contact was merged in from."""
    merged_from: dict[str, Any] = field(default_factory=dict)
    """For contacts merged into this one (``tui merge-contacts``): each original record's own
    fields, by its old id, so that a re-import of its file finds it (tui/store/contact_merge.py)."""


@dataclass(slots=True, eq=False)
class Request(Person):
    """A pending (or decided) connection request."""

    message: str = ""
    sent_at: str = ""
    added_at: str = ""
    status: str = Status.PENDING.value
    until: str = ""
    """For a deferred request: the ISO date on which it returns to the queue."""
    answers: dict[str, bool] = field(default_factory=dict)
    verdict: str = ""
    merged_into: str = ""
    connections: str = ""
    """The sender's network size, where an import gives one."""
    mutual: str = ""
    """Mutual connections, where an import gives them."""

    def is_due(self, today: str, waiting: bool = False) -> bool:
        return is_due(self.status, self.until, today, waiting)


@dataclass(slots=True, eq=False)
class Decision(Record):
    """One entry of the append-only decision history."""

    request_id: str
    at: str
    action: str
    """One of :class:`Action`."""
    answers: dict[str, bool] = field(default_factory=dict)
    verdict: str = ""
    note: str = ""
    until: str = ""
    before: dict[str, Any] = field(default_factory=dict)
    """The request's fields before this decision, so that it can be undone."""
    undoes: str = ""
    """For an ``undo`` entry: the id of the decision it reverted."""
    other: str = ""
    """For ``merge`` and ``distinct``: the contact or request the request was merged into or told
    apart from."""
    group: str = ""
    """For a decision made in one step with others (a bulk decision): the id of the step's first
    decision. Undoing any decision of a group undoes the whole group (and its undos carry it too)."""
    id: str = ""


def is_due(status: str, until: str, today: str, waiting: bool = False) -> bool:
    """In the triage queue: pending, deferred until today or earlier, or (with ``waiting``) asked
    and waiting for a reply."""
    if status == Status.PENDING or (waiting and status == Status.ASKED):
        return True
    return status == Status.DEFERRED and bool(until) and until <= today


def sort_queue(requests: list[Request], order: str) -> list[Request]:
    """The triage order: ``oldest`` (by sent date) first, ``newest`` first, or by ``name``."""
    if order == "name":
        return sorted(requests, key=lambda r: (r.name.casefold(), ascii_int(r.id[1:]) or 0))
    return sorted(requests, key=lambda r: (r.sent_at or r.added_at, ascii_int(r.id[1:]) or 0), reverse=order == "newest")

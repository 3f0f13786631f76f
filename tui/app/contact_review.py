"""The review of duplicate contacts as plain logic: which group is shown, which value of each
field is kept, what this session merged or told apart (for ``u``). No Textual; the screen
(:mod:`tui.app.screens.dedup_contacts`) only renders it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.dedup.contact_groups import Group
from tui.store.contact_merge import ALL, LIST_FIELDS

#: The rows of the side-by-side table: (field, label).
FIELDS = (
    ("name", "Name"),
    ("company", "Company"),
    ("title", "Title"),
    ("emails", "E-mails"),
    ("phones", "Phones"),
    ("urls", "URLs"),
    ("source", "Sources"),
    ("connected_on", "Connected on"),
    ("notes", "Notes"),
    ("tags", "Tags"),
)


@dataclass
class Done:
    """One step of this session: the group, and the decision that the store recorded for it."""

    group: Group
    decision_id: str | None = None


@dataclass
class ContactReview:
    groups: list[Group]
    docs: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The members' stored fields, by contact id."""
    position: int = 0
    keep: dict[str, str] = field(default_factory=dict)
    """For the group shown: field -> the member whose value to keep (of a list: whose items come
    first; every member's are kept), or ``all`` (lists, in the members' order)."""
    done: list[Done] = field(default_factory=list)

    @property
    def current(self) -> Group | None:
        return self.groups[self.position] if self.position < len(self.groups) else None

    def kept(self, name: str) -> str:
        """Whose value of ``name`` the merge keeps: chosen (of a list: whose items first), else every one's for a list, else the first member's."""
        group = self.current
        assert group is not None
        return self.keep.get(name, ALL if name in LIST_FIELDS else group.members[0])

    def choose(self, name: str, member: str) -> None:
        """Keep ``member``'s value of ``name`` (of a list: its items first; choosing it again: the members' order)."""
        if name in LIST_FIELDS and self.keep.get(name) == member:
            self.keep.pop(name)
        else:
            self.keep[name] = member

    def choices(self) -> dict[str, str]:
        """What the merge keeps, as ``Store.merge_contacts`` takes it."""
        return dict(self.keep)

    def counter(self) -> tuple[int, int]:
        """(N, M) of "group N of M": where the group shown stands among those left."""
        return min(self.position + 1, len(self.groups)), len(self.groups)

    def take(self) -> Done:
        """The group shown leaves the review (merged, told apart); the next one is shown."""
        group = self.groups.pop(self.position)
        self._wrap()
        self.keep = {}
        step = Done(group)
        self.done.append(step)
        return step

    def skip(self) -> None:
        """Leave the group for later: the next one is shown (after the last, the first again)."""
        if self.current is not None:
            self.position = (self.position + 1) % len(self.groups)
            self.keep = {}

    def drop(self, group: Group) -> None:
        """A group that is no longer one (another process merged a member away) leaves the review;
        the group shown stays shown."""
        if group in self.groups:
            at = self.groups.index(group)
            self.groups.pop(at)
            if at < self.position:
                self.position -= 1
            elif at == self.position:
                self.keep = {}
            self._wrap()

    def _wrap(self) -> None:
        if self.position >= len(self.groups):
            self.position = 0

    def put_back(self, step: Done) -> None:
        """An undone (or failed) step: its group is shown again, first."""
        if step in self.done:
            self.done.remove(step)
        self.groups.insert(self.position, step.group)
        self.keep = {}

    def last(self) -> Done | None:
        return self.done[-1] if self.done else None

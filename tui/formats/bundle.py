"""Exports that are many files: LinkedIn's archive and Meta's "Download your information", as a zip
or as the folder it unpacks to.

The files an import reads are found by name, at any depth (the archive may wrap them in a folder
of its own); every other file is left unopened:

* LinkedIn (``Basic_LinkedInDataExport_MM-DD-YYYY.zip``, ``Complete_...``): ``Connections.csv``
  and ``Invitations.csv``;
* Facebook, in all three layouts: ``connections/friends/`` (2024 on), ``friends_and_followers/``
  (2021-23) and ``friends/`` (older): the received friend requests, your friends
  (``your_friends.json``, or ``friends.json``) and the rejected friend requests;
* Instagram: ``connections/followers_and_following/follow_requests_you've_received.json``.

Two files of one kind (two ``Connections.csv``) are refused, naming both: which one is meant is
the user's call.
"""

from __future__ import annotations

from collections.abc import Callable

from tui.formats import MAX_BYTES, FormatError
from tui.formats.parsed import Parsed, combine
from tui.formats.sources import Source

_FRIENDS = ("friends", "friends_and_followers")
#: (file name, folders it may sit in (None: any), format, kind of file for its size limit),
#: in the order they are imported: contacts first.
MEMBERS = (
    ("connections.csv", None, "linkedin-connections", "csv"),
    ("your_friends.json", _FRIENDS, "facebook-friends", "facebook"),
    ("friends.json", _FRIENDS, "facebook-friends", "facebook"),
    ("invitations.csv", None, "linkedin-invitations", "csv"),
    ("received_friend_requests.json", _FRIENDS, "facebook", "facebook"),
    ("friend_requests_received.json", _FRIENDS, "facebook", "facebook"),
    ("follow_requests_you've_received.json", None, "instagram", "facebook"),
    ("rejected_friend_requests.json", _FRIENDS, "facebook-declined", "facebook"),
)


def _member_format(member: str) -> tuple[str, str] | None:
    parts = member.replace("\u2019", "'").lower().split("/")
    for file_name, folders, fmt, family in MEMBERS:
        if parts[-1] == file_name and (folders is None or (len(parts) > 1 and parts[-2] in folders)):
            return fmt, family
    return None


def find(source: Source) -> list[tuple[str, str, str]]:
    """(member, format, size family) of each file the import reads, contacts first."""
    found: dict[str, list[tuple[str, str]]] = {}
    for member in source.names():
        known = _member_format(member)
        if known is not None:
            found.setdefault(known[0], []).append((member, known[1]))
    for fmt, members in found.items():
        if len(members) > 1:
            names = " and ".join(repr(m) for m, _ in members[:3])
            raise FormatError(source.name, None, f"holds {names}: two files of one kind ({fmt}); import the one you mean on its own")
    order = [fmt for _, _, fmt, _ in MEMBERS]
    return sorted(((members[0][0], fmt, members[0][1]) for fmt, members in found.items()), key=lambda m: order.index(m[1]))


def parse_source(source: Source, kind: str, parse: Callable[[bytes, str, str], Parsed]) -> Parsed:
    """Every known file of ``source``, each through ``parse(data, name, format)``."""
    members = find(source)
    if not members:
        what = "a directory" if kind == "folder" else "an archive"
        raise FormatError(
            source.name,
            None,
            f"is {what} with no export files in it: an import needs LinkedIn's Connections.csv or "
            "Invitations.csv, Meta's friend or follow request files, or a Maildir",
        )
    parts = [(member, parse(source.read(member, MAX_BYTES[family]), source.where(member), fmt)) for member, fmt, family in members]
    return combine(kind, parts)

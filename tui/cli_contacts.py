"""The contact book on the command line: ``tui dedup --contacts`` and ``tui merge-contacts``.

Thin: the groups come from :mod:`tui.dedup.contact_groups`, the merge from the store
(:mod:`tui.store.contact_merge`). No Textual here.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tui.cli_support import parse_id
from tui.errors import BadInput
from tui.output import emit_json, out, summary_line
from tui.text import clean

BRIEF = ("id", "source_id", "name", "title", "company", "location", "emails", "urls", "phones", "source")


def brief(record: Any) -> dict[str, Any]:
    doc = record.public()
    return {k: doc[k] for k in BRIEF if k in doc}


def contact_groups(store: Any, index: Any, thresholds: Any, kinds: set[str], as_json: bool, progress: Any = None) -> None:
    """Print every group of contacts that are probably one person: one JSON line per group with
    ``--json`` (``{"members": [...], "score", "kind", "reasons", "links": [...]}``)."""
    from tui.dedup.contact_groups import find_groups
    from tui.dedup.match import Thresholds, cpu_workers

    if "possible" not in kinds:  # nothing under the likely score can be shown: weigh less
        thresholds = Thresholds(thresholds.likely, max(thresholds.possible, thresholds.likely))
    found = find_groups(index, thresholds, store.distinct_contacts(), kinds, progress, workers=cpu_workers())
    records = store.records({cid for group in found for cid in group.members})
    for number, group in enumerate(found, 1):
        members = [records[cid] for cid in group.members if cid in records]
        if as_json:
            emit_json(
                {
                    "members": [brief(c) for c in members],
                    "score": group.score,
                    "kind": group.kind,
                    "reasons": group.reasons,
                    "links": [link.to_doc() for link in group.links],
                    "doubts": [link.to_doc() for link in group.doubts],
                }
            )
            continue
        out(f"group {number} of {len(found)}: {group.kind} {group.score}, {len(members)} contacts")
        for contact in members:
            out(f"  {summary_line(contact)}")
        for reason in group.reasons:
            out(f"    {clean(reason, 200)}")
    if not as_json:
        out(
            f"{len(found)} group{'s' if len(found) != 1 else ''}; review them with `tui triage` (key D), or merge with `tui merge-contacts`"
            if found
            else f"no groups of duplicate contacts among the {len(index)} contacts"
        )


def parse_keep(items: list[str], members: list[str]) -> dict[str, str]:
    """``FIELD=C1`` (or ``FIELD=all`` for a list field) options as a field -> contact map."""
    keep: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise BadInput(f"--keep {clean(item, 60)!r}: use FIELD=CONTACT, such as name=c3 (or emails=all)")
        value = value.strip().lower()
        name, value = name.strip(), value if value == "all" else parse_id(value, "c")
        if keep.get(name, value) != value:
            raise BadInput(
                f"--keep {clean(name, 30)}={keep[name]} and --keep {clean(name, 30)}={value} conflict: keep one value of a field"
            )
        keep[name] = value
    return keep


def register(app: typer.Typer, state_of: Any, thresholds_of: Any) -> None:
    """Add ``merge-contacts`` to the command line."""

    @app.command("merge-contacts")
    def merge_contacts(
        ctx: typer.Context,
        contact_ids: Annotated[list[str], typer.Argument(metavar="C1 C2...", help="The contacts to merge; the first is kept.")],
        keep: Annotated[
            list[str] | None,
            typer.Option(
                "--keep",
                help="FIELD=CONTACT: keep that contact's value of the field (of a list: its items first, every contact's kept). Repeatable.",
            ),
        ] = None,
        force: Annotated[
            bool,
            typer.Option(
                "--force",
                help="Merge even contacts that share no e-mail, URL or id and whose names "
                "match only as possible (or not at all), or that were marked "
                "'not the same people'.",
            ),
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    ) -> None:
        """Merge duplicate contacts into the first (undo with tui undo). Every e-mail, URL and phone is kept."""
        from tui.dedup.contact_groups import doubt_words, doubted, links_among

        state = state_of(ctx)
        ids = [parse_id(c, "c") for c in contact_ids]
        if len(ids) < 2 or len(set(ids)) != len(ids):
            raise BadInput("name two or more different contacts, the one to keep first")
        choices = parse_keep(keep or [], ids)
        store = state.existing_record(ids[0])  # a missing store is bad input, and none is made
        contacts = [store.get(cid) for cid in ids]  # a missing one is bad input, before any matching
        told = store.told_apart(ids)
        if told and not force:
            pairs = "; ".join(f"{a} and {b} ({by})" for (a, b), by in told)
            raise BadInput(
                f'{pairs} were marked "not the same people": check, then merge with --force, '
                f"or take that back first with `tui undo {told[-1][1]}`"
            )
        if not force:
            found = links_among(store.contact_keys(), ids, thresholds_of(state), store.distinct_contacts())
            doubts = doubted(ids, found)  # every pair: a third record that matches both vouches for neither
            if doubts:
                names = {c.id: f"{c.id} {clean(c.name, 40)}" for c in contacts}
                raise BadInput(
                    f"{doubt_words(doubts, names.__getitem__)} share no e-mail address, profile or id, and their names match "
                    f"only as possible, if at all: they may be different people; check, then merge with --force"
                )
        decision = store.merge_contacts(ids, choices)
        if as_json:
            emit_json(decision.public())
        else:
            out(
                f"{decision.request_id}: merged {', '.join(decision.other.split())} into it ({decision.id}; `tui undo {decision.id}` reverts it)"
            )

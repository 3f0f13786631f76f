"""The commands on duplicates: ``dedup`` (each pending request's likely duplicates, or with
``--contacts`` the groups of contacts that are one person), ``merge`` and ``distinct``. Thin: the
matching is :mod:`tui.dedup`'s, the merge the store's. ``merge-contacts`` is in :mod:`tui.cli_contacts`."""

from __future__ import annotations

from typing import Annotated, Any, cast

import typer

from tui.cli_base import JsonOpt, app, state_of, thresholds_of
from tui.cli_support import left_for_exit, parse_id, progress_bar
from tui.errors import BadInput
from tui.gcpause import paused_gc
from tui.models import Decision, Request, sort_queue
from tui.output import emit_json, out, summary_line
from tui.text import clean


@app.command()
def dedup(
    ctx: typer.Context,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help="Only these kinds: identical, impersonation, likely, possible (repeatable).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many candidates per request, best first.")] = 5,
    contacts: Annotated[
        bool,
        typer.Option(
            "--contacts",
            help="Groups of contacts that are probably one person (by default "
            "identical and likely; --kind adds others), one JSON line per group.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """For every pending request, its likely duplicates among contacts and other requests, best first."""
    from tui.dedup.match import KINDS, Matcher, cpu_workers

    # Requests: only the kinds asked for. Contacts: the sure kinds always, --kind adds others.
    kinds = {"identical", "likely", *(kind or ())} if contacts else set(kind or KINDS)
    if kinds - set(KINDS):
        raise BadInput(f"--kind must be among {', '.join(KINDS)}")
    with paused_gc():  # a batch of a million small objects, then exit: the cyclic GC would only walk them again and again
        state = state_of(ctx)
        store = state.reader
        if contacts:
            from tui.cli_contacts import contact_groups

            index = store.contact_keys()
            with progress_bar("grouping contacts", len(index) > 2000) as progress:
                return contact_groups(store, index, thresholds_of(state), kinds, as_json, progress)
        matcher = Matcher(store.contact_keys(), store.pending_keys(), thresholds_of(state), store.distinct_pairs(), batch=True)
        with progress_bar("matching", len(matcher.pending) > 200) as progress:
            found = matcher.all_pending(progress, workers=cpu_workers(), meanwhile=store.read_all)
        shown = {rid: kept for rid, matches in found.items() if (kept := [m for m in matches if m.kind in kinds][:limit])}
        others = store.records({*shown, *(m.other_id for matches in shown.values() for m in matches if as_json)})
        left_for_exit(matcher, found, others)
        for request in sort_queue([cast(Request, others[rid]) for rid in shown if rid in others], "oldest"):  # the queue's order
            matches = shown[request.id]
            if as_json:
                emit_json(
                    {
                        "request": _brief(request),
                        "matches": [
                            {
                                ("contact" if m.other_id.startswith("c") else "request"): _brief(others[m.other_id]),
                                "score": m.score,
                                "kind": m.kind,
                                "reasons": m.reasons,
                            }
                            for m in matches
                            if m.other_id in others
                        ],
                    }
                )
                continue
            out(summary_line(request))
            for m in matches:
                out(
                    f"    {m.kind:<13} {m.score:>3}  {m.other_id:<7} {clean(matcher.name_of(m.other_id), 50)} — {'; '.join(clean(r) for r in m.reasons)}"
                )
        if not as_json:  # what was found, in one last line (or that nothing was: never a silent run)
            total = f"{len(matcher.pending)} pending request{'s' if len(matcher.pending) != 1 else ''}"
            asked = " or ".join(k for k in KINDS if k in kinds) + " " if set(KINDS) - kinds else ""
            out(
                f"{len(shown)} of the {total} {'has' if len(matcher.pending) == 1 else 'have'} {asked}matches; review them with `tui triage`"
                if shown
                else f"no {asked}matches among the {total}"
            )


def _brief(record: Any) -> dict[str, Any]:
    doc = record.public()
    return {k: doc[k] for k in ("id", "source_id", "name", "title", "company", "location", "emails", "urls", "source") if k in doc}


@app.command()
def merge(
    ctx: typer.Context,
    request_id: Annotated[str, typer.Argument(metavar="REQUEST")],
    other_id: Annotated[
        str, typer.Argument(metavar="OTHER", help="The contact (c7) it duplicates, or another request (r9) of the same person.")
    ],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Merge even a possible impersonator (its profile becomes the other's), or a record the request matches in nothing.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Merge a request into the contact it duplicates, or into another request of the same person on
    another network (undo with tui undo)."""
    from tui.dedup.keys import record_keys
    from tui.dedup.match import quick_match

    state = state_of(ctx)
    store = state.existing_record(parse_id(request_id, "r"))
    request = store.get_request(parse_id(request_id, "r"))
    other = store.get(parse_id(other_id, "rc"))
    if isinstance(other, Decision):  # parse_id lets only r and c through
        raise BadInput(f"{other.id} is a decision, not a request or a contact")
    if other.id == request.id:
        raise BadInput(f"{request.id} and {other.id} are the same record")
    for record in (request, other):
        merged_into = getattr(record, "merged_into", "")
        if merged_into:
            raise BadInput(f"{record.id} is already merged into {merged_into} (tui undo {record.id} reverts it)")
    if not force:
        pending = store.pending_keys() if other.id.startswith("r") else None
        found = quick_match(record_keys(request), store.contact_keys(), pending, own_id=request.id, thresholds=thresholds_of(state))
        for match, name in ((m, name) for m, name in found if m.kind == "impersonation"):
            raise BadInput(
                f"{request.id} may be an impersonator of {match.other_id} {clean(name, 60)} ({'; '.join(clean(r) for r in match.reasons)}): "
                f"merging would make the stranger's profile {other.id}'s own, and every later request from it would look like "
                f"them; check the person, then merge with --force"
            )
        if all(m.other_id != other.id for m, _ in found):
            raise BadInput(
                f"{request.id} {clean(request.name, 60)} and {other.id} {clean(other.name, 60)} share no e-mail address or profile "
                f"and do not match: they look like two people; --force merges anyway"
            )
    decision = store.merge(request.id, other.id)
    emit_json(decision.public()) if as_json else out(f"{decision.request_id}: merged into {decision.other} ({decision.id})")


@app.command()
def distinct(
    ctx: typer.Context,
    request_id: Annotated[str, typer.Argument(metavar="REQUEST")],
    other_id: Annotated[str, typer.Argument(metavar="OTHER")],
    as_json: JsonOpt = False,
) -> None:
    """Remember that a request and a contact (or request) are different people: never suggested again."""
    store = state_of(ctx).existing_record(parse_id(request_id, "r"))
    request, other = store.get_request(parse_id(request_id, "r")), store.get(parse_id(other_id, "rc"))
    if other.id == request.id:
        raise BadInput(f"{request.id} and {other.id} are the same record")
    decision = store.mark_distinct(request.id, other.id)
    emit_json(decision.public()) if as_json else out(f"{decision.request_id} and {decision.other}: not the same person ({decision.id})")

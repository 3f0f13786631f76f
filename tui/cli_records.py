"""The commands on records: ``add``, ``list``, ``show``, ``decide`` and ``undo``. Thin: checks of
the input and the store's calls, printed by :mod:`tui.output`."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tui import __version__
from tui.cli_base import JsonOpt, app, state_of, thresholds_of
from tui.cli_support import parse_id
from tui.errors import BadInput, UserError
from tui.models import DECIDE_ACTIONS, Action, Contact, Decision, Request, Status
from tui.output import dumps, emit_json, err, out, out_lines, print_duplicates, show_lines, summary_line
from tui.text import clean

if TYPE_CHECKING:
    from tui.store import Store

#: ``add --strict`` found a likely duplicate.
EXIT_DUPLICATE = 4


@app.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Full name, as the person shows it.")],
    company: Annotated[str, typer.Option(help="Company.")] = "",
    title: Annotated[str, typer.Option(help="Headline or job title.")] = "",
    email: Annotated[list[str] | None, typer.Option(help="E-mail address (repeatable).")] = None,
    url: Annotated[list[str] | None, typer.Option(help="Profile URL (repeatable).")] = None,
    source: Annotated[str, typer.Option(help="Network: linkedin, x, facebook, email, ...")] = "manual",
    message: Annotated[str, typer.Option(help="The message that came with the request.")] = "",
    location: Annotated[str, typer.Option(help="Location.")] = "",
    tag: Annotated[list[str] | None, typer.Option(help="Tag (repeatable).")] = None,
    contact: Annotated[bool, typer.Option("--contact", help="Add an existing contact, not a request.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 4 when a likely duplicate exists.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add a pending request (or, with --contact, a contact) and report likely duplicates."""
    from tui.dedup.keys import record_keys
    from tui.dedup.match import quick_match
    from tui.intake import typed_record

    record = typed_record(
        name,
        company=company,
        title=title,
        emails=email,
        urls=url,
        source=source,
        message=message,
        location=location,
        tags=tag,
        contact=contact,
    )
    state = state_of(ctx)
    store = state.store
    found = quick_match(
        record_keys(record),
        store.contact_keys(quick=True),
        None if contact else store.pending_keys(quick=True),
        thresholds=thresholds_of(state),
    )
    shown = [(m, name) for m, name in found if m.kind != "possible"]
    if strict and any(m.kind in ("identical", "likely", "impersonation") for m, _ in found):
        print_duplicates(shown, as_json, None)
        raise typer.Exit(EXIT_DUPLICATE)
    record = store.add_contact(record) if isinstance(record, Contact) else store.add_request(record)
    print_duplicates(shown, as_json, record.id)


LISTED_ROW = f"{__version__}/1"
"""Names :func:`_listed_row`: rows another version made are never used (bump on any change here)."""


def _listed_row(request: Request) -> list[str]:
    """A request as `tui list` filters and prints it, kept in requests.rows."""
    return [request.status, request.source.lower(), summary_line(request)]


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(help=f"{', '.join(Status)} or all.")] = Status.PENDING.value,
    contacts: Annotated[bool, typer.Option("--contacts", help="List contacts instead of requests.")] = False,
    source: Annotated[str | None, typer.Option(help="Only this network.")] = None,
    flag: Annotated[
        str | None,
        typer.Option(
            help="Only pending requests with this red flag: no-message, generic, mass-sent, sales-pitch, buzzwords, new-profile, huge-network, no-mutual."
        ),
    ] = None,
    match: Annotated[
        str | None,
        typer.Option(help="Only pending requests with this kind of match: impersonation, likely, possible, identical, any or none."),
    ] = None,
    older_than: Annotated[str | None, typer.Option("--older-than", help="Only requests sent at least this long ago: 30d.")] = None,
    newer_than: Annotated[str | None, typer.Option("--newer-than", help="Only requests sent at most this long ago: 7d.")] = None,
    sort: Annotated[str | None, typer.Option(help="oldest, newest or name (default: as stored).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List requests (pending by default) or contacts; narrow them as the app's filter does.

    `tui list --flag mass-sent --json | tui decide - decline` declines them in one step."""
    from tui.config import ORDERS
    from tui.models import sort_queue

    statuses = (*Status, "all")
    if status not in statuses:
        raise BadInput(f"--status must be one of {', '.join(statuses)}")
    if sort is not None and sort not in ORDERS:
        raise BadInput(f"--sort must be one of {', '.join(ORDERS)}")
    wanted = None
    if flag or match or older_than or newer_than:  # the filter's module (red flags, normalisers) only when asked: 20 ms
        from tui.backlog import QueueFilter, parse_age

        try:
            wanted = QueueFilter(
                flag=flag or "",
                match=match or "",
                older_than=parse_age(older_than) if older_than else None,
                newer_than=parse_age(newer_than) if newer_than else None,
            )
        except ValueError as exc:
            raise BadInput(str(exc)) from None
    if contacts and wanted is not None:
        raise BadInput("--flag, --match, --older-than and --newer-than are for requests, not --contacts")
    state = state_of(ctx)
    store = state.reader
    if not (contacts or wanted or sort or as_json):  # the lines kept beside the queue (tui/store/rows.py): none parsed
        wanted_source = source.lower() if source is not None else None
        rows = store.request_rows(_listed_row, LISTED_ROW).values()
        out_lines(line for row_status, row_source, line in rows if status in ("all", row_status) and wanted_source in (None, row_source))
        return
    if contacts:  # a chunk of contacts.json at a time: 100k contacts parsed at once would hold 250 MB
        wanted_source = source.lower() if source else None
        for contact in store.each_contact():
            if wanted_source is None or contact.source.lower() == wanted_source:
                out(dumps(contact.public()) if as_json else summary_line(contact))
        return
    records: list[Any] = store.requests()
    if status != "all":
        records = [r for r in records if r.status == status]
    if source:
        records = [r for r in records if r.source.lower() == source.lower()]
    if wanted is not None:
        analysis = None
        if wanted.needs_analysis:
            from tui.backlog import analyse

            analysis = analyse(store, thresholds_of(state), state.settings.sales_phrases if state.paths.config_file.exists() else ())
        records = wanted.apply(records, analysis, store.today())
    if sort is not None:
        records = sort_queue(records, sort)
    for record in records:
        out(dumps(record.public()) if as_json else summary_line(record))


@app.command()
def show(ctx: typer.Context, record_id: Annotated[str, typer.Argument(metavar="ID")], as_json: JsonOpt = False) -> None:
    """Show one request, contact or decision."""
    record = state_of(ctx).reader.get(parse_id(record_id))
    if as_json:
        emit_json(record.public())
    else:
        for line in show_lines(record):
            out(line)


def _ids_from_stdin() -> list[str]:
    """Ids piped in: one a line, bare (r12) or as `tui list --json` prints them."""
    import orjson

    ids = []
    for number, line in enumerate(sys.stdin, 1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                line = str(orjson.loads(line).get("id", ""))
            except (orjson.JSONDecodeError, AttributeError):
                raise BadInput(f"standard input, line {number}: not a JSON object with an id") from None
        ids.append(line)
    return ids


@app.command()
def decide(
    ctx: typer.Context,
    targets: Annotated[
        list[str],
        typer.Argument(
            metavar="ID... ACTION",
            help=f"One or more request ids (or - to read them from standard input, one a line or as `tui list --json` prints them), then {', '.join(DECIDE_ACTIONS[:-1])} or {DECIDE_ACTIONS[-1]} (ask: asked why, waiting for a reply).",
        ),
    ],
    until: Annotated[str | None, typer.Option(help="With defer: YYYY-MM-DD, +Nd, tomorrow, next-week, next-month.")] = None,
    answer: Annotated[list[str] | None, typer.Option(help="RULE=yes|no (repeatable).")] = None,
    note: Annotated[str, typer.Option(help="A note kept with the decision.")] = "",
    force: Annotated[bool, typer.Option("--force", help="Decide it even if it was already accepted, declined or merged.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Decide requests, as the triage screen does. Several ids are decided in one step, which one
    `tui undo` takes back whole. An already decided request needs --force."""
    from tui.defer import parse_until
    from tui.rules import parse_answer
    from tui.store import UNDECIDED, Conflict

    if len(targets) < 2:
        raise BadInput("give one or more request ids, then the action (tui decide r12 decline)")
    *given, action = targets
    if action not in DECIDE_ACTIONS:
        raise BadInput(f"action must be {', '.join(DECIDE_ACTIONS[:-1])} or {DECIDE_ACTIONS[-1]}, not {clean(action, 40)!r}")
    ids = [parse_id(i, "r") for i in (_ids_from_stdin() if given == ["-"] else given)]
    if not ids:
        raise BadInput("no request ids on standard input; nothing was decided")
    if until and action != Action.DEFER:
        raise BadInput("--until goes with defer")
    state = state_of(ctx)
    rule_ids = {rule.id for rule in state.settings.rules}
    answers: dict[str, bool] = {}
    for item in answer or []:
        rule, _, value = item.partition("=")
        if rule not in rule_ids:
            raise BadInput(f"--answer {clean(item, 40)!r}: unknown rule; rules are {', '.join(sorted(rule_ids))}")
        try:
            answers[rule] = parse_answer(value)
        except ValueError as exc:
            raise BadInput(f"--answer {clean(item, 40)!r}: {exc}") from None
    store = state.existing_record(ids[0])
    when = parse_until(until or "next-week", date.fromisoformat(store.today())) if action == Action.DEFER else ""
    if len(set(ids)) > 1:
        if answers:
            raise BadInput("--answer goes with one request; a step of several records no answers")
        decisions, refused = store.record_decisions(ids, action, note, when, expected=None if force else UNDECIDED)
        for conflict in refused:
            err(f"not decided: {conflict}; --force decides it again")
        if as_json:
            for decision in decisions:
                emit_json(decision.public())
        elif decisions:
            out(
                f"{len(decisions)} requests: {action}"
                + (f" until {when}" if when else "")
                + f" in one step ({decisions[0].group}; `tui undo {decisions[0].group}` takes it back)"
            )
        if refused:
            raise typer.Exit(1)
        return
    try:
        decision = store.record_decision(ids[0], action, answers or None, note, when, expected=None if force else UNDECIDED)
    except Conflict as exc:
        raise UserError(f"{exc}; --force decides it again") from None
    if as_json:
        emit_json(decision.public())
    else:
        out(f"{decision.request_id}: {action}" + (f" until {when}" if when else "") + f" ({decision.id})")


@app.command()
def undo(ctx: typer.Context, record_id: Annotated[str | None, typer.Argument(metavar="[ID]")] = None, as_json: JsonOpt = False) -> None:
    """Undo the newest decision (on one request r12, with its ID), or one decision (d3). Repeat to go further back."""
    state = state_of(ctx)
    done: Decision | None
    store: Store | None
    if record_id is not None and record_id.strip().startswith("d"):
        decision_id = parse_id(record_id, "d")
        store = state.existing_record(decision_id)
        done = store.undo(decision_id)
    elif record_id is not None:
        request_id = parse_id(record_id, "r")
        store = state.existing_record(request_id)
        done = store.undo_last(store.get_request(request_id).id)
    else:
        store = state.existing()
        done = store.undo_last() if store is not None else None
    if done is None or store is None:
        err("nothing to undo")
        raise typer.Exit(1)
    step = [d for d in store.decisions() if d.group == done.group and d.action == "undo" and d.at == done.at] if done.group else [done]
    if as_json:
        for d in step:
            emit_json(d.public())
    elif done.group:
        out(f"undid the step {done.group}: {len(step)} decisions")
    else:
        out(f"undid {done.undoes} on {done.request_id}")

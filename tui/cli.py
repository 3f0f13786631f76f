"""The ``tui`` command line: thin commands over the core.

Exit codes: 0 done; 1 nothing to do or a store problem; 2 bad input (nothing written);
3 a store file that does not parse (nothing written); 4 ``add --strict`` found a likely duplicate.
Only ``triage``, ``demo`` and ``serve`` import the Textual UI.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from tui import __version__
from tui.cli_support import OneLineErrors, PlainUsage, is_utf8, os_error, parse_id
from tui.errors import BadInput, UserError
from tui.fileio import private_dir
from tui.models import Contact, Request
from tui.output import dumps, emit_json, err, out, show_lines, summary_line
from tui.paths import Paths, resolve
from tui.store import NoStore, NotFound, Store
from tui.text import clean, is_blank

EXIT_DUPLICATE = 4

app = typer.Typer(
    cls=OneLineErrors,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Triage connection requests against your own rules: drink, recommend, do business.",
)


def say_waiting(holder: Any) -> None:
    """Told by the store when a write has waited a second for another process's lock."""
    err(f"waiting for the store lock held by {holder or 'another process'}")


@dataclass
class State:
    paths: Paths
    _store: Store | None = None
    _settings: Any = None

    @property
    def store(self) -> Store:
        """The store, for a command that writes: created if missing."""
        return self._open(create=True)

    @property
    def reader(self) -> Store:
        """The store, for a command that only reads: a missing one is an error, never created."""
        return self._open(create=False)

    def existing(self, tidy: bool = True) -> Store | None:
        """The store, for a command that stores nothing unless the records it names exist (decide,
        undo, merge, distinct, a dry run): None when there is no data directory, which is then not
        created. ``tidy`` False: nothing written in it either, not even a cache (a dry run)."""
        try:
            return self._open(create=False, tidy=tidy)
        except NoStore:
            return None

    def existing_record(self, record_id: str) -> Store:
        """:meth:`existing`, or :class:`NotFound` for ``record_id`` when there is no store."""
        store = self.existing()
        if store is None:
            raise NotFound(f"no record {record_id!r}: {self.paths.data} holds no store yet; nothing was created")
        return store

    def _open(self, create: bool, tidy: bool = True) -> Store:
        """Open the store once. A data directory that cannot be one is bad input."""
        if self._store is None:
            data = self.paths.data
            try:
                existing = next((p for p in (data, *data.parents) if p.exists()), data)
                if not existing.is_dir():
                    raise NotADirectoryError(20, "not a directory", str(existing))
                if create:
                    private_dir(data)
                self._store = Store.open(data, create=create, on_lock_wait=say_waiting, tidy=tidy)
            except OSError as exc:
                raise BadInput(f"{os_error(exc)}: {data} cannot be the data directory (--data-dir, $TUI_DATA_DIR)") from None
        return self._store

    @property
    def settings(self) -> Any:
        """The config, read on first use (``tui add`` never needs it); what it ignored is told."""
        if self._settings is None:
            from tui.config import load

            self._settings = load(self.paths.config_file)
            for warning in self._settings.warnings:
                err(f"warning: {warning}")
        return self._settings


def _version(value: bool) -> None:
    if value:
        out(f"tui {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="Data directory (else $TUI_DATA_DIR, else the platform's).")] = None,
    config_dir: Annotated[Optional[Path], typer.Option("--config-dir", help="Config directory (else $TUI_CONFIG_DIR, else the platform's).")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    ctx.obj = State(resolve(data_dir, config_dir))
    if ctx.invoked_subcommand is None:
        out(ctx.get_help())
        raise typer.Exit()


JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def _state(ctx: typer.Context) -> State:
    return ctx.obj  # type: ignore[no-any-return]


def _require(value: str, what: str) -> str:
    if is_blank(value):
        raise BadInput(f"{what} is empty")
    return value.strip()


@app.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Full name, as the person shows it.")],
    company: Annotated[str, typer.Option(help="Company.")] = "",
    title: Annotated[str, typer.Option(help="Headline or job title.")] = "",
    email: Annotated[Optional[list[str]], typer.Option(help="E-mail address (repeatable).")] = None,
    url: Annotated[Optional[list[str]], typer.Option(help="Profile URL (repeatable).")] = None,
    source: Annotated[str, typer.Option(help="Network: linkedin, x, facebook, email, ...")] = "manual",
    message: Annotated[str, typer.Option(help="The message that came with the request.")] = "",
    location: Annotated[str, typer.Option(help="Location.")] = "",
    tag: Annotated[Optional[list[str]], typer.Option(help="Tag (repeatable).")] = None,
    contact: Annotated[bool, typer.Option("--contact", help="Add an existing contact, not a request.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 4 when a likely duplicate exists.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add a pending request (or, with --contact, a contact) and report likely duplicates."""
    from tui.dedup.keys import record_keys
    from tui.dedup.match import quick_match
    from tui.dedup.normalise import email_key
    from tui.intake import split_urls

    fields: dict[str, Any] = dict(
        name=_require(name, "name"), company=company.strip(), title=title.strip(), location=location.strip(),
        emails=[e.strip() for e in email or [] if e.strip()], urls=[u.strip() for u in url or [] if u.strip()],
        source=source.strip() or "manual", tags=[t.strip() for t in tag or [] if t.strip()],
    )
    for option in ("email", "url"):  # undecodable bytes in argv arrive as lone surrogates: no identity
        for value in fields[f"{option}s"]:
            if not is_utf8(value):
                raise BadInput(f"--{option} {clean(value, 80)!r} is not UTF-8 text (a byte that is no character)")
    for address in fields["emails"]:
        if not email_key(address):
            raise BadInput(f"--email {clean(address, 80)!r} is not an e-mail address")
    for link in split_urls(fields["urls"])[1]:
        raise BadInput(f"--url {clean(link, 80)!r} is not a URL of a web address (http or https)")
    state = _state(ctx)
    store = state.store
    record: Contact | Request = Contact(**fields) if contact else Request(**fields, message=message)
    found = quick_match(record_keys(record), store.contact_keys(), None if contact else store.pending_keys(), thresholds=_thresholds(state))
    shown = [(m, name) for m, name in found if m.kind != "possible"]
    if strict and any(m.kind in ("identical", "likely", "impersonation") for m, _ in found):
        _print_duplicates(shown, as_json, None)
        raise typer.Exit(EXIT_DUPLICATE)
    record = store.add_contact(record) if isinstance(record, Contact) else store.add_request(record)
    _print_duplicates(shown, as_json, record.id)


def _thresholds(state: State) -> Any:
    from tui.dedup.match import Thresholds

    if not state.paths.config_file.exists():
        return Thresholds()  # no config: skip reading it (tui add stays fast)
    return Thresholds(state.settings.likely_threshold, state.settings.possible_threshold)


def _print_duplicates(duplicates: list[Any], as_json: bool, new_id: str | None) -> None:
    """Likely duplicates (identical, impersonation, likely), each with its reasons."""
    if as_json:
        emit_json({"id": new_id, "duplicates": [d.to_doc() | {"name": name} for d, name in duplicates]})
        return
    if new_id:
        out(f"added {new_id}")
    for d, name in duplicates:
        out(f"  {d.kind} duplicate ({d.score}): {d.other_id} {clean(name, 60)} — {'; '.join(clean(r) for r in d.reasons)}")


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(help="pending, accepted, declined, deferred, asked, merged, sent or all.")] = "pending",
    contacts: Annotated[bool, typer.Option("--contacts", help="List contacts instead of requests.")] = False,
    source: Annotated[Optional[str], typer.Option(help="Only this network.")] = None,
    flag: Annotated[Optional[str], typer.Option(help="Only pending requests with this red flag: no-message, generic, mass-sent, sales-pitch, buzzwords, new-profile, huge-network, no-mutual.")] = None,
    match: Annotated[Optional[str], typer.Option(help="Only pending requests with this kind of match: impersonation, likely, possible, identical, any or none.")] = None,
    older_than: Annotated[Optional[str], typer.Option("--older-than", help="Only requests sent at least this long ago: 30d.")] = None,
    newer_than: Annotated[Optional[str], typer.Option("--newer-than", help="Only requests sent at most this long ago: 7d.")] = None,
    sort: Annotated[Optional[str], typer.Option(help="oldest, newest or name (default: as stored).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List requests (pending by default) or contacts; narrow them as the app's filter does.

    `tui list --flag mass-sent --json | tui decide - decline` declines them in one step."""
    from tui.backlog import QueueFilter, parse_age
    from tui.config import ORDERS
    from tui.models import sort_queue

    statuses = ("pending", "accepted", "declined", "deferred", "asked", "merged", "sent", "all")
    if status not in statuses:
        raise BadInput(f"--status must be one of {', '.join(statuses)}")
    if sort is not None and sort not in ORDERS:
        raise BadInput(f"--sort must be one of {', '.join(ORDERS)}")
    try:
        wanted = QueueFilter(flag=flag or "", match=match or "", older_than=parse_age(older_than) if older_than else None,
                             newer_than=parse_age(newer_than) if newer_than else None)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    if contacts and not wanted.empty:
        raise BadInput("--flag, --match, --older-than and --newer-than are for requests, not --contacts")
    state = _state(ctx)
    store = state.reader
    records: list[Any] = store.contacts() if contacts else store.requests()
    if not contacts and status != "all":
        records = [r for r in records if r.status == status]
    if source:
        records = [r for r in records if r.source.lower() == source.lower()]
    if not wanted.empty:
        analysis = None
        if wanted.needs_analysis:
            from tui.backlog import analyse

            analysis = analyse(store, _thresholds(state), state.settings.sales_phrases if state.paths.config_file.exists() else ())
        records = wanted.apply(records, analysis, store.today())
    if sort is not None and not contacts:
        records = sort_queue(records, sort)
    for record in records:
        out(dumps(record.public()) if as_json else summary_line(record))


@app.command()
def show(ctx: typer.Context, record_id: Annotated[str, typer.Argument(metavar="ID")], as_json: JsonOpt = False) -> None:
    """Show one request, contact or decision."""
    record = _state(ctx).reader.get(parse_id(record_id))
    if as_json:
        emit_json(record.public())
    else:
        for line in show_lines(record):
            out(line)


def parse_until(text: str, today: date) -> str:
    """A deferral date after ``today``: a preset, ``+Nd`` or ``YYYY-MM-DD``; else bad input."""
    presets = {"tomorrow": 1, "next-week": 7, "next-month": 30}
    days = re.fullmatch(r"\+([0-9]+)d", text, re.ASCII)
    try:
        if text in presets or days:
            when = today + timedelta(days=presets[text] if text in presets else int(days.group(1)))  # type: ignore[union-attr]
        else:
            when = date.fromisoformat(text)
    except OverflowError:
        raise BadInput(f"--until {clean(text, 40)!r}: too far ahead (dates end at {date.max})") from None
    except ValueError:
        raise BadInput(f"--until {clean(text, 40)!r}: use YYYY-MM-DD, +Nd, tomorrow, next-week or next-month") from None
    if when <= today:
        raise BadInput(f"--until {clean(text, 40)!r}: pick a date after today ({today})")
    return when.isoformat()


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
    targets: Annotated[list[str], typer.Argument(metavar="ID... ACTION", help="One or more request ids (or - to read them from standard input, one a line or as `tui list --json` prints them), then accept, wider, decline, defer, or ask (asked why; waiting for a reply).")],
    until: Annotated[Optional[str], typer.Option(help="With defer: YYYY-MM-DD, +Nd, tomorrow, next-week, next-month.")] = None,
    answer: Annotated[Optional[list[str]], typer.Option(help="RULE=yes|no (repeatable).")] = None,
    note: Annotated[str, typer.Option(help="A note kept with the decision.")] = "",
    force: Annotated[bool, typer.Option("--force", help="Decide it even if it was already accepted, declined or merged.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Decide requests, as the triage screen does. Several ids are decided in one step, which one
    `tui undo` takes back whole. An already decided request needs --force."""
    from tui.rules import parse_answer
    from tui.store import UNDECIDED, Conflict

    if len(targets) < 2:
        raise BadInput("give one or more request ids, then the action (tui decide r12 decline)")
    *given, action = targets
    if action not in ("accept", "wider", "decline", "defer", "ask"):
        raise BadInput(f"action must be accept, wider, decline, defer or ask, not {clean(action, 40)!r}")
    ids = [parse_id(i, "r") for i in (_ids_from_stdin() if given == ["-"] else given)]
    if not ids:
        raise BadInput("no request ids on standard input; nothing was decided")
    if until and action != "defer":
        raise BadInput("--until goes with defer")
    state = _state(ctx)
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
    when = parse_until(until or "next-week", date.fromisoformat(store.today())) if action == "defer" else ""
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
            out(f"{len(decisions)} requests: {action}" + (f" until {when}" if when else "") + f" in one step ({decisions[0].group}; `tui undo {decisions[0].group}` takes it back)")
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
def undo(ctx: typer.Context, record_id: Annotated[Optional[str], typer.Argument(metavar="[ID]")] = None, as_json: JsonOpt = False) -> None:
    """Undo the newest decision (on one request r12, with its ID), or one decision (d3). Repeat to go further back."""
    state = _state(ctx)
    if record_id is not None and record_id.strip().startswith("d"):
        decision_id = parse_id(record_id, "d")
        store = state.existing_record(decision_id)
        done = store.undo(decision_id)
    elif record_id is not None:
        request_id = parse_id(record_id, "r")
        store = state.existing_record(request_id)
        done = store.undo_last(store.get_request(request_id).id)
    else:
        done = store.undo_last() if (store := state.existing()) is not None else None
    if done is None:
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


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="An export: LinkedIn's archive (zip or folder) or its Connections.csv or Invitations.csv; Meta's archive (Facebook, Instagram) or one of its JSON files; Google Contacts CSV; vCard; Mastodon follow requests JSON; invitation e-mails (.eml, mbox, Maildir); or the generic CSV/JSON.")],
    as_: Annotated[Optional[str], typer.Option("--as", help="contacts or requests, where the format does not say.")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="Skip detection: linkedin-connections, linkedin-invitations, google, vcard, facebook, facebook-friends, facebook-declined, instagram, mastodon, csv, json, archive, mbox, eml.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Import a file. All or nothing; re-importing adds nobody twice."""
    from tui.formats.load import read_file

    path = _given(file, "FILE")
    if as_ not in (None, "contacts", "requests"):
        raise BadInput("--as must be contacts or requests")
    with _progress("reading", _big(path)) as update:
        update(0, 2)
        parsed = read_file(path, as_, fmt)
        update(1, 2, f"matching {len(parsed.contacts) + len(parsed.requests) + len(parsed.sent)} records against the store")
        report = _import(_state(ctx), parsed, dry_run)
        update(2, 2)
    counts = report.counts()
    counts["skipped"] += parsed.skipped
    if parsed.ignored:
        counts["ignored"] = parsed.ignored  # mail that is no invitation
    files = [{"file": member, "format": part.format, **part.counts()} for member, part in parsed.parts]
    if as_json:
        emit_json(counts | {"format": parsed.format, "dry_run": dry_run} | ({"files": files} if files else {}))
    else:
        verb = "would import" if dry_run else "imported"
        out(f"{verb} {clean(str(path), 200)} ({parsed.format}): " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        for found in files:
            held = ", ".join(f"{n} {k}" for k, n in found.items() if k not in ("file", "format"))
            out(f"  {clean(found['file'], 200)} ({found['format']}): {held or 'nothing'}")
        if counts["skipped"]:
            out("  skipped: " + _why_skipped(parsed.skipped, len(report.skipped)))


def _why_skipped(empty: int, known: int) -> str:
    """Why rows of an import were not stored, in words."""
    why = []
    if empty:
        why.append(f"{empty} row{' held' if empty == 1 else 's held'} no one to import (no name or address: a hidden or deleted profile, or a copy of another row)")
    if known:
        why.append(f"{known} already a contact (the same e-mail or profile URL)")
    return "; ".join(why)


def _import(state: State, parsed: Any, dry_run: bool) -> Any:
    """Store what a file held; a dry run writes nothing, and creates no data directory: into a
    store not made yet, it is tried on an empty one, made aside and removed."""
    store = state.existing(tidy=False) if dry_run else state.store
    if store is not None:
        return store.import_records(parsed.contacts, parsed.requests, dry_run=dry_run, sent=parsed.sent)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="tui-dry-run-") as empty:
        return Store.open(empty).import_records(parsed.contacts, parsed.requests, dry_run=True, sent=parsed.sent)


def _given(name: str, what: str) -> Path:
    """A file named on the command line; an empty name (``""``, which would be ``.``) is none."""
    if not name:
        raise BadInput(f"no file given: {what} is empty")
    return Path(name)


@contextmanager
def _progress(label: str, show: bool) -> Iterator[Callable[..., None]]:
    """A progress bar on stderr (rich), on a terminal only: never on stdout, which may be JSON for
    a script. Yields ``update(done, total, description=None)``."""
    if not (show and sys.stderr.isatty()):
        yield lambda *_args, **_kw: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int, description: str | None = None) -> None:
            bar.update(task, completed=done, total=total, description=description or label)

        yield update


def _big(file: Path) -> bool:
    """An export of a few thousand rows or more."""
    try:
        return file.stat().st_size > 300_000
    except OSError:
        return False


@app.command()
def export(
    ctx: typer.Context,
    what: Annotated[str, typer.Option("--what", help="contacts, requests, decisions, or accepted (accepted requests, as contacts).")] = "contacts",
    fmt: Annotated[str, typer.Option("--format", help="csv, json, vcard, or vdir (a directory of .vcf files for khard and vdirsyncer; needs -o DIR).")] = "csv",
    output_name: Annotated[Optional[str], typer.Option("-o", "--output", help="Write to this file (else standard output); for vdir, this directory.")] = None,
    vcard_version: Annotated[str, typer.Option("--vcard-version", help="vCard 3.0 or 4.0 (vcard and vdir).")] = "3.0",
) -> None:
    """Export with the original text; importing it into an empty store gives the same people."""
    from tui import outfile
    from tui.formats import export as exporters

    output = None if output_name is None else _given(output_name, "-o")

    if what not in ("contacts", "requests", "decisions", "accepted"):
        raise BadInput("--what must be contacts, requests, decisions or accepted")
    if fmt not in ("csv", "json", "vcard", "vdir") or (fmt in ("vcard", "vdir") and what == "decisions"):
        raise BadInput("--format must be csv, json, vcard or vdir (vcard and vdir are for people, not decisions)")
    if vcard_version not in exporters.VCARD_VERSIONS:
        raise BadInput(f"--vcard-version must be {' or '.join(exporters.VCARD_VERSIONS)}")
    if fmt == "vdir":
        if output is None:
            raise BadInput("--format vdir writes one file per person: name the directory with -o DIR")
        from tui import outdir

        outdir.check_target(output)  # refused before any work
    target = outfile.open_target(output) if output is not None and fmt != "vdir" else None
    store = _state(ctx).reader
    records: list[Any]
    if what == "accepted":
        accepted_on = store.decided_at()
        records = [exporters.as_contact(r, accepted_on.get(r.id, "")) for r in store.requests() if r.status == "accepted"]
    else:
        records = {"contacts": store.contacts, "requests": store.requests, "decisions": store.decisions}[what]()
    if fmt == "vdir":
        done = outdir.export(output, records, vcard_version)  # type: ignore[arg-type]
        err(f"exported {len(records)} {what} to {output}: " + ", ".join(f"{n} {k}" for k, n in done.items()))
        return
    if fmt == "vcard":
        payload = exporters.to_vcard(records, vcard_version)
    elif fmt == "csv":  # a decision is named after its request, and the other person of a merge
        names = {p.id: p.name for p in (*store.requests(), *store.contacts())} if what == "decisions" else None
        payload = exporters.to_csv(records, names)
    else:
        payload = exporters.to_json(records)
    if target is not None:
        outfile.write(target, payload)
        err(f"exported {len(records)} {what} to {output}")
        return
    if fmt == "json":  # one line, escaped: the terminal never receives a control character; still exact
        from tui.text import json_safe

        out(json_safe(exporters.to_json(records, indent=None).decode("utf-8", "surrogatepass")))
    elif sys.stdout.isatty():
        raise BadInput("CSV and vCard keep every byte of the original text: write them to a file with -o FILE, or pipe them")
    else:
        sys.stdout.buffer.write(payload)


@app.command()
def query(
    ctx: typer.Context,
    term: Annotated[str, typer.Argument(help="Words of a name, nickname, company or e-mail address.")],
    no_header: Annotated[bool, typer.Option("--no-header", help="No first line of free text (aerc's address-book-cmd).")] = False,
) -> None:
    """Contacts for a mail client: a first line of free text, then email<TAB>name<TAB>company (mutt's query_command)."""
    from tui.query import lines, search

    term = term.strip()
    for line in lines(search(_state(ctx).reader.contact_keys(), term), term, header=not no_header):
        out(line)


@app.command()
def dedup(
    ctx: typer.Context,
    kind: Annotated[Optional[list[str]], typer.Option("--kind", help="Only these kinds: identical, impersonation, likely, possible (repeatable).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many candidates per request, best first.")] = 5,
    contacts: Annotated[bool, typer.Option("--contacts", help="Groups of contacts that are probably one person (by default "
                                                              "identical and likely; --kind adds others), one JSON line per group.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """For every pending request, its likely duplicates among contacts and other requests, best first."""
    from tui.dedup.match import KINDS, Matcher, cpu_workers

    # Requests: only the kinds asked for. Contacts: the sure kinds always, --kind adds others.
    kinds = {"identical", "likely", *(kind or ())} if contacts else set(kind or KINDS)
    if kinds - set(KINDS):
        raise BadInput(f"--kind must be among {', '.join(KINDS)}")
    state = _state(ctx)
    store = state.reader
    if contacts:
        from tui.cli_contacts import contact_groups

        index = store.contact_keys()
        with _progress("grouping contacts", len(index) > 2000) as progress:
            return contact_groups(store, index, _thresholds(state), kinds, as_json, progress)
    matcher = Matcher(store.contact_keys(), store.pending_keys(), _thresholds(state), store.distinct_pairs())
    with _progress("matching", len(matcher.pending) > 200) as progress:
        found = matcher.all_pending(progress, workers=cpu_workers(), meanwhile=store.read_all)
    shown = {rid: [m for m in matches if m.kind in kinds][:limit] for rid, matches in found.items()}
    others = store.records({m.other_id for matches in shown.values() for m in matches}) if as_json else {}
    for request in store.pending():
        matches = shown.get(request.id)
        if not matches:
            continue
        if as_json:
            emit_json({"request": _brief(request), "matches": [
                {("contact" if m.other_id.startswith("c") else "request"): _brief(others[m.other_id]), "score": m.score, "kind": m.kind, "reasons": m.reasons}
                for m in matches if m.other_id in others
            ]})
            continue
        out(summary_line(request))
        for m in matches:
            out(f"    {m.kind:<13} {m.score:>3}  {m.other_id:<7} {clean(matcher.name_of(m.other_id), 50)} — {'; '.join(clean(r) for r in m.reasons)}")


def _brief(record: Any) -> dict[str, Any]:
    doc = record.public()
    return {k: doc[k] for k in ("id", "source_id", "name", "title", "company", "location", "emails", "urls", "source") if k in doc}


@app.command()
def merge(
    ctx: typer.Context,
    request_id: Annotated[str, typer.Argument(metavar="REQUEST")],
    other_id: Annotated[str, typer.Argument(metavar="OTHER", help="The contact (c7) it duplicates, or another request (r9) of the same person.")],
    force: Annotated[bool, typer.Option("--force", help="Merge even a possible impersonator (its profile becomes the other's), "
                                                        "or a record the request matches in nothing.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Merge a request into the contact it duplicates, or into another request of the same person on
    another network (undo with tui undo)."""
    from tui.dedup.keys import record_keys
    from tui.dedup.match import quick_match

    state = _state(ctx)
    store = state.existing_record(parse_id(request_id, "r"))
    request = store.get_request(parse_id(request_id, "r"))
    other = store.get(parse_id(other_id, "rc"))
    if other.id == request.id:
        raise BadInput(f"{request.id} and {other.id} are the same record")
    for record in (request, other):
        if getattr(record, "merged_into", ""):
            raise BadInput(f"{record.id} is already merged into {record.merged_into} (tui undo {record.id} reverts it)")
    if not force:
        pending = store.pending_keys() if other.id.startswith("r") else None
        found = quick_match(record_keys(request), store.contact_keys(), pending, own_id=request.id, thresholds=_thresholds(state))
        for match, name in ((m, name) for m, name in found if m.kind == "impersonation"):
            raise BadInput(
                f"{request.id} may be an impersonator of {match.other_id} {clean(name, 60)} ({'; '.join(clean(r) for r in match.reasons)}): "
                f"merging would make the stranger's profile {other.id}'s own, and every later request from it would look like "
                f"them; check the person, then merge with --force")
        if all(m.other_id != other.id for m, _ in found):
            raise BadInput(
                f"{request.id} {clean(request.name, 60)} and {other.id} {clean(other.name, 60)} share no e-mail address or profile "
                f"and do not match: they look like two people; --force merges anyway")
    decision = store.merge(request.id, other.id)
    emit_json(decision.public()) if as_json else out(f"{decision.request_id}: merged into {decision.other} ({decision.id})")


@app.command()
def distinct(ctx: typer.Context, request_id: Annotated[str, typer.Argument(metavar="REQUEST")], other_id: Annotated[str, typer.Argument(metavar="OTHER")], as_json: JsonOpt = False) -> None:
    """Remember that a request and a contact (or request) are different people: never suggested again."""
    store = _state(ctx).existing_record(parse_id(request_id, "r"))
    request, other = store.get_request(parse_id(request_id, "r")), store.get(parse_id(other_id, "rc"))
    if other.id == request.id:
        raise BadInput(f"{request.id} and {other.id} are the same record")
    decision = store.mark_distinct(request.id, other.id)
    emit_json(decision.public()) if as_json else out(f"{decision.request_id} and {decision.other}: not the same person ({decision.id})")


@app.command()
def doctor(
    ctx: typer.Context,
    repair: Annotated[bool, typer.Option("--repair", help="Restore damaged files from the newest good backup (the damaged ones are kept aside).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Check the store: files, records, schema, lock, backups, temp files. Exit 3 when it is not healthy."""
    from tui.doctor import examine

    report = examine(_state(ctx).paths.data, repair, on_lock_wait=say_waiting)
    for name in report["unrepairable"]:
        err(f"{clean(report['data'], 300)}/{name}: damaged, and no backup holds a good copy")
    if as_json:
        emit_json(report)
    else:
        counts = report["records"]
        for name, state in report["files"].items():
            if state == "missing":
                out(f"· {name:<14} not created yet (nothing written there so far)")
            else:
                out(f"{'✓' if state == 'ok' else '✗'} {name:<14} {clean(state, 200)}")
        if counts:
            out("records: " + ", ".join(f"{n} {table}" for table, n in counts.items()))
        out(f"schema {report['schema']} (this tui writes {report['schema_supported']}) · lock {clean(report['lock'], 300)} · {len(report['backups'])} backups"
            + (f", newest {clean(report['backups'][0], 300)}" if report["backups"] else ""))
        for name, backup in report["good_backup"].items():
            if report["files"][name] != "ok" or backup is None:
                out(f"  newest good copy of {name}: {clean(backup, 300) if backup else 'none'}")
        for name, info in report["repaired"].items():
            out(f"restored {name} from {clean(info['from'], 300)}; the damaged file is kept as {clean(info['damaged_copy'], 300)}")
        for problem in report["problems"]:
            out(f"✗ {clean(problem, 300)}")
        if report["stray_temp_files"]:
            out(f"{len(report['stray_temp_files'])} temp files from an interrupted write (removed at the next start)")
        out("healthy" if report["healthy"] else "NOT healthy: " + ("run `tui doctor --repair`" if not repair and any(s not in ("ok", "missing") for s in report["files"].values()) else "see above"))
    if not report["healthy"]:
        raise typer.Exit(3)


@app.command()
def stats(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Counts by status and source, the acceptance rate, and each rule's noes."""
    from tui.stats import summarize

    state = _state(ctx)
    rules = state.settings.rules  # a bad config.toml is told before anything else
    summary = summarize(state.reader.requests(), rules)
    if as_json:
        emit_json(summary)
        return
    out(f"requests: {summary['total']}  " + "  ".join(f"{k}: {v}" for k, v in summary["by_status"].items()))
    rate = summary["acceptance_rate"]
    out(f"acceptance rate: {'-' if rate is None else f'{rate:.0%}'} of {summary['decided']} decided")
    out("noes by rule: " + ", ".join(f"{clean(k, 40)} {v}" for k, v in summary["rule_noes"].items()))
    for src, counts in summary["by_source"].items():
        out(f"  {clean(src, 30):<12} " + "  ".join(f"{k} {v}" for k, v in counts.items()))


@app.command()
def config(
    ctx: typer.Context,
    stdout: Annotated[bool, typer.Option("--print", help="Print the commented file instead of writing it.")] = False,
) -> None:
    """Write a commented config.toml with every setting and its default (never over an existing one)."""
    from tui.config_template import template
    from tui.fileio import atomic_write

    text = template()
    if stdout:
        sys.stdout.write(text)
        return
    path = _state(ctx).paths.config_file
    if path.exists():
        raise UserError(f"{clean(str(path), 300)} exists; nothing was written (`tui config --print` shows every setting)")
    try:
        private_dir(path.parent)
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        raise UserError(f"{os_error(exc)}: config.toml not written") from None
    out(f"wrote {clean(str(path), 300)}: every setting, commented out at its default")


@app.command()
def locate(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Print where data, config and user themes live."""
    paths = _state(ctx).paths.as_dict()
    if as_json:
        for key, path in paths.items():
            if not is_utf8(path):
                origin = "--data-dir or $TUI_DATA_DIR" if key == "data" else "--config-dir or $TUI_CONFIG_DIR"
                raise BadInput(f"the {key} path {clean(path, 300)} is not UTF-8 text, which JSON cannot carry (it comes from {origin})")
        emit_json(paths)
    else:
        for key, value in paths.items():
            out(f"{key:<7} {clean(value, 4000)}")


@app.command()
def triage(
    ctx: typer.Context,
    theme: Annotated[Optional[str], typer.Option("--theme", help="Theme for this session (see `tui themes`).")] = None,
) -> None:
    """Open the triage screen on your queue."""
    state = _state(ctx)
    from tui.app.app import make_app

    settings = state.settings
    if theme:
        settings.theme = theme
    _run_app(make_app(settings, state.store, state.paths))


def _run_app(app: Any) -> None:
    """Run the app. Changes it could not save (the user quit while another process held the
    store) are named in one line on stderr, exit 1; a crash (an exception in a worker ends the
    app; Textual prints it) exits 1 too, never 0."""
    app.run()
    lost = app.writer.report()
    if lost:
        err(f"error: not saved: {lost}")
    if lost or app.return_code:
        raise typer.Exit(app.return_code or 1)


@app.command()
def demo(
    ctx: typer.Context,
    theme: Annotated[Optional[str], typer.Option("--theme", help="Theme for this session (see `tui themes`).")] = None,
    into: Annotated[Optional[Path], typer.Option("--into", help="Copy the sample into this new directory and keep it (default: a temporary one).")] = None,
) -> None:
    """Open the triage screen on a fresh copy of the bundled sample data (never your own data)."""
    import contextlib
    import tempfile

    from tui.app.app import make_app
    from tui.sample import load_sample

    state = _state(ctx)
    settings = state.settings
    if theme:
        settings.theme = theme
    if into is not None and into.exists() and not into.is_dir():
        raise BadInput(f"{clean(str(into), 300)}: not a directory; --into needs a new or empty directory")
    if into is not None and into.exists() and any(into.iterdir()):
        again = f"; it holds a store: `tui --data-dir {clean(str(into), 300)} triage` opens it" if (into / "queue.json").exists() else ""
        raise BadInput(f"{clean(str(into), 300)}: not empty; --into needs a new or empty directory{again}")
    folder = contextlib.nullcontext(str(into)) if into is not None else tempfile.TemporaryDirectory(prefix="tui-demo-")
    with folder as where:
        data = Path(where)
        _run_app(make_app(settings, load_sample(data), Paths(data=data, config=state.paths.config), demo=True))


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on. Keep it on loopback; anything else prints a warning.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo_data: Annotated[bool, typer.Option("--demo", help="Serve the demo (a fresh sample copy per visit), not your data.")] = False,
    theme: Annotated[Optional[str], typer.Option("--theme", help="Theme (see `tui themes`).")] = None,
) -> None:
    """Serve the triage screen to a web browser; prints the URL to open, with this launch's secret (needs pip install 'tui\\[serve]')."""
    from tui import serve as web

    address = web.check_address(host, port)
    paths = _state(ctx).paths
    # -P: never put the current directory first on sys.path (a `tui/` folder there would be run).
    command = [sys.executable, "-P", "-m", "tui", "--data-dir", str(paths.data), "--config-dir", str(paths.config), "demo" if demo_data else "triage"]
    if theme:
        command += ["--theme", theme]
    web.serve(command, address)


@app.command()
def themes(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the themes: shipped, your own (in the themes dir `tui locate` shows), and files that failed."""
    from tui.theme_files import load_all

    state = _state(ctx)
    found = load_all(state.paths.themes)
    current = state.settings.theme
    rows = [{"name": spec.name, "dark": bool(spec.fields.get("dark", True)), "source": "user" if spec.user else "shipped",
             "path": str(spec.path), "current": spec.name == current} for spec in found.themes.values()]
    failed = [{"path": str(path), "error": why} for path, why in found.failed]
    if as_json:
        emit_json({"themes": rows, "failed": failed, "current": current})
        return
    for row in rows:
        mark = "*" if row["current"] else " "
        out(f"{mark} {clean(row['name'], 40):<18} {'dark ' if row['dark'] else 'light'}  {row['source']:<7} {clean(row['path'], 300)}")
    if current not in found.themes:
        out(f"  (current: {clean(current, 40)}, one of Textual's built-in themes or unknown)")
    for fail in failed:
        err(f"{clean(fail['path'], 300)}: skipped: {clean(fail['error'], 300)}")


for _info in app.registered_commands:
    _info.cls = PlainUsage  # usage lines name arguments plainly


_VALUE_OPTIONS = {"--data-dir", "--config-dir"}


def _register_contact_commands() -> None:
    from tui.cli_contacts import register

    register(app, _state, _thresholds)


_register_contact_commands()


def _subcommand(argv: list[str]) -> str | None:
    """The command named on the command line, skipping the global options and their values."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def main() -> None:
    # Typer turns every command's signature into click parameters before running any of them
    # (10-15 ms for this CLI). A script's `tui add` needs only `add`: register just that one.
    wanted = _subcommand(sys.argv[1:])
    names = {info.name or info.callback.__name__.replace("_", "-"): info for info in app.registered_commands if info.callback}
    if wanted in names:
        app.registered_commands = [names[wanted]]
    app(prog_name="tui")

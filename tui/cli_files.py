"""The commands on files: ``import`` and ``export``, and ``query`` (the contacts, for a mail
client). Thin: the formats read and write, the store stores, :mod:`tui.output` prints."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from tui.cli_base import JsonOpt, State, app, state_of
from tui.cli_support import progress_bar
from tui.errors import BadInput
from tui.models import Status
from tui.output import err, out, print_import
from tui.store import Store


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            help="An export: LinkedIn's archive (zip or folder) or its Connections.csv or Invitations.csv; Meta's archive (Facebook, Instagram) or one of its JSON files; Google Contacts CSV; vCard; Mastodon follow requests JSON; invitation e-mails (.eml, mbox, Maildir); or the generic CSV/JSON."
        ),
    ],
    as_: Annotated[str | None, typer.Option("--as", help="contacts or requests, where the format does not say.")] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Skip detection: linkedin-connections, linkedin-invitations, google, vcard, facebook, facebook-friends, facebook-declined, instagram, mastodon, csv, json, archive, mbox, eml.",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Import a file. All or nothing; re-importing adds nobody twice."""
    from tui.formats.load import read_file

    path = _given(file, "FILE")
    if as_ not in (None, "contacts", "requests"):
        raise BadInput("--as must be contacts or requests")
    with progress_bar("reading", _big(path)) as update:
        update(0, 2)
        parsed = read_file(path, as_, fmt)
        update(1, 2, f"matching {len(parsed.contacts) + len(parsed.requests) + len(parsed.sent)} records against the store")
        report = _import(state_of(ctx), parsed, dry_run)
        update(2, 2)
    print_import(path, parsed, report, dry_run, as_json)


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


def _big(file: Path) -> bool:
    """An export of a few thousand rows or more."""
    try:
        return file.stat().st_size > 300_000
    except OSError:
        return False


@app.command()
def export(
    ctx: typer.Context,
    what: Annotated[
        str, typer.Option("--what", help="contacts, requests, decisions, or accepted (accepted requests, as contacts).")
    ] = "contacts",
    fmt: Annotated[
        str, typer.Option("--format", help="csv, json, vcard, or vdir (a directory of .vcf files for khard and vdirsyncer; needs -o DIR).")
    ] = "csv",
    output_name: Annotated[
        str | None, typer.Option("-o", "--output", help="Write to this file (else standard output); for vdir, this directory.")
    ] = None,
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
    store = state_of(ctx).reader
    if target is None and fmt in ("csv", "vcard") and sys.stdout.isatty():
        raise BadInput("CSV and vCard keep every byte of the original text: write them to a file with -o FILE, or pipe them")
    records: Iterable[Any]
    if what == "accepted":
        accepted_on = store.decided_at()
        records = [exporters.as_contact(r, accepted_on.get(r.id, "")) for r in store.requests() if r.status == Status.ACCEPTED]
    elif what == "contacts" and fmt != "vdir":  # a chunk of contacts.json at a time (100k parsed at once: 250 MB)
        records = store.each_contact()
    else:
        readers: dict[str, Callable[[], Sequence[Any]]] = {
            "contacts": store.contacts,
            "requests": store.requests,
            "decisions": store.decisions,
        }
        records = list(readers[what]())
    if fmt == "vdir":
        from tui import outdir

        assert output is not None and isinstance(records, list)  # checked above
        done = outdir.export(output, records, vcard_version)
        err(f"exported {len(records)} {what} to {output}: " + ", ".join(f"{n} {k}" for k, n in done.items()))
        return
    counted = _Counted(records)
    chunks: Iterable[bytes]
    if fmt == "vcard":
        chunks = exporters.vcard_chunks(counted, vcard_version)
    elif fmt == "csv" and what == "decisions":  # a decision is named after its request, and the other person of a merge
        names = {p.id: p.name for p in (*store.requests(), *store.contacts())}
        chunks = [exporters.to_csv(list(counted), names)]
    elif fmt == "csv":
        chunks = exporters.csv_chunks(counted)
    elif what == "decisions":
        chunks = [exporters.to_json(list(counted), indent=None if target is None else 1)]
    else:
        chunks = exporters.json_chunks(counted, indent=None if target is None else 1)
    if target is not None:
        outfile.write(target, chunks)
        err(f"exported {counted.n} {what} to {output}")
    elif fmt == "json":  # one line, escaped: the terminal never receives a control character; still exact
        from tui.text import json_safe

        for chunk in chunks:
            sys.stdout.write(json_safe(chunk.decode("utf-8", "surrogatepass")))
        out()
    else:
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)


class _Counted:
    """Records as they go by, counted (an export streams them, and then says how many it wrote)."""

    def __init__(self, records: Iterable[Any]) -> None:
        self.records, self.n = records, 0

    def __iter__(self) -> Iterator[Any]:
        for record in self.records:
            self.n += 1
            yield record


@app.command()
def query(
    ctx: typer.Context,
    term: Annotated[str, typer.Argument(help="Words of a name, nickname, company or e-mail address.")],
    no_header: Annotated[bool, typer.Option("--no-header", help="No first line of free text (aerc's address-book-cmd).")] = False,
) -> None:
    """Contacts for a mail client: a first line of free text, then email<TAB>name<TAB>company (mutt's query_command)."""
    from tui.query import lines, search

    term = term.strip()
    for line in lines(search(state_of(ctx).reader.contact_keys(quick=True), term), term, header=not no_header):
        out(line)

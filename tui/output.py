"""Printing for the command line. Every field passes through :mod:`tui.text` on its way out."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

import orjson

from tui.errors import BadInput
from tui.models import Contact, Decision, Request
from tui.text import clean, clean_multiline, json_safe


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def out_lines(lines: Iterable[str]) -> None:
    """Each line, written at once (20k lines: one write, not 20k)."""
    text = "\n".join(lines)
    if text:
        sys.stdout.write(text + "\n")


def err(line: str) -> None:
    sys.stderr.write(clean(line, limit=2000) + "\n")


def dumps(obj: Any) -> str:
    """One line of JSON, with control and format characters escaped as ``\\uXXXX``."""
    try:
        raw = orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError as exc:
        if "surrogates" not in str(exc):
            raise
        # Only a path can get here (stored text is always valid): undecodable bytes in a file name.
        raise BadInput("a path to print holds bytes that are not UTF-8 text, which JSON cannot carry; run without --json") from None
    return json_safe(raw.decode("utf-8", "surrogatepass"))


def emit_json(obj: Any) -> None:
    out(dumps(obj))


def headline_parts(person: Request | Contact, title: int = 60, company: int = 60, location: int = 0) -> list[str]:
    """What a person says they are, as a headline's pieces in order: title, company and (given a
    cap) location, each cleaned and capped, the empty ones left out. The one source of both
    headlines: the command line's (:func:`headline`) and the card's
    (:func:`tui.app.widgets.request_card.headline`)."""
    fields = ((person.title, title), (person.company, company), (person.location, location))
    return [text for text in (clean(value, cap) for value, cap in fields if cap) if text]


def headline(person: Request | Contact) -> str:
    """Title and company, for a line of ``tui list``."""
    return ", ".join(headline_parts(person))


def summary_line(record: Request | Contact) -> str:
    status = record.status if isinstance(record, Request) else "contact"
    source = clean(record.source, 20) or "-"
    line = f"{record.id:<7} {status:<9} {source:<10} {clean(record.name, 60)}"
    if head := headline(record):
        line += f" — {head}"
    return line


def show_lines(record: Request | Contact | Decision) -> list[str]:
    lines = []
    for key, value in record.public().items():
        if key in ("message", "notes", "note") and isinstance(value, str):
            value = clean_multiline(value).replace("\n", "\n" + " " * 14)
        else:
            value = _shown(value)
        if value:
            lines.append(f"{key + ':':<13} {value}")
    return lines


def _shown(value: Any) -> str:
    """Any stored value on one line, cleaned at every depth: a decision's ``before`` holds the
    request's (and a merged contact's) fields, as strangers wrote them."""
    if isinstance(value, dict):
        return ", ".join(f"{clean(k, 40)}={_shown(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_shown(v) for v in value)
    return clean("" if value is None else value)


# -- what commands report, in words (the commands in tui/cli_*.py only gather it) -------------


def print_duplicates(duplicates: list[Any], as_json: bool, new_id: str | None) -> None:
    """Likely duplicates (identical, impersonation, likely), each with its reasons."""
    if as_json:
        emit_json({"id": new_id, "duplicates": [d.to_doc() | {"name": name} for d, name in duplicates]})
        return
    if new_id:
        out(f"added {new_id}")
    for d, name in duplicates:
        out(f"  {d.kind} duplicate ({d.score}): {d.other_id} {clean(name, 60)} — {'; '.join(clean(r) for r in d.reasons)}")


def print_import(path: Any, parsed: Any, report: Any, dry_run: bool, as_json: bool) -> None:
    """What an import stored (or would store), by file of an archive, and why rows were skipped."""
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
        why.append(
            f"{empty} row{' held' if empty == 1 else 's held'} no one to import (no name or address: a hidden or deleted profile, or a copy of another row)"
        )
    if known:
        why.append(f"{known} already a contact (the same e-mail or profile URL)")
    return "; ".join(why)


def print_doctor(report: dict[str, Any], repair: bool) -> None:
    """`tui doctor`'s report in words: each file, the records, schema, lock and backups, what was
    repaired, and the verdict."""
    counts = report["records"]
    for name, state in report["files"].items():
        if state == "missing":
            out(f"· {name:<14} not created yet (nothing written there so far)")
        else:
            out(f"{'✓' if state == 'ok' else '✗'} {name:<14} {clean(state, 200)}")
    if counts:
        out("records: " + ", ".join(f"{n} {table}" for table, n in counts.items()))
    out(
        f"schema {report['schema']} (this tui writes {report['schema_supported']}) · lock {clean(report['lock'], 300)} · {len(report['backups'])} backups"
        + (f", newest {clean(report['backups'][0], 300)}" if report["backups"] else "")
    )
    for name, backup in report["good_backup"].items():
        for bad in report.get("damaged_backups", {}).get(name, ()):
            out(f"! backup copy damaged: {clean(bad, 300)} (a repair passes over it)")
        if report["files"][name] != "ok" or backup is None:
            out(f"  newest good copy of {name}: {clean(backup, 300) if backup else 'none'}")
    for name, info in report["repaired"].items():
        if "lines_dropped" in info:
            dropped = ", ".join(str(n) for n in info["lines_dropped"])
            out(
                f"repaired {name}: damaged line(s) {clean(dropped, 100)} dropped, the {info['lines_kept']} other write(s) kept;"
                f" the damaged file is kept as {clean(info['damaged_copy'], 300)}"
            )
        else:
            kept = f"; the damaged file is kept as {clean(info['damaged_copy'], 300)}" if info["damaged_copy"] else ""
            out(f"restored {name} from {clean(info['from'], 300)}{kept}")
    for problem in report["problems"]:
        out(f"✗ {clean(problem, 300)}")
    if report.get("half_committed"):
        out("a write of two files was interrupted between its renames: the next write, or `tui doctor --repair`, finishes it")
    elif report["stray_temp_files"]:
        out(f"{len(report['stray_temp_files'])} temp files from an interrupted write (removed at the next start)")
    out(
        "healthy"
        if report["healthy"]
        else "NOT healthy: "
        + (
            "run `tui doctor --repair`"
            if not repair and (report.get("half_committed") or any(s not in ("ok", "missing") for s in report["files"].values()))
            else "see above"
        )
    )


def print_stats(summary: dict[str, Any]) -> None:
    """`tui stats` in words: counts by status, the acceptance rate, noes by rule, counts by source."""
    out(f"requests: {summary['total']}  " + "  ".join(f"{k}: {v}" for k, v in summary["by_status"].items()))
    rate = summary["acceptance_rate"]
    out(f"acceptance rate: {'-' if rate is None else f'{rate:.0%}'} of {summary['decided']} decided")
    out("noes by rule: " + ", ".join(f"{clean(k, 40)} {v}" for k, v in summary["rule_noes"].items()))
    for src, counts in summary["by_source"].items():
        out(f"  {clean(src, 30):<12} " + "  ".join(f"{k} {v}" for k, v in counts.items()))


def print_themes(rows: list[dict[str, Any]], failed: list[dict[str, str]], current: str, known: bool) -> None:
    """`tui themes` in words: one line a theme (``*`` the current one); files that failed on stderr."""
    for row in rows:
        mark = "*" if row["current"] else " "
        out(f"{mark} {clean(row['name'], 40):<18} {'dark ' if row['dark'] else 'light'}  {row['source']:<7} {clean(row['path'], 300)}")
    if not known:
        out(f"  (current: {clean(current, 40)}, one of Textual's built-in themes or unknown)")
    for fail in failed:
        err(f"{clean(fail['path'], 300)}: skipped: {clean(fail['error'], 300)}")

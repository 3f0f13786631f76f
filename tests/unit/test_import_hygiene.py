"""The core never imports a terminal library, and fast commands never import the UI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

INVITATIONS = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "Invitations_2025.csv"
ARCHIVE = Path(__file__).resolve().parents[1] / "fixtures" / "sources" / "meta" / "facebook-2025"
MBOX = Path(__file__).resolve().parents[1] / "fixtures" / "sources" / "mail" / "invitations.mbox"

CORE = [
    "tui.models",
    "tui.rules",
    "tui.text",
    "tui.store",
    "tui.config",
    "tui.keymap",
    "tui.paths",
    "tui.stats",
    "tui.fileio",
    "tui.output",
    "tui.sample",
    "tui.errors",
    "tui.intake",
    "tui.dedup.normalise",
    "tui.dedup.keys",
    "tui.dedup.person",
    "tui.dedup.keyfile",
    "tui.dedup.match",
    "tui.dedup.names",
    "tui.formats.generic",
    "tui.formats.load",
    "tui.formats.linkedin",
    "tui.formats.google",
    "tui.formats.vcard",
    "tui.formats.facebook",
    "tui.formats.export",
    "tui.formats.sources",
    "tui.formats.bundle",
    "tui.formats.mail",
    "tui.formats.instagram",
    "tui.formats.mastodon",
    "tui.formats.htmltext",
    "tui.formats.parsed",
    "tui.formats.vdir",
    "tui.query",
    "tui.outdir",
    "tui.context",
    "tui.context.flags",
    "tui.context.history",
    "tui.context.company",
    "tui.context.replies",
    "tui.context.queue",
    "tui.defer",
    "tui.doctor",
    "tui.theme_files",
    "tui.serve",
    "tui.outfile",
    "tui.store.store",
    "tui.store.datadir",
    "tui.store.files",
    "tui.store.history",
    "tui.store.imports",
    "tui.store.reconcile",
    "tui.store.derived",
    "tui.store.backups",
    "tui.store.migrations",
    "tui.store.errors",
    "tui.store.lock",
    "tui.store.steps",
    "tui.store.contact_merge",
    "tui.dedup.contact_groups",
    "tui.cli_contacts",
    "tui.app.contact_review",
    "tui.backlog",
    "tui.guide",
    "tui.config_template",
    "tui.app.queue",
    "tui.app.session",
]


def loaded_after(code: str, env: dict[str, str] | None = None, watched: tuple[str, ...] = ("textual", "rich", "tinydb")) -> set[str]:
    probe = code + f"\nimport sys\nprint(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in {watched!r})))"
    out = subprocess.run([sys.executable, "-P", "-c", probe], capture_output=True, text=True, check=True, env=env)
    return (
        set(out.stdout.splitlines()[-1].split()) if out.stdout.strip() else set()
    )  # (the last line: the command's own output is before it)


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_terminal_library(module: str) -> None:
    loaded = loaded_after(f"import {module}")
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich")}


def test_only_the_store_package_imports_tinydb() -> None:
    root = Path(__file__).resolve().parents[2] / "tui"
    importers = sorted(str(p.relative_to(root)) for p in root.rglob("*.py") if "tinydb" in p.read_text())
    assert importers, "the check looks for nothing"
    assert [p for p in importers if not p.startswith("store/")] == []


@pytest.mark.parametrize(
    "argv",
    [
        ["add", "Ann", "--email", "ann@x.io"],
        ["add", "Ann", "--json"],
        ["list", "--json"],
        ["list", "--flag", "mass-sent", "--match", "any", "--json"],
        ["decide", "r1", "r3", "decline"],
        ["config", "--print"],
        ["show", "r1"],
        ["decide", "r1", "accept"],
        ["undo"],
        ["stats", "--json"],
        ["dedup", "--json"],
        ["doctor", "--json"],
        ["export", "--what", "requests", "--format", "json"],
        ["import", str(INVITATIONS)],
        ["import", str(ARCHIVE)],
        ["import", str(MBOX)],
        ["query", "ann"],
        ["export", "--what", "contacts", "--format", "vdir", "-o", "VDIR"],
        ["merge", "r1", "c1"],
        ["dedup", "--contacts", "--json"],
        ["merge-contacts", "c1", "c2", "--force"],
        ["locate"],
        ["themes", "--json"],
        ["--version"],
    ],
)
def test_cli_commands_do_not_import_textual_or_rich(argv: list[str], tmp_path) -> None:
    import os

    env = dict(os.environ, TUI_DATA_DIR=str(tmp_path / "d"), TUI_CONFIG_DIR=str(tmp_path / "c"))
    argv = [str(tmp_path / "vdir") if arg == "VDIR" else arg for arg in argv]
    code = (
        "from tui.store import Store\nfrom tui.models import Request\n"
        f"s = Store.open({str(tmp_path / 'd')!r})\ns.add_request(Request(name='Seed'))\n"
        "s.record_decision(s.add_request(Request(name='Two')).id, 'decline')\n"
        "s.add_request(Request(name='Three'))\n"
        "from tui.models import Contact\ns.add_contact(Contact(name='Seed Person'))\ns.add_contact(Contact(name='Other Person'))\n"
        "from tui.cli import app\n"
        f"try:\n    app({argv!r}, prog_name='tui')\nexcept SystemExit as e:\n    assert e.code in (0, None), e.code\n"
    )
    loaded = loaded_after(code, env)
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich")}, loaded


def loaded_by_command(argv: list[str], tmp_path: Path, watched: tuple[str, ...]) -> set[str]:
    """The modules of ``watched`` loaded once `tui ARGV` has run, in a fresh interpreter, on a store
    of one request and one contact (the command must succeed)."""
    import os

    env = dict(os.environ, TUI_DATA_DIR=str(tmp_path / "d"), TUI_CONFIG_DIR=str(tmp_path / "c"))
    code = (
        "from tui.store import Store\nfrom tui.models import Contact, Request\n"
        f"s = Store.open({str(tmp_path / 'd')!r})\ns.add_request(Request(name='Ann Lea'))\ns.add_contact(Contact(name='Bo Leigh'))\n"
        "from tui.cli import app\n"
        f"try:\n    app({argv!r}, prog_name='tui')\nexcept SystemExit as e:\n    assert e.code in (0, None), e.code\n"
    )
    return loaded_after(code, env, watched)


@pytest.mark.parametrize(
    "argv", [["add", "Ann Lee", "--company", "Acme"], ["add", "--contact", "Bo Lee"], ["show", "r1"], ["decide", "r1", "accept"]]
)
def test_one_record_commands_do_not_import_the_batch_machinery(argv: list[str], tmp_path) -> None:
    """multiprocessing and numpy are for a batch (`tui dedup`'s forked matching, its score
    matrices): a command about one record does not pay for importing them."""
    assert loaded_by_command(argv, tmp_path, ("multiprocessing", "numpy")) == set()


@pytest.mark.parametrize("argv", [["list"], ["list", "--status", "all", "--sort", "name"], ["list", "--contacts"]])
def test_a_plain_list_does_not_import_the_queue_filter(argv: list[str], tmp_path) -> None:
    """The red flags, the queue's context and the normalisers behind `--flag`, `--match` and the
    ages (tui.backlog) are for a filtered list: a plain one does not pay for importing them."""
    loaded = loaded_by_command(argv, tmp_path, ("tui",))
    assert "tui.store" in loaded, "the check looks at nothing"
    assert {m for m in loaded if m == "tui.backlog" or m.startswith("tui.context")} == set()

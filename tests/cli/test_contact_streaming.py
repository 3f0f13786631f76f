"""Commands that go through every contact read contacts.json a chunk at a time (issue 16): their
output is byte for byte what it was when they parsed the whole file, and their peak memory does not
grow with the contacts.

The oracle (:data:`ORACLE`) is the output of the code before streaming, on :func:`build`'s store
of a few hundred contacts: hostile text, list fields, contacts added (journal lines), merged and
removed since the file was last written whole."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import HOSTILE, TUI, subprocess_env

FIRST = "Ann Bob Chloé Dmitri Émile Fatima Grace Hannah Ingrid Johan Zoë Ōta".split()
LAST = "Lee O'Brien Müller Smith Nguyen Zhao García Kowalski Sato Dubois".split()


def build(data: Path) -> None:
    """A few hundred contacts over five chunks of contacts.json, then journal lines on top."""
    from tui.models import Contact
    from tui.store import Store

    people = []
    for i in range(300):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        hostile = HOSTILE[i % len(HOSTILE)] if i % 9 == 0 else ""
        people.append(
            Contact(
                name=f"{first} {last}{hostile}" + (f" {i}" if i % 4 else ""),
                first_name=first,
                last_name=last,
                title=["CTO", "Engineer, Platform; Ops", "", "Head of \\ Sales"][i % 4],
                company=["Acme", "Globex, Inc.", "", "Initech\r\nLtd"][i % 4] + hostile,
                location=["Berlin", "", "São Paulo"][i % 3],
                emails=[f"p{i}@example.org"] + ([f"alt{i}@mail.example"] if i % 5 == 0 else []),
                urls=[f"https://www.linkedin.com/in/p-{i}"] + (["https://evil-linkedin.com/x"] if i % 11 == 0 else []),
                source=["linkedin", "google", "vcard", "facebook"][i % 4],
                source_id=f"id-{i}" if i % 3 else "",
                tags=["friend", "a;b"] if i % 6 == 0 else [],
                notes="line one\nline two, with; marks" if i % 7 == 0 else "",
                phones=[f"+49 30 {i:06d}"] if i % 2 else [],
                nicknames=[first[:3]] if i % 8 == 0 else [],
                department="R&D" if i % 10 == 0 else "",
                connected_on=f"2025-0{1 + i % 9}-1{i % 10}",
            )
        )
    store = Store.open(data)
    store.import_records(people, [])
    store.merge_contacts(["c3", "c70"])  # c70 removed, c3 changed (contacts.json written whole)
    for name in ("Zed Added", "Yan \u202eAdded", "Xu [b]Added[/b]"):  # journal lines from here on
        store.add_contact(Contact(name=name, emails=[f"{name.split()[0].lower()}@added.example"], source="manual"))
    with store._transaction(store._contacts) as (db,):  # a journal line that changes one contact and removes another
        db.table("contacts").update({"title": "Changed \x1b[31m"}, doc_ids=[5])
        db.table("contacts").remove(doc_ids=[130])
    store.add_contact(Contact(name="Last Added", company="Tail Co"))


COMMANDS = {
    "list --contacts": ["list", "--contacts"],
    "list --contacts --json": ["list", "--contacts", "--json"],
    "export json (stdout)": ["export", "--what", "contacts", "--format", "json"],
    "export json -o": ["export", "--what", "contacts", "--format", "json", "-o", "{out}"],
    "export csv -o": ["export", "--what", "contacts", "--format", "csv", "-o", "{out}"],
    "export vcard -o": ["export", "--what", "contacts", "--format", "vcard", "-o", "{out}"],
    "export vcard 4.0 -o": ["export", "--what", "contacts", "--format", "vcard", "--vcard-version", "4.0", "-o", "{out}"],
}

#: sha256 and length of each command's output (stdout, or the file written) before streaming.
ORACLE: dict[str, tuple[str, int]] = {
    "list --contacts": ("93d736fe63fa1511a3cfdfb3c48a370c8fef6f55791da5cdf5c83cb20f6996e1", 20610),
    "list --contacts --json": ("5709f6b98d1b063365143fe7a3aaab1b11bdd5978f94d0e829bcce003d40f0aa", 118030),
    "export json (stdout)": ("43878203c61895920e34aae08251858b073120fdfd6e8b7ae893e6f2bd8a9311", 89889),
    "export json -o": ("eefb86e6b253bdb3b9b3ef7cee87ee1b80083b7b5768f070103e83075730d84e", 103436),
    "export csv -o": ("f372938a6e78946b3743b347f5afd51da0c49b6494e2e98883eec1181d23cd7b", 47066),
    "export vcard -o": ("00aef7e235137887eae0484291642e0c63df5a6df591cd8ada5eebe12f945733", 74664),
    "export vcard 4.0 -o": ("ec0f0f0468560a152b3f1b68aba3f3c71399d5aa89c786a2d20a0199f112bd86", 69596),
}


def output(data: Path, tmp_path: Path, argv: list[str]) -> bytes:
    import subprocess

    out = tmp_path / "export.out"
    out.unlink(missing_ok=True)
    done = subprocess.run(
        [TUI, *(a.format(out=out) for a in argv)], capture_output=True, env=subprocess_env(data), check=False, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 0, done.stderr
    return out.read_bytes() if "{out}" in argv else done.stdout


class TestSameOutput:
    @pytest.fixture(scope="class")
    def world(self, tmp_path_factory: pytest.TempPathFactory) -> Path:
        data = tmp_path_factory.mktemp("streaming") / "data"
        build(data)
        return data

    @pytest.mark.parametrize("name", list(COMMANDS))
    def test_byte_for_byte_as_before(self, world: Path, tmp_path: Path, name: str) -> None:
        got = output(world, tmp_path, COMMANDS[name])
        assert (hashlib.sha256(got).hexdigest(), len(got)) == ORACLE[name], got[:300]


#: How much more than `tui show c1` a command going through every contact may hold at its peak, at
#: 20k contacts (parsing contacts.json whole held 50-150 MiB more there; a chunk at a time, a few).
MARGIN_MIB = 25


class TestPeakMemory:
    @pytest.fixture(scope="class")
    def big(self, tmp_path_factory: pytest.TempPathFactory) -> Path:
        from bench.worlds import make_big_store

        data = tmp_path_factory.mktemp("big") / "data"
        make_big_store(data, contacts=20_000, pending=200)
        return data

    @pytest.mark.parametrize(
        "name", ["list --contacts", "export json (stdout)", "export json -o", "export vcard -o", "export csv -o", "doctor"]
    )
    def test_does_not_grow_with_the_contacts(self, big: Path, tmp_path: Path, name: str) -> None:
        from tests.cli.test_import_limits import peak

        floor = peak(big, "show", "c1")
        run = peak(big, *(a.format(out=tmp_path / "export.out") for a in COMMANDS.get(name, [name])))
        assert floor.code == run.code == 0, run.stderr
        assert run.peak_mib - floor.peak_mib < MARGIN_MIB, (run.peak_mib, floor.peak_mib)

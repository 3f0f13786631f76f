"""Imports keep every person: the installed `tui import` and `tui export` in subprocesses, on real
stores. Different people who share a name and a company stay different; an export imported into an
empty store gives back the same people with the same fields."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, TUI, store_bytes, subprocess_env
from tui.store import Store

FIXTURES = ROOT / "tests" / "fixtures" / "imports"


def run(data: Path, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [TUI, "--data-dir", str(data), *args], capture_output=True, text=True, env=subprocess_env(data), stdin=subprocess.DEVNULL
    )
    assert result.returncode == code, (result.stdout, result.stderr)
    return result


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def people(data: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    return sorted((c.name, c.company, tuple(c.emails)) for c in Store.open(data).contacts())


class TestNamesakes:
    @pytest.mark.parametrize("fmt", ["csv", "json"])
    def test_two_ann_lees_at_acme_with_different_emails_stay_two(self, tmp_path: Path, fmt: str) -> None:
        rows = [
            {"name": "Ann Lee", "company": "Acme", "email": "ann@acme.io"},
            {"name": "Ann Lee", "company": "Acme", "email": "ann.lee@acme.io"},
        ]
        path = tmp_path / f"people.{fmt}"
        if fmt == "csv":
            write_csv(path, rows)
        else:
            path.write_text(json.dumps(rows))
        data = tmp_path / "data"
        result = json.loads(run(data, "import", str(path), "--as", "contacts", "--json").stdout)
        assert result["added"] == 2
        assert people(data) == [("Ann Lee", "Acme", ("ann.lee@acme.io",)), ("Ann Lee", "Acme", ("ann@acme.io",))]
        again = json.loads(run(data, "import", str(path), "--as", "contacts", "--json").stdout)
        assert (again["added"], again["unchanged"]) == (0, 2)

    def test_2000_people_from_50_names_arrive_as_2000(self, tmp_path: Path) -> None:
        names = [f"Person {i}" for i in range(50)]
        rows = [{"name": names[i % 50], "company": "Acme" if i % 2 else "Initech", "email": f"p{i}@example.com"} for i in range(2000)]
        path = write_csv(tmp_path / "many.csv", rows)
        data = tmp_path / "data"
        assert json.loads(run(data, "import", str(path), "--as", "contacts", "--json").stdout)["added"] == 2000
        assert len(Store.open(data).contacts()) == 2000
        assert json.loads(run(data, "import", str(path), "--as", "contacts", "--json").stdout)["added"] == 0

    def test_two_rows_with_different_ids_stay_two_requests(self, tmp_path: Path) -> None:
        rows = [
            {"id": "x-1", "name": "John Smith", "company": "Acme", "message": "hi"},
            {"id": "x-2", "name": "John Smith", "company": "Acme", "message": "hi"},
        ]
        data = tmp_path / "data"
        run(data, "import", str(write_csv(tmp_path / "r.csv", rows)))
        assert sorted(r.source_id for r in Store.open(data).requests()) == ["x-1", "x-2"]

    def test_a_later_file_without_emails_updates_the_one_ann_lee(self, tmp_path: Path) -> None:
        data = tmp_path / "data"
        run(
            data,
            "import",
            str(write_csv(tmp_path / "a.csv", [{"name": "Ann Lee", "company": "Acme", "email": "ann@acme.io"}])),
            "--as",
            "contacts",
        )
        run(
            data, "import", str(write_csv(tmp_path / "b.csv", [{"name": "Ann Lee", "company": "Acme", "title": "CTO"}])), "--as", "contacts"
        )
        (ann,) = Store.open(data).contacts()
        assert (ann.emails, ann.title) == (["ann@acme.io"], "CTO")


REQUESTS = [
    {
        "id": "x-1",
        "name": "Ann Lee",
        "first_name": "Ann",
        "last_name": "Lee",
        "company": "Acme",
        "title": "CTO",
        "location": "Oslo",
        "email": "ann@acme.io;ann@home.example",
        "url": "https://x.com/ann",
        "source": "x",
        "message": "Hello,\nmet at the fair",
        "sent_at": "2026-03-01T09:30:00",
        "tags": "fair;oslo",
        "notes": "=1+1",
        "connections": "500+",
        "mutual": "3",
    },
    {
        "id": "x-2",
        "name": "Ann Lee",
        "company": "Acme",
        "email": "ann.lee@acme.io",
        "source": "x",
        "message": "Hi",
        "sent_at": "2026-03-02",
        "connections": "12",
        "mutual": "0",
    },
    {"name": "Ann Lee", "company": "Acme", "source": "x", "message": "no identity at all"},
    {"name": "Ann Lee", "company": "Acme", "source": "x", "message": "no identity at all"},
]
CONTACTS = [
    {"id": "c-1", "name": "Bo Ek", "company": "Acme", "email": "bo@acme.io", "source": "import", "tags": "a;b", "notes": "n"},
    {"id": "c-2", "name": "Bo Ek", "company": "Acme", "email": "bo.ek@acme.io", "source": "import"},
    {"name": "Bo Ek", "company": "Acme", "source": "import"},
    {"name": "Bo Ek", "company": "Acme", "source": "import"},
]
#: What an export does not carry: ids and when the store took the record in.
NOT_EXPORTED = {"id", "added_at"}


def fields(records: list) -> list[dict]:  # type: ignore[type-arg]
    docs = [{k: v for k, v in r.public().items() if k not in NOT_EXPORTED} for r in records]
    return sorted(docs, key=lambda d: json.dumps(d, sort_keys=True))


class TestRoundTrip:
    @pytest.mark.parametrize("fmt", ["csv", "json"])
    @pytest.mark.parametrize("what", ["requests", "contacts"])
    def test_export_then_import_into_an_empty_store_gives_the_same_people_and_fields(self, tmp_path: Path, fmt: str, what: str) -> None:
        source = tmp_path / "source"
        rows = REQUESTS if what == "requests" else CONTACTS
        run(source, "import", str(write_csv(tmp_path / "in.csv", [{k: r.get(k, "") for k in rows[0]} for r in rows])), "--as", what)
        if what == "contacts":  # LinkedIn contacts carry the day they connected
            run(source, "import", str(FIXTURES / "Connections_2025.csv"))
        out = tmp_path / f"out.{fmt}"
        run(source, "export", "--what", what, "--format", fmt, "-o", str(out))
        copy = tmp_path / "copy"
        run(copy, "import", str(out), "--as", what)
        load = (lambda s: s.requests()) if what == "requests" else (lambda s: s.contacts())
        original, restored = fields(load(Store.open(source))), fields(load(Store.open(copy)))
        assert len(original) == len(rows) + (3 if what == "contacts" else 0) and restored == original
        # and a second import of the same export changes nothing
        before = store_bytes(copy)
        assert json.loads(run(copy, "import", str(out), "--as", what, "--json").stdout)["added"] == 0
        assert store_bytes(copy) == before


class TestUrlsThatAreNotOnePerson:
    """Rows whose URLs differ only in a query, a fragment or a short path segment are different
    people; a URL that is nobody's profile (a company page, a bare host) never joins two rows."""

    ROWS = [
        ("Ann One", "example.com/profile?id=1"),
        ("Bob Two", "example.com/profile?id=2"),
        ("Cat Three", "youtube.com/watch?v=a"),
        ("Dan Four", "youtube.com/watch?v=b"),
        ("Eve Five", "https://acme.com"),
        ("Fay Six", "https://acme.com"),
        ("Gus Seven", "example.org/jo/smith"),
        ("Hal Eight", "example.org/al/smith"),
        ("Ivy Nine", "app.example.net/#/user/1"),
        ("Jon Ten", "app.example.net/#/user/2"),
        ("Kim Eleven", "linkedin.com/company/acme"),
        ("Lou Twelve", "linkedin.com/company/acme"),
        ("Max Thirteen", "linkedin.com/in/"),
        ("Ned Fourteen", "linkedin.com/in/"),
        ("Oda Fifteen", "https://twitter.com/intent/user?user_id=111"),
        ("Pia Sixteen", "https://twitter.com/intent/user?user_id=222"),
        ("Quy Seventeen", "https://x.com/i/user/3"),
        ("Rex Eighteen", "https://x.com/i/user/4"),
    ]

    def test_every_row_is_its_own_person_with_its_own_url(self, tmp_path: Path) -> None:
        path = write_csv(tmp_path / "urls.csv", [{"name": name, "url": url} for name, url in self.ROWS])
        data = tmp_path / "data"
        assert f"{len(self.ROWS)} added, 0 updated, 0 unchanged" in run(data, "import", str(path), "--as", "contacts").stdout
        assert sorted((c.name, tuple(c.urls)) for c in Store.open(data).contacts()) == sorted((name, (url,)) for name, url in self.ROWS)
        assert f"0 added, 0 updated, {len(self.ROWS)} unchanged" in run(data, "import", str(path), "--as", "contacts").stdout

    def test_a_look_alike_of_a_contacts_address_is_not_already_connected(self, tmp_path: Path) -> None:
        data = tmp_path / "data"
        contacts = write_csv(
            tmp_path / "c.csv", [{"name": "Jane Real", "email": "jane@acme.com", "url": "https://www.linkedin.com/in/jane-real"}]
        )
        run(data, "import", str(contacts), "--as", "contacts")
        requests = write_csv(
            tmp_path / "r.csv",
            [
                {"name": "Jane Real", "email": "\uff4aane@acme.com", "url": ""},
                {"name": "Jane Real", "email": "", "url": "https://www.linkedin.com/in/jane-real/%2e%2e/%2e%2e/in/mallory-evil"},
                {"name": "Jane Real", "email": "", "url": "https://www.linkedin.com/in/\uff4a\uff41\uff4e\uff45-real"},
                {"name": "Jane Real", "email": "jane@acme.com", "url": ""},
            ],
        )
        assert "3 added, 0 updated, 0 unchanged, 1 skipped" in run(data, "import", str(requests), "--as", "requests").stdout

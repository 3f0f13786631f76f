"""Every command and every error path, through Typer's CliRunner on a real store."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import runner, tui
from tests.conftest import HOSTILE, ROOT, TUI, on_disk, store_bytes
from tui.cli import app
from tui.models import Contact
from tui.store import Store

FORBIDDEN = ("\x1b", "\x07", "\x9b", "\x9d", "\u202e")


class TestBasics:
    def test_no_command_prints_help(self) -> None:
        result = tui()
        assert "Usage" in result.stdout and "add" in result.stdout and "triage" in result.stdout

    def test_default_dirs_follow_xdg(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("TUI_DATA_DIR")
        monkeypatch.delenv("TUI_CONFIG_DIR")
        home = tmp_path / "home"
        paths = json.loads(tui("locate", "--json").stdout)
        assert paths["data"] == str(home / ".local/share/tui") and paths["config"] == str(home / ".config/tui")
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xd"))
        monkeypatch.setenv("XDG_CONFIG_HOME", "relative/is/ignored")
        paths = json.loads(tui("locate", "--json").stdout)
        assert paths["data"] == str(tmp_path / "xd" / "tui") and paths["config"] == str(home / ".config/tui")

    def test_version(self) -> None:
        assert tui("--version").stdout.strip() == "tui 0.1.0"

    def test_locate_precedence(self, tmp_path: Path, isolated: dict[str, Path]) -> None:
        paths = json.loads(tui("locate", "--json").stdout)
        assert paths == {"data": str(isolated["data"]), "config": str(isolated["config"]), "themes": str(isolated["config"] / "themes")}
        override = json.loads(tui("--data-dir", str(tmp_path / "x"), "--config-dir", str(tmp_path / "y"), "locate", "--json").stdout)
        assert override["data"] == str(tmp_path / "x") and override["themes"] == str(tmp_path / "y" / "themes")
        assert "data" in tui("locate").stdout


class TestAdd:
    def test_add_request_json(self, isolated: dict[str, Path]) -> None:
        result = json.loads(
            tui("add", "Ann Lee", "--company", "Acme", "--email", "ann@acme.io", "--tag", "pycon", "--tag", "speaker", "--json").stdout
        )
        assert result == {"id": "r1", "duplicates": []}
        ann = Store.open(isolated["data"]).get_request("r1")
        assert (ann.company, ann.emails, ann.tags, ann.status) == ("Acme", ["ann@acme.io"], ["pycon", "speaker"], "pending")

    def test_add_contact(self, isolated: dict[str, Path]) -> None:
        assert "added c1" in tui("add", "Carol", "--contact", "--url", "linkedin.com/in/carol").stdout
        assert [c.name for c in Store.open(isolated["data"]).contacts()] == ["Carol"]

    def test_duplicates_against_contacts_and_pending(self, sample: Path) -> None:
        by_url = json.loads(tui("add", "R. Fletcher", "--url", "https://linkedin.com/in/robert-fletcher-law/", "--json").stdout)
        assert [(d["id"], d["kind"], d["name"]) for d in by_url["duplicates"]] == [("c1", "identical", "Robert Fletcher")]
        by_email = tui("add", "P Raman", "--email", "PRIYA.R@gmail.com").stdout
        assert "identical duplicate (100): r26 Priya Raman — email identical" in by_email  # her X request
        nickname = json.loads(tui("add", "Bob Fletcher", "--company", "Fletcher and Hale", "--json").stdout)
        kinds = {d["id"]: (d["kind"], d["reasons"]) for d in nickname["duplicates"]}
        assert kinds["c1"][0] == "likely" and "nickname Bob→Robert" in kinds["c1"][1][0]
        clone = json.loads(tui("add", "Sаrah Whitfield", "--url", "linkedin.com/in/sarah-w-2027", "--source", "linkedin", "--json").stdout)
        assert [(d["id"], d["kind"]) for d in clone["duplicates"]][:1] == [("c4", "impersonation")]

    def test_strict_exits_4_and_writes_nothing(self, sample: Path) -> None:
        before = store_bytes(sample)
        tui("add", "R. Fletcher", "--url", "linkedin.com/in/robert-fletcher-law", "--strict", code=4)
        tui("add", "Robert Fletcher", "--company", "Fletcher & Hale LLP", "--strict", code=4)  # likely, by name
        assert store_bytes(sample) == before
        assert "added r31" in tui("add", "Someone Entirely New", "--strict").stdout

    @pytest.mark.parametrize(
        "args, message",
        [
            (["", "--json"], "name is empty"),
            (["\u200b\u202e"], "name is empty"),
            (["Ann", "--email", "not-an-address"], "not an e-mail address"),
            (["Ann", "--url", "http://"], "not a URL"),
        ],
    )
    def test_bad_input_exits_2_and_writes_nothing(self, sample: Path, args: list[str], message: str) -> None:
        before = store_bytes(sample)
        result = tui("add", *args, code=2)
        assert message in result.stderr and result.stdout == ""
        assert store_bytes(sample) == before


class TestListShow:
    def test_list_pending_by_default(self, sample: Path) -> None:
        lines = tui("list").stdout.splitlines()
        assert len(lines) == 29 and lines[0].startswith("r1 ") and "Bob Fletcher" in lines[0]

    def test_list_json_one_record_per_line(self, sample: Path) -> None:
        records = [json.loads(line) for line in tui("list", "--json").stdout.splitlines()]
        assert len(records) == 29
        assert {"id", "source_id", "name", "company", "message", "status"} <= set(records[0])
        assert records[0]["source_id"] == "https://www.linkedin.com/in/bob-fletcher-fh"

    def test_list_filters(self, sample: Path) -> None:
        tui("decide", "r1", "accept")
        assert [json.loads(line)["id"] for line in tui("list", "--status", "accepted", "--json").stdout.splitlines()] == ["r1"]
        assert len(tui("list", "--status", "all").stdout.splitlines()) == 30
        assert [json.loads(line)["name"] for line in tui("list", "--status", "sent", "--json").stdout.splitlines()] == ["Rosa Delgado"]
        assert {json.loads(line)["source"] for line in tui("list", "--source", "x", "--json").stdout.splitlines()} == {"x"}
        contacts = tui("list", "--contacts", "--json").stdout.splitlines()
        assert len(contacts) == 42 and json.loads(contacts[0])["id"] == "c1"
        tui("list", "--status", "maybe", code=2)

    def test_show(self, sample: Path) -> None:
        text = tui("show", "r2").stdout
        assert "name:" in text and "Jose Alvarez" in text
        assert json.loads(tui("show", "c2", "--json").stdout)["name"] == "José Álvarez"
        assert "no record" in tui("show", "r999", code=2).stderr  # a wrong id is bad input
        tui("show", "zz", code=2)


class TestDecideUndo:
    def test_decide_with_answers_and_note(self, sample: Path) -> None:
        result = json.loads(
            tui("decide", "r7", "decline", "--answer", "drink=no", "--answer", "business=yes", "--note", "too salesy", "--json").stdout
        )
        assert result["action"] == "decline" and result["answers"] == {"drink": False, "business": True}
        r7 = Store.open(sample).get_request("r7")
        assert r7.status == "declined" and "too salesy" in r7.notes

    def test_defer_until(self, sample: Path) -> None:
        assert "until 2031-05-01" in tui("decide", "r3", "defer", "--until", "2031-05-01").stdout
        assert Store.open(sample).get_request("r3").until == "2031-05-01"
        assert Store.open(sample).get_request("r3").status == "deferred"

    @pytest.mark.parametrize(
        "args, message",
        [
            (["r1", "maybe"], "action must be"),
            (["r1", "accept", "--answer", "vibes=yes"], "unknown rule"),
            (["r1", "accept", "--answer", "drink=perhaps"], "not yes or no"),
            (["r1", "accept", "--until", "2030-01-01"], "--until goes with defer"),
            (["r1", "defer", "--until", "someday"], "use YYYY-MM-DD"),
        ],
    )
    def test_bad_input(self, sample: Path, args: list[str], message: str) -> None:
        before = store_bytes(sample)
        assert message in tui("decide", *args, code=2).stderr
        assert store_bytes(sample) == before

    def test_unknown_request(self, sample: Path) -> None:
        assert "no request" in tui("decide", "r999", "accept", code=2).stderr

    def test_undo(self, sample: Path) -> None:
        tui("decide", "r1", "accept")
        tui("decide", "r2", "decline")
        assert "undid d1 on r1" in tui("undo", "r1").stdout
        assert json.loads(tui("undo", "--json").stdout)["request_id"] == "r2"
        assert "nothing to undo" in tui("undo", code=1).stderr
        assert len(tui("list").stdout.splitlines()) == 29

    def test_custom_rule_from_config(self, sample: Path, isolated: dict[str, Path]) -> None:
        isolated["config"].mkdir(parents=True)
        (isolated["config"] / "config.toml").write_text('values_rule = true\n[[rules]]\nid = "local"\nquestion = "Do they live nearby?"\n')
        tui("decide", "r1", "accept", "--answer", "values=yes", "--answer", "local=no")
        (isolated["config"] / "config.toml").write_text("values_rule = 3\n")
        assert "values_rule: expected bool" in tui("decide", "r2", "accept", "--answer", "drink=yes", code=2).stderr


class TestImport:
    def test_reimport_is_idempotent(self, sample: Path) -> None:
        before = store_bytes(sample)
        assert "0 added, 0 updated, 5 unchanged" in tui("import", str(ROOT / "sample_data" / "requests.csv")).stdout
        assert "0 added, 0 updated, 22 unchanged, 2 skipped" in tui("import", str(ROOT / "sample_data" / "Invitations.csv")).stdout
        assert "0 added, 0 updated, 38 unchanged, 1 skipped" in tui("import", str(ROOT / "sample_data" / "Connections.csv")).stdout
        assert json.loads(tui("import", str(ROOT / "sample_data" / "contacts.vcf"), "--json").stdout)["unchanged"] == 2
        assert {k: v for k, v in store_bytes(sample).items() if k != "queue.json"} == {k: v for k, v in before.items() if k != "queue.json"}

    def test_json_and_dry_run(self, tmp_path: Path, sample: Path) -> None:
        f = tmp_path / "people.json"
        f.write_text(
            json.dumps([{"name": "Ann Lee", "message": "hi", "id": "a1"}, {"first_name": "Bo", "last_name": "Li", "sent_at": "2026-01-02"}])
        )
        before = store_bytes(sample)
        dry = json.loads(tui("import", str(f), "--dry-run", "--json").stdout)
        assert dry["added"] == 2 and dry["dry_run"] is True
        assert store_bytes(sample) == before
        tui("import", str(f))
        assert Store.open(sample).get_request("r32").name == "Bo Li"

    @pytest.mark.parametrize(
        "name, content, message",
        [
            ("cols.csv", b"name,colour\nAnn,red\n", "people.csv:1" if False else ":1: unknown column"),
            ("latin1.csv", "name,message\nAnn,hi\nJos\xe9,hola\n".encode("latin-1"), ":3: not UTF-8"),
            ("noname.csv", b"name,message\nAnn,hi\n,hello\n", ":3: a record needs a name"),
            ("short.csv", b"name,message\nAnn,hi\nBob\n", ":3: 1 cells"),
            ("trunc.json", b'[{"name": "Ann", "message": "hi"},\n {"name": "Bo', ":2: bad JSON"),
            ("bin.csv", b"name,message\nAnn,\x00\x01\x02", ":2: binary data"),
            ("date.csv", b"name,sent_at\nAnn,yesterday\n", ":2: sent_at"),
            ("empty.csv", b"", "empty file"),
        ],
    )
    def test_bad_files_exit_2_with_file_and_line(self, tmp_path: Path, sample: Path, name: str, content: bytes, message: str) -> None:
        f = tmp_path / name
        f.write_bytes(content)
        before = store_bytes(sample)
        err = tui("import", str(f), "--as", "requests", code=2).stderr
        assert str(f) in err and message in err
        assert store_bytes(sample) == before

    def test_kind_must_be_known(self, tmp_path: Path, sample: Path) -> None:
        f = tmp_path / "c.csv"
        f.write_text("name,company\nAnn,Acme\n")
        assert "--as contacts" in tui("import", str(f), code=2).stderr
        tui("import", str(tmp_path / "missing.csv"), code=2)


class TestDedup:
    def test_json_lines_per_request_with_matches_best_first(self, sample: Path) -> None:
        lines = [json.loads(line) for line in tui("dedup", "--json").stdout.splitlines()]
        by_request = {line["request"]["id"]: line["matches"] for line in lines}
        assert {"id", "source_id", "name"} <= set(lines[0]["request"])
        bob = by_request["r1"][0]
        # A LinkedIn invitation carries no company, so a nickname alone makes a possible match.
        assert bob["contact"]["name"] == "Robert Fletcher" and bob["kind"] == "possible" and 0 <= bob["score"] <= 100
        assert any("nickname Bob→Robert" in reason for reason in bob["reasons"])
        priya_x = by_request["r26"]  # on X, with her e-mail and company
        assert priya_x[0]["contact"]["id"] == "c32" and priya_x[0]["kind"] == "likely"
        assert any(m.get("request", {}).get("id") == "r5" for m in priya_x)  # her LinkedIn request: key "request"
        assert by_request["r5"][0]["kind"] == "impersonation"  # the same name on LinkedIn, a new account
        assert by_request["r4"][0]["kind"] == "impersonation" and by_request["r4"][0]["contact"]["id"] == "c4"
        assert by_request["r2"][0]["contact"]["name"] == "José Álvarez"  # accents dropped
        assert by_request["r3"][0]["contact"]["name"] == "Kenji Nakamura"  # "Last, First"

    def test_kind_filter_and_text_output(self, sample: Path) -> None:
        kinds = {
            m["kind"] for line in tui("dedup", "--json", "--kind", "impersonation").stdout.splitlines() for m in json.loads(line)["matches"]
        }
        assert kinds == {"impersonation"}
        text = tui("dedup").stdout
        assert "likely" in text and "Robert Fletcher" in text
        assert "--kind must be among" in tui("dedup", "--kind", "maybe", code=2).stderr

    def test_text_output_ends_with_what_was_found_and_says_so_when_nothing_was(self, sample: Path, isolated: dict[str, Path]) -> None:
        found = len(tui("dedup", "--json").stdout.splitlines())
        pending = len(tui("list", "--status", "pending").stdout.splitlines())
        last = tui("dedup").stdout.splitlines()[-1]
        assert last == f"{found} of the {pending} pending requests have matches; review them with `tui triage`"
        assert 0 < found < pending
        assert tui("dedup", "--kind", "identical").stdout == f"no identical matches among the {pending} pending requests\n"
        assert tui("dedup", "--json", "--kind", "identical").stdout == ""  # JSON lines: none, and nothing else

    def test_contacts_with_no_duplicates_are_said_to_have_none(self, isolated: dict[str, Path]) -> None:
        tui("add", "Ann Lee", "--contact", "--email", "ann@example.org")
        tui("add", "Bob Ray", "--contact", "--email", "bob@example.org")
        assert tui("dedup", "--contacts").stdout == "no groups of duplicate contacts among the 2 contacts\n"

    def test_limit_caps_the_candidates_per_request(self, sample: Path) -> None:
        def most(*args: str) -> int:
            return max(len(json.loads(line)["matches"]) for line in tui("dedup", "--json", *args).stdout.splitlines())

        store = Store.open(sample)
        for i in range(7):  # seven Robert Fletchers: more candidates than the default shows
            store.add_contact(Contact(name="Robert Fletcher", company=f"Firm {i}"))
        assert most() == 5 and most("--limit", "2") == 2 and most("--limit", "1") == 1
        assert "--limit" in tui("dedup", "--limit", "0", code=2).stderr

    def test_add_and_dedup_find_the_same(self, sample: Path) -> None:
        added = json.loads(tui("add", "Nakamura Kenji", "--company", "Sora Robotics", "--source", "x", "--json").stdout)
        line = next(
            json.loads(line) for line in tui("dedup", "--json").stdout.splitlines() if json.loads(line)["request"]["id"] == added["id"]
        )
        in_dedup = [(m.get("contact", m.get("request"))["id"], m["kind"], m["score"]) for m in line["matches"] if m["kind"] != "possible"]
        assert [(d["id"], d["kind"], d["score"]) for d in added["duplicates"]] == in_dedup
        assert in_dedup[0][1] == "likely" and line["matches"][0]["contact"]["name"] == "Kenji Nakamura"

    def test_merge_distinct_and_undo(self, sample: Path) -> None:
        assert "r1: merged into c1" in tui("merge", "r1", "c1").stdout
        store = Store.open(sample)
        assert store.get_request("r1").status == "merged" and "https://www.linkedin.com/in/bob-fletcher-fh" in store.get("c1").urls  # type: ignore[union-attr]
        assert "undid" in tui("undo").stdout
        assert Store.open(sample).get_request("r1").status == "pending"
        tui("distinct", "r1", "c1")
        assert all(
            m["contact"]["id"] != "c1"
            for line in tui("dedup", "--json").stdout.splitlines()
            for m in json.loads(line)["matches"]
            if json.loads(line)["request"]["id"] == "r1" and "contact" in m
        )
        assert "no record 'c999'" in tui("merge", "r1", "c999", code=2).stderr


class TestMergeGuard:
    """`tui merge` merges a request into a contact the matcher suggests; anything else needs --force."""

    def test_a_pair_the_matcher_does_not_suggest_is_refused(self, sample: Path) -> None:
        before = store_bytes(sample)
        err = tui("merge", "r30", "c4", code=2).stderr  # Ingrid Larsen on X, Sarah Whitfield on LinkedIn
        assert "r30" in err and "c4" in err and "--force" in err and len(err.strip().splitlines()) == 1
        assert store_bytes(sample) == before
        assert "r30: merged into c4" in tui("merge", "r30", "c4", "--force").stdout

    @pytest.mark.parametrize("name", ["Sarah\u2800Whitfield", "Sar\u1d00h Whitfield", "Sarah WhitfieId", "Sarah Whitfield"])
    def test_a_cloned_profile_is_impersonation_and_merge_refuses_it(self, sample: Path, name: str) -> None:
        added = json.loads(
            tui(
                "add",
                name,
                "--company",
                "Northbank Capital",
                "--title",
                "Managing Director",
                "--source",
                "linkedin",
                "--url",
                "https://www.linkedin.com/in/sarah-whitfield-nb2",
                "--json",
            ).stdout
        )
        assert [(d["id"], d["kind"]) for d in added["duplicates"]][:1] == [("c4", "impersonation")]
        before = store_bytes(sample)
        assert "impersonator" in tui("merge", added["id"], "c4", code=2).stderr
        assert store_bytes(sample) == before

    def test_a_fullwidth_at_sign_is_no_address(self, isolated: dict[str, Path]) -> None:
        assert "not an e-mail address" in tui("add", "Mallory", "--email", "jane\uff20acme.com", code=2).stderr

    @pytest.mark.parametrize(
        "args",
        [
            ["--email", "\uff4aane@acme.com"],
            ["--url", "https://www.linkedin.com/in/\uff4a\uff41\uff4ee-real"],
            ["--url", "https://www.linkedin.com/in/jane-real/../../in/mallory-evil"],
        ],
    )
    def test_a_look_alike_address_is_not_identical(self, isolated: dict[str, Path], args: list[str]) -> None:
        tui("add", "Jane Real", "--contact", "--email", "jane@acme.com", "--url", "https://www.linkedin.com/in/jane-real")
        added = json.loads(tui("add", "Mallory", *args, "--json").stdout)
        assert all(d["kind"] != "identical" for d in added["duplicates"]), added

    def test_a_web_address_that_is_nobodys_profile_is_kept_as_a_url(self, isolated: dict[str, Path]) -> None:
        assert "added r1" in tui("add", "Eve Five", "--url", "https://acme.com", "--url", "linkedin.com/company/acme").stdout
        assert Store.open(isolated["data"]).get_request("r1").urls == ["https://acme.com", "linkedin.com/company/acme"]


class TestStats:
    def test_stats(self, sample: Path) -> None:
        tui("decide", "r1", "accept", "--answer", "drink=yes")
        tui("decide", "r2", "decline", "--answer", "drink=no", "--answer", "business=no")
        tui("decide", "r3", "decline", "--answer", "business=no")
        stats = json.loads(tui("stats", "--json").stdout)
        assert stats["by_status"]["accepted"] == 1 and stats["by_status"]["declined"] == 2
        assert stats["acceptance_rate"] == pytest.approx(0.333, abs=0.001)
        assert stats["rule_noes"] == {"business": 2, "drink": 1, "recommend": 0}
        assert stats["by_source"]["linkedin"]["declined"] == 2
        assert "acceptance rate: 33%" in tui("stats").stdout


class TestCorruptStore:
    def test_exit_3_names_file_and_changes_nothing(self, sample: Path) -> None:
        queue = sample / "queue.json"
        queue.write_bytes(b'{"requests": {')
        for args in (["list"], ["add", "Ann"], ["decide", "r1", "accept"], ["stats"]):
            err = tui(*args, code=3).stderr
            assert str(queue) in err and "newest good backup" in err
        assert queue.read_bytes() == b'{"requests": {'


class TestHostileText:
    @pytest.mark.parametrize("text", [*HOSTILE, "x" * 100_000])
    def test_no_control_bytes_in_any_output(self, isolated: dict[str, Path], text: str) -> None:
        tui("add", text, "--message", text, "--title", text, "--company", text)
        outputs = [
            tui("list").stdout,
            tui("list", "--json").stdout,
            tui("show", "r1").stdout,
            tui("show", "r1", "--json").stdout,
            tui("stats").stdout,
        ]
        for output in outputs:
            assert not any(ch in output for ch in FORBIDDEN)
        # JSON keeps the original text, escaped.
        assert json.loads(tui("show", "r1", "--json").stdout)["name"] == text
        assert Store.open(isolated["data"]).get_request("r1").name == text

    def test_sample_hostile_request_is_inert(self, sample: Path) -> None:
        listing = tui("list").stdout
        assert "[@click=app.quit]Totally Legit[/]" in listing
        assert not any(ch in listing for ch in FORBIDDEN)


class TestEntryPoint:
    """`tui` as installed: main() registers only the command named on the command line."""

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([TUI, *args], capture_output=True, text=True)

    def test_subcommand_after_global_options(self, isolated: dict[str, Path], tmp_path: Path) -> None:
        result = self.run("--data-dir", str(tmp_path / "elsewhere"), "add", "Ann", "--json")
        assert result.returncode == 0 and json.loads(result.stdout)["id"] == "r1"
        assert Store.open(tmp_path / "elsewhere").get_request("r1").name == "Ann"

    def test_help_still_lists_every_command(self) -> None:
        out = self.run().stdout
        for name in ("add", "list", "show", "decide", "undo", "import", "dedup", "merge", "distinct", "stats", "locate", "triage", "demo"):
            assert name in out

    def test_unknown_command_is_a_usage_error(self) -> None:
        result = self.run("frobnicate")
        assert result.returncode == 2 and "frobnicate" in result.stderr


class TestExport:
    @pytest.mark.parametrize("fmt", ["csv", "json", "vcard"])
    def test_contacts_round_trip_into_an_empty_store(self, sample: Path, tmp_path: Path, fmt: str) -> None:
        out = tmp_path / f"contacts.{fmt}"
        tui("export", "--what", "contacts", "--format", fmt, "-o", str(out))
        empty = tmp_path / "empty"
        tui("--data-dir", str(empty), "import", str(out), "--as", "contacts")

        def people(store: Store) -> list[tuple[str, str, list[str], list[str]]]:
            return sorted((c.name, c.company, sorted(c.emails), sorted(c.urls)) for c in store.contacts())

        assert people(Store.open(empty)) == people(Store.open(sample))

    @pytest.mark.parametrize("fmt", ["csv", "json"])
    def test_requests_round_trip_with_the_original_hostile_text(self, sample: Path, tmp_path: Path, fmt: str) -> None:
        out = tmp_path / f"requests.{fmt}"
        tui("export", "--what", "requests", "--format", fmt, "-o", str(out))
        empty = tmp_path / "empty"
        tui("--data-dir", str(empty), "import", str(out), "--as", "requests")
        original = {r.name: r.message for r in Store.open(sample).requests()}
        restored = {r.name: r.message for r in Store.open(empty).requests()}
        hostile = next(name for name in original if name.startswith("[@click"))
        assert "\x1b" in hostile and restored[hostile] == original[hostile]
        assert set(restored) == set(original)

    def test_json_to_stdout_is_escaped_but_exact_and_decisions_export(self, sample: Path) -> None:
        text = tui("export", "--what", "requests", "--format", "json").stdout
        assert "\x1b" not in text and "\\u001b" in text
        assert any(r["name"].startswith("[@click=app.quit]") and "\x1b" in r["name"] for r in json.loads(text))
        tui("decide", "r1", "accept", "--answer", "drink=yes")
        decisions = json.loads(tui("export", "--what", "decisions", "--format", "json").stdout)
        assert decisions[0]["request_id"] == "r1" and decisions[0]["answers"] == {"drink": True}
        tui("export", "--what", "decisions", "--format", "vcard", code=2)


class TestDoctor:
    def test_healthy_store(self, sample: Path) -> None:
        report = json.loads(tui("doctor", "--json").stdout)
        assert report["healthy"] and set(report["files"].values()) == {"ok"}
        assert report["schema"] == report["schema_supported"] and report["lock"] == "free" and report["backups"]

    def test_file_replaced_by_garbage_is_repaired_with_no_write_lost(self, sample: Path) -> None:
        """A sync tool or a careless save replaces the file: the snapshot taken after the last write
        still holds the old inode, so the repair loses nothing."""
        tui("decide", "r1", "accept")
        before = sorted((r.name, r.status) for r in Store.open(sample).requests())
        queue = sample / "queue.json"
        garbage = sample / "garbage"
        garbage.write_bytes(b'{"requests": {"1": ')
        garbage.replace(queue)
        result = tui("doctor", code=3)
        assert "✗ queue.json" in result.stdout and "line 1" in result.stdout
        report = json.loads(tui("doctor", "--repair", "--json").stdout)
        assert report["healthy"] and report["repaired"]["queue.json"]["from"].endswith("-write")
        assert Path(report["repaired"]["queue.json"]["damaged_copy"]).read_bytes() == b'{"requests": {"1": '
        assert sorted((r.name, r.status) for r in Store.open(sample).requests()) == before

    def test_file_damaged_in_place_is_repaired_from_the_newest_intact_snapshot(self, sample: Path) -> None:
        """Damage in place reaches every hard-linked snapshot of that inode too. queue.json stays in
        place across writes (its journal takes them), so snapshots hold a copy of it, never a link:
        the newest snapshot is intact, and the repair takes it, journal and all."""
        queue = sample / "queue.json"
        before = sorted((r.name, r.status) for r in Store.open(sample).requests())
        queue.write_bytes(b'{"requests": {"1": ')  # same inode as the live file
        report = json.loads(tui("doctor", "--repair", "--json").stdout)
        source = Path(report["repaired"]["queue.json"]["from"])
        assert report["healthy"] and source == Path(report["backups"][0])
        in_snapshot = {doc["name"] for doc in on_disk(source / "queue.json")["requests"].values()}
        assert in_snapshot and in_snapshot <= {doc["name"] for doc in on_disk(queue)["requests"].values()}
        assert sorted((r.name, r.status) for r in Store.open(sample).requests()) == before  # and the writes since, from the journal
        assert tui("list").stdout.startswith("r1 ")

    @pytest.mark.parametrize("name, listing", [("contacts.json", ("list", "--contacts")), ("queue.json", ("list", "--status", "all"))])
    def test_a_deleted_data_file_is_no_healthy_store(self, sample: Path, name: str, listing: tuple[str, ...]) -> None:
        """A data file deleted (a sync tool, a slip in a shell) while backups hold its records:
        the store reads as empty, so doctor says so, and the repair puts the newest copy back.
        (The installed command, each a new process: nothing held in memory from before.)"""

        def run(*args: str, code: int = 0) -> str:
            done = subprocess.run([TUI, *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
            assert done.returncode == code, (args, done.stdout, done.stderr)
            return done.stdout

        run("decide", "r1", "accept")
        before = run(*listing)
        assert before.strip()
        (sample / name).unlink()
        (sample / name).with_suffix(".jnl").unlink(missing_ok=True)  # (deleted together, the file's writes are in its journal)
        said = run("doctor", code=3)
        assert f"✗ {name}" in said and "missing" in said, said
        report = json.loads(run("doctor", "--json", code=3))
        assert not report["healthy"] and report["files"][name].startswith("missing, though"), report["files"]
        report = json.loads(run("doctor", "--repair", "--json"))
        assert report["healthy"] and name in report["repaired"], report
        assert report["repaired"][name]["damaged_copy"] == "" and not list(sample.glob(f"{name}.damaged-*"))  # none to keep
        assert run(*listing) == before

    @pytest.mark.parametrize("name, write", [("contacts.json", ("add", "Eve New", "--contact")), ("queue.json", ("add", "Zed Zo"))])
    def test_no_write_starts_a_deleted_data_file_afresh(self, sample: Path, name: str, write: tuple[str, ...]) -> None:
        """A write after a data file was deleted would start it anew (new ids over the old ones)
        and make the loss permanent: it stops instead, names the backup, and writes nothing."""

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([TUI, *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)

        (sample / name).unlink()
        (sample / name).with_suffix(".jnl").unlink(missing_ok=True)
        for args in (write, ("list", "--contacts") if name == "contacts.json" else ("list",)):
            done = run(*args)
            assert done.returncode == 3, (args, done.stdout, done.stderr)
            assert name in done.stderr and "missing" in done.stderr and "tui doctor --repair" in done.stderr, done.stderr
        assert not (sample / name).exists()
        assert run("doctor", "--repair").returncode == 0
        assert run(*write).returncode == 0


class TestThemes:
    def test_lists_shipped_and_user_themes_and_why_a_file_failed(self, isolated: dict[str, Path]) -> None:
        themes = isolated["config"] / "themes"
        themes.mkdir(parents=True)
        (themes / "mine.toml").write_text('name = "mine"\nprimary = "#123456"\ndark = false\n')
        (themes / "bad.toml").write_text('name = "bad"\nprimary = "\\u001b]52;c;x\\u0007"\n')  # TOML escapes: ESC, BEL
        result = runner.invoke(app, ["themes"], catch_exceptions=False)
        assert result.exit_code == 0
        names = [line.split()[1] if line.startswith("*") else line.split()[0] for line in result.stdout.splitlines()]
        assert names == ["high-contrast", "monochrome", "solarized-dark", "tui-dark", "tui-light", "mine"]
        assert "* tui-dark" in result.stdout and "light  user" in result.stdout
        assert f"{themes / 'bad.toml'}: skipped: primary = " in result.stderr and "is not a colour" in result.stderr
        assert not any(ch in result.stdout + result.stderr for ch in FORBIDDEN)
        report = json.loads(tui("themes", "--json").stdout)
        assert report["current"] == "tui-dark" and report["failed"][0]["path"].endswith("bad.toml")

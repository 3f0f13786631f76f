"""The backlog from the command line: filters and sorting in `tui list`, several ids in one
`tui decide` step (fed by `tui list --json` from a script) and its single undo, `tui config`, and
the small text slips (usage lines, help markup, doctor on an empty store, demo --into)."""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.cli.conftest import tui
from tests.conftest import TUI, subprocess_env
from tui.store import Store

MASS_SENT = ["r6", "r8", "r17", "r18"]
"""The sample's requests that share (nearly) one pitch."""


def ids(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [json.loads(line)["id"] for line in result.stdout.splitlines()]


class TestListFilters:
    def test_by_red_flag(self, sample: Path) -> None:
        assert ids(tui("list", "--flag", "mass-sent", "--json")) == MASS_SENT
        assert "r6" in ids(tui("list", "--flag", "sales-pitch", "--json"))

    def test_no_message_is_not_a_flag_on_facebook(self, sample: Path) -> None:
        flagged = {json.loads(line)["source"] for line in tui("list", "--flag", "no-message", "--json").stdout.splitlines()}
        assert "facebook" not in flagged

    def test_by_match_kind(self, sample: Path) -> None:
        assert ids(tui("list", "--match", "impersonation", "--json")) == ["r4", "r5"]
        matched, none = set(ids(tui("list", "--match", "any", "--json"))), set(ids(tui("list", "--match", "none", "--json")))
        assert matched and none and not matched & none and len(matched | none) == 29

    def test_by_source_and_age_and_sorted(self, sample: Path) -> None:
        # The clock is pinned at 2026-11-20; the sample was sent from 2026-10-02 to 2026-10-30.
        old = tui("list", "--older-than", "40d", "--sort", "newest", "--json").stdout.splitlines()
        sent = [json.loads(line)["sent_at"][:10] for line in old]
        assert sent[0] == "2026-10-11" and sent[-1] == "2026-10-02" and sent == sorted(sent, reverse=True)
        recent = [json.loads(line)["sent_at"][:10] for line in tui("list", "--newer-than", "25d", "--json").stdout.splitlines()]
        assert recent and min(recent) == "2026-10-26"
        assert {json.loads(line)["source"] for line in tui("list", "--source", "facebook", "--json").stdout.splitlines()} == {"facebook"}

    @pytest.mark.parametrize("args", [["--flag", "spam"], ["--match", "maybe"], ["--older-than", "a week"], ["--sort", "random"]])
    def test_a_wrong_filter_is_one_line_exit_2(self, sample: Path, args: list[str]) -> None:
        result = tui("list", *args, code=2)
        assert result.stderr.count("\n") == 1 and "error:" in result.stderr


class TestDecideSeveral:
    def test_a_mass_sent_group_declined_from_a_script_and_undone_in_one_step(self, sample: Path) -> None:
        env = subprocess_env(sample)
        listed = subprocess.run([TUI, "list", "--flag", "mass-sent", "--json"], env=env, capture_output=True, check=True)
        decided = subprocess.run(
            [TUI, "decide", "-", "decline", "--note", "copy-paste pitch"],
            input=listed.stdout.decode(),
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert "4 requests: decline in one step" in decided.stdout
        store = Store.open(sample)
        assert [store.get_request(r).status for r in MASS_SENT] == ["declined"] * 4
        decisions = store.decisions()
        assert len(decisions) == 4 and len({d.group for d in decisions}) == 1 and {d.note for d in decisions} == {"copy-paste pitch"}
        undone = subprocess.run([TUI, "undo"], env=env, capture_output=True, text=True, check=True)
        assert "4 decisions" in undone.stdout
        store = Store.open(sample)
        assert [store.get_request(r).status for r in MASS_SENT] == ["pending"] * 4
        assert subprocess.run([TUI, "undo"], env=env, capture_output=True, text=True).returncode == 1  # nothing left

    def test_several_ids_on_the_command_line(self, sample: Path) -> None:
        result = tui("decide", "r1", "r2", "3", "defer", "--until", "2026-12-24", "--json")
        assert len(result.stdout.splitlines()) == 3
        store = Store.open(sample)
        assert {store.get_request(r).until for r in ("r1", "r2", "r3")} == {"2026-12-24"}
        tui("undo", json.loads(result.stdout.splitlines()[1])["id"])  # any member takes the step back
        assert {Store.open(sample).get_request(r).status for r in ("r1", "r2", "r3")} == {"pending"}

    def test_one_already_decided_is_named_and_the_rest_are_decided(self, sample: Path) -> None:
        tui("decide", "r2", "accept")
        result = tui("decide", "r1", "r2", "decline", code=1)
        assert "r2" in result.stderr and "accepted" in result.stderr
        store = Store.open(sample)
        assert (store.get_request("r1").status, store.get_request("r2").status) == ("declined", "accepted")

    def test_an_action_is_needed(self, sample: Path) -> None:
        assert "then the action" in tui("decide", "r1", code=2).stderr


class TestConfigCommand:
    def test_writes_every_setting_commented_at_its_default(self, isolated: dict[str, Path]) -> None:
        tui("config")
        path = isolated["config"] / "config.toml"
        text = path.read_text()
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        assert tomllib.loads(text) == {}  # every line commented: it changes nothing
        assert "exists" in tui("config", code=1).stderr and path.read_text() == text


class TestTextSlips:
    def test_usage_names_arguments_plainly(self) -> None:
        assert "add [OPTIONS] NAME " in tui("add", "--help").stdout

    def test_serve_help_shows_the_extra(self) -> None:
        assert "tui[serve]" in " ".join(tui("serve", "--help").stdout.split())

    def test_doctor_on_an_empty_store_does_not_tick_missing_files(self, isolated: dict[str, Path]) -> None:
        isolated["data"].mkdir(parents=True)
        out = tui("doctor").stdout
        assert "✓ contacts.json" not in out and "contacts.json  not created yet" in out

    def test_demo_into_an_existing_store_says_how_to_open_it(self, sample: Path) -> None:
        result = tui("demo", "--into", str(sample), code=2)
        assert f"tui --data-dir {sample} triage" in result.stderr


class TestDecisionsExport:
    def test_the_csv_names_the_request_and_the_other_person(self, sample: Path, tmp_path: Path) -> None:
        import csv

        tui("decide", "r2", "decline")
        tui("distinct", "r1", "c1")
        tui("export", "--what", "decisions", "-o", str(tmp_path / "decisions.csv"))
        with open(tmp_path / "decisions.csv", newline="", encoding="utf-8") as f:
            rows = {row["request_id"]: row for row in csv.DictReader(f)}
        assert (rows["r2"]["name"], rows["r2"]["other_name"]) == ("Jose Alvarez", "")
        assert (rows["r1"]["name"], rows["r1"]["other"], rows["r1"]["other_name"]) == ("Bob Fletcher", "c1", "Robert Fletcher")


class TestImportSaysWhySkipped:
    def test_a_row_with_no_one_and_a_request_from_a_contact(self, isolated: dict[str, Path]) -> None:
        from tests.conftest import ROOT

        first = tui("import", str(ROOT / "sample_data" / "Connections.csv")).stdout
        assert "1 skipped" in first and "1 row held no one to import" in first
        data = isolated["data"].parent / "Invitations.csv"
        data.write_text(
            "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
            'Robert Fletcher,Me,"10/2/26, 9:00 AM",hi,INCOMING,https://www.linkedin.com/in/robert-fletcher-law,\n'
        )
        second = tui("import", str(data)).stdout
        assert "1 skipped" in second and "1 already a contact" in second, second

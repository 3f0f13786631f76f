"""`tui dedup --contacts` and `tui merge-contacts`, through the installed command on the fixture world."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.cli.test_import_people import run
from tests.conftest import store_bytes
from tests.unit.test_contact_groups import FILES, NAMESAKES, WORLD


@pytest.fixture
def data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    for name in FILES:
        run(data, "import", str(WORLD / name))
    return data


def groups(data: Path, *args: str) -> list[dict]:
    return [json.loads(line) for line in run(data, "dedup", "--contacts", "--json", *args).stdout.splitlines()]


class TestDedupContacts:
    def test_one_json_line_per_group_with_members_score_and_reasons(self, data: Path) -> None:
        found = groups(data)
        assert len(found) == 10
        for group in found:
            assert {"members", "score", "kind", "reasons", "links"} <= group.keys()
            assert len(group["members"]) >= 2 and group["kind"] in ("identical", "likely") and group["reasons"]
            assert not {(m["name"], m["company"]) for m in group["members"]} & NAMESAKES

    def test_possible_groups_only_when_asked_and_never_of_namesakes(self, data: Path) -> None:
        wider = groups(data, "--kind", "possible")
        for group in wider:  # namesakes at other companies, with other addresses, are other people: not chained in through a third
            assert not {(m["name"], m["company"]) for m in group["members"]} & NAMESAKES, group["members"]
            assert {tuple(link["ids"]) for link in group["links"]} and {i for link in group["links"] for i in link["ids"]} == {
                m["id"] for m in group["members"]
            }
        sure = {tuple(sorted(m["id"] for m in g["members"])) for g in groups(data)}
        inside = {m["id"] for g in wider for m in g["members"]}
        assert all(set(members) <= inside for members in sure), "--kind possible adds to the likely groups, as --help says"

    def test_text_names_each_group(self, data: Path) -> None:
        text = run(data, "dedup", "--contacts").stdout
        assert "group 1 of 10" in text and "nickname Robert→Bob" in text and text.rstrip().endswith("`tui merge-contacts`")

    def test_groups_come_best_first(self, data: Path) -> None:
        found = groups(data)
        order = [(g["kind"] != "identical", -g["score"], [int(m["id"][1:]) for m in g["members"]]) for g in found]
        assert order == sorted(order) and found[0]["kind"] == "identical"
        assert run(data, "dedup", "--contacts").stdout.startswith("group 1 of 10: identical 100")

    def test_the_command_never_loads_textual(self, data: Path) -> None:
        import subprocess
        import sys

        from tests.conftest import subprocess_env

        code = (
            "import sys; from tui.cli import main; sys.argv = ['tui', 'dedup', '--contacts', '--json']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nassert 'textual' not in sys.modules and 'rich' not in sys.modules, 'loaded'"
        )
        done = subprocess.run([sys.executable, "-c", code], env=subprocess_env(data), capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


class TestMergeContacts:
    def test_merge_then_undo_in_another_process(self, data: Path) -> None:
        first = groups(data)[0]
        ids = [m["id"] for m in first["members"]]
        done = json.loads(run(data, "merge-contacts", *ids, "--keep", f"name={ids[1]}", "--json").stdout)
        assert done["action"] == "merge-contacts" and done["request_id"] == ids[0]
        merged = json.loads(run(data, "show", ids[0], "--json").stdout)
        assert merged["name"] == first["members"][1]["name"]
        assert {e for m in first["members"] for e in m["emails"]} == set(merged["emails"])
        run(data, "show", ids[1], code=2)
        assert len(groups(data)) == 9
        for name in ("contacts.json", "queue.json"):
            assert stat.S_IMODE((data / name).stat().st_mode) == 0o600
        assert f"undid {done['id']} on {ids[0]}" in run(data, "undo").stdout
        assert json.loads(run(data, "show", ids[1], "--json").stdout)["name"] == first["members"][1]["name"]
        assert len(groups(data)) == 10

    def test_doctor_is_healthy_after_merging_and_telling_apart(self, data: Path) -> None:
        found = groups(data)
        run(data, "merge-contacts", *[m["id"] for m in found[0]["members"]])
        assert "healthy" in run(data, "doctor").stdout.splitlines()[-1]

    def test_reimport_after_merging_everything_adds_nobody(self, data: Path) -> None:
        for group in groups(data):
            run(data, "merge-contacts", *[m["id"] for m in group["members"]])
        for name in FILES:
            assert ": 0 added, 0 updated," in run(data, "import", str(WORLD / name)).stdout
        assert groups(data) == []

    def test_namesakes_are_refused_without_force_with_one_line_and_nothing_written(self, data: Path) -> None:
        smiths = [
            c["id"] for c in map(json.loads, run(data, "list", "--contacts", "--json").stdout.splitlines()) if c["name"] == "John Smith"
        ]
        before = store_bytes(data)
        refused = run(data, "merge-contacts", *smiths, code=2)
        assert refused.stderr.count("\n") == 1 and "--force" in refused.stderr and "may be different people" in refused.stderr
        assert store_bytes(data) == before
        run(data, "merge-contacts", *smiths, "--force")
        run(data, "show", smiths[1], code=2)

    def test_a_chain_through_a_third_is_refused_naming_the_two_that_may_be_different_people(self, tmp_path: Path) -> None:
        data = tmp_path / "kathy"
        run(data, "add", "Katherine Whitfield", "--company", "Globex", "--email", "k@globex.com", "--contact")
        run(data, "add", "Kate Whitfield", "--company", "Initech", "--email", "kate@initech.com", "--contact")
        run(data, "add", "Kathy Whitfield", "--company", "Globex", "--email", "kate@initech.com", "--contact")
        [group] = groups(data)
        assert group["kind"] == "possible" and any("c1 and c2 may be different people" in r for r in group["reasons"]), group
        before = store_bytes(data)
        refused = run(data, "merge-contacts", "c1", "c2", "c3", code=2)
        assert refused.stderr.count("\n") == 1 and "may be different people" in refused.stderr and "--force" in refused.stderr
        assert "c1 Katherine Whitfield" in refused.stderr and "c2 Kate Whitfield" in refused.stderr
        assert "c3 Kathy" not in refused.stderr  # the pair, not the whole group
        assert store_bytes(data) == before
        run(data, "merge-contacts", "c1", "c2", "c3", "--force")
        run(data, "show", "c2", code=2)

    def test_contacts_told_apart_are_refused_as_such_and_force_merges_them(self, data: Path) -> None:
        from tui.store import Store

        told = Store.open(data).mark_contacts_distinct(["c1", "c13"])  # `x` on the review screen
        before = store_bytes(data)
        refused = run(data, "merge-contacts", "c1", "c13", code=2)
        assert refused.stderr.count("\n") == 1 and store_bytes(data) == before
        assert 'marked "not the same people"' in refused.stderr and told.id in refused.stderr and "--force" in refused.stderr
        assert "share no e-mail" not in refused.stderr  # c1 and c13 are likely one person by name: not the reason
        run(data, "merge-contacts", "c1", "c13", "--force")
        run(data, "show", "c13", code=2)

    def test_conflicting_keeps_are_refused(self, data: Path) -> None:
        before = store_bytes(data)
        refused = run(data, "merge-contacts", "c1", "c13", "--keep", "name=c1", "--keep", "name=c13", code=2)
        assert refused.stderr.startswith("error: ") and refused.stderr.count("\n") == 1 and "name" in refused.stderr
        assert store_bytes(data) == before
        run(data, "merge-contacts", "c1", "c13", "--keep", "name=c13", "--keep", "name=c13")  # the same choice twice: no conflict

    def test_a_merged_away_id_is_named_with_the_contact_it_went_into(self, data: Path) -> None:
        run(data, "merge-contacts", "c1", "c13")
        for args in (["show", "c13"], ["merge-contacts", "c13", "c23"], ["merge-contacts", "c23", "c13"]):
            refused = run(data, *args, code=2)
            assert "merged into c1" in refused.stderr and "no record" not in refused.stderr, refused.stderr

    @pytest.mark.parametrize(
        "args",
        [
            ["c1"],
            ["c1", "c1"],
            ["c1", "r2"],
            ["c1", "c13", "--keep", "colour=c1"],
            ["c1", "c13", "--keep", "name=c5"],
            ["c1", "c13", "--keep", "name"],
            ["c1", "c999"],
            ["c1", "c13", "--keep", "name=c1", "--keep", "name=c13"],
        ],
    )
    def test_bad_input_is_one_line_exit_2_and_nothing_written(self, data: Path, args: list[str]) -> None:
        before = store_bytes(data)
        refused = run(data, "merge-contacts", *args, code=2)
        assert refused.stderr.startswith("error: ") and refused.stderr.count("\n") == 1
        assert store_bytes(data) == before

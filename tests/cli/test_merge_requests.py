"""Two pending requests from one person on two networks: one merges into the other, which keeps
both sets of addresses and profiles; undo takes back exactly that."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_merge_undo import contact as record
from tests.cli.test_merge_undo import tui


def two_requests_of_one_person(data: Path) -> None:
    tui(
        data,
        "add",
        "Chidi Okafor",
        "--company",
        "Lagos Freight",
        "--source",
        "linkedin",
        "--url",
        "https://www.linkedin.com/in/chidi-okafor",
    )
    tui(data, "add", "Okafor Chidi", "--company", "Lagos Freight", "--source", "facebook", "--email", "chidi@lagosfreight.example")


class TestMergeTwoRequests:
    def test_the_second_request_merges_into_the_first_and_the_first_keeps_both_identities(self, isolated: dict[str, Path]) -> None:
        data = isolated["data"]
        two_requests_of_one_person(data)
        out = tui(data, "merge", "r2", "r1").stdout
        assert "r2: merged into r1" in out
        first, second = record(data, "r1"), record(data, "r2")
        assert (second["status"], second["merged_into"]) == ("merged", "r1")
        assert first["status"] == "pending"
        assert first["emails"] == ["chidi@lagosfreight.example"]
        assert first["urls"] == ["https://www.linkedin.com/in/chidi-okafor"]
        pending = [json.loads(line)["id"] for line in tui(data, "list", "--json").stdout.splitlines()]
        assert pending == ["r1"]

    def test_undo_gives_back_two_requests_with_their_own_identities(self, isolated: dict[str, Path]) -> None:
        data = isolated["data"]
        two_requests_of_one_person(data)
        tui(data, "merge", "r2", "r1")
        tui(data, "undo", "r2")
        first, second = record(data, "r1"), record(data, "r2")
        assert (second["status"], second["merged_into"]) == ("pending", "")
        assert first["emails"] == [] and first["urls"] == ["https://www.linkedin.com/in/chidi-okafor"]
        assert second["emails"] == ["chidi@lagosfreight.example"]

    def test_two_people_need_force_and_a_request_into_itself_is_refused(self, isolated: dict[str, Path]) -> None:
        data = isolated["data"]
        two_requests_of_one_person(data)
        tui(data, "add", "Marta Nowak", "--company", "Baltic Ports", "--email", "marta@baltic.example")
        before = (data / "queue.json").read_bytes()
        refused = tui(data, "merge", "r3", "r1", code=2).stderr
        assert "look like two people" in refused and refused.count("\n") == 1
        assert "same record" in tui(data, "merge", "r1", "r1", code=2).stderr
        assert (data / "queue.json").read_bytes() == before

    def test_a_request_already_merged_takes_no_other(self, isolated: dict[str, Path]) -> None:
        data = isolated["data"]
        two_requests_of_one_person(data)
        tui(
            data,
            "add",
            "Chidi Okafor",
            "--company",
            "Lagos Freight",
            "--source",
            "instagram",
            "--url",
            "https://www.instagram.com/chidi.okafor",
        )
        tui(data, "merge", "r2", "r1")
        refused = tui(data, "merge", "r3", "r2", code=2).stderr
        assert "r2 is already merged into r1" in refused


class TestALookAlikeCopyOfAnotherRequest:
    """A stranger's request that copies another pending request's name with look-alike letters is
    the suspect; the request written plainly is not flagged as an impersonator because of it."""

    def test_only_the_look_alike_request_is_called_an_impersonator(self, isolated: dict[str, Path]) -> None:
        data = isolated["data"]
        tui(data, "add", "\u0410nna Kowalska", "--company", "Acme")  # r1: a Cyrillic А
        tui(data, "add", "Anna Kowalska", "--company", "Acme", "--email", "real@acme.example")  # r2: plain
        found = {}
        for line in tui(data, "dedup", "--json", "--kind", "impersonation", "--kind", "likely", "--kind", "possible").stdout.splitlines():
            doc = json.loads(line)
            found[doc["request"]["id"]] = [(m["request"]["id"], m["kind"], m["reasons"]) for m in doc["matches"]]
        assert [kind for _, kind, _ in found["r1"]] == ["impersonation"]
        assert all(kind != "impersonation" for _, kind, _ in found.get("r2", [])), found
        assert any("look-alike" in " ".join(reasons) for _, _, reasons in found.get("r2", [])), found

    def test_a_look_alike_copy_does_not_hide_a_real_duplicate(self, isolated: dict[str, Path]) -> None:
        # The copy would take a share of the chance that the plain requests are one person.
        data = isolated["data"]
        tui(data, "add", "Anna Kowalska", "--company", "Acme", "--email", "real@acme.example")  # r1
        tui(data, "add", "\u0410nna Kowalska", "--company", "Acme")  # r2: a Cyrillic А
        tui(data, "add", "\u0410nna Kow\u0430lska", "--company", "Acme")  # r3: two of them
        found = tui(data, "add", "Anna Kowalska", "--company", "Acme", "--json").stdout
        matches = {m["id"]: m["kind"] for m in json.loads(found)["duplicates"]}
        assert matches.get("r1") == "likely", matches

"""Undoing a merge takes back what the merge added to the contact, and only that: whatever the
contact gained since (an import, another merge) stays."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import TUI, subprocess_env
from tui.store import Store


def tui(data: Path, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([TUI, *args], capture_output=True, text=True, env=subprocess_env(data), stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == code, (args, result.stdout, result.stderr)
    return result


def contact(data: Path, cid: str) -> dict[str, object]:
    return json.loads(tui(data, "show", cid, "--json").stdout)


class TestUndoMerge:
    def test_keeps_what_the_contact_gained_after_the_merge(self, isolated: dict[str, Path], tmp_path: Path) -> None:
        data = isolated["data"]
        tui(
            data,
            "add",
            "Rob Lee",
            "--contact",
            "--source",
            "linkedin",
            "--email",
            "rob@old.example",
            "--url",
            "https://linkedin.com/in/roblee",
        )
        tui(data, "add", "Robert Lee", "--source", "x", "--email", "robert@x.example", "--url", "https://x.com/roblee")
        tui(data, "merge", "r1", "c1", "--force")
        merged = contact(data, "c1")
        assert merged["emails"] == ["rob@old.example", "robert@x.example"] and merged["also_on"] == ["x"]
        rows = tmp_path / "update.csv"
        rows.write_text(
            "name,source,email,url\nRob Lee,linkedin,rob@old.example;rob@new.example,https://linkedin.com/in/roblee;https://rob.example\n"
        )
        assert "1 updated" in tui(data, "import", str(rows), "--as", "contacts").stdout
        tui(data, "undo")
        after = contact(data, "c1")
        assert after["emails"] == ["rob@old.example", "rob@new.example"]
        assert after["urls"] == ["https://linkedin.com/in/roblee", "https://rob.example"]
        assert after["also_on"] == []
        assert json.loads(tui(data, "show", "r1", "--json").stdout)["status"] == "pending"

    def test_keeps_what_a_later_merge_added(self, isolated: dict[str, Path]) -> None:
        data = isolated["data"]
        tui(data, "add", "Ann Cho", "--contact", "--source", "linkedin", "--email", "ann@old.example")
        tui(data, "add", "Ann Cho", "--source", "x", "--email", "ann@x.example")
        tui(data, "add", "Ann Cho", "--source", "facebook", "--email", "ann@fb.example")
        tui(data, "merge", "r1", "c1", "--force")
        tui(data, "merge", "r2", "c1", "--force")
        tui(data, "undo", "d1")  # the first merge: the second one's gains stay
        after = contact(data, "c1")
        assert after["emails"] == ["ann@old.example", "ann@fb.example"] and after["also_on"] == ["facebook"]

    def test_an_older_merge_decision_is_undone_the_same_way(self, isolated: dict[str, Path], tmp_path: Path) -> None:
        """A merge recorded by an earlier tui kept the contact's lists as they were before it;
        undoing it still takes away only the request's own values."""
        data = isolated["data"]
        tui(data, "add", "Rob Lee", "--contact", "--source", "linkedin", "--email", "rob@old.example")
        tui(data, "add", "Robert Lee", "--source", "x", "--email", "robert@x.example")
        tui(data, "merge", "r1", "c1", "--force")
        queue = data / "queue.json"
        doc = json.loads(queue.read_text())
        before = doc["decisions"]["1"]["before"]
        before.pop("contact_gained", None)
        before["contact"] = {"urls": [], "emails": ["rob@old.example"], "also_on": []}  # as the earlier tui wrote it
        queue.write_text(json.dumps(doc))
        rows = tmp_path / "update.csv"
        rows.write_text("name,source,email\nRob Lee,linkedin,rob@old.example;rob@new.example\n")
        tui(data, "import", str(rows), "--as", "contacts")
        tui(data, "undo")
        after = Store.open(data).get("c1")
        assert after.emails == ["rob@old.example", "rob@new.example"] and after.also_on == []  # type: ignore[union-attr]


class TestIdsNeverGivenAgain:
    def test_a_contact_added_after_a_merge_gets_a_new_id_and_survives_its_undo(self, isolated: dict[str, Path]) -> None:
        """An outside attack: after `merge-contacts c1 c3 c4` the next contact got c3 again, and
        the merge's undo, putting c3 back, wiped it out (doctor healthy)."""
        data = isolated["data"]
        for args in (
            ("Ann Lee", "--email", "ann@acme.com", "--company", "Acme"),
            ("Bob Stone", "--email", "bob@x.com"),
            ("Ann Lee", "--email", "ann2@acme.com", "--company", "Acme"),
            ("Anne Lee", "--company", "Acme", "--email", "ann@acme.com"),
        ):
            tui(data, "add", *args, "--contact")
        tui(data, "merge-contacts", "c1", "c3", "c4", "--force")
        added = json.loads(tui(data, "add", "Carl New", "--contact", "--json").stdout)
        assert added["id"] == "c5"
        tui(data, "undo")
        names = {c.id: c.name for c in Store.open(data).contacts()}
        assert names == {"c1": "Ann Lee", "c2": "Bob Stone", "c3": "Ann Lee", "c4": "Anne Lee", "c5": "Carl New"}

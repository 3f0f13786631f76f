"""The store package's parts that stand alone: backups and doctor without a Store, versioned `_pk`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import on_disk
from tui.models import Request
from tui.store import Store


class TestDoctorOpensNoStore:
    def test_check_and_repair_use_the_backup_functions_not_a_store(self, tmp_path: Path) -> None:
        root = tmp_path / "d"
        store = Store.open(root)
        store.add_request(Request(name="Ann"))
        store.add_request(Request(name="Bo"))
        bad = root / "garbage"
        bad.write_bytes(b'{"requests": ')
        os.replace(bad, root / "queue.json")
        code = (
            "import sys\nfrom pathlib import Path\nfrom tui.doctor import examine\n"
            "report = examine(Path(sys.argv[1]), repair=True)\n"
            "assert report['healthy'] and list(report['repaired']) == ['queue.json'], report\n"
            "print(' '.join(sorted(m for m in sys.modules if m in ('tinydb', 'tui.store.store', 'tui.store.datadir'))))"
        )
        out = subprocess.run([sys.executable, "-P", "-c", code, str(root)], capture_output=True, text=True, check=True)
        assert out.stdout.split() == [], "doctor opened a Store"
        assert [r.name for r in Store.open(root).requests()] == ["Ann", "Bo"]


class TestStoredKeysFollowTheKeysVersion:
    """Each request's matching keys are stored with it (``_pk``); they are only as good as the
    normalisers that made them, and KEYS_VERSION says which those were."""

    def test_bumping_the_version_recomputes_the_stored_keys(self, tmp_path: Path, monkeypatch) -> None:
        from tui.dedup import keys, names

        root = tmp_path / "d"
        real = names.company_key
        with monkeypatch.context() as older:  # an older tui, whose normaliser folded companies otherwise
            older.setattr(keys, "KEYS_VERSION", keys.KEYS_VERSION - 1)
            older.setattr(names, "company_key", lambda text: "old:" + real(text))
            Store.open(root).add_request(Request(name="Ann Lee", company="Acme"))
        assert "old:acme" in (root / "queue.json").read_text()
        store = Store.open(root)  # this tui
        fresh = keys.person_keys("Ann Lee", "Acme", "", "", [], [])[:6]  # (the index keeps the display name, not `exact`)
        assert store.pending_keys().row_keys(0)[:6] == fresh, "keys of another version were used"
        store.add_request(Request(name="Bo"))  # the next write of the queue stores them afresh
        assert "old:" not in (root / "queue.json").read_text()
        assert Store.open(root).pending_keys().row_keys(0)[:6] == fresh

    def test_keys_stored_before_they_carried_a_version_are_recomputed(self, tmp_path: Path) -> None:
        from tui.dedup.keys import person_keys

        root = tmp_path / "d"
        Store.open(root).add_request(Request(name="Ann Lee", company="Acme"))
        queue = on_disk(root / "queue.json")
        stale = person_keys("Ann Lee", "Acme", "", "", [], [])._replace(company="old:acme")
        queue["requests"]["1"]["_pk"] = list(stale)  # as every tui before the version stored them
        (root / "queue.json").write_text(json.dumps(queue))
        store = Store.open(root)
        assert store.pending_keys().row_keys(0).company == "acme"
        store.record_decision("r1", "decline")
        assert "old:acme" not in (root / "queue.json").read_text()

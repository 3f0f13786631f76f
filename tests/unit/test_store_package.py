"""The store package's parts that stand alone: backups and doctor without a Store, versioned `_pk`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tui.models import Request
from tui.store import Store


def on_disk(path: Path) -> dict:
    return json.loads(path.read_text())


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

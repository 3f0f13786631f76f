"""The layer contracts of pyproject.toml ([tool.importlinter]) hold for the installed package.

`lint-imports` reads the import statements of every module, lazy ones included; the run-time
checks in test_import_hygiene.py see what importing really loads. Together: front ends depend on
the core, the core never imports textual or rich, only tui.store imports tinydb, and the lazy
imports that keep `tui add` fast are the ones listed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def test_the_import_contracts_are_kept(tmp_path: Path) -> None:
    # Run away from the checkout (cwd is tmp_path), so the `tui` analysed is the installed one.
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout, result.stdout

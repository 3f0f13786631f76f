"""The suite tests the package a user installs (the wheel in site-packages), never the checkout.

A checkout on ``sys.path`` hides packaging bugs: files left out of the wheel, resources read by
building paths. Run the suite as the README says (``pip install '.[test]'`` then ``.venv/bin/pytest``,
which imports tests with ``--import-mode=importlib`` and so never puts the checkout first).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import ROOT, TUI


class TestInstalledPackage:
    def test_tui_is_imported_from_site_packages(self) -> None:
        import tui

        where = Path(tui.__file__).resolve()
        site = Path(sysconfig.get_paths()["purelib"]).resolve()
        assert where.is_relative_to(site), (
            f"tui was imported from {where}, not from the installed package in {site}: "
            "install it with `pip install '.[test]'` (not -e) and run `.venv/bin/pytest`"
        )
        assert not where.is_relative_to(ROOT / "tui")

    def test_themes_listed_from_outside_the_checkout(self, tmp_path: Path) -> None:
        result = subprocess.run([TUI, "themes", "--json"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        listing = json.loads(result.stdout)
        shipped = {t["name"] for t in listing["themes"] if t["source"] == "shipped"}
        assert {"tui-dark", "tui-light", "high-contrast", "monochrome", "solarized-dark"} <= shipped
        assert listing["failed"] == []

    @pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")
    def test_demo_opens_without_errors_from_outside_the_checkout(self, tmp_path: Path) -> None:
        session = f"tui-installed-{uuid.uuid4().hex[:8]}"
        env = f"env TUI_CONFIG_DIR={tmp_path / 'config'} TMPDIR={tmp_path} TERM=xterm-256color"
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", "-c", str(tmp_path), f"{env} {TUI} demo; sleep 30"],
            check=True,
            env={**os.environ, "TERM": "xterm-256color"},
        )
        try:
            screen = ""
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and "Would I meet them" not in screen:
                time.sleep(0.2)
                screen = subprocess.run(["tmux", "capture-pane", "-t", session, "-p"], capture_output=True, text=True).stdout
            assert "Would I meet them" in screen, screen
            time.sleep(0.5)  # a notice about a theme would show within the first frames
            screen = subprocess.run(["tmux", "capture-pane", "-t", session, "-p"], capture_output=True, text=True).stdout
            assert "Unknown theme" not in screen and "failed" not in screen.lower(), screen
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)

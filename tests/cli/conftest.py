"""Running commands in-process (Typer's CliRunner) on an isolated store, and the sample world."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from tests.conftest import ROOT
from tui.cli import app

runner = CliRunner()


def tui(*args: str, code: int = 0) -> Result:
    """Run ``tui ARGS`` in this process and check its exit status."""
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


@pytest.fixture
def sample(isolated: dict[str, Path]) -> Path:
    """The bundled sample world, imported file by file through the CLI as a user would."""
    from tui.sample import SAMPLE_FILES

    for name, kind in SAMPLE_FILES:
        tui("import", str(ROOT / "sample_data" / name), *(["--as", kind] if kind else []))
    return isolated["data"]

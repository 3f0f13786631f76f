"""Every module of tui/ reads in one sitting: at most 400 lines (STYLE.md). Generated data is exempt."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT

LIMIT = 400
#: Generated from Unicode's confusables.txt (a table, not code to read); nothing else is exempt.
GENERATED = {"dedup/confusables_data.py"}


def oversized(package: Path) -> dict[str, int]:
    """The modules of ``package`` longer than :data:`LIMIT` lines, with their lengths."""
    sizes = {str(p.relative_to(package)): len(p.read_text(encoding="utf-8").splitlines()) for p in package.rglob("*.py")}
    return {name: n for name, n in sorted(sizes.items()) if n > LIMIT and name not in GENERATED}


def test_no_module_is_over_400_lines() -> None:
    assert len(list((ROOT / "tui").rglob("*.py"))) > 50, "the check looks at nothing"
    assert oversized(ROOT / "tui") == {}


def test_the_exempt_files_exist_and_are_generated() -> None:
    for name in GENERATED:
        path = ROOT / "tui" / name
        assert "generated" in path.read_text(encoding="utf-8")[:2000].lower(), f"{name} is exempt only as generated data"

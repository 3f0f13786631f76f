"""What the stress and hostile suites measured, printed at the end of every run (the closing notes
quote them). Counted in whichever process ran the test: under pytest-xdist each worker hands its
counts to the controller (tests/conftest.py), which prints the sums."""

from __future__ import annotations

from collections import Counter
from typing import Any

FIGURES: Counter[str] = Counter()
"""Stress figures: counts, added up across workers."""
PATHS: dict[str, int] = {}
"""Injection paths, each with how many hostile strings went through it (the largest count wins)."""


def export() -> dict[str, Any]:
    return {"figures": dict(FIGURES), "paths": dict(PATHS)}


def absorb(found: dict[str, Any] | None) -> None:
    if not found:
        return
    FIGURES.update(found.get("figures", {}))
    for path, count in found.get("paths", {}).items():
        PATHS[path] = max(PATHS.get(path, 0), count)


def summary(reporter: Any) -> None:
    if PATHS:
        from tests.corpus import corpus

        reporter.section("injection corpus")
        reporter.write_line(f"{len(corpus())} hostile strings (plus undecodable bytes and lone surrogates in files)")
        reporter.write_line(f"{len(PATHS)} paths: " + ", ".join(sorted(PATHS)))
        reporter.write_line(f"{sum(PATHS.values())} string x path pushes")
    if FIGURES:
        reporter.section("stress figures")
        for key in sorted(FIGURES):
            reporter.write_line(f"{key}: {FIGURES[key]}")

"""The paths the injection corpus went through, counted as the tests run and printed at the end."""

from __future__ import annotations

import pytest

from tests.corpus import corpus

PATHS: dict[str, int] = {}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if PATHS:
        terminalreporter.section("injection corpus")
        terminalreporter.write_line(f"{len(corpus())} hostile strings (plus undecodable bytes and lone surrogates in files)")
        terminalreporter.write_line(f"{len(PATHS)} paths: " + ", ".join(sorted(PATHS)))
        terminalreporter.write_line(f"{sum(PATHS.values())} string x path pushes")

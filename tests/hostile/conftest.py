"""The paths the injection corpus went through, counted as the tests run and printed at the end."""

from __future__ import annotations

from tests.figures import PATHS  # noqa: F401  (printed by tests/conftest.py)

"""The base of every error a user can act on. Each carries the exit code the CLI uses."""

from __future__ import annotations


class UserError(Exception):
    """Reported as one line on stderr, never as a traceback."""

    exit_code = 1


class BadInput(UserError):
    """Input that cannot be accepted; nothing was written."""

    exit_code = 2

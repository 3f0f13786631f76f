"""tui: triage connection requests against your own rules."""

__version__ = "0.1.0"

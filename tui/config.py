"""Settings, read from ``config.toml`` in the config directory.

Every field has a default. Settings are passed explicitly to whoever needs them.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.errors import BadInput
from tui.rules import DEFAULT_RULES, VALUES_RULE, Rule

ORDERS = ("oldest", "newest", "name")


class ConfigError(BadInput):
    """The config file is unreadable or holds a wrong value; the message names file and key."""


@dataclass(slots=True)
class Settings:
    rules: tuple[Rule, ...] = DEFAULT_RULES
    """The questions asked on every card, in order."""
    two_tier: bool = False
    """Keep a wider network: failing only inner-circle rules accepts into it instead of declining."""
    order: str = "oldest"
    """Queue order: oldest, newest or name."""
    theme: str = "tui-dark"
    """Theme name (see ``tui themes``); changed from the command palette, it is saved here."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id to keys, e.g. ``accept-request = "A"``."""
    likely_threshold: int = 90
    """Score from which a fuzzy match counts as likely the same person."""
    possible_threshold: int = 75
    """Score from which a fuzzy match is shown as possible."""
    poll_interval: float = 1.0
    """Seconds between checks for writes by other processes while the app runs."""
    sales_phrases: tuple[str, ...] = ()
    """Phrases that mark a sales pitch; empty means the built-in list."""
    replies: tuple[tuple[str, str], ...] = ()
    """Reply templates (name, text) with {first_name}, {name}, {company}; empty means the defaults."""
    show_waiting: bool = False
    """Show requests asked and waiting for a reply in the triage queue."""
    source: Path | None = None
    """The file these settings came from, if any."""


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"{where}: expected {names}, got {type(value).__name__}")
    return value


def _rules(doc: dict[str, Any], path: Path) -> tuple[Rule, ...]:
    rules = {rule.id: rule for rule in DEFAULT_RULES}
    if _expect(doc.get("values_rule", False), bool, f"{path}: values_rule"):
        rules[VALUES_RULE.id] = VALUES_RULE
    for i, entry in enumerate(_expect(doc.get("rules", []), list, f"{path}: rules")):
        where = f"{path}: rules[{i}]"
        _expect(entry, dict, where)
        rule_id = _expect(entry.get("id"), str, f"{where}.id").strip()
        if not rule_id or not rule_id.replace("-", "").replace("_", "").isalnum():
            raise ConfigError(f"{where}.id: use letters, digits, - and _ only")
        base = rules.get(rule_id)
        question = entry.get("question", base.question if base else None)
        if entry.get("enabled", True) is False:
            rules.pop(rule_id, None)
            continue
        rules[rule_id] = Rule(
            rule_id,
            _expect(question, str, f"{where}.question"),
            _expect(entry.get("inner", base.inner if base else False), bool, f"{where}.inner"),
        )
    if not rules:
        raise ConfigError(f"{path}: rules: at least one rule must stay enabled")
    return tuple(rules.values())


def load(path: Path) -> Settings:
    """Read settings from ``path``; a missing file means all defaults."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    order = _expect(doc.get("order", "oldest"), str, f"{path}: order")
    if order not in ORDERS:
        raise ConfigError(f"{path}: order: expected one of {', '.join(ORDERS)}, got {order!r}")
    keymap = _expect(doc.get("keymap", {}), dict, f"{path}: keymap")
    for key, value in keymap.items():
        _expect(value, str, f"{path}: keymap.{key}")
    dedup = _expect(doc.get("dedup", {}), dict, f"{path}: dedup")
    return Settings(
        rules=_rules(doc, path),
        two_tier=_expect(doc.get("two_tier", False), bool, f"{path}: two_tier"),
        order=order,
        theme=_expect(doc.get("theme", "tui-dark"), str, f"{path}: theme"),
        keymap=dict(keymap),
        likely_threshold=_expect(dedup.get("likely", 90), int, f"{path}: dedup.likely"),
        possible_threshold=_expect(dedup.get("possible", 75), int, f"{path}: dedup.possible"),
        poll_interval=float(_expect(doc.get("poll_interval", 1.0), (int, float), f"{path}: poll_interval")),
        sales_phrases=tuple(_expect(p, str, f"{path}: sales_phrases[{i}]").casefold() for i, p in enumerate(_expect(doc.get("sales_phrases", []), list, f"{path}: sales_phrases"))),
        replies=tuple(
            (_expect(r.get("name") if isinstance(r, dict) else None, str, f"{path}: replies[{i}].name"), _expect(r.get("text"), str, f"{path}: replies[{i}].text"))
            for i, r in enumerate(_expect(doc.get("replies", []), list, f"{path}: replies"))
        ),
        show_waiting=_expect(doc.get("show_waiting", False), bool, f"{path}: show_waiting"),
        source=path,
    )


_THEME_LINE = re.compile(r"^theme\s*=.*$", re.MULTILINE)
_TABLE = re.compile(r"^\s*\[", re.MULTILINE)


def save_theme(path: Path, name: str) -> None:
    """Set ``theme = "name"`` in config.toml, keeping every other line as the user wrote it."""
    from tui.fileio import atomic_write, private_dir

    line = f"theme = {json.dumps(name)}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    table = _TABLE.search(text)
    top, rest = (text[: table.start()], text[table.start():]) if table else (text, "")
    if _THEME_LINE.search(top):
        top = _THEME_LINE.sub(lambda _: line, top, count=1)
    else:
        top = f"{line}\n{top}"
    private_dir(path.parent)
    atomic_write(path, (top + rest).encode("utf-8"))

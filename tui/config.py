"""Settings, read from ``config.toml`` in the config directory.

Every field has a default. Settings are passed explicitly to whoever needs them.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from tui.errors import BadInput
from tui.rules import DEFAULT_RULES, VALUES_RULE, Rule
from tui.text import clean, is_blank

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
    """Score (how sure, in per cent, that it is the same person) from which a match whose names
    agree is likely the same person."""
    possible_threshold: int = 1
    """Score from which a match is shown at all (as possible, below the likely score)."""
    poll_interval: float = 1.0
    """Seconds between checks for writes by other processes while the app runs (0.1 to 3600)."""
    sales_phrases: tuple[str, ...] = ()
    """Phrases that mark a sales pitch; empty means the built-in list."""
    replies: tuple[tuple[str, str, str], ...] = ()
    """Reply templates (name, text, action) with {first_name}, {name}, {company}; the action after
    copying is "ask" (waiting for a reply), "decline" or "copy" (nothing more); empty means the defaults."""
    show_waiting: bool = False
    """Show requests asked and waiting for a reply in the triage queue."""
    source: Path | None = None
    """The file these settings came from, if any."""
    warnings: tuple[str, ...] = ()
    """What was ignored in that file (unknown keys, misspelt sections), each naming file and key."""


def show_key(key: str) -> str:
    """A key as a message shows it: as written, or quoted with escapes when some of it is invisible."""
    return key if key.isprintable() and key.strip() == key and key else clean(repr(key), 60)


class _Reader:
    """Reads one config document. A wrong value raises :class:`ConfigError`; an unknown key or
    section is a warning (with the close match). Every message names the file and the key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.warnings: list[str] = []

    def fail(self, key: str, why: str) -> NoReturn:
        raise ConfigError(f"{self.path}: {key}: {why}")

    def warn(self, key: str, why: str) -> None:
        self.warnings.append(f"{self.path}: {key}: {why}")

    def expect(self, value: Any, kind: type | tuple[type, ...], key: str) -> Any:
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,))):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            self.fail(key, f"expected {names}, got {type(value).__name__}")
        return value

    def text(self, value: Any, key: str) -> str:
        """A string with something visible in it."""
        if is_blank(self.expect(value, str, key)):
            self.fail(key, "must not be empty")
        return value  # type: ignore[no-any-return]

    def number(self, value: Any, key: str, low: float, high: float, kind: type | tuple[type, ...] = (int, float)) -> Any:
        self.expect(value, kind, key)
        if not low <= value <= high:  # NaN compares false, so it fails here too
            self.fail(key, f"must be between {low:g} and {high:g}, got {clean(repr(value), 40)}")
        return value

    def table(self, doc: dict[str, Any], key: str) -> dict[str, Any]:
        return self.expect(doc.get(key, {}), dict, key)  # type: ignore[no-any-return]

    def unknown(self, doc: dict[str, Any], known: Iterable[str], where: str = "") -> None:
        """Warn about every key of ``doc`` not in ``known``, suggesting the close match."""
        known = list(known)
        for key in doc:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                what = "unknown section" if isinstance(doc[key], dict) and not where else "unknown key"
                self.warn(where + show_key(key), f"{what}, ignored" + (f"; did you mean {close[0]!r}?" if close else ""))


#: The keys config.toml knows, by table; any other is warned about.
TOP_KEYS = (
    "rules",
    "values_rule",
    "two_tier",
    "order",
    "theme",
    "keymap",
    "dedup",
    "poll_interval",
    "sales_phrases",
    "replies",
    "show_waiting",
)
DEDUP_KEYS = ("likely", "possible")
RULE_KEYS = ("id", "question", "inner", "enabled")
REPLY_KEYS = ("name", "text", "action")
REPLY_ACTIONS = ("ask", "decline", "copy")
POLL_RANGE = (0.1, 3600.0)
"""Seconds: more often spins the CPU; less often, and another process's writes seem lost."""


def _rules(doc: dict[str, Any], read: _Reader) -> tuple[Rule, ...]:
    rules = {rule.id: rule for rule in DEFAULT_RULES}
    if read.expect(doc.get("values_rule", False), bool, "values_rule"):
        rules[VALUES_RULE.id] = VALUES_RULE
    seen: dict[str, int] = {}
    for i, entry in enumerate(read.expect(doc.get("rules", []), list, "rules")):
        where = f"rules[{i}]"
        read.unknown(read.expect(entry, dict, where), RULE_KEYS, f"{where}.")
        rule_id = read.expect(entry.get("id"), str, f"{where}.id").strip()
        if not rule_id or not rule_id.replace("-", "").replace("_", "").isalnum():
            read.fail(f"{where}.id", "use letters, digits, - and _ only")
        if rule_id in seen:
            read.warn(f"{where}.id", f"{rule_id!r} is also rules[{seen[rule_id]}]; this later one wins")
        seen[rule_id] = i
        base = rules.get(rule_id)
        question = entry.get("question", base.question if base else None)
        if not read.expect(entry.get("enabled", True), bool, f"{where}.enabled"):
            rules.pop(rule_id, None)
            continue
        rules[rule_id] = Rule(
            rule_id,
            read.text(question, f"{where}.question"),
            read.expect(entry.get("inner", base.inner if base else False), bool, f"{where}.inner"),
        )
    if not rules:
        read.fail("rules", "at least one rule must stay enabled")
    return tuple(rules.values())


def _replies(doc: dict[str, Any], read: _Reader) -> tuple[tuple[str, str, str], ...]:
    from tui.context import PLACEHOLDER, TEMPLATE_FIELDS

    replies = []
    for i, entry in enumerate(read.expect(doc.get("replies", []), list, "replies")):
        where = f"replies[{i}]"
        read.unknown(read.expect(entry, dict, where), REPLY_KEYS, f"{where}.")
        name, text = read.text(entry.get("name"), f"{where}.name"), read.text(entry.get("text"), f"{where}.text")
        for field_name in dict.fromkeys(PLACEHOLDER.findall(text)):
            if field_name not in TEMPLATE_FIELDS:
                close = difflib.get_close_matches(field_name, TEMPLATE_FIELDS, n=1)
                read.warn(
                    f"{where}.text",
                    f"{{{clean(field_name, 40)}}} is not filled in (it is sent as written)"
                    + (f"; did you mean {{{close[0]}}}?" if close else f"; use {', '.join('{' + f + '}' for f in TEMPLATE_FIELDS)}"),
                )
        action = read.expect(entry.get("action", "ask"), str, f"{where}.action")
        if action not in REPLY_ACTIONS:
            read.fail(f"{where}.action", f"expected one of {', '.join(REPLY_ACTIONS)}, got {clean(repr(action), 40)}")
        replies.append((name, text, action))
    return tuple(replies)


def _keymap(doc: dict[str, Any], read: _Reader) -> dict[str, str]:
    """Binding id to keys (comma separated). An unknown id, or a key two bindings would share on
    one screen, is a warning (:func:`tui.keymap.problems`)."""
    from tui.keymap import problems

    keymap = read.table(doc, "keymap")
    for binding_id, keys in keymap.items():
        where = f"keymap.{show_key(binding_id)}"
        if any(not key.strip() for key in read.text(keys, where).split(",")):
            read.fail(where, f'an empty key in {keys!r}; write keys like "A" or "ctrl+a,A"')
    read.warnings += problems(keymap, str(read.path))
    return dict(keymap)


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
    read = _Reader(path)
    read.unknown(doc, TOP_KEYS)
    order = read.expect(doc.get("order", "oldest"), str, "order")
    if order not in ORDERS:
        read.fail("order", f"expected one of {', '.join(ORDERS)}, got {order!r}")
    dedup = read.table(doc, "dedup")
    read.unknown(dedup, DEDUP_KEYS, "dedup.")
    likely = read.number(dedup.get("likely", 90), "dedup.likely", 0, 100, int)
    possible = read.number(dedup.get("possible", 1), "dedup.possible", 0, 100, int)
    if possible > likely:
        read.fail("dedup.possible", f"{possible} is above dedup.likely ({likely}); a possible match scores lower than a likely one")
    phrases = read.expect(doc.get("sales_phrases", []), list, "sales_phrases")
    keymap = _keymap(doc, read)
    return Settings(
        rules=_rules(doc, read),
        two_tier=read.expect(doc.get("two_tier", False), bool, "two_tier"),
        order=order,
        theme=read.text(doc.get("theme", "tui-dark"), "theme"),
        keymap=keymap,
        likely_threshold=likely,
        possible_threshold=possible,
        poll_interval=float(read.number(doc.get("poll_interval", 1.0), "poll_interval", *POLL_RANGE)),
        sales_phrases=tuple(read.text(p, f"sales_phrases[{i}]").casefold() for i, p in enumerate(phrases)),
        replies=_replies(doc, read),
        show_waiting=read.expect(doc.get("show_waiting", False), bool, "show_waiting"),
        source=path,
        warnings=tuple(read.warnings),
    )


# The top-level theme key as TOML lets it be written: indented, bare or quoted.
_THEME_LINE = re.compile(r"""^[ \t]*(?:theme|"theme"|'theme')[ \t]*=.*$""", re.MULTILINE)
_TABLE = re.compile(r"^\s*\[", re.MULTILINE)


def save_theme(path: Path, name: str) -> None:
    """Set ``theme = "name"`` in config.toml, keeping every other line as the user wrote it.

    The new text is parsed before it replaces the file: when it would not parse, or would change
    any value but the theme, nothing is written (:class:`ConfigError`, naming the file).
    A symlinked config.toml (a dotfiles repository) stays a symlink: the file it points to is
    rewritten, atomically in its own directory, mode 0600."""
    from tui.fileio import atomic_write, private_dir

    path = Path(os.path.realpath(path))
    line = f"theme = {json.dumps(name)}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: theme not saved ({getattr(exc, 'strerror', None) or 'not UTF-8 text'})") from None
    table = _TABLE.search(text)
    top, rest = (text[: table.start()], text[table.start() :]) if table else (text, "")
    top = _THEME_LINE.sub(lambda _: line, top, count=1) if _THEME_LINE.search(top) else f"{line}\n{top}"
    new = top + rest
    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: theme not saved: the file does not parse ({exc})") from None
    try:
        after: dict[str, Any] | None = tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        after = None
    if after != before | {"theme": name}:
        harm = "break the file" if after is None else "change other settings"
        raise ConfigError(f"{path}: theme not saved: rewriting its theme line would {harm}; set theme = {json.dumps(name)} by hand")
    private_dir(path.parent)
    atomic_write(path, new.encode("utf-8"))

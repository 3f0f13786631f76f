"""The key bindings a ``[keymap]`` in config.toml can change, as plain data, and what is wrong with
a keymap: an id no binding has, or a key two bindings would share on one screen.

Core: no Textual here, so that every command can check the config it reads (and say so on
stderr), not only the app. The app's own bindings (``tui/app/app.py`` and its screens) must be
exactly these: ``tests/app/test_keymap.py`` compares them.
"""

from __future__ import annotations

import difflib
from itertools import combinations

#: Binding id -> (default keys, where it applies): "" is the whole app (every screen), else a
#: screen ("triage", "history", ...); "dialog" is every dialog, "dialog/matches" one of them;
#: "list" and "table" are the list widgets' own, active where one has the focus.
BINDINGS: dict[str, tuple[str, str]] = {
    "show-help": ("question_mark", ""),
    "quit": ("q", ""),
    "show-contacts": ("c", ""),
    "show-history": ("h", ""),
    "show-stats": ("t", ""),
    "show-duplicate-contacts": ("D", ""),
    "answer-yes": ("y", "triage"),
    "answer-no": ("n", "triage"),
    **{f"jump-rule-{i}": (str(i), "triage") for i in range(1, 10)},
    "confirm-verdict": ("enter", "triage"),
    "accept-request": ("a", "triage"),
    "decline-request": ("d", "triage"),
    "wider-request": ("w", "triage"),
    "skip-request": ("s", "triage"),
    "defer-request": ("z", "triage"),
    "undo-decision": ("u", "triage"),
    "edit-notes": ("e", "triage"),
    "show-matches": ("m", "triage"),
    "search-queue": ("slash", "triage"),
    "previous-card": ("b", "triage"),
    "filter-queue": ("f", "triage"),
    "open-profile": ("o", "triage"),
    "copy-email": ("at", "triage"),
    "cycle-order": ("O", "triage"),
    "reply-request": ("r", "triage"),
    "toggle-waiting": ("W", "triage"),
    "bulk-decide": ("B", "triage"),
    "show-session": ("S", "triage"),
    "close-history": ("escape,h", "history"),
    "undo-history": ("u", "history"),
    "close-stats": ("escape,t", "stats"),
    "close-contacts": ("escape", "contacts"),
    "search-contacts": ("slash", "contacts"),
    "close-dialog": ("escape", "dialog"),
    "save-notes": ("ctrl+s", "dialog/edit"),
    "merge-match": ("g", "dialog/matches"),
    "distinct-match": ("x", "dialog/matches"),
    "reply-sent": ("enter", "dialog/reply"),
    "undo-session": ("u,enter", "dialog/session"),
    # Lists and tables, wherever they have the focus (a list in a dialog, the contacts table).
    "list-down": ("j", "list"),
    "list-up": ("k", "list"),
    "table-down": ("down,j", "table"),
    "table-up": ("up,k", "table"),
    "table-page-down": ("pagedown", "table"),
    "table-page-up": ("pageup", "table"),
    "table-first": ("home", "table"),
    "table-last": ("end", "table"),
    "table-choose": ("enter", "table"),
    "close-help": ("escape,question_mark,q", "help"),
    "close-dedup-contacts": ("escape", "dedup-contacts"),
    "merge-contacts": ("g", "dedup-contacts"),
    "distinct-contacts": ("x", "dedup-contacts"),
    "skip-group": ("s", "dedup-contacts"),
    "undo-contacts": ("u", "dedup-contacts"),
    "keep-value": ("enter", "dedup-contacts"),
}


def _keys(keys: str) -> set[str]:
    return {key.strip() for key in keys.split(",") if key.strip()}


def _meet(a: str, b: str) -> bool:
    """Whether bindings that apply at ``a`` and at ``b`` are ever active together (the app's
    bindings are under every screen's; a dialog's under that dialog's own)."""
    return a == b or a == "" or b == "" or b.startswith(a + "/") or a.startswith(b + "/")


def _clashes(keys: dict[str, set[str]]) -> set[tuple[str, str, str]]:
    """(id, id, key) for every key that two bindings active together share."""
    return {(a, b, key) for a, b in combinations(BINDINGS, 2) if _meet(BINDINGS[a][1], BINDINGS[b][1]) for key in sorted(keys[a] & keys[b])}


_DEFAULT_CLASHES = _clashes({binding_id: _keys(keys) for binding_id, (keys, _) in BINDINGS.items()})
"""The shares the app makes on purpose (``q`` closes the help screen rather than quitting)."""


def problems(keymap: dict[str, str], where: str) -> list[str]:
    """What is wrong with ``keymap`` (binding id -> keys), each naming ``where`` (the config file)
    and the keymap key: an unknown id (with the close match), and a key that a remapped binding
    now shares with another active on the same screen (one of the two would never fire)."""
    from tui.config import show_key

    found = []
    for binding_id in keymap:
        if binding_id not in BINDINGS:
            close = difflib.get_close_matches(binding_id, list(BINDINGS), n=1)
            found.append(
                f"{where}: keymap.{show_key(binding_id)}: no key has this id, ignored; "
                + (f"did you mean {close[0]!r}?" if close else "? lists every id")
            )
    keys = {
        binding_id: _keys(keymap[binding_id]) if binding_id in keymap else _keys(default) for binding_id, (default, _) in BINDINGS.items()
    }
    for a, b, key in sorted(_clashes(keys) - _DEFAULT_CLASHES):
        screen = max(BINDINGS[a][1], BINDINGS[b][1]) or "every screen"
        shown = show_key(key)
        found.append(
            f"{where}: keymap: {a} and {b} both have the key {repr(shown) if shown == key else shown} (on {screen.replace('/', ': ')});"
            " only one of them will work"
        )
    return found

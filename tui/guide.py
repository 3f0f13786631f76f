"""How to get requests in: the exports each network gives, and where to find them.

One text, shown by the app on an empty store, by its help screen, and kept in the README.
Plain strings: no terminal library here."""

from __future__ import annotations

#: (network, menu path to its export, the files to import from it)
EXPORTS = (
    (
        "LinkedIn",
        (
            "Me → Settings & Privacy → Data privacy → Get a copy of your data → pick Connections and "
            "Invitations → Request archive (a download link comes by e-mail, usually within minutes)"
        ),
        "Connections.csv (your contacts), Invitations.csv (requests waiting for you)",
    ),
    (
        "Facebook",
        (
            "Menu → Settings & privacy → Settings → Accounts Center → Your information and permissions → "
            "Download your information → Connections (Friends) → format JSON"
        ),
        "received_friend_requests.json (older exports: friend_requests_received.json)",
    ),
    ("Google Contacts", "contacts.google.com → Export → Google CSV", "contacts.csv"),
    ("Phone or mail app", "export the address book as a vCard", "contacts.vcf"),
)

#: Requests from X and e-mail introductions have no export: add them one by one.
ADD_EXAMPLE = 'tui add "Ann Lee" --company Acme --email ann@acme.io --source x --message "..."'


def first_run_lines() -> list[str]:
    """What an empty store needs, step by step."""
    lines = ["No requests yet. Bring them in from the networks' exports, in another terminal:", ""]
    for network, path, files in EXPORTS:
        lines += [f"  {network}: {path}", f"      tui import FILE    with {files}"]
    lines += [
        "",
        "  X, e-mail introductions and anything else, one at a time:",
        f"      {ADD_EXAMPLE}",
        "",
        "They appear here within a second of being imported.",
    ]
    return lines

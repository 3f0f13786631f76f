"""`tui query TERM`: contacts for a mail client's address completion (mutt's ``query_command``,
aerc's ``address-book-cmd``). Pure: the contacts' key index in, address lines out.

Every word of the term must be found in a contact's name, nicknames, company or e-mail address,
folded as matching folds them (accents and case: "jose" finds "José", "MÜLLER" finds "Müller"). A
word that is a first name also finds its nicknames and full forms ("bob" finds "Robert"), and the
nicknames a contact carries. Contacts without an e-mail address are left out: a mail client can
do nothing with them.

Only the key index is read (``keys.idx``, kept beside the store and mapped, not parsed), never the
contacts themselves: a query at 30,000 contacts starts about as fast as ``tui add``.
"""

from __future__ import annotations

import re

from tui.dedup.keys import KeyIndex
from tui.dedup.names import first_name_forms, fold
from tui.text import CONTROL_CLASS, clean

_WORD = re.compile(r"[^\s,;<>\"]+")
_CONTROLS = re.compile(f"[{CONTROL_CLASS}]")


def words(term: str) -> list[str]:
    """The folded words of a query (an e-mail address stays one word)."""
    return _WORD.findall(fold(_CONTROLS.sub(" ", term)))  # a tab or line break separates words, as a space does


def search(index: KeyIndex, term: str) -> list[tuple[str, str, str]]:
    """(e-mail, name, company) for each address of each matching contact, by name."""
    wanted = words(term)
    if not wanted:
        return []
    forms = [set(first_name_forms(w)) - {w} if w.isalpha() else set() for w in wanted]
    # Only rows holding the longest word anywhere, or another form of it as their first name or a
    # nickname, are looked at.
    key = max(range(len(wanted)), key=lambda i: len(wanted[i]))
    rows = index.rows_containing([wanted[key]])
    for form in forms[key]:  # the first names and nicknames are looked up, not searched for
        rows.update(index.named(form))
    found: list[tuple[str, str, str]] = []
    for row in rows:
        c = index.row_columns(row)
        addresses = c["emails"].split()
        if not addresses:
            continue
        names = f"{c['firsts']} {c['lasts']} {c['nicknames']} {c['companies']} {c['display'].casefold()} {c['emails']}"
        given = {c["firsts"], *c["nicknames"].split()}
        if all(w in names or not given.isdisjoint(f) for w, f in zip(wanted, forms, strict=True)):
            found.extend((address, c["display"], c["orgs"]) for address in addresses)
    return sorted(set(found), key=lambda hit: (hit[1].casefold(), hit[0]))


def lines(hits: list[tuple[str, str, str]], term: str, header: bool = True) -> list[str]:
    """What the mail client reads: a first line of free text (mutt shows it), then
    ``email<TAB>name<TAB>company``, each field one line of safe text."""
    shown = [f"{clean(email, 320)}\t{clean(name, 200)}\t{clean(company, 200)}" for email, name, company in hits]
    if not header:
        return shown
    people = len({name for _, name, _ in hits})
    return [
        f"tui: {len(hits)} address{'es' if len(hits) != 1 else ''} of {people} contact{'s' if people != 1 else ''} for {clean(term, 80)!r}",
        *shown,
    ]

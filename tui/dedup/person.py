"""The keys of one person: what matching needs of a name, company, title, network and the
identities (e-mail addresses, profile URLs), folded once. :mod:`tui.dedup.keys` keeps them for a
whole store (:class:`~tui.dedup.keys.KeyIndex`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from tui.dedup.confusables import skeleton_of
from tui.dedup.normalise import email_key, url_key

#: What never goes into one line of the persisted key index (a field separator or a line break).
ONE_LINE = re.compile(r"[\t\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


class PersonKeys(NamedTuple):
    """What matching needs of one person, folded: see :func:`person_keys`."""

    first: str
    last: str
    company: str
    title: str
    source: str
    identity: tuple[str, ...]
    mixed_scripts: bool = False
    lookalikes: bool = False
    exact: str = ""
    """The name as written (compare through ``simple_name_key``): a clone copies it exactly, a
    disguise imitates it (:func:`tui.dedup.confusables.looks_alike`)."""
    middle: str = ""
    """Middle names, folded, separated by spaces."""
    nicknames: tuple[str, ...] = ()
    """Folded names the person goes by (vCard NICKNAME, Google's Nickname): blocking files the row
    under them too, and a request's first name that is one of them agrees with the row's."""

    @property
    def squashed(self) -> str:
        """The whole name without spaces: "Anna Marie"/"Annamarie", "Lind qvist"/"Lindqvist"."""
        return f"{self.first}{self.middle}{self.last}".replace(" ", "")


# Matching looks at no more than this much of a name, company or title. A real one is far
# shorter; a stranger's 100k-character "name" must not make every later comparison slow.
MATCH_LIMIT = 256


def person_keys(
    name: str, company: str, title: str, source: str, emails: Iterable[str], urls: Iterable[str], nicknames: Iterable[str] = ()
) -> PersonKeys:
    from tui.dedup.names import company_key, fold, parse

    name, company, title = name[:MATCH_LIMIT], company[:MATCH_LIMIT], title[:MATCH_LIMIT]
    parsed = parse(name)
    return PersonKeys(
        parsed.first,
        parsed.last,
        company_key(company),
        company_key(title),
        (source or "").strip().lower(),
        tuple(identity_keys(emails, urls)),
        bool(parsed.mixed_scripts),
        parsed.lookalikes,
        ONE_LINE.sub(" ", name),
        " ".join(parsed.middle),
        tuple(dict.fromkeys(word for nick in nicknames for word in re.findall(r"[a-z0-9]+", fold(nick[:MATCH_LIMIT])))),
    )


def record_keys(record: Any) -> PersonKeys:
    """:func:`person_keys` of a record: a Request, a Contact, anything with their fields."""
    return person_keys(
        record.name, record.company, record.title, record.source, record.emails, record.urls, getattr(record, "nicknames", ()) or ()
    )


def identity_keys(emails: Iterable[str], urls: Iterable[str]) -> list[str]:
    """The decisive identity keys of a person: ``e:<email>`` and ``u:<profile url>``."""
    keys = {f"e:{k}" for k in map(email_key, emails) if k} | {f"u:{k}" for k in map(url_key, urls) if k}
    return sorted(keys)


def lookalike_key(key: str) -> str:
    """``~e:<skeleton>`` of ``e:<email>`` (``~u:`` of a URL): the UTS #39 skeleton of the address,
    the same for every address that looks like it ("ｊane@acme.com", "jane@acrne.com")."""
    return f"~{key[:2]}{skeleton_of(key[2:])}"  # uncached: one call per address, all different

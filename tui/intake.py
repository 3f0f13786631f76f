"""The one door for people arriving from outside: `tui add` and every importer come through here.

Pure: records in, records out.

* ``urls`` holds web addresses (http or https, with a real host: :func:`tui.dedup.normalise.web_host`),
  whether or not they identify a person: a company's site or page stays a URL, it just never
  decides who someone is (only :func:`tui.dedup.normalise.url_key`'s keys do). Anything else
  (``javascript:``, ``file:``, ``data:``, a host hidden behind user info, text that is no URL) is
  kept as text in the notes, never in ``urls``; `tui add` refuses it instead, since its user can
  correct it.
* A name with nothing visible (:func:`tui.text.is_blank`) is no name: an importer uses the first
  e-mail address instead, else skips the record; `tui add` refuses it.
"""

from __future__ import annotations

from typing import Any

from tui.dedup.normalise import email_key, web_host
from tui.errors import BadInput
from tui.models import Contact, Person, Request
from tui.text import clean, is_blank, is_safe, is_utf8

#: How a URL that is not a web address is kept in the notes.
KEPT_AS_TEXT = "Not a web address, kept as text:"


def split_urls(urls: list[str]) -> tuple[list[str], list[str]]:
    """``urls`` as (web addresses, the rest)."""
    web: list[str] = []
    rest: list[str] = []
    for url in urls:  # each asked once: an import of 30k rows asked twice
        (web if web_host(url) else rest).append(url)
    return web, rest


def admit_urls(person: Person) -> list[str]:
    """Move every URL of ``person`` that is not a web address into its notes; return those."""
    person.urls, refused = split_urls(person.urls)
    if refused:
        person.notes = "\n".join([*filter(None, [person.notes]), *(f"{KEPT_AS_TEXT} {url}" for url in refused)])
    return refused


def admit(person: Person) -> bool:
    """Apply the rules above to an imported record; False when it is to be skipped."""
    admit_urls(person)
    if is_blank(person.name):
        if not person.emails:
            return False
        person.name = person.emails[0]
    return True


def typed_record(
    name: str,
    *,
    company: str = "",
    title: str = "",
    emails: list[str] | None = None,
    urls: list[str] | None = None,
    source: str = "",
    message: str = "",
    location: str = "",
    tags: list[str] | None = None,
    contact: bool = False,
) -> Contact | Request:
    """A request (or, with ``contact``, a contact) as a user typed it (`tui add`): trimmed, and
    checked as above. Bad input names the option at fault; nothing is stored here."""
    if is_blank(name):
        raise BadInput("name is empty")
    fields: dict[str, Any] = {
        "name": name.strip(),
        "company": company.strip(),
        "title": title.strip(),
        "location": location.strip(),
        "emails": [e.strip() for e in emails or [] if e.strip()],
        "urls": [u.strip() for u in urls or [] if u.strip()],
        "source": source.strip() or "manual",
        "tags": [t.strip() for t in tags or [] if t.strip()],
    }
    for option in ("email", "url"):  # undecodable bytes in argv arrive as lone surrogates: no identity
        for value in fields[f"{option}s"]:
            if not is_utf8(value):
                raise BadInput(f"--{option} {clean(value, 80)!r} is not UTF-8 text (a byte that is no character)")
    for address in fields["emails"]:
        # A hidden or control character would be dropped from the key but kept in the record: `tui
        # query` and the exports would then print an address that is not the one stored.
        if not is_safe(address) or any(ch.isspace() for ch in address):
            raise BadInput(f"--email {clean(address, 80)!r} is not an e-mail address: it holds a space, a hidden or a control character")
        if not email_key(address):
            raise BadInput(f"--email {clean(address, 80)!r} is not an e-mail address")
    for link in split_urls(fields["urls"])[1]:
        raise BadInput(f"--url {clean(link, 80)!r} is not a URL of a web address (http or https)")
    return Contact(**fields) if contact else Request(**fields, message=message)

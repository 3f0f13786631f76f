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

from tui.dedup.normalise import web_host
from tui.models import Person
from tui.text import is_blank

#: How a URL that is not a web address is kept in the notes.
KEPT_AS_TEXT = "Not a web address, kept as text:"


def split_urls(urls: list[str]) -> tuple[list[str], list[str]]:
    """``urls`` as (web addresses, the rest)."""
    web = [url for url in urls if web_host(url)]
    return web, [url for url in urls if not web_host(url)]


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

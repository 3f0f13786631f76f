"""Canonical forms of the fields that identify a person.

Pure functions over strings. Hidden characters (zero-width, bidi) are removed first so that they
can neither hide a match nor fake one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0"
    "\x00-\x1f\x7f-\x9f]"
)
_SPACES = re.compile(r"\s+")
# Path prefixes that are only a locale, e.g. linkedin.com/de/in/x or /en-gb/.
_LOCALE = re.compile(r"^[a-z]{2}(?:[-_][a-z]{2})?$")


def strip_invisible(text: str) -> str:
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text or ""))


@lru_cache(maxsize=100_000)
def email_key(email: str) -> str:
    """``Jane.Doe@Example.COM `` → ``jane.doe@example.com``. Empty when it is not an address."""
    email = strip_invisible(email).strip().lower()
    if email.startswith("mailto:"):
        email = email[7:]
    if email.count("@") != 1:
        return ""
    local, domain = email.split("@")
    if not local or "." not in domain:
        return ""
    return f"{local}@{domain.strip('.')}"


@lru_cache(maxsize=100_000)
def url_key(url: str) -> str:
    """A profile URL without scheme, ``www``, locale path, query, fragment or trailing slash.

    ``https://www.LinkedIn.com/in/jane-doe/?trk=x`` → ``linkedin.com/in/jane-doe``. A LinkedIn
    ``/in/<slug>`` is an identity: any sub-page of it maps to the same key.
    """
    url = strip_invisible(url).strip()
    if not url:
        return ""
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    if not host:
        return ""
    segments = [s for s in parts.path.split("/") if s]
    if host.endswith("linkedin.com"):
        host = "linkedin.com"
        lowered = [s.lower() for s in segments[:3]]
        for i, segment in enumerate(lowered[:2]):
            if segment in ("in", "pub") and i + 1 < len(lowered):
                return f"linkedin.com/in/{lowered[i + 1]}"
    if len(segments) > 1 and _LOCALE.match(segments[0].lower()):
        segments = segments[1:]
    if host in ("twitter.com", "x.com"):
        host = "x.com"
        segments = segments[:1]
        return f"x.com/{segments[0].lower()}" if segments else ""
    path = "/".join(segments)
    return f"{host}/{path}".rstrip("/") if path else host


def simple_name_key(name: str) -> str:
    """Case- and space-folded name, for exact comparisons (re-import)."""
    return _SPACES.sub(" ", strip_invisible(name).casefold()).strip()

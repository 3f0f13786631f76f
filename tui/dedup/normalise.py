"""Canonical forms of the fields that identify a person.

Pure functions over strings. Hidden characters (the display's table of invisible characters, from
:mod:`tui.text`) are removed first so that they can neither hide a match nor fake one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from tui.text import CONTROL_CLASS, INVISIBLE_CLASS

# The display's table (one source: what is not shown is not matched), and the controls.
_INVISIBLE = re.compile("[" + CONTROL_CLASS + INVISIBLE_CLASS + "]")
_SPACES = re.compile(r"\s+")
# Path prefixes that are only a locale, e.g. linkedin.com/de/in/x or /en-gb/.
_LOCALE = re.compile(r"^[a-z]{2}(?:[-_][a-z]{2})?$")


def strip_invisible(text: str) -> str:
    """``text`` without controls and invisible characters, in NFKC. They go first, so that a hidden
    character cannot keep an accent from composing with its letter."""
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", text or ""))


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


#: Networks whose profile URLs identify a person. The domain and every subdomain of it are the
#: network (``de.linkedin.com``, ``mobile.twitter.com``); a host that merely ends in the same
#: letters (``evil-linkedin.com``) is another site.
NETWORKS = {
    "linkedin.com": "linkedin.com",
    "x.com": "x.com",
    "twitter.com": "x.com",
    "facebook.com": "facebook.com",
    "fb.com": "facebook.com",
    "instagram.com": "instagram.com",
    "threads.net": "threads.net",
    "tiktok.com": "tiktok.com",
    "youtube.com": "youtube.com",
    "github.com": "github.com",
    "xing.com": "xing.com",
    "bsky.app": "bsky.app",
}
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def network(host: str) -> str:
    """The canonical host of the network ``host`` belongs to, or ``""``."""
    labels = host.split(".")
    for i in range(len(labels) - 1):
        found = NETWORKS.get(".".join(labels[i:]))
        if found:
            return found
    return ""


def _web_url(url: str) -> str:
    """``url`` with an explicit http(s) scheme, or ``""`` when it is not a web address
    (``javascript:``, ``file:``, ``data:``, ``mailto:``...). No scheme means https."""
    if url.startswith("//"):
        return "https:" + url
    scheme = _SCHEME.match(url)
    if scheme is None:
        return "https://" + url
    rest = url[scheme.end() :]
    if rest.startswith("//"):
        return url if scheme.group(1).lower() in ("http", "https") else ""
    if rest.split("/", 1)[0].isdigit():  # "example.com:8080/about": a port, not a scheme
        return "https://" + url
    return ""


def _host(netloc: str, hostname: str | None) -> str:
    """The host, lower-case, or ``""`` for one a profile never has: user info (``a@b`` sends
    the browser to ``b``), a backslash (which browsers read as ``/``), no dot, odd characters."""
    if "@" in netloc or "\\" in netloc:
        return ""
    host = (hostname or "").lower().rstrip(".")
    if "." not in host or host.startswith((".", "-")) or not all(ch.isalnum() or ch in "-." for ch in host):
        return ""
    return host


@lru_cache(maxsize=100_000)
def url_key(url: str) -> str:
    """A profile URL without scheme, ``www``, locale path, query, fragment or trailing slash.

    ``https://www.LinkedIn.com/in/jane-doe/?trk=x`` → ``linkedin.com/in/jane-doe``. A LinkedIn
    ``/in/<slug>`` is an identity: any sub-page of it maps to the same key. Empty for anything that
    is not a web address (http or https): such a URL is never an identity.
    """
    url = _web_url(strip_invisible(url).strip())
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        host = _host(parts.netloc, parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return ""
    if not host:
        return ""
    segments = [s for s in parts.path.split("/") if s]
    host = network(host) or host.removeprefix("www.").removeprefix("m.").removeprefix("mobile.")
    if host == "linkedin.com":
        lowered = [s.lower() for s in segments[:3]]
        for i, segment in enumerate(lowered[:2]):
            if segment in ("in", "pub") and i + 1 < len(lowered):
                return f"linkedin.com/in/{lowered[i + 1]}"
    if len(segments) > 1 and _LOCALE.match(segments[0].lower()):
        segments = segments[1:]
    if host == "x.com":
        return f"x.com/{segments[0].lower()}" if segments else ""
    if host == "facebook.com" and segments == ["profile.php"]:
        profile = parse_qs(parts.query).get("id", [""])[0]
        return f"facebook.com/profile.php?id={profile}" if profile.isdigit() else ""
    path = "/".join(segments)
    return f"{host}/{path}".rstrip("/") if path else host


def simple_name_key(name: str) -> str:
    """Case- and space-folded name, for exact comparisons (re-import)."""
    return _SPACES.sub(" ", strip_invisible(name).casefold()).strip()

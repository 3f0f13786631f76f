"""Canonical forms of the fields that identify a person.

Pure functions over strings. Hidden characters (the display's table of invisible characters, from
:mod:`tui.text`) are removed first so that they can neither hide a match nor fake one; characters
that other software draws as a blank (:data:`tui.text.BLANK_GLYPHS`) count as a space.

Names and companies are compared in their compatibility form (NFKC: fullwidth "Ｓ" is "S"), so
that a disguised name still finds the name it imitates. Identity keys (:func:`email_key`,
:func:`url_key`) never are: an address is only the address when it is written the same, and
letter case is folded only where the protocol ignores it (ASCII letters, in a domain and in a
known network's handle). A look-alike of an address is found through its skeleton instead
(:mod:`tui.dedup.keys`).
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import lru_cache
from urllib.parse import quote, unquote, unquote_plus, urlsplit

from tui.text import BLANK_GLYPHS, CONTROL_CLASS, INVISIBLE_CLASS

# The display's table (one source: what is not shown is not matched), and the controls.
_INVISIBLE = re.compile("[" + CONTROL_CLASS + INVISIBLE_CLASS + "]")
_TABLE = re.compile("[" + INVISIBLE_CLASS + "]")
_BLANK = re.compile("[" + BLANK_GLYPHS + "]")
_SPACES = re.compile(r"\s+")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def ascii_lower(text: str) -> str:
    """``text`` with its ASCII letters in lower case, and no other character changed."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


def strip_invisible(text: str) -> str:
    """``text`` without controls and invisible characters, blank glyphs and white space (a tab, a
    line break: a space on screen) as spaces, in NFKC. They go first, so that a hidden character
    cannot keep an accent from composing with its letter."""
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", _SPACES.sub(" ", _TABLE.sub("", _BLANK.sub(" ", text or "")))))


def visible_name(text: str) -> str:
    """A name as a screen shows it: hidden characters removed, blank glyphs and runs of white
    space one space, canonically composed (NFC) but not compatibility-folded ("Ｓ" stays)."""
    text = _INVISIBLE.sub("", _SPACES.sub(" ", _TABLE.sub("", _BLANK.sub(" ", text or ""))))  # U+2028 is no space on screen
    return " ".join(unicodedata.normalize("NFC", text).split())


def fold_case(text: str) -> str:
    """Lower case, except for a character that lower-cases into ASCII without being ASCII (the
    Kelvin sign "\u212a" is not "k", dotted "\u0130" is not "i")."""
    if text.isascii():
        return text.lower()
    return "".join(ch if not ch.isascii() and any(c.isascii() for c in ch.lower()) else ch.lower() for ch in text)


@lru_cache(maxsize=100_000)
def email_key(email: str) -> str:
    """``Jane.Doe@Example.COM `` → ``jane.doe@example.com``. Empty when it is not an address (a
    fullwidth "＠" is no "@", an address holds no space). Only ASCII letters are case-folded."""
    email = ascii_lower(_INVISIBLE.sub("", email or "").strip())
    if email.startswith("mailto:"):
        email = email[7:]
    if email.count("@") != 1:
        return ""
    local, domain = email.split("@")
    if not local or "." not in domain or _WHITE.search(email):
        return ""
    return f"{local}@{domain.strip('.')}"


# ---------------------------------------------------------------------------------- profile URLs

#: Networks whose profile URLs identify a person. The domain is the network (``linkedin.com``,
#: ``twitter.com``); so are the subdomains that show profiles (:data:`PROFILE_SUBDOMAINS`, and a
#: country's for LinkedIn: ``de.linkedin.com``). Any other subdomain (``docs.github.com``) shows no
#: profile, and a host that merely ends in the same letters (``evil-linkedin.com``) is another site.
NETWORKS = {
    "linkedin.com": "linkedin.com",
    "x.com": "x.com",
    "twitter.com": "x.com",
    "facebook.com": "facebook.com",
    "fb.com": "facebook.com",
    "instagram.com": "instagram.com",
    "threads.net": "threads.net",
    "threads.com": "threads.net",
    "tiktok.com": "tiktok.com",
    "youtube.com": "youtube.com",
    "youtu.be": "youtube.com",
    "github.com": "github.com",
    "xing.com": "xing.com",
    "bsky.app": "bsky.app",
}
PROFILE_SUBDOMAINS = frozenset(("", "www", "m", "mobile", "web", "mbasic", "touch"))
#: First path segments that are a network's own pages, not a handle.
RESERVED = {
    "x.com": frozenset(
        "i intent home search share hashtag settings explore notifications messages compose login logout signup tos privacy about "
        "account download jobs lists topics communities who_to_follow oauth oauth2 help web status statuses premium rules safety "
        "en 404".split()
    ),
    "facebook.com": frozenset(
        "pages pg groups events watch marketplace gaming games photo photo.php photos story.php permalink.php sharer sharer.php "
        "share share.php login login.php help policies privacy settings home home.php index.php friends messages notifications "
        "hashtag search bookmarks reel reels stories story places business ads l.php dialog plugins tr video.php videos media "
        "fundraisers public legal about terms careers campaign checkpoint recover r.php reg live lite mobile notes offers page "
        "saved messenger me profile.php people".split()
    ),
    "instagram.com": frozenset(
        "p reel reels tv explore stories accounts direct about legal developer web challenge emails session privacy terms _n _u "
        "ar create lite s api oauth static directory topics".split()
    ),
    "github.com": frozenset(
        "about account apps codespaces collections contact customer-stories enterprise events explore features issues join login "
        "logout marketplace new notifications orgs organizations pricing pulls readme search security sessions settings site "
        "sponsors team topics trending users signup dashboard resources solutions home stars watching discussions copilot "
        "mobile education github open-source".split()
    ),
}
#: Query parameters that only track a click: dropped from a key (any ``utm_*`` too).
TRACKING = frozenset(
    "fbclid gclid gclsrc dclid gbraid wbraid msclkid mc_cid mc_eid igshid igsh _ga _gl yclid twclid ttclid li_fat_id mkt_tok "
    "_hsenc _hsmi hsctatracking vero_id vero_conv oly_enc_id oly_anon_id rb_clickid s_cid ref_src ref_url trk trkinfo lipi "
    "licu originalsubdomain".split()
)
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_LOCALE = re.compile(r"^[a-z]{2}(?:[-_][a-z]{2})?$")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ASCII_HOST = re.compile(r"[a-z0-9.-]+")
_NOT_HANDLE = re.compile(r"[/\\?#%]")
_WHITE = re.compile(r"\s")


def _network(host: str) -> tuple[str, str]:
    """(the network's canonical host, the subdomain) of ``host``, or ``("", "")``."""
    labels = host.split(".")
    for i in range(len(labels) - 1):
        found = NETWORKS.get(".".join(labels[i:]))
        if found:
            return found, ".".join(labels[:i])
    return "", ""


def network(host: str) -> str:
    """The canonical host of the network ``host`` belongs to, or ``""``."""
    return _network(host)[0]


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


def _host(netloc: str) -> tuple[str, int | None] | None:
    """(host, ASCII lower-case; port) or None for a host a profile never has: user info (``a@b``
    sends the browser to ``b``), a backslash (which browsers read as ``/``), no dot, odd characters,
    a port that is no number."""
    if "@" in netloc or "\\" in netloc:
        return None
    host, _, port = netloc.partition(":")
    if port and not (port.isascii() and port.isdigit() and int(port) < 65536):
        return None
    host = ascii_lower(host).rstrip(".")
    if "." not in host or host.startswith((".", "-")):
        return None
    if not (_ASCII_HOST.fullmatch(host) if host.isascii() else all(ch.isalnum() or ch in "-." for ch in host)):
        return None
    return host, int(port) if port else None


def _decode_unreserved(text: str) -> str:
    """Percent-escapes of unreserved characters decoded (``%6A`` is ``j``, ``%2e`` is ``.``), the
    others upper-cased: RFC 3986's normal form."""

    def one(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _ESCAPE.sub(one, text) if "%" in text else text


def _segments(path: str) -> list[str]:
    """The path's segments after RFC 3986's remove_dot_segments, as a browser resolves them
    (a backslash is a slash), without the empty ones."""
    resolved: list[str] = []
    for segment in _decode_unreserved(path.replace("\\", "/")).split("/")[1:]:
        if segment == "..":
            if resolved:
                resolved.pop()
        elif segment != ".":
            resolved.append(segment)
    return [s for s in resolved if s]


def _query(query: str) -> list[tuple[str, str]]:
    """The query's parameters (name and value as written), without tracking ones."""
    found = []
    for part in query.split("&"):
        if part:
            name, _, value = part.partition("=")
            decoded = ascii_lower(unquote_plus(name))
            if not decoded.startswith("utm_") and decoded not in TRACKING:
                found.append((name, value))
    return found


def _number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _handle(segment: str) -> str:
    """A network's handle from a path segment: decoded, case-folded; ``""`` if it hides a path."""
    handle = unquote(segment) if "%" in segment else segment
    return "" if not handle or _NOT_HANDLE.search(handle) else fold_case(handle)


#: A LinkedIn profile URL as its exports write every one: its key is read straight off it (an
#: import of 30k rows parsed each through :func:`urlsplit`); :func:`general_url_key` gives the same.
_LINKEDIN_PROFILE = re.compile(r"https?://(?:www\.)?linkedin\.com/in/([A-Za-z0-9_-]+)/?")


@lru_cache(maxsize=100_000)
def url_key(url: str) -> str:
    """:func:`general_url_key`, with a LinkedIn profile URL of the common shape keyed at once."""
    quick = _LINKEDIN_PROFILE.fullmatch(url or "")
    return f"linkedin.com/in/{quick.group(1).lower()}" if quick else general_url_key(url)


def general_url_key(url: str) -> str:
    """The key of a person's profile URL: ``https://www.LinkedIn.com/in/Jane-Doe/?trk=x`` →
    ``linkedin.com/in/jane-doe``; ``""`` when the URL identifies nobody.

    On a known network only a profile is a key (:func:`_network_key`): a LinkedIn ``/in/<slug>``,
    an X or Instagram handle, and so on, with any sub-page of it and without tracking queries.
    Any other site keeps its path (case and all), its query (sorted, without tracking parameters)
    and its fragment: ``example.com/profile?id=1`` and ``?id=2`` are two people. A bare host, a
    network's own pages (a company page, a search, a share link) and anything that is not a web
    address (http or https) have no key. Dot segments are resolved first, as a browser does.
    """
    url = _web_url(_INVISIBLE.sub("", url or "").strip())
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    found = _host(parts.netloc)
    if found is None:
        return ""
    host, port = found
    segments = _segments(parts.path)
    net, sub = _network(host)
    if net:
        profile_host = sub in PROFILE_SUBDOMAINS or (net == "linkedin.com" and len(sub) == 2 and sub.isalpha())
        if not profile_host or port not in (None, _DEFAULT_PORTS.get(parts.scheme.lower())):
            return ""
        if any("%2F" in s or "%5C" in s for s in segments):  # an escaped slash: a server may read it as one
            return ""
        return _encode_spaces(_network_key(net, segments, parts.query))
    host = host.removeprefix("www.").removeprefix("m.").removeprefix("mobile.")
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    path = "/".join(segments)
    query = "&".join(f"{name}={value}" if value else name for name, value in sorted(_query(_decode_unreserved(parts.query))))
    fragment = _decode_unreserved(parts.fragment)
    if not (path or query or fragment):
        return ""  # a site, not a person
    return _encode_spaces(f"{host}/{path}" + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else ""))


def _encode_spaces(key: str) -> str:
    """White space percent-encoded, as a browser sends it: a key is one word (key files split on it)."""
    return _WHITE.sub(lambda match: quote(match.group()), key) if _WHITE.search(key) else key


def _network_key(net: str, segments: list[str], query: str) -> str:
    """The profile a known network's URL shows, or ``""`` for its other pages."""
    lowered = [ascii_lower(s) for s in segments]
    first = lowered[0] if lowered else ""
    if net == "linkedin.com":
        if len(lowered) > 2 and (_LOCALE.match(first) or first == "comm") and lowered[1] in ("in", "pub"):  # /de/in/, mail's /comm/in/
            segments, lowered, first = segments[1:], lowered[1:], lowered[1]
        handles = [_handle(s) for s in segments[1:]]
        if first == "in" and handles and handles[0]:
            return f"linkedin.com/in/{handles[0]}"
        return f"linkedin.com/pub/{'/'.join(handles)}" if first == "pub" and handles and all(handles) else ""
    params = dict(_query(query))
    if net == "x.com":
        if first == "intent" and lowered[1:2] in (["user"], ["follow"]):
            if _number(params.get("user_id", "")):
                return f"x.com/i/user/{params['user_id']}"
            handle = _handle(params.get("screen_name", ""))
            return f"x.com/{handle}" if handle else ""
        if lowered[:2] == ["i", "user"] and len(segments) > 2 and _number(segments[2]):
            return f"x.com/i/user/{segments[2]}"
    if net == "facebook.com":
        if first == "profile.php":
            return f"facebook.com/profile.php?id={params['id']}" if _number(params.get("id", "")) else ""
        if first == "people" and len(segments) > 2 and _number(segments[2]):
            return f"facebook.com/profile.php?id={segments[2]}"
    if net == "instagram.com" and first in ("_u", "stories") and len(segments) > 1:
        segments, first = segments[1:], lowered[1]
    if net in ("x.com", "facebook.com", "instagram.com", "github.com"):
        handle = _handle(segments[0]) if segments and first not in RESERVED[net] else ""
        return f"{net}/{handle}" if handle else ""
    if net in ("threads.net", "tiktok.com") or (net == "youtube.com" and first.startswith("@")):
        handle = _handle(segments[0]) if first.startswith("@") else ""
        return f"{net}/{handle}" if len(handle) > 1 else ""
    if net == "youtube.com" and len(segments) > 1 and first in ("channel", "c", "user"):
        handle = segments[1] if first == "channel" else _handle(segments[1])  # a channel id is case-sensitive
        return f"youtube.com/{first}/{handle}" if handle and "%" not in handle else ""
    if net in ("xing.com", "bsky.app") and len(segments) > 1 and first == "profile":
        handle = _handle(segments[1])
        return f"{net}/profile/{handle}" if handle else ""
    return ""


def web_host(url: str) -> str:
    """:func:`general_web_host`, with a LinkedIn profile URL of the common shape answered at once."""
    return "linkedin.com" if _LINKEDIN_PROFILE.fullmatch(url or "") else general_web_host(url)


def general_web_host(url: str) -> str:
    """The host of a web address (a network's canonical name, ``linkedin.com`` for
    ``de.linkedin.com``), or ``""`` for anything that is not one: what :mod:`tui.intake` keeps."""
    url = _web_url(_INVISIBLE.sub("", url or "").strip())
    try:
        found = _host(urlsplit(url).netloc) if url else None
    except ValueError:
        return ""
    return (network(found[0]) or found[0]) if found else ""


def simple_name_key(name: str) -> str:
    """:func:`general_name_key`; for printable ASCII (most names, and fast: an import compares
    every stored name), its lower case with runs of spaces one space, which is the same."""
    if (name or "").isascii() and (name or "").isprintable():
        return " ".join(name.lower().split())
    return general_name_key(name)


def general_name_key(name: str) -> str:
    """Case- and space-folded name, for exact comparisons (re-import)."""
    return _SPACES.sub(" ", strip_invisible(name).casefold()).strip()

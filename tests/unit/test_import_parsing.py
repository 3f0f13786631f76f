"""Issue 16: an import parses each URL as few times as it can. Admission asked twice whether each
URL is a web address, and a LinkedIn export's profile URLs (every row of one) went through the
general URL parser three times; the keys of a profile URL of the common shape are read straight
off it, and must be the very keys the general path gives."""

from __future__ import annotations

import random
import string

import pytest

from tui import intake
from tui.dedup import normalise
from tui.models import Contact


def test_admission_asks_once_per_url(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def counting(url: str) -> str:
        asked.append(url)
        return normalise.web_host(url)

    monkeypatch.setattr(intake, "web_host", counting)
    person = Contact(name="Ann Lee", urls=["https://example.com/ann", "javascript:alert(1)", "https://acme.example/team?id=3"])
    assert intake.admit(person)
    assert person.urls == ["https://example.com/ann", "https://acme.example/team?id=3"]
    assert "javascript:alert(1)" in person.notes
    assert sorted(asked) == sorted(["https://example.com/ann", "javascript:alert(1)", "https://acme.example/team?id=3"])


def test_a_linkedin_profile_url_is_keyed_without_the_url_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real = normalise.urlsplit
    monkeypatch.setattr(normalise, "urlsplit", lambda url, *a: parsed.append(url) or real(url, *a))
    normalise.url_key.cache_clear()
    urls = [f"https://www.linkedin.com/in/ann-lee-{n}" for n in range(50)]
    assert [normalise.url_key(u) for u in urls] == [f"linkedin.com/in/ann-lee-{n}" for n in range(50)]
    assert [normalise.web_host(u) for u in urls] == ["linkedin.com"] * 50
    assert parsed == []


def _variants(rng: random.Random) -> list[str]:
    alphabet = string.ascii_letters + string.digits + "-_.%~/?#:@ \u200bé"
    found = []
    for _ in range(3000):
        handle = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        scheme = rng.choice(["https://", "http://", "HTTPS://", "", "//", "ftp://"])
        host = rng.choice(
            ["www.linkedin.com", "linkedin.com", "de.linkedin.com", "WWW.LinkedIn.com", "evil-linkedin.com", "m.linkedin.com"]
        )
        path = rng.choice(["/in/", "/IN/", "/company/", "/in//", "/pub/", "/de/in/"])
        tail = rng.choice(["", "/", "//", "/?trk=x", "#top", "/detail", "?", " "])
        found.append(f"{scheme}{host}{path}{handle}{tail}")
    return found


def test_the_quick_path_gives_the_general_paths_keys() -> None:
    for url in _variants(random.Random(16)):
        assert normalise.url_key(url) == normalise.general_url_key(url), url
        assert normalise.web_host(url) == normalise.general_web_host(url), url


def test_a_simple_name_key_of_plain_text_is_the_general_one() -> None:
    rng = random.Random(17)
    alphabet = string.printable + "ß\u00a0\u200bÅ"
    for _ in range(3000):
        name = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        assert normalise.simple_name_key(name) == normalise.general_name_key(name), repr(name)

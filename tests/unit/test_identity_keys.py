"""Identity keys name one person's profile, exactly: different people never share one, and a
look-alike of an address is never the address."""

from __future__ import annotations

import pytest

from tui.dedup.keys import build, identity_keys, person_keys
from tui.dedup.match import Matcher, identity_matches, quick_match
from tui.dedup.normalise import email_key, url_key
from tui.intake import split_urls
from tui.models import Contact


class TestOneKeyOnePerson:
    """A URL key identifies one person's profile: a query, a fragment or a short path segment can
    be all that tells two people apart, and a page that is nobody's profile is no identity."""

    @pytest.mark.parametrize(
        "a, b",
        [
            ("example.com/profile?id=1", "example.com/profile?id=2"),
            ("youtube.com/watch?v=a", "youtube.com/watch?v=b"),
            ("example.org/jo/smith", "example.org/al/smith"),
            ("app.example.net/#/user/1", "app.example.net/#/user/2"),
            ("https://twitter.com/intent/user?user_id=111", "https://twitter.com/intent/user?user_id=222"),
            ("https://x.com/i/user/111", "https://x.com/i/user/222"),
            ("https://x.com/jo/status/1", "https://x.com/al/status/1"),  # a two-letter handle is no locale
            ("https://example.com/Jane", "https://example.com/jane"),  # a path is case-sensitive
            ("https://www.youtube.com/channel/UCabc", "https://www.youtube.com/channel/UCABC"),
            ("https://example.com:8080/about", "https://example.com/about"),
            ("https://hachyderm.io/@ada", "https://hachyderm.io/@bob"),
            ("https://www.linkedin.com/pub/john-smith/1/2/3", "https://www.linkedin.com/pub/john-smith/4/5/6"),
        ],
    )
    def test_different_profiles_never_share_a_key(self, a: str, b: str) -> None:
        ka, kb = url_key(a), url_key(b)
        assert not (ka and ka == kb), (ka, kb)

    @pytest.mark.parametrize(
        "url",
        [
            "https://acme.com",
            "https://www.acme.com/",
            "acme.com/?utm_source=news",
            "https://acme.com/#",
            "linkedin.com/company/acme",
            "https://www.linkedin.com/school/mit/",
            "https://www.linkedin.com/showcase/acme-labs",
            "linkedin.com/in/",
            "https://www.linkedin.com/feed/",
            "https://www.linkedin.com/jobs/view/123",
            "https://x.com/",
            "https://x.com/i",
            "https://x.com/home",
            "https://x.com/search?q=jane",
            "https://x.com/hashtag/python",
            "https://x.com/settings/profile",
            "https://x.com/intent/tweet?text=hi",
            "https://twitter.com/share?url=x",
            "https://x.com/explore",
            "https://www.facebook.com/",
            "https://www.facebook.com/groups/123",
            "https://www.facebook.com/sharer/sharer.php?u=x",
            "https://www.facebook.com/profile.php",
            "https://www.facebook.com/watch?v=1",
            "https://www.instagram.com/p/abc/",
            "https://www.instagram.com/explore/",
            "https://www.instagram.com/",
            "https://www.youtube.com/watch?v=a",
            "https://youtu.be/abc",
            "https://github.com/",
            "https://github.com/orgs/acme/people",
            "https://docs.github.com/en/get-started",
            "https://www.tiktok.com/discover",
            "https://www.linkedin.com/in/jane/%2F..%2F..%2Fin%2Fmallory",
        ],
    )
    def test_a_page_that_is_nobodys_profile_is_no_identity_but_stays_a_url(self, url: str) -> None:
        assert url_key(url) == ""
        assert split_urls([url]) == ([url], [])  # a web address: kept in urls, never moved to the notes

    @pytest.mark.parametrize(
        "variant, canonical",
        [
            ("https://www.linkedin.com/in/Jane-Doe/?trk=public_profile&utm_source=share#experience", "linkedin.com/in/jane-doe"),
            ("https://www.linkedin.com/de/in/jane-doe/details/skills/", "linkedin.com/in/jane-doe"),
            ("https://www.linkedin.com/comm/in/jane-doe?midToken=x", "linkedin.com/in/jane-doe"),
            ("https://x.com/Jane?s=20&t=abc", "https://twitter.com/jane"),
            ("https://twitter.com/intent/user?screen_name=Jane", "https://x.com/jane"),
            ("https://twitter.com/intent/user?user_id=111", "https://x.com/i/user/111"),
            ("https://www.instagram.com/Jane.Doe/?igshid=abc", "instagram.com/jane.doe"),
            ("https://www.instagram.com/_u/jane.doe", "instagram.com/jane.doe"),
            ("https://www.facebook.com/jane.doe?ref=bookmarks", "facebook.com/Jane.Doe"),
            ("https://www.facebook.com/people/Jane-Doe/100001/", "https://www.facebook.com/profile.php?id=100001"),
            ("https://github.com/Jane?tab=repositories", "github.com/jane"),
            ("https://www.tiktok.com/@Jane/video/1", "tiktok.com/@jane"),
            ("https://www.threads.net/@Jane", "threads.net/@jane"),
            ("https://www.youtube.com/@Jane/videos", "youtube.com/@jane"),
            ("https://bsky.app/profile/Jane.bsky.social", "bsky.app/profile/jane.bsky.social"),
            ("https://example.com/team/jane/?utm_source=x&utm_medium=y&fbclid=z", "example.com/team/jane"),
            ("https://example.com/p?b=2&a=1", "https://example.com/p?a=1&b=2"),
            ("https://EXAMPLE.com:443/team/jane", "http://example.com/team/jane"),
            ("https://example.com/en-gb/about/", "example.com/en-gb/about"),
        ],
    )
    def test_one_profile_in_another_spelling_keeps_its_key(self, variant: str, canonical: str) -> None:
        assert url_key(variant) == url_key(canonical) != ""

    def test_a_key_is_one_word_and_its_numbers_are_ascii(self) -> None:
        assert (
            url_key("https://example.com/jane doe?q=a\u00a0b")
            == "example.com/jane%20doe?q=a%C2%A0b"
            == url_key("https://example.com/jane%20doe?q=a%C2%A0b")
        )
        assert url_key("https://www.linkedin.com/in/jane%20doe") == "linkedin.com/in/jane%20doe"
        assert email_key("jane doe@acme.com") == ""
        assert url_key("https://x.com/i/user/\u0661\u0662") == url_key("https://www.facebook.com/profile.php?id=\u0661") == ""

    def test_query_names_keep_their_case_on_other_sites(self) -> None:
        assert url_key("https://example.com/p?ID=1") != url_key("https://example.com/p?id=1")
        assert url_key("https://example.com/p?UTM_Source=x&id=1") == url_key("https://example.com/p?id=1")

    def test_the_locale_rule_is_linkedins_only(self) -> None:
        assert url_key("https://example.com/en-gb/about/") != url_key("https://example.com/about")


class TestNoCompatibilityFolding:
    """Identity keys fold case only where the protocol does (ASCII, in the domain and a network's
    handle), never compatibility forms; a path's dot segments are resolved as a browser does."""

    @pytest.mark.parametrize("lookalike", ["jane\uff20acme.com", "\uff4aane@acme.com", "jane@acme.co\u217f", "\u212aate@acme.com"])
    def test_a_compatibility_form_of_an_address_is_not_the_address(self, lookalike: str) -> None:
        real = "kate@acme.com" if lookalike.startswith("\u212a") else "jane@acme.com"
        assert email_key(lookalike) != email_key(real)

    def test_ascii_case_is_folded(self) -> None:
        assert email_key("Jane.Doe@ACME.com") == "jane.doe@acme.com"

    @pytest.mark.parametrize(
        "lookalike",
        [
            "https://www.linkedin.com/in/\uff4a\uff41\uff4e\uff45-real",
            "https://www.linkedin.com/in/\u212aate-real",
            "https://www.\uff4cinkedin.com/in/jane-real",
            "https://www.linkedin.com/in/jane-rea\u217c",
        ],
    )
    def test_a_compatibility_form_of_a_url_is_not_the_url(self, lookalike: str) -> None:
        assert url_key(lookalike) not in (
            url_key("https://www.linkedin.com/in/jane-real"),
            url_key("https://www.linkedin.com/in/kate-real"),
        )

    @pytest.mark.parametrize(
        "path",
        [
            "/in/jane-real/../../in/mallory-evil",
            "/in/jane-real/%2e%2e/%2E%2e/in/mallory-evil",
            "/in/jane-real/.%2e/..%2F../in/mallory-evil",
            "/in/jane-real\\..\\..\\in\\mallory-evil",
            "/in/./jane-real/../../in/mallory-evil/",
        ],
    )
    def test_dot_segments_are_resolved_before_keying(self, path: str) -> None:
        key = url_key("https://www.linkedin.com" + path)
        assert key != url_key("https://www.linkedin.com/in/jane-real")
        assert key in ("", url_key("https://www.linkedin.com/in/mallory-evil"))

    def test_percent_encoded_unreserved_characters_are_the_characters(self) -> None:
        assert url_key("https://www.linkedin.com/in/%6Aane-real") == url_key("https://www.linkedin.com/in/jane-real")
        assert url_key("https://example.com/%7Ejane") == url_key("https://example.com/~jane")


class TestLookAlikeIdentity:
    """An address that only looks like a contact's is not theirs: never identical, and flagged."""

    def contacts(self) -> list[Contact]:
        return [
            Contact(
                name="Jane Real",
                company="Acme",
                source="linkedin",
                emails=["jane@acme.com"],
                urls=["https://www.linkedin.com/in/jane-real"],
                id="c1",
            )
        ]

    @pytest.mark.parametrize(
        "emails, urls",
        [
            (["jane\uff20acme.com"], []),
            (["\uff4aane@acme.com"], []),
            (["jane@acrne.com"], []),
            ([], ["https://www.linkedin.com/in/\uff4a\uff41\uff4e\uff45-real"]),
            ([], ["https://www.linkedin.com/in/jane-rea1"]),
            ([], ["https://www.linkedin.com/in/jane-real/../../in/mallory-evil"]),
        ],
    )
    def test_never_identical(self, emails: list[str], urls: list[str]) -> None:
        assert identity_matches(emails, urls, build(self.contacts())) == []

    @pytest.mark.parametrize(
        "emails, urls",
        [
            (["\uff4aane@acme.com"], []),
            (["jane@acrne.com"], []),
            (["jane@acme.corn"], []),
            ([], ["https://www.linkedin.com/in/\uff4a\uff41\uff4e\uff45-real"]),
            ([], ["https://www.linkedin.com/in/jane-rea1"]),
        ],
    )
    def test_a_look_alike_of_a_contacts_address_is_impersonation(self, emails: list[str], urls: list[str]) -> None:
        from tui.dedup.keys import KeyIndex

        q = person_keys("J. Someone", "", "", "x", emails, urls)
        loaded, _ = KeyIndex.from_bytes(build(self.contacts()).to_bytes({}))  # type: ignore[misc]
        for found in ([m for m, _ in quick_match(q, loaded)], Matcher(build(self.contacts())).match(q)):
            assert [(m.other_id, m.kind) for m in found] == [("c1", "impersonation")]
            assert "look-alike" in found[0].reasons[0]

    def test_the_real_address_is_identical_and_a_stranger_is_nothing(self) -> None:
        index = build(self.contacts())
        assert [m.kind for m in Matcher(index).match(person_keys("J. Someone", "", "", "x", ["jane@acme.com"], []))] == ["identical"]
        assert Matcher(index).match(person_keys("Quentin Zorb", "", "", "x", ["q@zorb.example"], [])) == []

    def test_look_alike_keys_are_not_identity_keys(self) -> None:
        index = build(self.contacts())
        assert sorted(index.identities()[0]) == identity_keys(["jane@acme.com"], ["https://www.linkedin.com/in/jane-real"])

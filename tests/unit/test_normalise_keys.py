"""Canonical e-mails and profile URLs, and the persisted key index."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.dedup.keys import KeyIndex, build, identity_keys
from tui.dedup.match import Matcher, identity_matches
from tui.dedup.normalise import email_key, url_key, web_host
from tui.models import Contact, Request


@pytest.mark.parametrize(
    "url, key",
    [
        ("https://www.LinkedIn.com/in/Jane-Doe/?trk=abc", "linkedin.com/in/jane-doe"),
        ("linkedin.com/de/in/jane-doe/details/experience", "linkedin.com/in/jane-doe"),
        ("http://m.linkedin.com/in/jane-doe#x", "linkedin.com/in/jane-doe"),
        ("https://twitter.com/Jane/status/1", "x.com/jane"),
        ("https://www.facebook.com/jane.doe/", "facebook.com/jane.doe"),
        ("https://example.com/en-gb/about/", "example.com/en-gb/about"),  # the locale rule is LinkedIn's
        ("https://linked\u200bin.com/in/jane", "linkedin.com/in/jane"),
        ("http://", ""),
        ("", ""),
    ],
)
def test_url_key(url: str, key: str) -> None:
    assert url_key(url) == key


@pytest.mark.parametrize(
    "email, key",
    [
        (" Jane.Doe@Example.COM ", "jane.doe@example.com"),
        ("mailto:a@b.io", "a@b.io"),
        ("ja\u200bne@x.io", "jane@x.io"),
        ("no-at-sign", ""),
        ("a@b@c.io", ""),
        ("a@localhost", ""),
    ],
)
def test_email_key(email: str, key: str) -> None:
    assert email_key(email) == key


class TestKeyIndex:
    def people(self) -> list[Contact]:
        return [
            Contact(name="Ann Lee", emails=["ann@x.io"], id="c1"),
            Contact(name="Bob\tTab\nLine", emails=["ANN@x.io", "bob@x.io"], urls=["https://linkedin.com/in/bob"], id="c2"),
            Contact(name="", id="c3"),
        ]

    def test_round_trip_through_bytes(self) -> None:
        built = build(self.people())
        loaded, header = KeyIndex.from_bytes(built.to_bytes({"contacts_sig": [1, 2, 3]}))  # type: ignore[misc]
        assert header["contacts_sig"] == [1, 2, 3]
        assert loaded.rows_with_email("ann@x.io") == [0, 1]
        assert loaded.rows_with_url("linkedin.com/in/bob") == [1]
        assert loaded.rows_with_email("nobody@x.io") == []
        assert loaded.ids == ["c1", "c2", "c3"] and loaded.display[1] == "Bob Tab Line"
        materialised, _ = KeyIndex.from_bytes(built.to_bytes({}))  # type: ignore[misc]
        materialised.materialise()
        assert materialised.rows_with_email("ann@x.io") == [0, 1] and len(materialised) == 3

    def test_damaged_or_old_blob_is_refused(self) -> None:
        assert KeyIndex.from_bytes(b"") is None
        assert KeyIndex.from_bytes(b'{"version": 1}\nc1\tx\tX\n#identity\n') is None

    def test_identity_matches_and_matcher(self) -> None:
        index = build(self.people())
        found = identity_matches(["Ann@X.io"], [], index)
        assert [(m.other_id, m.kind, m.score) for m in found] == [("c1", "identical", 100), ("c2", "identical", 100)]
        pending = build(
            [
                Request(name="Bob again", urls=["linkedin.com/in/bob/"], id="r1"),
                Request(name="Bob", urls=["https://www.linkedin.com/in/bob"], id="r2"),
            ]
        )
        matcher = Matcher(index, pending)
        request = Request(name="Bob", urls=["https://www.linkedin.com/in/bob"], id="r2")
        assert [(m.other_id, name) for m, name in matcher.for_request(request)] == [("c2", "Bob Tab Line"), ("r1", "Bob again")]

    def test_identity_keys(self) -> None:
        assert identity_keys(["A@b.io", "a@B.io"], ["x.com/Q"]) == ["e:a@b.io", "u:x.com/q"]


class TestLookAlikeDomains:
    """A network's domain and its subdomains only: a host that merely ends in its name is another site."""

    @pytest.mark.parametrize(
        "fake, real",
        [
            ("evil-linkedin.com/in/robert-real", "https://www.linkedin.com/in/robert-real"),
            ("https://phish-linkedin.com/in/robert-real", "https://www.linkedin.com/in/robert-real"),
            ("https://notlinkedin.com/in/robert-real", "https://linkedin.com/in/robert-real"),
            ("https://linkedin.com.evil.example/in/robert-real", "https://linkedin.com/in/robert-real"),
            ("https://evil-x.com/jane", "https://x.com/jane"),
            ("https://box.com/jane", "https://x.com/jane"),
            ("https://nottwitter.com/jane", "https://twitter.com/jane"),
            ("https://evil-facebook.com/jane.doe", "https://www.facebook.com/jane.doe"),
            ("https://myinstagram.com/jane", "https://www.instagram.com/jane"),
            # userinfo: the browser goes to the host after "@" (and, with a backslash, to the one before)
            ("https://linkedin.com@evil.example/in/robert-real", "https://linkedin.com/in/robert-real"),
            ("https://evil.example\\@linkedin.com/in/robert-real", "https://linkedin.com/in/robert-real"),
        ],
    )
    def test_a_look_alike_host_is_not_the_network(self, fake: str, real: str) -> None:
        assert url_key(real) and url_key(fake) != url_key(real)

    @pytest.mark.parametrize(
        "variant, real",
        [
            ("https://de.linkedin.com/in/Jane-Doe", "https://www.linkedin.com/in/jane-doe"),
            ("https://mobile.twitter.com/Jane/with_replies", "https://x.com/jane"),
            ("https://m.facebook.com/jane.doe", "https://www.facebook.com/jane.doe"),
            ("https://web.facebook.com/jane.doe", "https://www.facebook.com/jane.doe"),
            ("https://www.instagram.com/jane/", "instagram.com/jane"),
            ("HTTPS://LINKEDIN.COM./in/jane-doe", "linkedin.com/in/jane-doe"),
        ],
    )
    def test_the_network_and_its_subdomains_are_one(self, variant: str, real: str) -> None:
        assert url_key(variant) == url_key(real) != ""

    def test_facebook_numeric_profiles_are_not_all_one_person(self) -> None:
        a, b = url_key("https://www.facebook.com/profile.php?id=100001"), url_key("https://facebook.com/profile.php?id=999&ref=x")
        assert a and b and a != b
        assert url_key("https://m.facebook.com/profile.php?id=100001") == a

    def test_a_look_alike_profile_url_is_no_identity_match(self) -> None:
        index = build([Contact(name="Robert Real", urls=["https://www.linkedin.com/in/robert-real"], id="c1")])
        assert identity_matches([], ["evil-linkedin.com/in/robert-real"], index) == []
        assert [m.kind for m in identity_matches([], ["https://uk.linkedin.com/in/robert-real/"], index)] == ["identical"]

    def test_invitation_from_a_look_alike_host_is_not_already_connected(self, tmp_path: Path) -> None:
        from tui.formats.load import parse
        from tui.store import Store

        store = Store.open(tmp_path / "data")
        connections = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nRobert,Real,https://www.linkedin.com/in/robert-real,,Acme,CEO,01 Mar 2024\n"
        invitations = (
            "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
            'Robert Real,Me,"10/2/26, 9:00 AM",hi,INCOMING,https://phish-linkedin.com/in/robert-real,https://www.linkedin.com/in/me\n'
            'Robert Real,Me,"10/3/26, 9:00 AM",hi again,INCOMING,https://uk.linkedin.com/in/robert-real/,https://www.linkedin.com/in/me\n'
        )
        parsed = parse(connections.encode(), "Connections.csv")
        store.import_records(parsed.contacts, parsed.requests)
        parsed = parse(invitations.encode(), "Invitations.csv")
        store.import_records(parsed.contacts, parsed.requests)
        assert [r.urls for r in store.pending()] == [["https://phish-linkedin.com/in/robert-real"]]

    def test_vcard_export_labels_only_linkedin_itself(self) -> None:
        from tui.formats.export import to_vcard

        card = to_vcard(
            [Contact(name="Robert Real", urls=["https://evil-linkedin.com/in/robert-real", "https://de.linkedin.com/in/robert-real"])]
        )
        assert b"item1.X-ABLabel" not in card and b"item2.X-ABLabel:LinkedIn" in card


class TestNonWebUrls:
    """Only http(s) is a profile URL. Anything else is text: never an identity, never in ``urls``."""

    HOSTILE_URLS = [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt://linkedin.com/in/jane%0aalert(1)",
        " \u200bjavascript:alert(1)",
        "file:///etc/passwd",
        "file://linkedin.com/in/jane",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://linkedin.com/in/jane",
        "mailto:jane@example.org",
    ]

    @pytest.mark.parametrize("url", HOSTILE_URLS)
    def test_no_key(self, url: str) -> None:
        assert url_key(url) == ""

    def test_web_urls_with_or_without_scheme_keep_their_key(self) -> None:
        assert url_key("HTTP://example.com:8080/about") == url_key("example.com:8080/about") == "example.com:8080/about"
        assert url_key("//www.linkedin.com/in/jane") == "linkedin.com/in/jane"

    def test_javascript_url_matches_no_contact(self) -> None:
        index = build([Contact(name="Jane", urls=["https://linkedin.com/in/jane"], id="c1")])
        assert identity_matches([], ["javascript://linkedin.com/in/jane%0aalert(1)"], index) == []

    IMPORTS = {
        "linkedin-connections": (
            "Connections.csv",
            "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nJane,Doe,{url},,Acme,CEO,01 Mar 2024\n",
        ),
        "linkedin-invitations": (
            "Invitations.csv",
            'From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\nJane Doe,Me,"10/2/26, 9:00 AM",hi,INCOMING,{url},https://www.linkedin.com/in/me\n',
        ),
        "google": (
            "google.csv",
            "First Name,Last Name,E-mail 1 - Value,Website 1 - Value,Notes\nJane,Doe,jane@example.org,{url} ::: https://janedoe.example,met at a fair\n",
        ),
        "vcard": ("c.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Doe\r\nURL:{url}\r\nURL:https://janedoe.example\r\nEND:VCARD\r\n"),
        "csv": ("r.csv", "name,url,notes\nJane Doe,{url};https://janedoe.example,met at a fair\n"),
        "json": ("r.json", '[{{"name": "Jane Doe", "url": "{url}"}}]'),
    }

    @pytest.mark.parametrize("fmt", list(IMPORTS))
    @pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd"])
    def test_every_importer_keeps_them_as_text_in_the_notes(self, fmt: str, url: str) -> None:
        from tui.formats.load import parse

        name, template = self.IMPORTS[fmt]
        parsed = parse(template.format(url=url).encode(), name, "requests" if fmt in ("csv", "json") else None)
        (record,) = parsed.contacts + parsed.requests
        assert url not in record.urls and all(web_host(u) for u in record.urls)
        assert url in record.notes
        if "met at a fair" in template:
            assert record.notes.startswith("met at a fair")

    def test_tui_add_refuses_them_and_writes_nothing(self, tmp_path: Path) -> None:
        from typer.testing import CliRunner

        from tui.cli import app

        for url in ("javascript:alert(1)", "file:///etc/passwd"):
            result = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "data"), "add", "Jane Doe", "--url", url])
            assert result.exit_code == 2 and "not a URL of a web address (http or https)" in result.stderr, result.stderr
        assert not list((tmp_path / "data").glob("*.json")) or "Jane" not in (tmp_path / "data" / "queue.json").read_text()


class TestInvisibleCharactersInMatching:
    """Matching removes exactly what the display removes (tui.text): what looks the same matches."""

    def contacts(self) -> KeyIndex:
        return build(
            [
                Contact(name="Sarah Whitfield", company="Acme", source="linkedin", urls=["https://linkedin.com/in/sarah-w"], id="c1"),
                Contact(name="Robert Real", company="Acme", source="linkedin", urls=["https://linkedin.com/in/robert-real"], id="c2"),
            ]
        )

    def kinds(self, name: str, url: str = "https://linkedin.com/in/someone-new") -> dict[str, str]:
        from tui.dedup.keys import person_keys
        from tui.dedup.match import quick_match

        found = quick_match(person_keys(name, "Acme", "", "linkedin", [], [url]), self.contacts())
        return {m.other_id: m.kind for m, _ in found}

    @pytest.mark.parametrize("hidden", ["\u2028", "\u2029", "\ufff9", "\U000e0041", "\u034f", "\ufe0f", "\U00013439", "\u180b"])
    def test_a_hidden_character_neither_hides_a_match(self, hidden: str) -> None:
        from tui.text import clean

        name = f"Sar{hidden}ah Whitfield"
        assert clean(name) == "Sarah Whitfield"
        assert self.kinds(name).get("c1") in ("likely", "impersonation")

    def test_a_tag_character_does_not_turn_an_impersonation_into_likely(self) -> None:
        assert self.kinds("R\u043ebert Real") == {"c2": "impersonation"}  # Cyrillic о
        assert self.kinds("R\u043ebert Real\U000e0041") == {"c2": "impersonation"}
        assert self.kinds("Robert Real\U000e0041") == {"c2": "impersonation"}  # same name, new account

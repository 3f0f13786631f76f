"""Canonical e-mails and profile URLs, and the persisted key index."""

from __future__ import annotations

import pytest

from tui.dedup.keys import KeyIndex, build, identity_keys
from tui.dedup.match import Matcher, identity_matches
from tui.dedup.normalise import email_key, url_key
from tui.models import Contact, Request


@pytest.mark.parametrize(
    "url, key",
    [
        ("https://www.LinkedIn.com/in/Jane-Doe/?trk=abc", "linkedin.com/in/jane-doe"),
        ("linkedin.com/de/in/jane-doe/details/experience", "linkedin.com/in/jane-doe"),
        ("http://m.linkedin.com/in/jane-doe#x", "linkedin.com/in/jane-doe"),
        ("https://twitter.com/Jane/status/1", "x.com/jane"),
        ("https://www.facebook.com/jane.doe/", "facebook.com/jane.doe"),
        ("https://example.com/en-gb/about/", "example.com/about"),
        ("https://linked\u200bin.com/in/jane", "linkedin.com/in/jane"),
        ("http://", ""),
        ("", ""),
    ],
)
def test_url_key(url: str, key: str) -> None:
    assert url_key(url) == key


@pytest.mark.parametrize(
    "email, key",
    [(" Jane.Doe@Example.COM ", "jane.doe@example.com"), ("mailto:a@b.io", "a@b.io"), ("ja\u200bne@x.io", "jane@x.io"),
     ("no-at-sign", ""), ("a@b@c.io", ""), ("a@localhost", "")],
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
        pending = build([Request(name="Bob again", urls=["linkedin.com/in/bob/"], id="r1"), Request(name="Bob", urls=["https://www.linkedin.com/in/bob"], id="r2")])
        matcher = Matcher(index, pending)
        request = Request(name="Bob", urls=["https://www.linkedin.com/in/bob"], id="r2")
        assert [(m.other_id, name) for m, name in matcher.for_request(request)] == [("c2", "Bob Tab Line"), ("r1", "Bob again")]

    def test_identity_keys(self) -> None:
        assert identity_keys(["A@b.io", "a@B.io"], ["x.com/Q"]) == ["e:a@b.io", "u:x.com/q"]

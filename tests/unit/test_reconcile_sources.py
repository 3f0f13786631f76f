"""Reconciling requests that arrive by more than one road: an invitation e-mail and a row of
LinkedIn's Invitations.csv are one request; a username never replaces a real name."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.test_reconcile import Table

PROFILE = "https://www.linkedin.com/in/kjohnson"


def email(name: str = "Katherine Johnson", sent_at: str = "2026-01-29T14:37:41", **kw: Any) -> dict[str, Any]:
    """A request as the invitation e-mail gives it: the profile link, no source id."""
    return {
        "name": name,
        "source": "linkedin",
        "source_id": "",
        "emails": [],
        "urls": [PROFILE],
        "tags": [],
        "title": "Mathematician at NASA",
        "notes": "",
        "company": "",
        "message": "Loved your talk",
        "sent_at": sent_at,
    } | kw


def csv_row(name: str = "Katherine Johnson", sent_at: str = "2026-01-29T14:37:00", url: str = "") -> dict[str, Any]:
    """A row of Invitations.csv: before late 2023 without a profile URL (source id: name and time)."""
    return {
        "name": name,
        "source": "linkedin",
        "source_id": url or f"{name}|{sent_at}",
        "emails": [],
        "urls": [url] if url else [],
        "tags": [],
        "title": "",
        "notes": "",
        "company": "",
        "message": "Loved your talk",
        "sent_at": sent_at,
    }


class TestInvitationByMailAndByCsv:
    def test_a_later_csv_row_without_a_url_is_the_same_request(self) -> None:
        table = Table()
        table.load([email()])
        _, outcome = table.load([csv_row()])
        assert outcome == ["updated:1"] and len(table.docs) == 1
        assert table.docs[1]["urls"] == [PROFILE] and table.docs[1]["source_id"] == "Katherine Johnson|2026-01-29T14:37:00"

    def test_the_mail_after_the_csv_row_is_the_same_request(self) -> None:
        table = Table()
        table.load([csv_row()])
        _, outcome = table.load([email()])
        assert outcome == ["updated:1"] and table.docs[1]["urls"] == [PROFILE]
        _, again = table.load([email()])
        assert again == ["unchanged:1"]

    def test_a_csv_row_with_the_profile_url_is_the_same_request(self) -> None:
        table = Table()
        table.load([email()])
        _, outcome = table.load([csv_row(url=PROFILE)])
        assert outcome == ["updated:1"] and len(table.docs) == 1

    @pytest.mark.parametrize(
        "other",
        [
            csv_row(sent_at="2026-01-31T14:37:00"),  # the same name two days later: a new request
            csv_row(name="Katherine Jonson"),  # another name at the same time
            csv_row(url="https://www.linkedin.com/in/someone-else"),  # the profiles differ
        ],
    )
    def test_not_the_same_request(self, other: dict[str, Any]) -> None:
        table = Table()
        table.load([email()])
        _, outcome = table.load([other])
        assert outcome == ["added:2"]

    def test_a_mail_without_a_profile_link_imported_twice_is_one_request(self) -> None:
        table = Table()
        table.load([email(urls=[])])
        _, outcome = table.load([email(urls=[])])
        assert outcome == ["unchanged:1"] and len(table.docs) == 1

    def test_the_same_name_and_time_is_enough_when_the_companies_differ(self) -> None:
        table = Table()
        table.load([email(urls=[], company="NASA Langley")])
        _, outcome = table.load([csv_row()])
        assert outcome == ["updated:1"]

    def test_times_days_apart_keep_two_requests_apart_even_with_the_same_company(self) -> None:
        table = Table()
        table.load([email(urls=[], company="NASA")])
        _, outcome = table.load([email(urls=[], company="NASA", sent_at="2024-05-02T10:00:00")])
        assert outcome == ["added:2"]


class TestUsernames:
    def test_a_username_never_replaces_a_real_name(self) -> None:
        table = Table()
        known = {
            "name": "Jo Doe",
            "source": "instagram",
            "source_id": "",
            "emails": [],
            "urls": ["https://www.instagram.com/jdoe"],
            "tags": [],
            "title": "",
            "notes": "",
            "company": "",
        }
        table.load([known])
        _, outcome = table.load([known | {"name": "jdoe"}])
        assert outcome == ["unchanged:1"] and table.docs[1]["name"] == "Jo Doe"

    def test_a_real_name_replaces_a_username(self) -> None:
        table = Table()
        handle = {
            "name": "jdoe",
            "source": "instagram",
            "source_id": "",
            "emails": [],
            "urls": ["https://www.instagram.com/jdoe"],
            "tags": [],
            "title": "",
            "notes": "",
            "company": "",
        }
        table.load([handle])
        table.load([handle | {"name": "Jo Doe"}])
        assert table.docs[1]["name"] == "Jo Doe"

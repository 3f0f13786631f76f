"""A person's headline, in one source (:func:`tui.output.headline_parts`): the command line's
(title, company) and the card's (title · company · location, or a placeholder) say the same
fields in the same order, each cleaned and capped."""

from __future__ import annotations

from tui.models import Contact, Request
from tui.output import headline, headline_parts, summary_line
from tui.text import ELLIPSIS


class TestCommandLine:
    def test_title_and_company_joined_by_a_comma(self) -> None:
        r = Request(name="Sarah Chen", title="CTO", company="Acme", location="Berlin", source="linkedin", id="r3")
        assert headline(r) == "CTO, Acme"
        assert summary_line(r) == "r3      pending   linkedin   Sarah Chen — CTO, Acme"

    def test_what_is_missing_is_left_out(self) -> None:
        assert headline(Contact(name="A", company="Acme")) == "Acme"
        assert headline(Contact(name="A", title="CTO")) == "CTO"
        assert headline(Contact(name="A", location="Berlin")) == ""
        assert summary_line(Contact(name="A", id="c1")) == "c1      contact   -          A"

    def test_each_field_cleaned_and_capped_at_60(self) -> None:
        r = Request(name="A", title="T" * 100, company="\u202eAc\x1bme")
        assert headline(r) == "T" * 59 + ELLIPSIS + ", Ac\ufffdme"


class TestCard:
    def test_title_company_and_location_by_a_dot(self) -> None:
        from tui.app.widgets.request_card import headline as card_headline

        r = Request(name="A", title="CTO", company="Acme", location="Berlin")
        assert card_headline(r).plain == "CTO · Acme · Berlin"
        assert card_headline(Request(name="A", location="Berlin")).plain == "Berlin"

    def test_caps_are_wider_than_the_command_line(self) -> None:
        from tui.app.widgets.request_card import headline as card_headline

        r = Request(name="A", title="T" * 200, company="C" * 200, location="L" * 200)
        assert card_headline(r).plain == " · ".join(("T" * 119 + ELLIPSIS, "C" * 79 + ELLIPSIS, "L" * 59 + ELLIPSIS))

    def test_nothing_given_is_said_dimly(self) -> None:
        from tui.app.widgets.request_card import NOTHING_GIVEN
        from tui.app.widgets.request_card import headline as card_headline

        shown = card_headline(Request(name="A", title="\u200b"))
        assert shown.plain == NOTHING_GIVEN and shown.spans  # styled, not plain text


def test_parts_in_order_with_the_given_caps() -> None:
    r = Request(name="A", title="CTO", company="Acme", location="Berlin")
    assert headline_parts(r) == ["CTO", "Acme"]
    assert headline_parts(r, location=60) == ["CTO", "Acme", "Berlin"]
    assert headline_parts(r, title=2, company=3, location=4) == ["C" + ELLIPSIS, "Ac" + ELLIPSIS, "Ber" + ELLIPSIS]

"""Red flags, re-requests, who you know there, and reply templates."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tui.context import build_context, fill_template, mass_sent, red_flags
from tui.dedup.keys import KeyIndex, build, record_keys
from tui.models import Contact, Request
from tui.store import Store

PERSONAL = "We spoke after your talk in Hamburg about cold-chain tracking; I'd love to compare notes on the sensor pilot."


def codes(request: Request, **kw: object) -> set[str]:
    return {f.code for f in red_flags(request, **kw)}  # type: ignore[arg-type]


class TestRedFlags:
    def test_a_personal_specific_message_raises_no_flag(self) -> None:
        assert codes(Request(name="Naomi Fischer", title="Supply Chain Manager", message=PERSONAL, connections="480", mutual="12")) == set()

    @pytest.mark.parametrize(
        "request_, code",
        [
            (Request(name="A", message=""), "no-message"),
            (Request(name="A", message="   "), "no-message"),
            (Request(name="A", message="I'd like to add you to my professional network."), "generic"),
            (Request(name="A", message="I’d like to join your LinkedIn network"), "generic"),
            (Request(name="A", message="Hi! I help businesses like yours get more leads."), "sales-pitch"),
            (Request(name="A", message="Exclusive opportunity: six-figure returns."), "sales-pitch"),
            (Request(name="A", message=PERSONAL, title="Visionary | Thought Leader | Keynote Speaker"), "buzzwords"),
            (Request(name="A", message=PERSONAL, title="CEO | Founder | Investor | Advisor"), "buzzwords"),
            (Request(name="A", message=PERSONAL, connections="30000+"), "huge-network"),
            (Request(name="A", message=PERSONAL, mutual="0"), "no-mutual"),
        ],
    )
    def test_each_signal(self, request_: Request, code: str) -> None:
        assert code in codes(request_)

    def test_mass_sent_and_impersonation_come_from_the_queue(self) -> None:
        pitch = "Hi! I help businesses like yours get more leads. Are you open to a quick call this week?"
        queue = [
            Request(name=n, id=f"r{i}", message=pitch.replace("this week", w))
            for i, (n, w) in enumerate([("A", "this week"), ("B", "this week!"), ("C", "next week")])
        ]
        queue.append(Request(name="D", id="r9", message=PERSONAL))
        alike = mass_sent(queue)
        assert alike == {"r0": 2, "r1": 2, "r2": 2}
        assert "the same message as 2 other requests" in [f.words for f in red_flags(queue[0], alike=alike["r0"])]
        assert "new-profile" in codes(Request(name="A", message=PERSONAL), impersonation=True)

    def test_sales_phrases_from_config(self) -> None:
        assert "sales-pitch" in codes(
            Request(name="A", message="Let me show you our synergy platform"), sales_phrases=("synergy platform",)
        )
        assert "sales-pitch" not in codes(Request(name="A", message="more leads please"), sales_phrases=("synergy platform",))


class TestNoFalseFlags:
    def test_no_message_is_no_flag_on_a_network_that_has_none(self) -> None:
        assert "no-message" not in codes(Request(name="A", message="", source="facebook"))
        assert "no-message" not in codes(Request(name="A", message="", source="Facebook "))
        assert "no-message" in codes(Request(name="A", message="", source="linkedin"))

    def test_one_campaign_with_small_variations_is_one_group(self) -> None:
        from tui.context import message_groups

        pitch = "Hi! I help businesses like yours get more leads. Are you open to a quick call this week?"
        queue = [
            Request(name=n, id=f"r{i}", message=pitch.replace("this week", w))
            for i, (n, w) in enumerate([("A", "this week"), ("B", "this week!"), ("C", "next week")])
        ]
        queue += [
            Request(name="D", id="r9", message=PERSONAL),
            Request(name="E", id="r8", message=PERSONAL + " "),
            Request(name="F", id="r7", message="Another campaign entirely, about passive income and nothing else"),
        ]
        alike, groups = message_groups(queue)
        assert alike == {"r0": 2, "r1": 2, "r2": 2, "r9": 1, "r8": 1}
        assert groups["r0"] == groups["r1"] == groups["r2"] != groups["r9"] == groups["r8"] and "r7" not in groups


class TestTemplates:
    def test_placeholders(self) -> None:
        request = Request(name="Dr. Chad Maxwell", company="Growth Rocket")
        assert fill_template("Hi {first_name} at {company}, re {name}", request) == "Hi Chad at Growth Rocket, re Dr. Chad Maxwell"

    def test_a_name_written_last_first_greets_the_first_name(self) -> None:
        assert fill_template("Hi {first_name}", Request(name="Nakamura, Kenji")) == "Hi Kenji"
        assert fill_template("Hi {first_name}", Request(name="Lee, Dr. Ann")) == "Hi Ann"
        assert fill_template("Hi {first_name}", Request(name="Ann Lee, PhD")) == "Hi Ann"

    def test_unknown_placeholders_and_braces_in_data_stay_literal(self) -> None:
        request = Request(name="{first_name}", company="{company.__class__}")
        assert fill_template("{first_name} {company} {nope} {0}", request) == "{first_name} {company.__class__} {nope} {0}"


class TestQueueContext:
    def test_re_request_after_an_import_with_a_new_profile_url(self, tmp_path: Path) -> None:
        store = Store.open(tmp_path / "d")
        first = Request(
            name="Chad Maxwell",
            company="Growth Rocket",
            urls=["https://www.linkedin.com/in/chad-1"],
            source="linkedin",
            source_id="https://www.linkedin.com/in/chad-1",
            message="more leads",
        )
        store.import_records([], [first])
        store.record_decision("r1", "decline", {"drink": False, "recommend": False, "business": True}, note="pushy")
        # He asks again from a new profile: a new record, not an update of the old one.
        again = Request(
            name="Chad Maxwell",
            company="Growth Rocket Agency",
            urls=["https://www.linkedin.com/in/chad-2"],
            source="linkedin",
            source_id="https://www.linkedin.com/in/chad-2",
        )
        assert store.import_records([], [again]).counts()["added"] == 1
        decided, records = store.decided_keys()
        pending = store.pending()
        context = build_context(pending, KeyIndex(), decided, records, store.decided_at(), record_keys)
        line = context.lines(store.get_request("r2"), [])[1]
        assert line.startswith("Declined before, ") and "said no to drink, recommend" in line and "note: pushy" in line

    def test_the_context_is_ready_before_the_whole_queue_is_compared_with_the_decided_requests(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With 5,000 requests decided at 100k contacts / 20k pending, comparing every pending name
        with the decided ones took 5-9 s before the first card showed its red flags (the bench's
        world had no decided request, so it never saw it). A card's re-request line is worked out
        when the card asks; the whole queue's, in ``precompute`` (after the matching, paced)."""
        from tui.dedup.match import Matcher

        pending = [Request(name=f"Given{i} Family{i % 40}", id=f"r{i + 10}", source="x") for i in range(300)]
        decided_records = {"r1": Request(name="Given7 Family7", id="r1", source="x", status="declined", sent_at="2026-01-02T00:00:00Z")}
        calls = Counter[str]()
        real = Matcher.match

        def counted(self: Matcher, *args: object, **kwargs: object) -> object:
            calls["match"] += 1
            return real(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Matcher, "match", counted)
        context = build_context(pending, KeyIndex(), build(list(decided_records.values())), decided_records, {}, record_keys)
        assert calls["match"] == 2  # the first two cards' (the writer works them out; the UI draws them next)
        assert context.lines(pending[7], [])[1].startswith("Declined before, 2026-01-02")  # r17: Given7 Family7
        assert context.lines(pending[8], [])[1] == "" and calls["match"] == 4
        paces: list[int] = []
        context.precompute(pending, {}, lambda: paces.append(1))
        assert context.cache is not None and context.cache["r17"][1].startswith("Declined before") and len(paces) >= len(pending)
        assert calls["match"] == len(pending)  # those asked for before are not compared again

    def test_re_requests_compare_first_names_in_batches_and_pace_between_requests(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """At 100k contacts / 20k pending with one request decided, the re-requests took 4 s, one
        first-name comparison (cdist) per pending name, with no pace: an undo pressed then waited
        for all of it. The same lines, found with the names compared a chunk at a time."""
        from tui.context.history import re_requests
        from tui.dedup import blocking

        pending = [Request(name=f"Given{i} Family{i % 40}", id=f"r{i + 10}", source="x") for i in range(300)]
        decided_records = {
            "r1": Request(name="Given7 Family7", id="r1", source="x", status="declined", sent_at="2026-01-02T00:00:00Z"),
            "r2": Request(name="Givem12 Family12", id="r2", source="x", status="accepted", sent_at="2026-01-03T00:00:00Z"),
        }
        decided = build(list(decided_records.values()))
        calls = Counter[str]()
        real = blocking.maybe_firsts

        def counted(table: object, wanted: object) -> object:
            calls["maybe_firsts"] += 1
            return real(table, wanted)  # type: ignore[arg-type]

        monkeypatch.setattr(blocking, "maybe_firsts", counted)
        paces: list[int] = []
        history = re_requests(pending, decided, decided_records, {}, record_keys, pace=lambda: paces.append(1))
        assert "r17" in history and history["r17"].startswith("Declined before, 2026-01-02")
        assert calls["maybe_firsts"] <= 2 and len(paces) >= len(pending)
        from tui.dedup.match import Matcher

        monkeypatch.setattr(Matcher, "prepare", lambda self, queries, pace=None: None)  # one name at a time, as before
        calls.clear()
        assert re_requests(pending, decided, decided_records, {}, record_keys) == history  # the same lines
        assert calls["maybe_firsts"] > 100

    def test_who_you_know_there(self) -> None:
        contacts = build(
            [
                Contact(name="Sarah Whitfield", company="Northbank Capital Ltd", id="c1"),
                Contact(name="Ian Moss", company="The Northbank Capital", id="c2"),
                Contact(name="Other", company="Elsewhere", id="c3"),
            ]
        )
        decided = build([Request(name="Old Ask", company="Northbank Capital", id="r5")])
        records = {"r5": Request(name="Old Ask", company="Northbank Capital", id="r5", status="declined")}
        context = build_context([], contacts, decided, records, {}, lambda r: None)
        _, history, company = context.lines(Request(name="Fiona MacLeod", company="Northbank Capital", id="r9"), [])
        assert history == "" and company == "You know 2 at Northbank Capital: Sarah Whitfield, Ian Moss · earlier from there: 1 declined"
        assert context.earlier_at["northbank capital"] == Counter({"declined": 1})

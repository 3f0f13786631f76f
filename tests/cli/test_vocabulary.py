"""The command line's words for statuses and actions are the models' (``Status``, ``Action``):
one source, so a status or an action added there is one the commands take and name."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import tui
from tui.models import DECIDE_ACTIONS, DECIDE_STATUS, Action, Status, Verdict
from tui.store import Store


class TestStatuses:
    def test_list_takes_every_status_and_all(self, sample: Path) -> None:
        for status in (*Status, "all"):
            tui("list", "--status", status)

    def test_a_wrong_status_names_every_one(self, sample: Path) -> None:
        refused = tui("list", "--status", "nope", code=2).stderr
        assert all(status.value in refused for status in Status) and "all" in refused

    def test_the_help_names_every_status(self, sample: Path) -> None:
        shown = " ".join(tui("list", "--help").stdout.split())
        assert all(status.value in shown for status in Status)


class TestDecideActions:
    def test_every_verdict_is_an_action_of_tui_decide(self) -> None:
        assert {v.value for v in Verdict} <= {a.value for a in DECIDE_ACTIONS}
        assert set(DECIDE_STATUS) == set(DECIDE_ACTIONS)

    @pytest.mark.parametrize("action", DECIDE_ACTIONS)
    def test_each_action_decides_a_request_as_the_models_say(self, sample: Path, action: Action) -> None:
        tui("decide", "r1", action)
        request = Store.open(sample).get_request("r1")
        assert request.status == DECIDE_STATUS[action]
        assert request.verdict == (action if action in set(Verdict) else "")

    def test_a_wrong_action_names_every_one(self, sample: Path) -> None:
        refused = tui("decide", "r1", "maybe", code=2).stderr
        assert all(action.value in refused for action in DECIDE_ACTIONS)

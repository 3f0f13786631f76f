"""The app beside other processes on the same store: a decision made elsewhere is never silently
overwritten, `u` undoes only this session's own decisions, the history undoes any one, and a
writer stuck behind another process's lock says so."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from tests.app.conftest import build, current_id, notices, reopen, settle, triage, until
from tests.conftest import TUI, subprocess_env
from tests.stress.conftest import Child
from tui.store import Store


def script(store: Store, *args: str) -> None:
    """Another process: the installed `tui`, as a script would run it."""
    subprocess.run([TUI, *args], env=subprocess_env(store.root), check=True, capture_output=True)


def another_process_defers(store: Store, request_id: str, until: str) -> None:
    """Another process defers a request to a date of its choosing, already past (the CLI only
    takes dates after today; the store, written by any version of tui, may hold any)."""
    code = "import sys\nfrom tui.store import Store\nStore.open(sys.argv[1]).record_decision(sys.argv[2], 'defer', None, until=sys.argv[3])"
    subprocess.run([sys.executable, "-P", "-c", code, str(store.root), request_id, until], check=True, capture_output=True)


class TestDecidedElsewhere:
    async def test_a_decline_by_a_script_is_not_overwritten_by_a_late_key(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path, poll_interval=60)  # the poll must not see it first
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            assert current_id(app) == "r1"
            script(sample_store, "decide", "r1", "decline")
            await pilot.press("a")
            await settle(pilot)
            store = reopen(sample_store)
            assert store.get_request("r1").status == "declined"
            assert [d.action for d in store.decisions()] == ["decline"]
            said = [n for n in notices(seen) if "Not saved" in n]
            assert said and "Bob Fletcher" in said[0] and "declined" in said[0] and "d1" in said[0]
            assert current_id(app) == "r2" and all(r.id != "r1" for r in triage(app).queue)
            assert triage(app).session.counts()["accept"] == 0
            await pilot.press("u")  # the refused accept is not this session's to undo
            await settle(pilot)
        assert reopen(sample_store).get_request("r1").status == "declined"

    async def test_a_request_changed_but_still_due_comes_back_as_it_now_is(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path, poll_interval=60)
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            another_process_defers(sample_store, "r1", "2020-01-01")  # deferred, already due
            await pilot.press("a")
            await settle(pilot)
            assert current_id(app) == "r1" and triage(app).current.status == "deferred"  # type: ignore[union-attr]
            assert any("deferred" in n for n in notices(seen) if "Not saved" in n)
            await pilot.press("a")  # decided again, knowing what it now is: this one lands
            await settle(pilot)
        assert reopen(sample_store).get_request("r1").status == "accepted"


class TestUndoInTheApp:
    async def test_u_undoes_this_sessions_decisions_only(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path, poll_interval=60)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("a")  # r1, this session's
            await settle(pilot)
            script(sample_store, "decide", "r5", "decline")  # another process's, newer
            await pilot.press("u")
            await settle(pilot)
            assert current_id(app) == "r1"
            assert reopen(sample_store).get_request("r1").status == "pending"
            assert reopen(sample_store).get_request("r5").status == "declined"
            await pilot.press("u")
            await settle(pilot)
            assert "Nothing to undo in this session" in str(app.screen.query_one("#notice").visual)
        assert reopen(sample_store).get_request("r5").status == "declined"

    async def test_u_leaves_a_request_decided_again_elsewhere(self, sample_store: Store, tmp_path: Path) -> None:
        app = build(sample_store, tmp_path, poll_interval=60)
        seen: list[object] = []
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            script(sample_store, "decide", "r1", "decline", "--force")
            await pilot.press("u")
            await settle(pilot)
            assert any("d2" in n for n in notices(seen) if "Not undone" in n)
        store = reopen(sample_store)
        assert store.get_request("r1").status == "declined"
        assert [d.action for d in store.decisions()] == ["accept", "decline"]

    async def test_after_a_restart_u_has_nothing_of_this_session_and_the_history_undoes_any(
        self, sample_store: Store, tmp_path: Path
    ) -> None:
        from textual.widgets import DataTable

        sample_store.record_decision("r1", "accept")
        sample_store.record_decision("r2", "decline")
        sample_store.record_decision("r3", "accept")
        app = build(reopen(sample_store), tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("u")
            await settle(pilot)
            assert reopen(sample_store).get_request("r3").status == "accepted"
            await pilot.press("h")
            await settle(pilot)
            table = app.screen.query_one(DataTable)
            await pilot.press("down")  # rows are newest first: d3, [d2], d1
            await pilot.press("u")
            await settle(pilot)
            assert str(table.get_row_at(0)[2]) == "undo of d2"
            await pilot.press("escape")
            assert current_id(app) == "r2"
        store = reopen(sample_store)
        assert [store.get_request(r).status for r in ("r1", "r2", "r3")] == ["accepted", "pending", "accepted"]


class TestWaitingForTheLock:
    async def test_the_app_says_whom_it_waits_for(self, sample_store: Store, tmp_path: Path) -> None:
        holder = Child(
            "import sys, time\nfrom tui.store import Store\ns = Store.open(sys.argv[1])\nwith s._locked():\n"
            "    print('go', flush=True)\n    time.sleep(600)\n",
            str(sample_store.root),
        )
        holder.wait_ready()
        holder.proc.send_signal(signal.SIGSTOP)
        app = build(sample_store, tmp_path, poll_interval=60)
        try:
            seen: list[object] = []
            async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
                await settle(pilot)
                await pilot.press("a")
                await until(pilot, lambda: any(f"held by PID {holder.proc.pid}" in n for n in notices(seen)), timeout=5)
                holder.proc.send_signal(signal.SIGCONT)
                holder.kill_after(0)
                await settle(pilot)
        finally:
            if holder.proc.returncode is None:
                holder.proc.send_signal(signal.SIGCONT)
                holder.kill_after(0)
        assert reopen(sample_store).get_request("r1").status == "accepted"

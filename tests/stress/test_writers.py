"""8 processes x 100 `tui add` while the real app, under run_test, records decisions on the same store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.message import Message

from tests.app.conftest import build, settle, until
from tests.figures import FIGURES
from tests.stress.conftest import Child
from tui.app.messages import DecisionSaved, StoreFailed
from tui.app.screens.modals import ConfirmScreen
from tui.sample import load_sample
from tui.store import Store

pytestmark = pytest.mark.slow

WORKERS, ADDS = 8, 100

# Each worker runs `tui add` through the console script's entry point, the way a shell loop would,
# without paying 100 interpreter starts per worker.
ADDER = """
import sys
from tui.cli import main
worker, count = sys.argv[1], int(sys.argv[2])
print("go", flush=True)
for i in range(count):
    sys.argv = ["tui", "add", f"Worker {worker} Person {i}", "--email", f"w{worker}p{i}@example.org", "--json"]
    try:
        main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
"""


# A separate process (a thread here would starve the app of the GIL) that reads every data file in
# a tight loop while the writers run, until its stdin closes. Every read must parse.
READER = """
import json, sys, threading
from pathlib import Path
data = Path(sys.argv[1])
done = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
print("go", flush=True)
reads, bad = 0, []
while not done.is_set():
    for name in ("queue.json", "contacts.json", "meta.json"):
        try:
            raw = (data / name).read_bytes()
        except FileNotFoundError:
            continue
        try:
            json.loads(raw)
            reads += 1
        except ValueError as exc:
            bad.append(f"{name}: {exc}")
print(json.dumps({"reads": reads, "bad": bad}), flush=True)
"""


async def accept_card(pilot) -> None:  # type: ignore[no-untyped-def]
    """Yes to every rule, Enter; and "Accept anyway" when the card is a possible impersonator."""
    for key in ("y", "y", "y", "enter"):
        await pilot.press(key)
    if isinstance(pilot.app.screen, ConfirmScreen):
        await pilot.press("tab", "enter")


async def test_eight_adders_beside_a_triage_session(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = load_sample(data)
    sample_requests = len(store.requests())
    seen: list[Message] = []
    app = build(store, tmp_path, poll_interval=0.2)
    reader = Child(READER, str(data), stdin=True)
    reader.wait_ready()
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await settle(pilot)
        workers = [Child(ADDER, str(w), str(ADDS), env={"TUI_DATA_DIR": str(data)}) for w in range(WORKERS)]
        for w in workers:
            w.wait_ready()
        # Decide card after card, the way a user does, until every adder is done.
        while any(w.proc.poll() is None for w in workers):
            await accept_card(pilot)
            await pilot.pause(0.02)  # a user's pace, not a wait for something: the adders write meanwhile
        errors = [w.finish() for w in workers]
        await accept_card(pilot)  # one more, on a card the adders put there
        await settle(pilot)
        # Polling (every 0.2 s here) brings the other processes' last adds into the session's queue.
        pending = {r.id for r in Store.open(data).pending()}
        await until(
            pilot,
            lambda: {r.id for r in app.screen.queue} == pending,  # type: ignore[attr-defined]
            what="the session did not see the other processes' writes",
        )
        queue_in_app = {r.id for r in app.screen.queue}  # type: ignore[attr-defined]
    assert reader.finish() == ""
    reads = json.loads(reader.acked[-1])

    assert [w.proc.returncode for w in workers] == [0] * WORKERS, errors
    # The hook sees a bubbling message once per node it reaches: key the saves by decision.
    saved = list({m.decision.id: m for m in seen if isinstance(m, DecisionSaved)}.values())
    failed = {m.error for m in seen if isinstance(m, StoreFailed)}
    assert failed == set()
    final = Store.open(data)
    requests = final.requests()
    added = [r for r in requests if r.name.startswith("Worker ")]
    assert len(added) == WORKERS * ADDS, "an add was lost"
    assert {r.name for r in added} == {f"Worker {w} Person {i}" for w in range(WORKERS) for i in range(ADDS)}, "an add was duplicated"
    assert len({r.id for r in requests}) == len(requests) == sample_requests + WORKERS * ADDS
    decisions = final.decisions()
    assert len(saved) >= 10, "the session made too few decisions to mean anything"
    assert sorted(d.id for d in decisions) == sorted(m.decision.id for m in saved), "a decision was lost or made twice"
    assert all(final.get_request(m.request.id).status == "accepted" for m in saved)
    assert queue_in_app == {r.id for r in final.pending()}, "the session did not see the other processes' writes"
    assert reads["bad"] == [] and reads["reads"] > 100
    FIGURES["concurrent writes attempted (adds + decisions)"] += WORKERS * ADDS + len(saved)
    FIGURES["concurrent writes kept"] += len(added) + len(decisions)
    FIGURES["reads of the data files during the writes, all valid"] += reads["reads"]

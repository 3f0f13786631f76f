"""pending.idx with the journal laid over it finds what an index built from the whole queue finds
(tui/store/derived.py load_pending_keys; tui/dedup/delta.py)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tui.dedup.keys import record_keys
from tui.dedup.match import Matcher
from tui.models import Contact, Request
from tui.store import Store, derived

FIRSTS = ["Anna", "Ann", "Anne", "Bob", "Robert", "Chidi", "Priya", "Priyanka", "Jose", "José", "Sarah", "Sara", "Tariq"]
LASTS = ["Lindqvist", "Lind qvist", "Okafor", "Deshmukh", "Alvarez", "Álvarez", "Whitfield", "Hussain", "Smith", "Smyth"]


def person(rng: random.Random) -> dict[str, object]:
    first, last = rng.choice(FIRSTS), rng.choice(LASTS)
    name = f"{last} {first}" if rng.random() < 0.1 else f"{first} {last}"
    return {
        "name": name,
        "company": rng.choice(["Acme", "Initech", "", "Globex"]),
        "emails": [f"{first.lower()}.{rng.randint(1, 30)}@x.example"] if rng.random() < 0.3 else [],
        "source": rng.choice(["linkedin", "facebook", "email"]),
        "sent_at": f"2026-{rng.randint(1, 10):02d}-{rng.randint(10, 28)}",
    }


def ids_of(index: object) -> list[str]:
    """The request ids an index holds (a DeltaIndex: its base's rows not taken out, then its tail's)."""
    if type(index).__name__ != "DeltaIndex":
        return sorted(index.ids)  # type: ignore[attr-defined]
    base, tail, dead = index.base, index.tail, index.dead  # type: ignore[attr-defined]
    return sorted([base.row_id(r) for r in range(base.size()) if r not in dead] + [tail.row_id(r) for r in range(tail.size())])


def found(matcher: Matcher, request: Request) -> list[tuple[str, str, int]]:
    return sorted((m.other_id, m.kind, round(m.score)) for m, _ in matcher.match_named(record_keys(request), request.id))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_index_and_its_journal_find_what_the_whole_queue_finds(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    store = Store.open(tmp_path / "data")
    for _ in range(25):
        store.add_contact(Contact(**{k: v for k, v in person(rng).items() if k != "sent_at"}))  # type: ignore[arg-type]
    for _ in range(60):
        store.add_request(Request(**person(rng)))  # type: ignore[arg-type]
    store.record_decision("r3", "defer", until="2030-01-01")  # deferred past today: in the file, not in the queue
    store.record_decision("r4", "defer", until=store.today())  # due today
    store.save_pending_keys()
    for _ in range(40):  # changes after it: the journal's lines
        step = rng.random()
        rid = f"r{rng.randint(1, 60)}"
        try:
            if step < 0.35:
                store.add_request(Request(**person(rng)))  # type: ignore[arg-type]
            elif step < 0.6:
                store.record_decision(rid, rng.choice(["accept", "decline", "ask"]))
            elif step < 0.75:
                store.record_decision(rid, "defer", until=rng.choice(["2030-01-01", store.today()]))
            else:
                store.undo_last()
        except Exception:  # noqa: BLE001 (a refused step changes nothing)
            pass
    fresh = Store.open(store.root)
    quick = fresh.quick_pending_keys()
    assert quick is not None and type(quick).__name__ == "DeltaIndex"
    whole = Store.open(store.root)
    whole._queue.load()  # the queue read: the index built from it
    built = whole.pending_keys()
    assert ids_of(quick) == ids_of(built)
    contacts = fresh.contact_keys()
    laid_over = Matcher(contacts, quick, materialise=False)
    rebuilt = Matcher(contacts, built, materialise=False)
    due = whole.pending()
    assert len(due) > 40
    for request in due:
        assert found(laid_over, request) == found(rebuilt, request), request.name


def test_a_compaction_writes_it_anew_and_another_queue_json_is_never_taken_for_its_own(tmp_path: Path) -> None:
    from tui.store import journal

    store = Store.open(tmp_path / "data")
    store.add_request(Request(name="Ann Lee"))
    store.add_request(Request(name="Bob Stone"))
    store.save_pending_keys()
    assert Store.open(store.root).quick_pending_keys() is not None
    store.update_request("r1", notes="x" * (journal.MIN_COMPACT + 1))
    store.record_decision("r2", "accept")  # the journal outgrew its size: queue.json written whole, pending.idx with it
    quick = Store.open(store.root).quick_pending_keys()
    assert quick is not None and quick.ids == ["r1"]
    (store.root / "queue.json").write_bytes((store.root / "queue.json").read_bytes() + b" ")  # replaced by other means
    assert Store.open(store.root).quick_pending_keys() is None


def test_a_deferral_that_comes_due_is_in_the_queue_the_next_day(tmp_path: Path) -> None:
    from datetime import timedelta

    from tui.store.store import Store as S

    now = [S.open(tmp_path / "x").now()]
    store = Store.open(tmp_path / "data", clock=lambda: now[0])
    store.add_request(Request(name="Ann Lee"))
    store.add_request(Request(name="Bob Stone"))
    store.record_decision("r2", "defer", until=(now[0] + timedelta(days=1)).date().isoformat())
    store.save_pending_keys()
    assert ids_of(Store.open(store.root, clock=lambda: now[0]).quick_pending_keys()) == ["r1"]
    now[0] += timedelta(days=1)
    assert ids_of(Store.open(store.root, clock=lambda: now[0]).quick_pending_keys()) == ["r1", "r2"]
    assert derived.PENDING_FILE == "pending.idx"

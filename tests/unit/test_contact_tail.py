"""keys.tail: a contact added is noted beside keys.idx instead of every contact's keys rebuilt
(tui/store/keyfiles.py); one record's lookups read both, a batch rebuilds keys.idx."""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path

from tests.unit.test_pending_index import found, person
from tui.dedup.keys import KeyIndex, record_keys
from tui.dedup.match import Matcher
from tui.models import Contact, Request
from tui.store import Store, keyfiles


def contact(rng: random.Random) -> Contact:
    return Contact(**{k: v for k, v in person(rng).items() if k != "sent_at"})  # type: ignore[arg-type]


def rebuilt(root: Path) -> KeyIndex:
    """The contacts' keys worked out from every contact, as a rebuild makes them: the truth."""
    reader = Store.open(root)
    return keyfiles.contact_index(reader._table(reader._contacts, "contacts"))


def same_rows(index: KeyIndex, whole: KeyIndex, keys: Iterable[str]) -> None:
    """``index`` files the same contacts under each identity key as ``whole``."""
    for key in keys:
        assert sorted(index.row_id(r) for r in index.rows_with(key)) == sorted(whole.row_id(r) for r in whole.rows_with(key)), key


def same_matches(index: KeyIndex, whole: KeyIndex, rng: random.Random) -> None:
    """30 random people match the same contacts in ``index`` as in ``whole``."""
    laid_over, plain = Matcher(index, None, materialise=False), Matcher(whole, None, materialise=False)
    for i in range(30):
        probe = Request(**person(rng))  # type: ignore[arg-type]
        probe.id = f"r{i + 1}"
        assert found(laid_over, probe) == found(plain, probe)


def test_an_added_contact_is_noted_not_rebuilt_and_found_as_if_rebuilt(tmp_path: Path) -> None:
    rng = random.Random(5)
    store = Store.open(tmp_path / "data")
    for _ in range(40):
        store.add_contact(contact(rng))
    store.contact_keys()  # keys.idx current (a batch rebuilds it)
    keys = store.root / "keys.idx"
    inode, built = keys.stat().st_ino, keys.read_bytes()
    added = [store.add_contact(contact(rng)) for _ in range(15)]
    assert keys.stat().st_ino == inode and keys.read_bytes() == built  # not rebuilt
    assert (store.root / keyfiles.TAIL_FILE).exists()
    quick = Store.open(store.root).contact_keys(quick=True)
    assert type(quick).__name__ == "DeltaIndex"
    same_matches(quick, rebuilt(store.root), rng)
    laid_over = Matcher(quick, None, materialise=False)
    for c in added:  # each added contact is found by its own e-mail or name
        probe = Request(name=c.name, company=c.company, emails=c.emails)
        probe.id = "r999"
        assert any(m.other_id == c.id for m, _ in laid_over.match_named(record_keys(probe), probe.id))


def test_a_batch_rebuilds_keys_idx_and_drops_the_tail(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "data")
    store.add_contact(Contact(name="Ann Lee"))
    store.contact_keys()
    store.add_contact(Contact(name="Bob Stone"))
    assert (store.root / keyfiles.TAIL_FILE).exists()
    index = Store.open(store.root).contact_keys()  # a batch: keys.idx anew
    assert sorted(index.ids) == ["c1", "c2"] and not (store.root / keyfiles.TAIL_FILE).exists()


def test_a_tail_that_does_not_lead_to_contacts_json_is_not_used(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "data")
    store.add_contact(Contact(name="Ann Lee"))
    store.contact_keys()
    store.add_contact(Contact(name="Bob Stone"))
    (store.root / "contacts.json").write_bytes((store.root / "contacts.json").read_bytes() + b" ")  # changed by other means
    st = (store.root / "contacts.json").stat()  # its signature now (an open would rebuild keys.idx)
    assert keyfiles.load_contact_keys(store.root, (st.st_ino, st.st_size, st.st_mtime_ns), with_tail=True) is None
    assert sorted(Store.open(store.root).contact_keys(quick=True).ids) == ["c1", "c2"]  # rebuilt


def test_tui_add_and_query_find_a_contact_added_after_keys_idx(tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import TUI, subprocess_env

    store = Store.open(tmp_path / "data")
    store.add_contact(Contact(name="Ann Lee", emails=["ann@acme.example"]))
    store.contact_keys()
    env = subprocess_env(store.root)
    assert (
        subprocess.run([TUI, "add", "--contact", "Priyanka Deshmukh", "--email", "pd@x.example"], env=env, capture_output=True).returncode
        == 0
    )
    assert (store.root / keyfiles.TAIL_FILE).exists()
    added = subprocess.run([TUI, "add", "Priyanka Deshmukh", "--email", "pd@x.example"], env=env, capture_output=True, text=True)
    assert "c2" in added.stdout and "identical" in added.stdout
    query = subprocess.run([TUI, "query", "deshmukh"], env=env, capture_output=True, text=True)
    assert "pd@x.example" in query.stdout


def linked(rng: random.Random, n: int) -> Contact:
    """A LinkedIn contact of its own profile (so never the same person as another by name)."""
    found = contact(rng)
    url = f"https://www.linkedin.com/in/p-{n}"
    found.urls, found.source, found.source_id = [url], "linkedin", url
    return found


def test_an_import_into_a_big_store_is_noted_in_the_tail_and_found_as_if_rebuilt(tmp_path: Path) -> None:
    """Issue 16: after `tui import`, keys.idx was rebuilt for every contact (seconds at 100k);
    the contacts an import adds or changes are noted in keys.tail instead, an updated one's old
    keys taken out."""
    rng = random.Random(7)
    store = Store.open(tmp_path / "data")
    first = [linked(rng, n) for n in range(120)]
    first[0].emails = ["old@one.example"]
    store.import_records(first, [])
    store.contact_keys()
    keys = store.root / "keys.idx"
    inode, built = keys.stat().st_ino, keys.read_bytes()
    updated = Contact(**{**first[0].to_doc(), "emails": ["new@one.example"]})  # same profile URL: the same person, a new e-mail
    fresh = [linked(rng, n) for n in range(200, 204)]
    report = Store.open(store.root).import_records([updated, *fresh], [])
    assert report.counts()["added"] == 4 and report.counts()["updated"] == 1
    assert keys.stat().st_ino == inode and keys.read_bytes() == built  # not rebuilt
    assert (store.root / keyfiles.TAIL_FILE).exists()
    quick = Store.open(store.root).contact_keys(quick=True)
    assert type(quick).__name__ == "DeltaIndex"
    whole = rebuilt(store.root)
    assert sorted(quick.ids) == sorted(whole.ids)
    same_rows(quick, whole, ("e:old@one.example", "e:new@one.example", *(f"e:{e}" for c in fresh for e in c.emails)))
    assert [quick.row_id(r) for r in quick.rows_with("e:new@one.example")] == [report.updated[0]]
    same_matches(quick, whole, rng)


def test_an_import_bigger_than_the_tail_allows_is_laid_into_keys_idx_at_once(tmp_path: Path) -> None:
    """Not every contact's keys worked out again (10 s at 100k): keys.idx and the tail made one."""
    import pytest

    rng = random.Random(8)
    store = Store.open(tmp_path / "data")
    store.import_records([linked(rng, n) for n in range(10)], [])
    store.contact_keys()
    with pytest.MonkeyPatch.context() as m:
        m.setattr(keyfiles, "contact_index", lambda *a: pytest.fail("every contact's keys were worked out again"))
        Store.open(store.root).import_records([linked(rng, n) for n in range(100, 101 + keyfiles.CONTACT_TAIL)], [])
    assert not (store.root / keyfiles.TAIL_FILE).exists()
    assert keyfiles.load_contact_keys(store.root, Store.open(store.root)._contacts.signature()) is not None  # keys.idx current


def test_a_batch_after_a_tail_lays_it_into_keys_idx_without_reading_every_contact(tmp_path: Path, monkeypatch: object) -> None:
    """After `tui add --contact` or an import, the next batch (the app's matching of the queue,
    `tui dedup`) rebuilt keys.idx from every contact (10 s at 100k, before the first card showed
    its red flags). keys.idx with its tail is made one index, in id order, and saved."""
    import pytest

    rng = random.Random(9)
    store = Store.open(tmp_path / "data")
    first = [linked(rng, n) for n in range(60)]
    store.import_records(first, [])
    store.contact_keys()
    updated = Contact(**{**first[3].to_doc(), "emails": ["new@three.example"]})
    Store.open(store.root).import_records([updated, *(linked(rng, n) for n in range(300, 305))], [])
    Store.open(store.root).add_contact(Contact(name="Zed Last", emails=["zed@last.example"]))
    assert (store.root / keyfiles.TAIL_FILE).exists()
    whole = rebuilt(store.root)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(keyfiles, "contact_index", lambda *a: pytest.fail("every contact's keys were worked out again"))
        batch = Store.open(store.root).contact_keys()
    assert not (store.root / keyfiles.TAIL_FILE).exists()
    saved = keyfiles.load_contact_keys(store.root, Store.open(store.root)._contacts.signature())
    assert saved is not None
    for index in (batch, saved):
        assert index.ids == whole.ids  # in id order, as a rebuild has them
        assert [index.row_keys(r) for r in range(len(whole.ids))] == [whole.row_keys(r) for r in range(len(whole.ids))]
        same_rows(index, whole, ("e:new@three.example", "e:zed@last.example", *(f"e:{e}" for c in first for e in c.emails)))


def test_the_queue_context_does_not_wait_for_the_tail_to_be_laid_into_keys_idx(tmp_path: Path, monkeypatch: object) -> None:
    """After an import of 3k contacts into 100k, making keys.idx one index again takes seconds:
    the first card's red flags (the queue's context) come first, on keys.idx with its tail."""
    import pytest

    from tui.backlog import analyse
    from tui.dedup.delta import DeltaIndex

    rng = random.Random(10)
    store = Store.open(tmp_path / "data")
    store.import_records([linked(rng, n) for n in range(30)], [Request(name="Ann Lee", company="Zyx Qorp", source="x")])
    store.contact_keys()
    Store.open(store.root).add_contact(Contact(name="Bob Ray", company="Zyx Qorp"))
    seen: list[str] = []
    real = DeltaIndex.compacted

    def compacted(self: DeltaIndex) -> object:
        seen.append("compacted")
        return real(self)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(DeltaIndex, "compacted", compacted)
        context = []
        analysis = analyse(Store.open(store.root), on_context=lambda c: (seen.append("context"), context.append(c)))
    assert seen == ["context", "compacted"]
    assert "You know 1 at Zyx Qorp: Bob Ray" in context[0].lines(Store.open(store.root).get_request("r1"), [])[2]
    assert analysis.found["r1"] == [] and not (store.root / keyfiles.TAIL_FILE).exists()


def test_a_merge_into_a_contact_and_its_undo_note_the_contact_in_the_tail(tmp_path: Path) -> None:
    """`tui merge r1 c1` worked out every contact's keys again after it (5 s and 711 MiB at 100k):
    the contact it changed is noted in keys.tail, as an import's are; its undo too."""
    import pytest

    rng = random.Random(11)
    store = Store.open(tmp_path / "data")
    first = [linked(rng, n) for n in range(40)]
    store.import_records(first, [Request(name=first[0].name, emails=["second@merge.example"], source="x")])
    store.contact_keys()
    with pytest.MonkeyPatch.context() as m:
        m.setattr(keyfiles, "contact_index", lambda *a: pytest.fail("every contact's keys were worked out again"))
        merged = Store.open(store.root).merge("r1", "c1")
        quick = Store.open(store.root).contact_keys(quick=True)
        assert [quick.row_id(r) for r in quick.rows_with("e:second@merge.example")] == ["c1"]
        Store.open(store.root).undo(merged.id)
        quick = Store.open(store.root).contact_keys(quick=True)
        assert quick.rows_with("e:second@merge.example") == []
    whole = rebuilt(store.root)
    assert sorted(quick.ids) == sorted(whole.ids)
    same_rows(quick, whole, {f"e:{e}" for c in first for e in c.emails} | {f"u:{u}" for u in whole.column("urls") for u in u.split()})

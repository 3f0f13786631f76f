"""Groups of duplicate contacts, merging them and undoing it, on the fixture world: the same ten
people in a LinkedIn Connections.csv, a Google CSV and a phone's vCard file, spelt differently,
beside namesakes who are other people. Real stores in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tui.dedup.contact_groups import find_groups, links_among, needs_confirmation
from tui.formats.load import read_file
from tui.store import Conflict, Store

WORLD = ROOT / "tests" / "fixtures" / "contacts"
FILES = ("Connections.csv", "google.csv", "contacts.vcf")

#: The ten people, as (file, name as written) for each record of them.
PEOPLE = [
    {"Robert Whitfield", "Bob Whitfield", "Whitfield, Bob"},
    {"José Álvarez", "Jose Alvarez", "Álvarez José"},
    {"Katharina Berger", "Katharina Schmidt"},  # a maiden name, the same e-mail
    {"Chidi Okafor", "Okafor, Chidi"},
    {"William Harrington", "Bill Harrington", "Will Harrington"},
    {"Siobhán Ní Bhriain", "Siobhan Ni Bhriain"},
    {"Dmitri Volkov", "Dmitry Volkov"},
    {"Anna Marie Lindqvist", "Annamarie Lindqvist"},
    {"Priyanka Deshmukh"},
    {"Margaret Oyelaran", "Peggy Oyelaran"},
]
#: Namesakes: another person with a name above, or with each other's (different company and e-mail).
NAMESAKES = {("Robert Whitfield", "Harbour Freight Lines"), ("Priyanka Deshmukh", "Deshmukh Textiles"),
             ("John Smith", "Acme Corp"), ("John Smith", "Globex"), ("Maria Garcia", "Iberia Foods"),
             ("Maria Garcia", "Valencia Textiles"), ("Maria Garcia", "Clinica Norte")}


def import_world(store: Store, files: tuple[str, ...] = FILES) -> list[dict[str, int]]:
    reports = []
    for name in files:
        parsed = read_file(WORLD / name, None)
        reports.append(store.import_records(parsed.contacts, parsed.requests).counts())
    return reports


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "data")
    import_world(store)
    return store


def named(store: Store, members: list[str]) -> set[tuple[str, str]]:
    contacts = {c.id: c for c in store.contacts()}
    return {(contacts[m].name, contacts[m].company) for m in members}


class TestFindingGroups:
    def test_the_ten_people_are_ten_groups_and_no_namesake_joins_one(self, store: Store) -> None:
        found = find_groups(store.contact_keys(), distinct=store.distinct_contacts())
        names = [{name for name, _ in named(store, g.members)} for g in found]
        assert len(found) == 10
        for person in PEOPLE:
            assert person in names, person
        for group in found:
            assert not named(store, group.members) & NAMESAKES, group.members
            assert group.kind in ("identical", "likely") and group.score >= 90 and group.reasons

    def test_each_record_of_a_person_is_in_its_group_however_many(self, store: Store) -> None:
        # A request is one contact at most, so its candidates share one probability; three records of
        # one person are all that person: Robert, Bob and "Whitfield, Bob" form one group, not a 50/50 split.
        found = find_groups(store.contact_keys())
        whitfield = next(g for g in found if "Bob Whitfield" in {n for n, _ in named(store, g.members)})
        assert len(whitfield.members) == 3 and whitfield.kind == "likely"

    def test_the_reasons_are_the_matchers(self, store: Store) -> None:
        found = find_groups(store.contact_keys())
        reasons = " | ".join(r for g in found for r in g.reasons)
        for words in ("nickname Robert→Bob", "names in the other order", "email identical (k.schmidt@lumen.example)",
                      "names spaced differently", "first name spelt Dmitri/Dmitry", "same company"):
            assert words in reasons

    def test_contacts_told_apart_are_never_grouped_again(self, store: Store) -> None:
        first = find_groups(store.contact_keys())[0]
        store.mark_contacts_distinct(first.members)
        again = find_groups(Store.open(store.root).contact_keys(), distinct=Store.open(store.root).distinct_contacts())
        assert len(again) == 9 and all(not set(g.members) & set(first.members) for g in again)


class TestConfirmation:
    def test_namesakes_at_other_companies_need_confirmation(self, store: Store) -> None:
        smiths = [c.id for c in store.contacts() if c.name == "John Smith"]
        assert needs_confirmation(smiths, links_among(store.contact_keys(), smiths))

    def test_likely_names_or_a_shared_address_need_none(self, store: Store) -> None:
        for group in find_groups(store.contact_keys()):
            assert not needs_confirmation(group.members, links_among(store.contact_keys(), group.members))


class TestMerging:
    def test_a_merge_keeps_every_address_phone_and_network_and_the_chosen_values(self, store: Store) -> None:
        group = find_groups(store.contact_keys())[0]
        kept, *others = group.members
        docs = store.contact_docs(group.members)
        decision = store.merge_contacts(group.members, {"name": others[0]})
        merged = Store.open(store.root).get(kept)
        assert {c.id for c in Store.open(store.root).contacts()}.isdisjoint(others)
        assert merged.name == docs[others[0]]["name"] and merged.first_name == docs[others[0]]["first_name"]
        assert merged.title == docs[kept]["title"]
        for field in ("emails", "urls", "phones"):
            assert {v for d in docs.values() for v in d[field]} == set(getattr(merged, field))
        assert set(merged.merged_from) == set(group.members)
        assert set(merged.also_on) == {"google", "vcard"}
        assert decision.action == "merge-contacts" and set(decision.before) == set(group.members)  # the removed records, in the history

    def test_a_chosen_network_comes_with_its_id_and_a_chosen_name_with_its_parts(self) -> None:
        from tui.store.contact_merge import merged_doc

        a = {"name": "Robert Whitfield", "first_name": "Robert", "last_name": "Whitfield", "source": "linkedin", "source_id": "https://li/rw"}
        b = {"name": "Bob Whitfield", "first_name": "Bob", "last_name": "Whitfield", "source": "google", "source_id": "bob@x.example"}
        merged = merged_doc([("c1", a), ("c2", b)], {"source": "c2", "name": "c2"})
        assert (merged["source"], merged["source_id"], merged["first_name"]) == ("google", "bob@x.example", "Bob")
        assert merged["also_on"] == ["linkedin"]
        assert merged_doc([("c1", a), ("c2", b)], {"source": "c2", "source_id": "c1"})["source_id"] == "https://li/rw"

    def test_undo_after_a_restart_gives_every_record_back_under_its_id(self, store: Store) -> None:
        group = find_groups(store.contact_keys())[0]
        before = store.contact_docs(group.members)
        store.merge_contacts(group.members)
        reopened = Store.open(store.root)
        undo = reopened.undo_last()
        assert undo is not None and undo.action == "undo"
        again = Store.open(store.root)
        assert again.contact_docs(group.members) == before
        assert len(find_groups(again.contact_keys())) == 10

    def test_an_undo_waits_for_a_later_merge_that_took_in_its_contacts(self, store: Store) -> None:
        whitfields = find_groups(store.contact_keys())[0].members
        first = store.merge_contacts(whitfields[:2])
        store.merge_contacts([whitfields[2], whitfields[0]])
        with pytest.raises(Conflict, match="undo d2 first"):
            store.undo(first.id)

    def test_a_request_merged_into_a_contact_that_a_merge_removed_waits_for_that_merge(self, store: Store) -> None:
        from tui.models import Request

        kept, removed = find_groups(store.contact_keys())[0].members[:2]
        for contact in (kept, removed):
            request = store.add_request(Request(name="Bob Whitfield", urls=[f"https://www.linkedin.com/in/bob-{contact}"]))
            store.merge(request.id, contact)
        later = store.merge_contacts([kept, removed])
        with pytest.raises(Conflict, match=f"undo {later.id} first"):
            store.undo("d2")  # the request merged into the removed contact
        assert store.undo("d1").undoes == "d1"  # the one merged into the kept contact: its URL goes
        assert "https://www.linkedin.com/in/bob-c1" not in store.get(kept).urls
        store.undo(later.id)  # the contacts apart again, then the other request's merge can go too
        assert store.undo("d2").undoes == "d2" and "https://www.linkedin.com/in/bob-c13" not in store.get(removed).urls

    def test_a_removed_contact_is_named_with_the_merge_that_removed_it(self, store: Store) -> None:
        members = find_groups(store.contact_keys())[0].members
        store.merge_contacts(members)
        with pytest.raises(Exception, match=rf"no contact '{members[1]}' \(merged into {members[0]} by d1\)"):
            store.merge_contacts([members[1], members[0]])


class TestReimport:
    @pytest.mark.parametrize("file", FILES)
    def test_reimporting_each_file_after_merging_adds_nobody(self, store: Store, file: str) -> None:
        for group in find_groups(store.contact_keys()):
            store.merge_contacts(group.members)
        count = len(store.contacts())
        report = import_world(Store.open(store.root), (file,))[0]
        assert report["added"] == 0 and report["updated"] == 0
        assert len(Store.open(store.root).contacts()) == count == 30 - sum(len(p) - 1 for p in PEOPLE) - 1  # Deshmukh: two records, one name

    def test_a_changed_row_updates_the_merged_contact(self, store: Store, tmp_path: Path) -> None:
        group = next(g for g in find_groups(store.contact_keys()) if "Peggy Oyelaran" in {n for n, _ in named(store, g.members)})
        store.merge_contacts(group.members, {"name": next(m for m in group.members if store.get(m).name == "Peggy Oyelaran")})
        changed = tmp_path / "google.csv"
        changed.write_text((WORLD / "google.csv").read_text().replace("Kestrel Books,,Sends", "Kestrel Books,Senior Editor,Sends")
                           .replace("peggy.oyelaran@mail.example,,", "peggy.oyelaran@mail.example,Mobile,+44 7700 900777"), encoding="utf-8")
        parsed = read_file(changed, None)
        report = Store.open(store.root).import_records(parsed.contacts, []).counts()
        merged = Store.open(store.root).get(group.members[0])
        assert report["added"] == 0 and report["updated"] == 1
        assert "+44 7700 900777" in merged.phones and merged.name == "Peggy Oyelaran"
        assert merged.title == "Editor"  # the value kept from LinkedIn's record does not follow Google's

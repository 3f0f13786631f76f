"""Groups of duplicate contacts, merging them and undoing it, on the fixture world: the same ten
people in a LinkedIn Connections.csv, a Google CSV and a phone's vCard file, spelt differently,
beside namesakes who are other people. Real stores in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tui.dedup.contact_groups import find_groups, links_among, needs_confirmation
from tui.formats.load import read_file
from tui.models import Contact
from tui.store import Conflict, NotFound, Store

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
NAMESAKES = {
    ("Robert Whitfield", "Harbour Freight Lines"),
    ("Priyanka Deshmukh", "Deshmukh Textiles"),
    ("John Smith", "Acme Corp"),
    ("John Smith", "Globex"),
    ("Maria Garcia", "Iberia Foods"),
    ("Maria Garcia", "Valencia Textiles"),
    ("Maria Garcia", "Clinica Norte"),
}


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


def contacts_of(tmp_path: Path, *records: dict[str, object]) -> Store:
    store = Store.open(tmp_path / "small")
    store.import_records([Contact(**fields) for fields in records], [])  # type: ignore[arg-type]
    return store


WIDER = ("identical", "likely", "possible")


def kathy_chain(tmp_path: Path) -> Store:
    """c1 Katherine (Globex) and c2 Kate (Initech), joined only by c3 Kathy: Globex, with Kate's e-mail."""
    store = Store.open(tmp_path / "kathy")
    for name, company, email in (
        ("Katherine Whitfield", "Globex", "k@globex.com"),
        ("Kate Whitfield", "Initech", "kate@initech.com"),
        ("Kathy Whitfield", "Globex", "kate@initech.com"),
    ):
        store.add_contact(Contact(name=name, company=company, emails=[email], source="manual"))  # as `tui add --contact`
    return store


def whitfield(store: Store) -> list[str]:
    """Robert Whitfield (LinkedIn, c1), Bob Whitfield (Google) and "Whitfield, Bob" (vCard)."""
    return next(g.members for g in find_groups(store.contact_keys()) if "c1" in g.members)


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
        for words in (
            "nickname Robert→Bob",
            "names in the other order",
            "email identical (k.schmidt@lumen.example)",
            "names spaced differently",
            "first name spelt Dmitri/Dmitry",
            "same company",
        ):
            assert words in reasons

    def test_contacts_told_apart_are_never_grouped_again(self, store: Store) -> None:
        first = find_groups(store.contact_keys())[0]
        store.mark_contacts_distinct(first.members)
        again = find_groups(Store.open(store.root).contact_keys(), distinct=Store.open(store.root).distinct_contacts())
        assert len(again) == 9 and all(not set(g.members) & set(first.members) for g in again)

    def test_possible_links_never_chain_namesakes_through_a_third_record(self, store: Store) -> None:
        # Robert Whitfield of Harbour Freight is "possible" to Robert Whitfield of Acme (same name, company
        # differs), who is likely Bob: the namesake must not join Bob's group, nor Deshmukh Textiles Tata Elxsi's.
        found = find_groups(store.contact_keys(), distinct=store.distinct_contacts(), kinds=WIDER)
        names = [{name for name, _ in named(store, g.members)} for g in found]
        for person in PEOPLE:
            assert any(person <= group for group in names), person
        for group in found:
            assert not named(store, group.members) & NAMESAKES, named(store, group.members)

    def test_a_chain_of_possible_links_is_split_where_two_records_contradict(self, tmp_path: Path) -> None:
        # A~B and B~C are possible (B gives no company), A and C are namesakes at other companies with other e-mails.
        store = contacts_of(
            tmp_path,
            {"name": "Sam Porter", "company": "Acme", "emails": ["sam@acme.example"], "source": "linkedin"},
            {"name": "Sam Porter", "source": "vcard"},
            {"name": "Sam Porter", "company": "Globex", "emails": ["sam@globex.example"], "source": "google"},
        )
        found = find_groups(store.contact_keys(), kinds=WIDER)
        assert found and all(not {"c1", "c3"} <= set(g.members) for g in found), [g.members for g in found]
        assert all(link.a in g.members and link.b in g.members for g in found for link in g.links)

    def test_a_chain_of_sure_links_through_a_third_says_which_two_may_be_different_people(self, tmp_path: Path) -> None:
        # Kathy (Globex, Kate's e-mail) is likely Katherine of Globex and shares Kate's address; Katherine
        # and Kate (other companies, other e-mails) are two people by the pair check a merge of them makes.
        from tui.dedup.contact_groups import doubted

        store = kathy_chain(tmp_path)
        found = find_groups(store.contact_keys())
        assert [g.members for g in found] == [["c1", "c2", "c3"]]
        group = found[0]
        assert group.kind == "possible" and group.score < 90, (group.kind, group.score)
        assert any("c1 and c2 may be different people" in r for r in group.reasons), group.reasons
        assert [(d.a, d.b) for d in doubted(group.members, links_among(store.contact_keys(), group.members))] == [("c1", "c2")]

    @pytest.mark.parametrize(
        "pair",
        [
            ("Maria", "Mario"),
            ("Carla", "Carlo"),
            ("Giovanni", "Giovanna"),
            ("Daniel", "Daniela"),
            ("Paul", "Paula"),
            ("Eric", "Erica"),
            ("Simon", "Simone"),
        ],
    )
    def test_other_gender_forms_of_a_first_name_are_not_likely_on_name_and_company(self, tmp_path: Path, pair: tuple[str, str]) -> None:
        store = contacts_of(
            tmp_path,
            {"name": f"{pair[0]} Castellano", "company": "Acme Foods", "source": "linkedin"},
            {"name": f"{pair[1]} Castellano", "company": "Acme Foods", "source": "google"},
        )
        assert find_groups(store.contact_keys()) == []
        link = links_among(store.contact_keys(), ["c1", "c2"])[0]
        assert link.kind == "possible" and f"first names differ ({pair[0]}/{pair[1]})" in link.reasons

    @pytest.mark.parametrize("pair", [("Dmitri", "Dmitry"), ("Katharina", "Katharine"), ("Marie", "Maria"), ("Steven", "Stephen")])
    def test_spellings_of_one_first_name_stay_likely(self, tmp_path: Path, pair: tuple[str, str]) -> None:
        store = contacts_of(
            tmp_path,
            {"name": f"{pair[0]} Castellano", "company": "Acme Foods", "source": "linkedin"},
            {"name": f"{pair[1]} Castellano", "company": "Acme Foods", "source": "google"},
        )
        assert [g.kind for g in find_groups(store.contact_keys())] == ["likely"]

    def test_groups_come_best_first_identical_then_by_score_then_by_ids(self, store: Store) -> None:
        from tui.dedup.contact_groups import contact_id_key

        found = find_groups(store.contact_keys(), kinds=WIDER)
        order = [(g.kind != "identical", -g.score, [contact_id_key(m) for m in g.members]) for g in found]
        assert order == sorted(order) and found[0].kind == "identical"


class TestConfirmation:
    def test_namesakes_at_other_companies_need_confirmation(self, store: Store) -> None:
        smiths = [c.id for c in store.contacts() if c.name == "John Smith"]
        assert needs_confirmation(smiths, links_among(store.contact_keys(), smiths))

    def test_two_members_joined_only_through_a_third_need_confirmation(self, tmp_path: Path) -> None:
        store = kathy_chain(tmp_path)
        assert needs_confirmation(["c1", "c2", "c3"], links_among(store.contact_keys(), ["c1", "c2", "c3"]))
        assert not needs_confirmation(["c2", "c3"], links_among(store.contact_keys(), ["c2", "c3"]))

    def test_likely_names_or_a_shared_address_need_none(self, store: Store) -> None:
        for group in find_groups(store.contact_keys()):
            assert not needs_confirmation(group.members, links_among(store.contact_keys(), group.members))


class TestMerging:
    def test_a_merge_keeps_every_address_phone_and_network_and_the_chosen_values(self, store: Store) -> None:
        members = whitfield(store)
        kept, *others = members
        docs = store.contact_docs(members)
        decision = store.merge_contacts(members, {"name": others[0]})
        merged = Store.open(store.root).get(kept)
        assert {c.id for c in Store.open(store.root).contacts()}.isdisjoint(others)
        assert merged.name == docs[others[0]]["name"] and merged.first_name == docs[others[0]]["first_name"]
        assert merged.title == docs[kept]["title"]
        for field in ("emails", "urls", "phones"):
            assert {v for d in docs.values() for v in d[field]} == set(getattr(merged, field))
        assert set(merged.merged_from) == set(members)
        assert set(merged.also_on) == {"google", "vcard"}
        assert decision.action == "merge-contacts" and set(decision.before) == set(members)  # the removed records, in the history

    def test_a_chosen_network_comes_with_its_id_and_a_chosen_name_with_its_parts(self) -> None:
        from tui.store.contact_merge import merged_doc

        a = {
            "name": "Robert Whitfield",
            "first_name": "Robert",
            "last_name": "Whitfield",
            "source": "linkedin",
            "source_id": "https://li/rw",
        }
        b = {"name": "Bob Whitfield", "first_name": "Bob", "last_name": "Whitfield", "source": "google", "source_id": "bob@x.example"}
        merged = merged_doc([("c1", a), ("c2", b)], {"source": "c2", "name": "c2"})
        assert (merged["source"], merged["source_id"], merged["first_name"]) == ("google", "bob@x.example", "Bob")
        assert merged["also_on"] == ["linkedin"]
        assert merged_doc([("c1", a), ("c2", b)], {"source": "c2", "source_id": "c1"})["source_id"] == "https://li/rw"

    def test_a_chosen_list_comes_first_and_no_item_of_another_is_lost(self) -> None:
        from tui.store.contact_merge import merged_doc

        a = {"name": "Ann Lee", "emails": ["ann@acme.example"], "phones": ["+1 555 0100"], "tags": ["met"]}
        b = {"name": "Ann Lee", "emails": ["ann.lee@mail.example"], "phones": []}
        none = merged_doc([("c1", a), ("c2", b)], {"phones": "c2", "tags": "c2"})  # the second has none: every one's still
        assert none["phones"] == ["+1 555 0100"] and none["tags"] == ["met"]
        first = merged_doc([("c1", a), ("c2", b)], {"emails": "c2"})
        assert first["emails"] == ["ann.lee@mail.example", "ann@acme.example"]

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
        whitfields = whitfield(store)
        first = store.merge_contacts(whitfields[:2])
        store.merge_contacts([whitfields[2], whitfields[0]])
        with pytest.raises(Conflict, match="undo d2 first"):
            store.undo(first.id)

    def test_a_request_merged_into_a_contact_that_a_merge_removed_waits_for_that_merge(self, store: Store) -> None:
        from tui.models import Request

        kept, removed = whitfield(store)[:2]
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
        with pytest.raises(NotFound, match=rf"no contact '{members[1]}': merged into {members[0]} \(d1\)"):
            store.merge_contacts([members[1], members[0]])

    def test_telling_apart_a_removed_contact_names_the_merge_that_removed_it(self, store: Store) -> None:
        members = find_groups(store.contact_keys())[0].members
        store.merge_contacts(members)
        with pytest.raises(NotFound, match=rf"no contact '{members[1]}': merged into {members[0]} \(d1\)"):
            Store.open(store.root).mark_contacts_distinct(members)

    def test_a_removed_contact_read_by_id_says_whom_it_was_merged_into(self, store: Store) -> None:
        kept, removed, third = whitfield(store)
        store.merge_contacts([kept, removed])
        store.merge_contacts([third, kept])
        with pytest.raises(NotFound, match=rf"no contact '{removed}': merged into {kept} \(d1\), since merged into {third} \(d2\)"):
            Store.open(store.root).get(removed)
        with pytest.raises(NotFound, match=rf"merged into {third} \(d2\)"):
            Store.open(store.root).get(kept)


class TestReimport:
    @pytest.mark.parametrize("file", FILES)
    def test_reimporting_each_file_after_merging_adds_nobody(self, store: Store, file: str) -> None:
        for group in find_groups(store.contact_keys()):
            store.merge_contacts(group.members)
        count = len(store.contacts())
        report = import_world(Store.open(store.root), (file,))[0]
        assert report["added"] == 0 and report["updated"] == 0
        assert (
            len(Store.open(store.root).contacts()) == count == 30 - sum(len(p) - 1 for p in PEOPLE) - 1
        )  # Deshmukh: two records, one name

    def test_a_changed_row_updates_the_merged_contact(self, store: Store, tmp_path: Path) -> None:
        group = next(g for g in find_groups(store.contact_keys()) if "Peggy Oyelaran" in {n for n, _ in named(store, g.members)})
        store.merge_contacts(group.members, {"name": next(m for m in group.members if store.get(m).name == "Peggy Oyelaran")})
        changed = tmp_path / "google.csv"
        changed.write_text(
            (WORLD / "google.csv")
            .read_text()
            .replace("Kestrel Books,,Sends", "Kestrel Books,Senior Editor,Sends")
            .replace("peggy.oyelaran@mail.example,,", "peggy.oyelaran@mail.example,Mobile,+44 7700 900777"),
            encoding="utf-8",
        )
        parsed = read_file(changed, None)
        report = Store.open(store.root).import_records(parsed.contacts, []).counts()
        merged = Store.open(store.root).get(group.members[0])
        assert report["added"] == 0 and report["updated"] == 1
        assert "+44 7700 900777" in merged.phones and merged.name == "Peggy Oyelaran"
        assert merged.title == "Editor"  # the value kept from LinkedIn's record does not follow Google's

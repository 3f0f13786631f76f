"""Labelled evaluation sets for duplicate detection, generated reproducibly from a seed.

Two generators with different name pools, typo models and mixes of variants:

* ``anglo``: English-speaking names, typos by keyboard-neighbour substitution, many distinct people
  sharing very common names (John Smith, Mary Johnson, ...);
* ``world``: Spanish, Indian, Chinese, Arabic, Nigerian and German names, typos by transposition
  and dropped letters, accents added and removed, company names in several legal forms.

Each set is a list of contacts and a list of requests; every request carries its label: the
contact it is a variant of (``truth``), and the kind expected (``likely``, ``impersonation``, or
``None`` for a distinct person who merely shares a name).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from tui.models import Contact, Request

ANGLO_FIRST = (
    "John Mary Robert Patricia Michael Jennifer William Linda David Elizabeth Richard Barbara Joseph Susan "
    "Thomas Jessica Charles Sarah Christopher Karen Daniel Nancy Matthew Lisa Anthony Margaret James Emily"
).split()
ANGLO_LAST = (
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson "
    "Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Green Baker Adams "
    "Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Parker Collins Edwards Stewart"
).split()
NICK = {
    "Robert": "Bob",
    "William": "Bill",
    "Elizabeth": "Liz",
    "Michael": "Mike",
    "James": "Jim",
    "Thomas": "Tom",
    "Richard": "Rick",
    "Joseph": "Joe",
    "Charles": "Chuck",
    "Christopher": "Chris",
    "Daniel": "Dan",
    "Matthew": "Matt",
    "Anthony": "Tony",
    "Margaret": "Maggie",
    "Jennifer": "Jenny",
    "Patricia": "Patty",
    "Susan": "Sue",
    "Barbara": "Barb",
    "Jessica": "Jess",
    "Nancy": "Nan",
}
WORLD_FIRST = (
    "José María Lucía Alejandro Sofía Priya Rahul Anjali Vikram Wei Mei Jian Xiu Ahmed Fatima Omar Layla "
    "Chinedu Ngozi Emeka Adaeze Jürgen Björn Müge Ülkü Zoë Renée François Hélène"
).split()
WORLD_LAST = (
    "García Fernández López Martínez Sánchez Pérez Sharma Patel Iyer Reddy Wang Li Zhang Liu Chen Haddad "
    "Mansour Khalil Okafor Adeyemi Nwosu Obi Müller Schäfer Groß Öztürk Çelik Dubois Lefèvre"
).split()
COMPANY_WORDS = (
    "Acme Globex Initech Umbrella Northwind Contoso Fabrikam Tailspin Wingtip Adatum Litware Proseware "
    "Lucerne Margie Fourth Coffee Alpine Blue Yonder Consolidated Messenger Graphic Design Humongous "
    "Trey Research VanArsdel Woodgrove Wide World Importers Southridge Video Tailwind Traders"
).split()
FORMS = ("Ltd", "Inc", "LLP", "GmbH", "plc", "LLC", "S.L.", "AG")
TITLES = ("CEO", "CTO", "Head of Sales", "Product Manager", "Senior Engineer", "Partner", "Director", "Founder", "Consultant")
LOOKALIKE = {
    "a": "а",
    "e": "е",
    "o": "о",
    "p": "р",
    "c": "с",
    "y": "у",
    "x": "х",
    "i": "і",
    "A": "А",
    "E": "Е",
    "O": "О",
    "P": "Р",
    "C": "С",
    "T": "Т",
    "H": "Н",
    "K": "К",
    "M": "М",
    "B": "В",
    "o2": "ο",
}
KEYBOARD = dict(zip("qwertyuiopasdfghjklzxcvbnm", "wqrtyuiopoasdfghjklkxcvbnm", strict=True))


@dataclass
class Labelled:
    request: Request
    truth: str | None
    """The id of the contact this request is a variant of, or None for a distinct person."""
    expected: str | None
    """likely, impersonation, or None."""
    variant: str


@dataclass
class EvalSet:
    name: str
    contacts: list[Contact]
    requests: list[Labelled]


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def generate(
    kind: str = "anglo", seed: int = 7, contacts: int = 3000, variants: int = 500, namesakes: int = 400, clones: int = 120
) -> EvalSet:
    rng = random.Random(seed)
    firsts, lasts = (ANGLO_FIRST, ANGLO_LAST) if kind == "anglo" else (WORLD_FIRST, WORLD_LAST)
    people: list[Contact] = []
    used: set[tuple[str, str, str]] = set()
    while len(people) < contacts:
        first, last = rng.choice(firsts), rng.choice(lasts)
        company = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)}"
        if (first, last, company) in used:
            continue
        used.add((first, last, company))
        i = len(people)
        people.append(
            Contact(
                name=f"{first} {last}",
                first_name=first,
                last_name=last,
                company=f"{company} {rng.choice(FORMS)}",
                title=rng.choice(TITLES),
                source="linkedin",
                urls=[f"https://www.linkedin.com/in/{_strip_accents(first).lower()}-{i}"],
                id=f"c{i + 1}",
            )
        )
    labelled: list[Labelled] = []
    for n in range(variants):
        base = rng.choice(people)
        first, last = base.first_name, base.last_name
        company = base.company.rsplit(" ", 1)[0]
        variant = rng.choice(("typo", "nickname", "accent", "order", "initial", "honorific", "suffix", "network"))
        name = f"{first} {last}"
        if variant == "typo":
            name = f"{first} {_typo(rng, last, kind)}"
        elif variant == "nickname":
            name = f"{NICK.get(first, first)} {last}" if kind == "anglo" else f"{first.split()[0]} {last}"
            variant = "nickname" if first in NICK or kind != "anglo" else "same name"
        elif variant == "accent":
            name = _strip_accents(name) if name != _strip_accents(name) else name.replace("e", "é", 1)
        elif variant == "order":
            name = f"{last}, {first}"
        elif variant == "initial":
            name = f"{first[0]}. {last}"
        elif variant == "honorific":
            name = rng.choice((f"Dr. {first} {last}", f"{first} {last}, PhD", f"Mr {first} {last} Jr", f"Prof. {first} {last}"))
        elif variant == "suffix":
            company = rng.choice((f"The {company}", f"{company} {rng.choice(FORMS)}", company))
        source = "x" if variant == "network" else rng.choice(("linkedin", "x", "facebook", "email"))
        if source == "linkedin" and name == base.name:
            # The very same name on the same network under a new account is the clone pattern,
            # flagged as impersonation by design; a genuine variant of that kind comes from elsewhere.
            source = rng.choice(("x", "facebook", "email"))
        url = f"https://x.com/{_strip_accents(first).lower()}{n}" if source == "x" else f"https://www.{source}.com/in/v-{n}"
        req = Request(name=name, company=company, title=base.title if rng.random() < 0.7 else "", source=source, urls=[url], id=f"r{n + 1}")
        labelled.append(Labelled(req, base.id, "likely", variant))
    taken = {(p.name, p.company.rsplit(" ", 1)[0]) for p in people}
    for n in range(namesakes):  # different people who share a contact's (common) name
        base = rng.choice(people)
        company = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)} {rng.choice(FORMS)}"
        if (base.name, company.rsplit(" ", 1)[0]) in taken:
            continue  # a namesake at a contact's own company is not a different person we can tell
        req = Request(
            name=base.name,
            company=company,
            title=rng.choice(TITLES),
            source=rng.choice(("linkedin", "x")),
            urls=[f"https://www.linkedin.com/in/namesake-{n}"],
            id=f"r{variants + n + 1}",
        )
        labelled.append(Labelled(req, None, None, "namesake"))
    for n in range(clones):
        base = rng.choice(people)
        req = Request(
            name=_lookalike(rng, base.name),
            company=base.company,
            title=base.title,
            source="linkedin",
            urls=[f"https://www.linkedin.com/in/{_strip_accents(base.first_name).lower()}-official-{n}"],
            id=f"r{variants + namesakes + n + 1}",
        )
        labelled.append(Labelled(req, base.id, "impersonation", "clone"))
    return EvalSet(kind, people, labelled)


def _typo(rng: random.Random, word: str, kind: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    if kind == "anglo":  # a neighbouring key
        ch = word[i].lower()
        return word[:i] + KEYBOARD.get(ch, ch) + word[i + 1 :]
    if rng.random() < 0.5:  # swapped letters
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]  # a dropped letter


def _lookalike(rng: random.Random, name: str) -> str:
    positions = [i for i, ch in enumerate(name) if ch in LOOKALIKE]
    chars = list(name)
    for i in rng.sample(positions, min(len(positions), rng.choice((1, 1, 2)))):
        chars[i] = LOOKALIKE[chars[i]]
    return "".join(chars)


# ------------------------------------------------------------------------------- common names

COMMON = (
    "John Smith",
    "Michael Johnson",
    "David Brown",
    "James Williams",
    "Mary Jones",
    "Maria Garcia",
    "Jose Hernandez",
    "Wei Wang",
    "Li Na",
    "Mohammed Khan",
    "Priya Sharma",
    "Anna Müller",
    "David Lee",
    "Robert Miller",
    "Jennifer Davis",
    "Juan Rodriguez",
    "Ahmed Ali",
    "Sarah Wilson",
    "Thomas Anderson",
    "Daniel Martin",
)
# Rare names, composed so that few people share one: given names from two syllables, surnames from a
# stem and an ending.
RARE_STARTS = (
    "Thad Otto Perp Leof Isau Casi Zeph Igna Phil Evan Rosa Lysa Oria Flor Hesp Aure Isma Barn Clem Ansel Ott Pere Sera Lin Wyn".split()
)
RARE_TAILS = "eus ine etua ric ara mir yra atius ippa der mund ander".split()
RARE_PARTS = (
    "Quill Brack Fenn Harrow Lisk Morrow Pell Quarry Rook Slade Thwaite Vell Wick Yarrow Zell Carrick Dunmore "
    "Ellery Fairleigh Gorst Ashcombe Birkett Cresswell Dorrance Eddow Fallow Gask Hebb Ingle Jolliffe"
).split()
RARE_ENDS = "ington ersby wright ockley amore enhall iston ridge combe ester ard ott ell ing owe".split()


def generate_common(seed: int = 5, per_name: int = 4, rare: int = 400) -> EvalSet:
    """Namesakes and rare names. Contacts: several people for each very common full name (each at
    another company), and people with rare names. Requests:

    * ``namesake``: a common name at a company none of its contacts works for, or none: a
      different person, never ``likely``;
    * ``common, same company``: a common name at one of its contacts' companies (that contact);
    * ``rare, no company`` / ``rare, new company`` / ``rare, typo``: a rare-named contact with no
      company, another company, or a one-letter slip and no company;
    * ``colleague``: another first name with a rare contact's surname, at that contact's company.
    """
    rng = random.Random(seed)
    people: list[Contact] = []

    def company() -> str:
        return f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)}"

    def add(name: str, at: str) -> Contact:
        i = len(people) + 1
        c = Contact(
            name=name,
            company=f"{at} {rng.choice(FORMS)}",
            title=rng.choice(TITLES),
            source="linkedin",
            urls=[f"https://www.linkedin.com/in/p-{i}"],
            id=f"c{i}",
        )
        people.append(c)
        return c

    common: dict[str, list[Contact]] = {}
    for name in COMMON:
        for at in rng.sample(sorted(set(COMPANY_WORDS)), per_name):
            common.setdefault(name, []).append(add(name, f"{at} {rng.choice(COMPANY_WORDS)}"))
    firsts = [f"{a}{t}" for a in RARE_STARTS for t in RARE_TAILS]
    lasts = rng.sample([f"{a}{e}" for a in RARE_PARTS for e in RARE_ENDS], rare)
    rares = [add(f"{rng.choice(firsts)} {last}", company()) for last in lasts]
    labelled: list[Labelled] = []

    def ask(name: str, at: str, truth: str | None, variant: str) -> None:
        n = len(labelled) + 1
        source = rng.choice(("x", "facebook", "email"))
        req = Request(name=name, company=at, source=source, urls=[f"https://www.{source}.com/q-{n}"], id=f"r{n}")
        labelled.append(Labelled(req, truth, "likely" if truth else None, variant))

    for name, group in common.items():
        theirs = {c.company.rsplit(" ", 1)[0] for c in group}
        for _ in range(6):
            at = company()
            if at not in theirs:
                ask(name, rng.choice((at, at, "")), None, "namesake")
        for c in rng.sample(group, 2):
            ask(name, c.company.rsplit(" ", 1)[0], c.id, "common, same company")
    for c in rng.sample(rares, 300):
        variant = rng.choice(("rare, no company", "rare, new company", "rare, typo", "colleague"))
        first, last = c.name.split(" ", 1)
        if variant == "rare, no company":
            ask(c.name, "", c.id, variant)
        elif variant == "rare, new company":
            ask(c.name, company(), c.id, variant)
        elif variant == "rare, typo":
            ask(f"{first} {_typo(rng, last, 'world')}", "", c.id, variant)
        else:
            other = rng.choice([f for f in firsts if f[:3] != first[:3]])
            ask(f"{other} {last}", c.company.rsplit(" ", 1)[0], None, variant)
    return EvalSet("common names", people, labelled)

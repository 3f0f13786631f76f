"""Synthetic stores of realistic size and shape, for benchmarks and stress tests. Deterministic.

Names follow real frequencies: a few very common surnames and first names (Smith is about 0.8 %
of a network, as in an English-speaking one), then a long tail of rare ones (a 100k network holds
tens of thousands of distinct surnames, from many languages). Companies, titles and cities are
skewed the same way. Some pending requests come from people already in the network (a second
account, a re-request), as real queues do.

:data:`SIZES` names the three sizes every benchmark runs at; :func:`world` builds each once per
version of the store code and hands out copies.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import os
import random
import shutil
import sys
import tempfile
import time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from tui.models import Contact, Request

if TYPE_CHECKING:
    from tui.store import Store

#: (contacts, pending requests) by size name: the three sizes of every benchmark.
SIZES = {"1k": (1_000, 200), "30k": (30_000, 5_000), "100k": (100_000, 20_000)}

FIRST = (
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph "
    "Jessica Thomas Sarah Charles Karen Priya Rahul Wei Mei Kenji Yuki Amara Olusegun Sofia Lucas José María "
    "Ahmed Fatima Ingrid Johan Lena Stefan Chloé Zanele Grace Samuel Ana Tomás Hannah Aisha Nikolai Olga"
).split()
LAST = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson "
    "Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis "
    "Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall "
    "Rivera Campbell Mitchell Carter Roberts Chen Wang Patel Kim Nakamura Okafor Schmidt Müller Rossi Dubois "
    "Larsen Andersson Petrov Mensah Dlamini Costa Oliveira Álvarez Novak Singh Kumar Li Zhang Liu Yang Huang "
    "Zhao Wu Zhou Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Kobayashi Park Choi Jung Kang Cho Yoon "
    "Silva Santos Pereira Ferreira Alves Rodrigues Gomes Martins Fernandes Ivanov Smirnov Kuznetsov Popov "
    "Wagner Becker Hoffmann Schulz Koch Richter Klein Wolf Bianchi Romano Colombo Ricci Marino Greco Bruno "
    "Moreau Laurent Simon Michel Lefebvre Leroy Roux Bernard Hansen Johansen Nielsen Jensen Pedersen "
    "Kowalski Nowak Wiśniewski Horvat Kovač Yilmaz Kaya Demir Şahin Ali Khan Ahmed Hussain Shah Sharma "
    "Gupta Reddy Iyer Nair Mehta Joshi Das Bose Okoye Adeyemi Ogunleye Mwangi Otieno Kamau Moyo Nkosi "
    "Murphy Kelly Walsh Byrne Ryan O'Brien O'Connor Evans Hughes Edwards Collins Stewart Morris Rogers "
    "Reed Cook Morgan Bell Cooper Richardson Cox Howard Ward Peterson Gray James Watson Brooks Bennett "
    "Wood Barnes Ross Henderson Coleman Jenkins Perry Powell Long Patterson Fisher Ellis Graham Murray"
).split()
GIVEN = (
    "Aaron Abigail Adam Alice Amelia Andrew Anna Arthur Beatrice Benjamin Caroline Catherine Charlotte "
    "Christine Claire Daniel Diana Edward Eleanor Emma Ethan Felix Fiona Frances George Harry Helen Henry "
    "Isabel Jack Jacob Jane Julia Kate Laura Leo Lily Lucy Mark Martha Matthew Nathan Nora Oliver Oscar "
    "Paul Peter Rachel Rose Ruth Simon Sophie Stephen Theo Victoria Vincent Zoe Alexander Anthony Kevin "
    "Brian Jason Ryan Eric Gary Nicholas Jonathan Scott Justin Brandon Emily Megan Nicole Amanda Stephanie "
    "Rebecca Michelle Laura Heather Amy Anjali Arjun Deepa Vikram Sanjay Neha Pooja Ravi Sunita Xin Lei Jun "
    "Hui Ming Yan Hiroshi Takeshi Akiko Haruto Sakura Min-jun Ji-woo Seo-yeon Chidi Ngozi Emeka Kemi Tunde "
    "Wanjiru Kofi Abena Thabo Lindiwe Mateo Santiago Valentina Camila Diego Lucía Javier Carmen Pablo "
    "Giulia Marco Luca Francesca Pierre Camille Julien Manon Lars Astrid Erik Sigrid Piotr Agnieszka "
    "Dmitri Natalia Ivan Tatiana Mehmet Elif Omar Layla Yusuf Mariam Hassan Noor"
).split()

COMPANIES = (
    "Acme Ltd",
    "Globex Inc",
    "Initech LLC",
    "Umbrella plc",
    "Stark Industries",
    "Wayne Enterprises",
    "Northbank Capital",
    "Lotus Software",
    "Sora Robotics",
    "Fjord Analytics AS",
    "Verde Agro",
    "Harbour Design Studio",
    "Nordic Timber AB",
    "The Reid Partnership",
    "Schmidt Architektur GmbH",
)
TITLES = (
    "CEO",
    "CTO",
    "Head of Sales",
    "Product Manager",
    "Senior Engineer",
    "Partner",
    "Director",
    "Account Executive",
    "Founder",
    "Consultant",
    "VP Marketing",
    "Data Scientist",
    "Software Engineer",
    "Recruiter",
    "Talent Partner",
    "Designer",
    "Student",
    "Analyst",
    "Operations Manager",
    "Researcher",
)
CITIES = (
    "London, UK",
    "Berlin, Germany",
    "New York, NY",
    "Singapore",
    "Lagos, Nigeria",
    "Oslo, Norway",
    "Madrid, Spain",
    "Bengaluru, India",
    "Toronto, Canada",
    "Sydney, Australia",
    "San Francisco, CA",
    "Paris, France",
    "Tokyo, Japan",
    "São Paulo, Brazil",
    "Nairobi, Kenya",
    "Warsaw, Poland",
)
MESSAGES = (
    "",
    "",
    "",
    "Hello, I'd like to connect after the conference.",
    "Hi! We met at the meetup last week.",
    "I came across your profile and would love to connect.",
    "Great talk yesterday, would be glad to stay in touch.",
    "Hi, I'm building a team in your area and think you would be a great fit. Are you open to a quick call about an exciting opportunity?",
    "Following up on our chat about the migration project; happy to share the notes.",
)

# The long tail: names composed the way several languages compose them.
_TAILS = (
    (
        (
            "Ash Black Brook Cald Dun Fair Green Hart Holt Kings Lang Mar North Oak Pem Red Rock Stan Thorn Wal West Whit "
            "Wood Ather Bram Crom Elm Fen Gil Hal Brad Chad Dal Eas Fox Har Lin Mel Pen Sher Ston Wes Win"
        ).split(),
        "ford well ton wood er man ley field by ridge worth stead more ham wick hurst combe den shaw low".split(),
    ),
    (
        ("Kov Petr Ivan Sid Mor Vol Bel Zhuk Kras Sok Pav Gor Lev Orl Bog Dan Fed Kuz Med Nik Rom Sem Tar Vas Zak").split(),
        "ov ova enko ski ska in ina ich evich uk yuk chuk ovic ak".split(),
    ),
    (
        ("Ber Lind Sand Holm Berg Dahl Lund Nord Sjö Ek Gran Hag Ny Ös Strand Fors Wall Ström Öst Söder").split(),
        "berg qvist gren sen son ström lund dahl man ander holm bäck".split(),
    ),
    (
        ("Ross Bian Bell Mar Fer Gal Lomb Con Fon Sant Ruiz Mor Mont Vill Cab Cas Del Esp Gut Ibar Nav Ort Pal Quint").split(),
        "ini etti elli one ano ez es ado ero illo ucci otti ana ara".split(),
    ),
    (
        ("Yama Naka Ta Ka Mori Hashi Ishi Fuji Ko Ma Sa Hi Mi Kita Ao Shima Iwa Kawa Matsu Take Uchi Haya").split(),
        "moto mura da ta gawa no shita zaki yama uchi hara saki kawa".split(),
    ),
    (
        ("Ade Olu Oke Chuk Nwa Ogun Obi Ayo Bab Ife Kay Ola Tay Eze Ibe Onu").split(),
        "yemi wale kunle sanya ola bunmi chukwu emeka ike nna for ji".split(),
    ),
    (
        ("Agar Bhat Chand Des Gan Jain Kap Mal Nag Pand Raj Sax Shri Tiw Var Mukh Chat Ban Gosw Kulk").split(),
        "wal kar ani ia adhyay ekar urkar mukh raj esh".split(),
    ),
)


def _tail_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    combos = [f"{a}{b}" for parts, ends in _TAILS for a in parts for b in ends]
    rng.shuffle(combos)
    names = [n for n in dict.fromkeys(combos) if n not in taken]
    # Past the composed names: names of syllables ("Tavorin", "Beliskov"), and a few double ones.
    seen = set(names)
    onsets, vowels = "B D F G H K L M N P R S T V W Z Br Gr Kr St Tr Ch Sh".split(), "a e i o u a e o ai ou".split()
    while len(names) < count:
        if rng.random() < 0.05:
            name = f"{rng.choice(combos)}-{rng.choice(combos)}"
        else:
            ends = rng.choice(_TAILS)[1]
            name = rng.choice(onsets) + rng.choice(vowels) + rng.choice("lmnrstvk") + rng.choice(vowels) + rng.choice(ends)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names[:count]


def _given_tail(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """Rare first names, made of syllables ("Kalina", "Toren", "Amaru")."""
    onsets, vowels, codas = (
        "B D F G H J K L M N P R S T V Y Z Ch Sh Th".split(),
        "a e i o u ai ei ia io".split(),
        "n l r s th m ya na ra".split(),
    )
    names: list[str] = []
    seen = set(taken)
    while len(names) < count:
        name = rng.choice(onsets) + rng.choice(vowels) + rng.choice("klmnrstvd") + rng.choice(vowels) + rng.choice(codas + [""] * 4)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _zipf(count: int, shift: float) -> list[float]:
    """Cumulative weights of a Zipf law (rank r weighs 1 / (r + shift))."""
    return list(itertools.accumulate(1.0 / (rank + shift) for rank in range(1, count + 1)))


@cache
def _population(seed: int) -> tuple[tuple[str, ...], list[float], tuple[str, ...], list[float], tuple[str, ...], list[float]]:
    rng = random.Random(seed * 7919)
    surnames = tuple(dict.fromkeys(LAST)) + tuple(_tail_names(rng, 60_000, set(LAST)))
    given = tuple(dict.fromkeys(FIRST + GIVEN))
    given += tuple(_given_tail(rng, 3_000, set(given)))
    companies = COMPANIES + tuple(
        f"{rng.choice(surnames[:3000])} {rng.choice(('Ltd', 'Inc', 'GmbH', 'Labs', 'Group', 'Partners', 'AS', 'Studio', 'Consulting'))}"
        for _ in range(6_000)
    )
    return surnames, _zipf(len(surnames), 15.0), given, _zipf(len(given), 8.0), companies, _zipf(len(companies), 2.0)


def _pick(rng: random.Random, names: tuple[str, ...], cumulative: list[float]) -> str:
    return names[min(len(names) - 1, bisect.bisect(cumulative, rng.random() * cumulative[-1]))]


def person(rng: random.Random, i: int, seed: int = 1) -> dict[str, object]:
    """Person ``i`` of a world: a name drawn from realistic frequencies, unique profile URL and e-mail."""
    surnames, s_weights, given, g_weights, companies, c_weights = _population(seed)
    first, last = _pick(rng, given, g_weights), _pick(rng, surnames, s_weights)
    slug = f"{first}-{last}-{i}".lower().replace(" ", "-").replace("'", "")
    return {
        "name": f"{first} {last}",
        "first_name": first,
        "last_name": last,
        "company": _pick(rng, companies, c_weights) if rng.random() < 0.9 else "",
        "title": rng.choice(TITLES),
        "location": rng.choice(CITIES),
        "emails": [f"{slug}@example.com"] if rng.random() < 0.7 else [],
        "urls": [f"https://www.linkedin.com/in/{slug}"],
        "source": "linkedin",
        "source_id": f"https://www.linkedin.com/in/{slug}",
    }


def people(contacts: int, pending: int, seed: int = 1) -> tuple[list[Contact], list[Request], list[Request]]:
    """The contacts, the pending requests and the requests decided before (a quarter as many as
    pending: a store with a history) of a world. One pending request in 25 comes from someone
    already a contact (the same name, another account), one in 40 from someone decided before (a
    re-request); the rest from strangers."""
    rng = random.Random(seed)
    network = [
        Contact(**person(rng, i, seed), connected_on=f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}")  # type: ignore[arg-type]
        for i in range(contacts)
    ]
    past = [
        Request(
            **person(rng, contacts + pending + i, seed),
            message=rng.choice(MESSAGES),
            sent_at=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00Z",
        )  # type: ignore[arg-type]
        for i in range(pending // 4)
    ]
    asks = []
    for i in range(pending):
        fields = person(rng, contacts + i, seed)
        if network and i % 25 == 0:
            known: Contact | Request = network[rng.randrange(len(network))]
            fields |= {"name": known.name, "first_name": known.first_name, "last_name": known.last_name, "company": known.company}
        elif past and i % 40 == 1:
            known = past[rng.randrange(len(past))]
            fields |= {"name": known.name, "first_name": known.first_name, "last_name": known.last_name, "company": known.company}
        asks.append(
            Request(**fields, message=rng.choice(MESSAGES), sent_at=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z")
        )  # type: ignore[arg-type]
    return network, asks, past


#: How the requests decided before were decided: (action, answers to drink, recommend, business).
VERDICTS = (
    ("accept", (True, True, True)),
    ("decline", (True, False, True)),
    ("decline", (False, False, False)),
    ("decline", (True, True, False)),
    ("ask", (True, True, True)),
)


def make_big_store(root: Path, contacts: int = 30_000, pending: int = 5_000, seed: int = 1) -> Store:
    """A store at ``root`` holding a world, imported in one go through the store's own
    ``import_records`` (as a first import would), so the files are exactly what tui writes."""
    from tui.store import Store

    store = Store.open(root)
    network, asks, past = people(contacts, pending, seed)
    store.import_records(network, [*asks, *past])  # the pending first: r1, r2... as before
    ids = {r.source_id: r.id for r in store.requests()}
    rng = random.Random(seed)
    for request in past:  # decided one by one, as triage decides them: each a journal line
        action, answers = rng.choice(VERDICTS)
        store.record_decision(ids[request.source_id], action, dict(zip(("drink", "recommend", "business"), answers, strict=True)))
    return store


def _code_version() -> str:
    """A digest of the installed store and key code: a cached world is rebuilt when it changes."""
    import tui.dedup.keys
    import tui.models
    import tui.store

    digest = hashlib.sha256()
    for folder in (Path(tui.store.__file__).parent, Path(tui.dedup.keys.__file__).parent):
        for path in sorted(folder.glob("*.py")):
            digest.update(path.read_bytes())
    digest.update(Path(tui.models.__file__).read_bytes())
    return digest.hexdigest()[:12]


#: Where built worlds are kept between runs ($TUI_BENCH_WORLDS, else the temp directory): a 100k
#: world takes minutes to build. Named by the store's layout (JSON files), so that worlds of
#: another layout, kept by other checkouts, are neither used nor removed.
CACHE = Path(os.environ.get("TUI_BENCH_WORLDS") or Path(tempfile.gettempdir()) / "tui-bench-worlds-json")


#: The version of how a world is built here (bumped when that changes: a cached world is rebuilt).
BUILD = 3


def world(size: str, into: Path, seed: int = 1) -> Path:
    """A copy of the world of ``size`` (see :data:`SIZES`) at ``into``, as the user's disk holds it
    on a day it was written: its keys built (``keys.idx``, and ``pending.idx`` where the store keeps
    one), its caches current. Each world is built once per day and version of the store code (and
    of :data:`BUILD`), and cached in :data:`CACHE`.

    The copy hard-links the cached files: the store replaces a file by a rename and never writes
    into one (the files it writes in place are copied: the lock file, and the queue's journal, which
    a fresh world does not have), so the cached world stays as built, while the copy keeps the
    inodes that ``keys.idx`` and ``queue.head`` name their sources by. A copy with new inodes
    would be a store whose caches are all stale: every command would first rebuild ``keys.idx``
    (10 s at 100k) or parse ``queue.json`` again, which no user meets twice."""
    cached = CACHE / f"{size}-{seed}-json-{BUILD}-{_code_version()}-{time.strftime('%Y%m%d')}"
    if not cached.exists():
        for stale in CACHE.glob(f"{size}-{seed}-json-*"):  # worlds built by other versions of the code, or days
            shutil.rmtree(stale, ignore_errors=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        building = cached.with_name(cached.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        contacts, pending = SIZES[size]
        store = make_big_store(building, contacts, pending, seed)
        store.contact_keys()  # keys.idx, as any reading command leaves it
        save_pending = getattr(store, "save_pending_keys", None)  # pending.idx (stores that keep one), as the first add or triage leaves it
        if save_pending is not None:
            save_pending()
        building.rename(cached)
    shutil.copytree(cached, into, symlinks=True, copy_function=_link)
    if any(into.glob("*.jnl")):
        # The journal is copied (the store appends to it in place), so its inode is new, and a
        # cache that names it (queue.head) does not match the copy, as it matches the user's own
        # store: make it again, as the first start after a copy would (not timed by anyone).
        from tui.store import Store

        save_head = getattr(Store.open(into), "save_head", None)
        if save_head is not None:
            save_head()
    return into


#: Files the store writes in place (the lock's holder, the journal's appends): never shared.
IN_PLACE = (".lock", ".jnl")


def _link(source: str, target: str) -> None:
    if not source.endswith(IN_PLACE):
        try:
            os.link(source, target)
            return
        except OSError as exc:  # another file system ($TUI_BENCH_WORLDS): a copy, its caches stale
            print(f"warning: {target}: copied, not linked ({exc.strerror}): the store's caches will not match", file=sys.stderr)
    shutil.copy2(source, target)


def connections_csv(rows: int, seed: int = 3) -> bytes:
    """A LinkedIn Connections.csv of ``rows`` people of a world (a third without an e-mail, as
    LinkedIn exports them), with its preamble."""
    import csv
    import io

    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"])
    for i in range(rows):
        p = person(rng, 10_000_000 * seed + i)
        writer.writerow(
            [p["first_name"], p["last_name"], p["urls"][0], p["emails"][0] if p["emails"] else "", p["company"], p["title"], "08 Feb 2026"]
        )  # type: ignore[index]
    preamble = 'Notes:\r\n"When exporting your connection data, you may notice that some of the email addresses are missing."\r\n\r\n'
    return ("\ufeff" + preamble + buffer.getvalue().rstrip("\r\n")).encode("utf-8")


if __name__ == "__main__":
    # Build (or find) the cached worlds ahead of a run: python bench/worlds.py 1k 30k 100k
    import sys

    for name in sys.argv[1:] or list(SIZES):
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as scratch:
            world(name, Path(scratch) / "data")
        print(f"{name}: ready in {time.perf_counter() - started:.0f} s ({CACHE})")

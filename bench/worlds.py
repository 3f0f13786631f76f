"""Synthetic stores of realistic size, for benchmarks and stress tests. Deterministic."""

from __future__ import annotations

import random
from pathlib import Path

from tui.models import Contact, Request
from tui.store import Store

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
    "Larsen Andersson Petrov Mensah Dlamini Costa Oliveira Álvarez Novak"
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
)


# Real networks have thousands of distinct surnames: compose more from common English parts, so
# the synthetic world has a realistic spread (common names still recur; most names are rare).
_PARTS = (
    "Ash Black Brook Cald Dun Fair Green Hart Holt Kings Lang Mar North Oak Pem Red Rock Stan "
    "Thorn Wal West Whit Wood Ather Bram Crom Elm Fen Gil Hal"
).split()
_ENDS = "ford well ton wood er man ley field by ridge worth stead more ham wick".split()
SURNAMES = tuple(LAST) + tuple(f"{a}{b}" for a in _PARTS for b in _ENDS)
GIVEN = tuple(FIRST) + tuple(
    "Aaron Abigail Adam Alice Amelia Andrew Anna Arthur Beatrice Benjamin Caroline Catherine "
    "Charlotte Christine Claire Daniel Diana Edward Eleanor Emma Ethan Felix Fiona Frances "
    "George Grace Harry Helen Henry Isabel Jack Jacob Jane Julia Kate Laura Leo Lily Lucy "
    "Mark Martha Matthew Nathan Nora Oliver Oscar Paul Peter Rachel Rose Ruth Simon Sophie "
    "Stephen Theo Victoria Vincent Zoe".split()
)


def person(rng: random.Random, i: int) -> dict[str, object]:
    first, last = rng.choice(GIVEN), rng.choice(SURNAMES)
    slug = f"{first}-{last}-{i}".lower()
    return {
        "name": f"{first} {last}",
        "first_name": first,
        "last_name": last,
        "company": rng.choice(COMPANIES),
        "title": rng.choice(TITLES),
        "location": rng.choice(CITIES),
        "emails": [f"{slug}@example.com"],
        "urls": [f"https://www.linkedin.com/in/{slug}"],
        "source": "linkedin",
        "source_id": f"https://www.linkedin.com/in/{slug}",
    }


def make_big_store(root: Path, contacts: int = 30_000, pending: int = 5_000, seed: int = 1) -> Store:
    rng = random.Random(seed)
    store = Store.open(root)
    people = [Contact(**person(rng, i), connected_on="2024-02-08") for i in range(contacts)]  # type: ignore[arg-type]
    asks = [
        Request(
            **person(rng, contacts + i),
            message="Hello, I'd like to connect after the conference.",  # type: ignore[arg-type]
            sent_at=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
        )
        for i in range(pending)
    ]
    store.import_records(people, asks)
    return store

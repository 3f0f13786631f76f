"""A request-vs-contact set from pseudopeople: data this project did not build.

pseudopeople (bench-only: ``pip install '.[bench]'``) simulates a population and writes noisy
observations of it: typos, OCR and phonetic errors, nicknames, fake names, blank fields. It works
offline on the sample population it ships (its W-2 and 1099 tax forms: ~7k people, their employers).

* Contacts are one observation (seed ``a``, pseudopeople's default noise): one W-2 or 1099 of each
  of a random share of the people, with its employer as the company.
* Requests are a second, independent observation (seed ``b``, noisier: see ``REQUEST_NOISE``) of
  some of the same people, plus as many people who are not contacts. A request takes a random one
  of the person's forms, so someone with two jobs may come with the other employer. Requests come
  from other networks than the contacts (a LinkedIn contact does not send a LinkedIn request).

Labels come from pseudopeople's ``simulant_id``. A stranger who shares a contact's true surname and
employer is marked ``colleague`` (mostly relatives at a family business); one who shares a contact's
true first and last name is a ``namesake`` when the request gives another employer (the issue's
"two John Smiths at different companies"); with no employer, or the same one, the data cannot tell
them apart, and they are counted apart ("namesake, no company", "namesake, same employer").
"""

from __future__ import annotations

import random
from collections import defaultdict

from bench.eval_sets import EvalSet, Labelled
from tui.models import Contact, Request

NAME_NOISE = {"cell_probability": 0.04}
#: Noisier than pseudopeople's defaults (1% per noise type): names have typos, OCR and phonetic
#: errors and nicknames four times as often, and a third of the requests give no employer.
REQUEST_NOISE = {
    "taxes_w2_and_1099": {
        "column_noise": {
            "first_name": dict.fromkeys(
                ("make_typos", "make_ocr_errors", "make_phonetic_errors", "use_nickname", "leave_blank"), NAME_NOISE
            ),
            "last_name": dict.fromkeys(("make_typos", "make_ocr_errors", "make_phonetic_errors", "leave_blank"), NAME_NOISE),
            "employer_name": {"leave_blank": {"cell_probability": 0.33}},
        }
    }
}


def _text(value: object) -> str:
    return "" if value is None or value != value else str(value).strip()  # NaN != NaN


def _forms(frame: object) -> dict[str, list[dict[str, str]]]:
    by: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in frame.to_dict("records"):  # type: ignore[attr-defined]
        by[row["simulant_id"]].append({k: _text(row.get(k)) for k in ("first_name", "last_name", "employer_name", "employer_id")})
    return by


def generate_pseudo(a: int = 1, b: int = 2, share: float = 0.6, known: int = 1500, strangers: int = 1500) -> EvalSet:
    import pseudopeople as psp

    truth = _forms(psp.generate_taxes_w2_and_1099(seed=a, config=psp.NO_NOISE, verbose=False))
    seen = _forms(psp.generate_taxes_w2_and_1099(seed=a, verbose=False))
    asked = _forms(psp.generate_taxes_w2_and_1099(seed=b, config=REQUEST_NOISE, verbose=False))
    rng = random.Random(a * 1000 + b)
    people = sorted(truth)
    in_network = set(rng.sample(people, round(share * len(people))))
    contacts: list[Contact] = []
    contact_of: dict[str, str] = {}
    true_name: dict[tuple[str, str], set[str]] = defaultdict(set)  # -> employer ids
    at_employer: dict[tuple[str, str], set[str]] = defaultdict(set)
    for person in people:
        if person not in in_network or person not in seen:
            continue
        form = rng.choice(seen[person])
        name = " ".join(filter(None, (form["first_name"], form["last_name"])))
        if not name:
            continue
        cid = f"c{len(contacts) + 1}"
        contacts.append(
            Contact(
                name=name,
                first_name=form["first_name"],
                last_name=form["last_name"],
                company=form["employer_name"],
                source="linkedin",
                urls=[f"https://www.linkedin.com/in/p-{len(contacts)}"],
                id=cid,
            )
        )
        contact_of[person] = cid
        first, last = truth[person][0]["first_name"].lower(), truth[person][0]["last_name"].lower()
        true_name[(first, last)].add(form["employer_id"])
        at_employer[(last, form["employer_id"])].add(person)
    requests: list[Labelled] = []
    chosen = rng.sample(sorted(p for p in contact_of if p in asked), known) + rng.sample(
        sorted(p for p in people if p not in in_network and p in asked), strangers
    )
    for person in chosen:
        form = rng.choice(asked[person])
        name = " ".join(filter(None, (form["first_name"], form["last_name"])))
        if not name:
            continue
        source = rng.choice(("x", "facebook", "email"))
        n = len(requests) + 1
        req = Request(
            name=name,
            first_name=form["first_name"],
            last_name=form["last_name"],
            company=form["employer_name"],
            source=source,
            urls=[f"https://www.{source}.com/q-{n}"],
            id=f"r{n}",
        )
        if person in contact_of:
            requests.append(Labelled(req, contact_of[person], "likely", "same person"))
            continue
        first, last = truth[person][0]["first_name"].lower(), truth[person][0]["last_name"].lower()
        variant = "stranger"
        if true_name.get((first, last)):  # at another employer (one at the same, or with none given, is not told apart by the data)
            variant = (
                "namesake, no company"
                if not form["employer_name"]
                else "namesake"
                if form["employer_id"] not in true_name[(first, last)]
                else "namesake, same employer"
            )
        elif at_employer.get((last, form["employer_id"])) and form["employer_name"]:
            variant = "colleague"
        requests.append(Labelled(req, None, None, variant))
    return EvalSet(f"pseudopeople {a}/{b}", contacts, requests)

"""Reference matchers, run beside ours on the same sets by bench/dedup_quality.py.

Each takes an :class:`~bench.eval_sets.EvalSet` and returns, for every request id, its candidate
contacts as ``(contact id, score)``, best first. The scores are each method's own (0-100 for the
ratio, a match probability for Splink); the quality bench picks each method's best threshold.

* ``token_sort``: rapidfuzz ``token_sort_ratio`` over ``"name | company"``, every request against
  every contact with ``process.cdist``; the naive baseline.
* ``splink``: a Fellegi-Sunter model (Splink, DuckDB backend; bench-only). First and last name are
  compared separately, each with exact (term-frequency adjusted), swapped-field and Jaro-Winkler
  levels; the company too. Trained without labels: u by random sampling, m by expectation
  maximisation on two blocking passes.
"""

from __future__ import annotations

import re
from typing import Any

from bench.eval_sets import EvalSet

Ranked = dict[str, list[tuple[str, float]]]
_WORDS = re.compile(r"[^\w\s]")


def token_sort(data: EvalSet, keep: int = 5) -> Ranked:
    import numpy as np
    from rapidfuzz import fuzz, process, utils

    def text(p: Any) -> str:
        return f"{p.name} | {p.company}" if p.company else p.name

    contacts = [text(c) for c in data.contacts]
    requests = [text(item.request) for item in data.requests]
    matrix = process.cdist(requests, contacts, scorer=fuzz.token_sort_ratio, processor=utils.default_process, dtype=np.uint8, workers=-1)
    ranked: Ranked = {}
    for i, item in enumerate(data.requests):
        row = matrix[i]
        best = np.argsort(-row.astype(np.int16), kind="stable")[:keep]
        ranked[item.request.id] = [(data.contacts[j].id, float(row[j])) for j in best if row[j] > 0]
    return ranked


def _split(person: Any) -> tuple[str | None, str | None]:
    """First and last name as a plain linker sees them: the fields where the record has them,
    else the first and the last word of the name."""
    if person.first_name or person.last_name:
        first, last = person.first_name, person.last_name
    else:
        words = _WORDS.sub(" ", person.name).split()
        first, last = (words[0], words[-1]) if len(words) > 1 else ("", words[0] if words else "")
    return (first.lower().strip() or None), (last.lower().strip() or None)


def _frame(people: list[Any]) -> Any:
    import pandas as pd

    rows = []
    for p in people:
        first, last = _split(p)
        rows.append({"unique_id": p.id, "first_name": first, "surname": last, "company": p.company.lower().strip() or None})
    return pd.DataFrame(rows)


def _name_comparison(col: str, other: str) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name=col,
        comparison_levels=[
            cll.NullLevel(col),
            cll.ExactMatchLevel(col, term_frequency_adjustments=True),
            cll.CustomLevel(f"{col}_l = {other}_r OR {other}_l = {col}_r", label_for_charts="swapped with the other name"),
            cll.JaroWinklerLevel(col, 0.92),
            cll.JaroWinklerLevel(col, 0.8),
            cll.ElseLevel(),
        ],
    )


def splink(data: EvalSet, keep: int = 5) -> Ranked:
    import logging

    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    logging.getLogger("splink").setLevel(logging.ERROR)
    left, right = _frame(data.contacts), _frame([item.request for item in data.requests])
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            _name_comparison("first_name", "surname"),
            _name_comparison("surname", "first_name"),
            cl.JaroWinklerAtThresholds("company", [0.92, 0.8]).configure(term_frequency_adjustments=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name"),
            block_on("surname"),
            block_on("substr(first_name, 1, 2)", "substr(surname, 1, 2)"),
            "l.first_name = r.surname",
            "l.surname = r.first_name",
            block_on("company"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db = DuckDBAPI()
    linker = Linker(
        [db.register(left, dataset_display_name="contacts"), db.register(right, dataset_display_name="requests")],
        settings,
        log_level=logging.ERROR,
    )
    linker.training.estimate_probability_two_random_records_match([block_on("first_name", "surname")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name"))
    pairs = linker.inference.predict(threshold_match_probability=1e-4).as_pandas_dataframe()
    ranked: Ranked = {}
    contact_ids = set(left["unique_id"])
    for row in pairs.itertuples(index=False):
        contact, request = (row.unique_id_l, row.unique_id_r) if row.unique_id_l in contact_ids else (row.unique_id_r, row.unique_id_l)
        ranked.setdefault(request, []).append((contact, float(row.match_probability)))
    return {rid: sorted(found, key=lambda c: -c[1])[:keep] for rid, found in ranked.items()}


METHODS = {"token_sort_ratio": token_sort, "splink": splink}

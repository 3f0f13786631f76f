"""Quality of duplicate detection on labelled sets, ours beside reference methods.

Sets: ``anglo`` and ``world`` (our generators, bench/eval_sets.py), ``common names`` (namesakes and
rare names, also ours) and ``pseudopeople`` (a generator that is not ours: bench/pseudo_sets.py).
References (bench/references.py): a naive ``token_sort_ratio`` and Splink, where installed.

For each set and method:

* top-1: of the requests that are a contact, the share whose best suggestion (of any kind) is
  that contact;
* likely precision and recall: ours as it calls "likely" (every likely pair counts for
  precision); a reference calls its best candidate likely above a threshold, the one that gives it
  the most recall at no less than our precision (the best it could do, chosen with the labels);
* colleagues and namesakes called likely: strangers who share a contact's surname and company,
  or a contact's whole name;
* clones flagged: look-alike copies of a contact's name, flagged impersonation.

Targets, on every set: top-1 ahead of both references (or all at 1.000); likely precision >= 0.99 with recall ahead
of the references at that precision; clones 100%; colleagues <= 1%; namesakes never likely.

Run in a venv with the bench extra (``pip install '.[bench]'``) for pseudopeople and Splink;
without it, those are skipped with a note.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.eval_sets import EvalSet, generate, generate_common
from tui.dedup.keys import KeyIndex, build
from tui.dedup.match import Matcher

Suggestions = dict[str, list[tuple[str, str, float]]]
"""request id -> (contact id, kind, score), best first."""


def ours(data: EvalSet) -> Suggestions:
    matcher = Matcher(build(data.contacts), KeyIndex())
    found: Suggestions = {}
    for item in data.requests:
        found[item.request.id] = [(m.other_id, m.kind, m.score) for m, _ in matcher.for_request(item.request) if m.other_id.startswith("c")]
    return found


def measure(data: EvalSet, found: Suggestions) -> dict[str, float]:
    """Our figures: every likely pair counts."""
    truth = {item.request.id: item for item in data.requests}
    positives = [i for i in data.requests if i.truth and i.expected == "likely"]
    top1 = sum(1 for i in positives if found[i.request.id][:1] and found[i.request.id][0][0] == i.truth)
    likely = [(rid, cid) for rid, ms in found.items() for cid, kind, _ in ms if kind == "likely"]
    right = sum(1 for rid, cid in likely if truth[rid].truth == cid and truth[rid].expected == "likely")
    recalled = {rid for rid, cid in likely if truth[rid].truth == cid}
    clones = [i for i in data.requests if i.expected == "impersonation"]
    caught = sum(1 for i in clones if any(c == i.truth and k == "impersonation" for c, k, _ in found[i.request.id]))
    return {
        "top1": top1 / len(positives) if positives else 1.0,
        "precision": right / len(likely) if likely else 1.0,
        "recall": sum(1 for i in positives if i.request.id in recalled) / len(positives) if positives else 1.0,
        "clones": caught / len(clones) if clones else float("nan"),
        **{
            v: _rate(data, v, lambda rid: any(k == "likely" for _, k, _ in found[rid]))
            for v in ("colleague", "namesake", "namesake, no company")
        },
    }


def _rate(data: EvalSet, variant: str, likely: object) -> float:
    group = [i for i in data.requests if i.variant == variant]
    return sum(1 for i in group if likely(i.request.id)) / len(group) if group else float("nan")  # type: ignore[operator]


def measure_reference(data: EvalSet, ranked: dict[str, list[tuple[str, float]]], precision: float) -> dict[str, float]:
    """A reference's figures: its best candidate is "likely" above the threshold that gives the
    most recall at ``precision`` or better."""
    positives = [i for i in data.requests if i.truth and i.expected == "likely"]
    best = {i.request.id: (ranked.get(i.request.id) or [("", -1.0)])[0] for i in data.requests}
    top1 = sum(1 for i in positives if best[i.request.id][0] == i.truth)
    truth = {i.request.id: i.truth for i in data.requests}
    scored = sorted(((score, truth[rid] == cid and cid != "") for rid, (cid, score) in best.items() if cid), key=lambda s: -s[0])
    threshold, hits, calls, recall = float("inf"), 0, 0, 0.0
    for n, (score, right) in enumerate(scored):
        hits, calls = hits + right, calls + 1
        last = n + 1 == len(scored) or scored[n + 1][0] != score
        if last and hits / calls >= precision and hits / len(positives) > recall:
            threshold, recall = score, hits / len(positives)
    return {
        "top1": top1 / len(positives) if positives else 1.0,
        "recall": recall,
        "threshold": threshold,
        **{v: _rate(data, v, lambda rid: best[rid][0] != "" and best[rid][1] >= threshold) for v in ("colleague", "namesake")},
    }


def sets() -> list[tuple[str, object]]:
    found = [("anglo", lambda: generate("anglo")), ("world", lambda: generate("world")), ("common names", generate_common)]
    if importlib.util.find_spec("pseudopeople") is not None:
        from bench.pseudo_sets import generate_pseudo

        found.append(("pseudopeople", generate_pseudo))
    else:
        print("pseudopeople is not installed (pip install '.[bench]'): its set is skipped")
    return found


def _pct(value: float) -> str:
    return "  -  " if value != value else f"{value:6.1%}"


def main() -> int:
    from bench.references import METHODS

    methods = dict(METHODS)
    if importlib.util.find_spec("splink") is None:
        print("splink is not installed (pip install '.[bench]'): that reference is skipped")
        methods.pop("splink")
    ok = True
    for name, make in sets():
        data: EvalSet = make()  # type: ignore[operator]
        counts = Counter(i.variant for i in data.requests)
        print(
            f"\n== {name}: {len(data.contacts)} contacts, {len(data.requests)} requests ({', '.join(f'{n} {v}' for v, n in sorted(counts.items()))})"
        )
        start = time.perf_counter()
        mine = measure(data, ours(data))
        took = time.perf_counter() - start
        print(
            f"{'method':<18} {'top-1':>6} {'likely prec.':>12} {'likely recall':>13} {'colleagues':>10} {'namesakes':>9} {'clones':>7}  time"
        )
        print(
            f"{'tui':<18} {mine['top1']:6.3f} {mine['precision']:12.3f} {mine['recall']:13.3f} {_pct(mine['colleague']):>10} {_pct(mine['namesake']):>9} {_pct(mine['clones']):>7}  {took:.1f} s"
        )
        refs = {}
        for ref, method in methods.items():
            start = time.perf_counter()
            refs[ref] = r = measure_reference(data, method(data), mine["precision"])
            took = time.perf_counter() - start
            at = "" if r["threshold"] == float("inf") else f" (>= {r['threshold']:.3g})"
            print(
                f"{ref:<18} {r['top1']:6.3f} {'at ' + format(mine['precision'], '.3f'):>12} {r['recall']:13.3f} {_pct(r['colleague']):>10} {_pct(r['namesake']):>9} {'':>7}  {took:.1f} s{at}"
            )
        checks = {
            "top-1 ahead": all(mine["top1"] > r["top1"] or mine["top1"] == r["top1"] == 1.0 for r in refs.values()),
            "likely precision >= 0.99": mine["precision"] >= 0.99,
            "likely recall ahead": all(mine["recall"] > r["recall"] for r in refs.values()),
            "clones 100%": mine["clones"] != mine["clones"] or mine["clones"] == 1.0,
            "colleagues <= 1%": mine["colleague"] != mine["colleague"] or mine["colleague"] <= 0.01,
            "namesakes never likely": mine["namesake"] != mine["namesake"] or mine["namesake"] == 0.0,
        }
        print("targets: " + "; ".join(f"{k} {'PASS' if v else 'FAIL'}" for k, v in checks.items()))
        if mine["namesake, no company"] == mine["namesake, no company"]:
            print(
                f"(namesakes who give no company, which the data cannot tell apart from the contact: {mine['namesake, no company']:.1%} likely)"
            )
        ok &= all(checks.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

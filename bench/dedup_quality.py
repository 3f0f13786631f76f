"""Precision and recall of duplicate detection on two generated, labelled sets.

Targets: ``likely`` precision at least 0.99 at recall at least 0.90; clones flagged
``impersonation`` 100% of the time. Also printed: top-1 recall of ``possible`` or better.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import report  # noqa: E402
from bench.eval_sets import EvalSet, generate  # noqa: E402
from tui.dedup.keys import KeyIndex, build  # noqa: E402
from tui.dedup.match import Matcher  # noqa: E402


def evaluate(data: EvalSet) -> dict[str, float]:
    matcher = Matcher(build(data.contacts), KeyIndex())
    likely_hits = likely_predicted = positives = top1 = clones = clones_caught = 0
    for item in data.requests:
        matches = [m for m, _ in matcher.for_request(item.request) if m.other_id.startswith("c")]
        predicted_likely = [m for m in matches if m.kind == "likely"]
        likely_predicted += len(predicted_likely)
        likely_hits += sum(1 for m in predicted_likely if m.other_id == item.truth)
        if item.expected == "likely":
            positives += 1
            top1 += bool(matches) and matches[0].other_id == item.truth
        if item.expected == "impersonation":
            clones += 1
            clones_caught += any(m.other_id == item.truth and m.kind == "impersonation" for m in matches)
    found = sum(1 for item in data.requests if item.expected == "likely" and any(
        m.other_id == item.truth and m.kind == "likely" for m, _ in matcher.for_request(item.request)))
    return {
        "precision": likely_hits / likely_predicted if likely_predicted else 1.0,
        "recall": found / positives if positives else 1.0,
        "top1": top1 / positives if positives else 1.0,
        "clones": clones_caught / clones if clones else 1.0,
        "pairs": likely_predicted,
        "requests": len(data.requests),
    }


def main() -> int:
    ok = True
    for kind in ("anglo", "world"):
        data = generate(kind)
        r = evaluate(data)
        ok &= report(f"likely, {kind} set ({r['requests']} requests)", f"precision {r['precision']:.3f}, recall {r['recall']:.3f}",
                     ">= 0.99 / 0.90", r["precision"] >= 0.99 and r["recall"] >= 0.90)
        ok &= report(f"clones flagged impersonation, {kind} set", f"{r['clones']:.1%}", "100%", r["clones"] == 1.0)
        report(f"top-1 recall, possible or better, {kind}", f"{r['top1']:.3f}", "(reported)", True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

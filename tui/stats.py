"""Counts for ``tui stats`` and the stats screen. Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from tui.models import Request, Status
from tui.rules import Rule


def summarize(requests: Sequence[Request], rules: Sequence[Rule]) -> dict[str, Any]:
    by_status = Counter(r.status for r in requests)
    by_source: dict[str, Counter[str]] = {}
    for r in requests:
        by_source.setdefault(r.source or "unknown", Counter())[r.status] += 1
    decided = [r for r in requests if r.status in (Status.ACCEPTED, Status.DECLINED)]
    accepted = sum(1 for r in decided if r.status == Status.ACCEPTED)
    rule_ids = [rule.id for rule in rules]
    noes = Counter(dict.fromkeys(rule_ids, 0))
    for r in requests:
        if r.status == Status.PENDING:
            continue
        for rule_id, answer in r.answers.items():
            if answer is False:
                noes[rule_id] += 1
    return {
        "total": len(requests),
        "by_status": {s.value: by_status.get(s.value, 0) for s in Status} | {"wider": sum(1 for r in decided if r.verdict == "wider")},
        "by_source": {src: dict(sorted(c.items())) for src, c in sorted(by_source.items())},
        "decided": len(decided),
        "acceptance_rate": round(accepted / len(decided), 3) if decided else None,
        "rule_noes": dict(sorted(noes.items(), key=lambda kv: (-kv[1], rule_ids.index(kv[0]) if kv[0] in rule_ids else 99))),
    }

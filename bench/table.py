"""The README's Performance table, from the figures the scripts saved in bench/results/.

Usage: python bench/table.py [SCRIPT ...]   (default: every script that saved results)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ORDER = ("decide", "add", "commands", "query", "dedup", "triage", "import", "memory", "backups")


def fmt(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def rows(script: str) -> list[str]:
    doc = json.loads((RESULTS / f"{script}.json").read_text())
    out = []
    for f in doc["figures"]:
        measured = f"{fmt(f['measured'])} {f['unit']}" + (f" (p95 {fmt(f['p95'])})" if f.get("p95") is not None else "")
        if f["floor"] is not None:
            floor, ratio, target = f"{f['floor_name']} {fmt(f['floor'])} {f['unit']}", f"{f['ratio']:.2f}x", f"≤ {f['target']:g}x"
        else:
            floor, ratio, target = f["floor_name"], "", f"≤ {f['target']:g} {f['unit']}"
        out.append(
            f"| {f['figure']} | {f['size']} | {measured} | {floor} | {ratio} | {target} | {'PASS' if f['ok'] else '**FAIL**'} | {f['runs']} |"
        )
    return out


def main(scripts: list[str]) -> None:
    found = [p.stem for p in RESULTS.glob("*.json")]
    chosen = scripts or sorted(found, key=lambda s: (ORDER.index(s) if s in ORDER else len(ORDER), s))
    print("| figure | size | measured | floor / baseline (same run) | ratio | target | | runs |")
    print("|---|---|---|---|---|---|---|---|")
    for script in chosen:
        print("\n".join(rows(script)))


if __name__ == "__main__":
    main(sys.argv[1:])

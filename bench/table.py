"""The README's Performance table, from the figures the scripts saved in bench/results/.

Usage: python bench/table.py [--results DIR] [SCRIPT ...]
(default: $TUI_BENCH_RESULTS or bench/results/, every script that saved results there, in the
order of :data:`ORDER`; bench/compare.py's results are a comparison between versions, not part of it)
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

ORDER = ("decide", "add", "commands", "query", "dedup", "triage", "import", "memory", "backups")
SIZES = ("1k", "30k", "100k")


def fmt(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def row(f: dict[str, Any]) -> str:
    measured = f"{fmt(f['measured'])} {f['unit']}" + (f" (p95 {fmt(f['p95'])})" if f.get("p95") is not None else "")
    if f["floor"] is not None:
        floor, ratio, target = f"{f['floor_name']} {fmt(f['floor'])} {f['unit']}", f"{f['ratio']:.2f}x", f"≤ {f['target']:g}x"
    else:
        floor, ratio, target = f["floor_name"], "", f"≤ {f['target']:g} {f['unit']}"
    load = f"{f['load']:.1f}" if f.get("load") is not None else ""
    verdict = "PASS" if f["ok"] else "**FAIL**"
    return f"| {f['figure']} | {f['size']} | {measured} | {floor} | {ratio} | {target} | {verdict} | {f['runs']} | {load} |"


def rows(results: Path, script: str) -> list[str]:
    figures = json.loads((results / f"{script}.json").read_text())["figures"]
    names = list(dict.fromkeys(f["figure"] for f in figures))  # in the order first measured

    def order(f: dict[str, Any]) -> tuple[int, int]:
        return names.index(f["figure"]), SIZES.index(f["size"]) if f["size"] in SIZES else len(SIZES)

    return [row(f) for f in sorted(figures, key=order)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--results", type=Path, default=Path(os.environ.get("TUI_BENCH_RESULTS") or Path(__file__).resolve().parent / "results")
    )
    parser.add_argument("scripts", nargs="*")
    args = parser.parse_args()
    found = [p.stem for p in args.results.glob("*.json") if p.stem != "compare"]
    chosen = args.scripts or sorted(found, key=lambda s: (ORDER.index(s) if s in ORDER else len(ORDER), s))
    print("| figure | size | measured | floor / baseline (same run) | ratio | target | | runs | load |")
    print("|---|---|---|---|---|---|---|---|---|")
    for script in chosen:
        print("\n".join(rows(args.results, script)))


if __name__ == "__main__":
    main()

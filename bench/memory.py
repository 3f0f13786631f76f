"""Peak memory of every command at 100k contacts / 20k pending (and the other sizes if asked),
each a new process; peak resident memory from wait4(). Target: at most 150 MiB each.

The commands run in turn on one copy of the world, as a user's day goes. Imports: a LinkedIn
Connections.csv of 30k rows into an empty store, and 3k new rows into the world.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.common import Figure, Recorder, env_for, options, spawn, tui_cmd
from bench.worlds import world

TARGET_MIB = 150.0


def commands(tmp: Path) -> list[tuple[str, list[str], bool]]:
    """(name, arguments, changes the store)."""
    from bench.worlds import connections_csv

    csv30k, csv3k = tmp / "Connections-30k.csv", tmp / "Connections-3k.csv"
    csv30k.write_bytes(connections_csv(30_000, seed=5))
    csv3k.write_bytes(connections_csv(3_000, seed=6))
    return [
        ("add", ["add", "Memory Person", "--company", "Acme Ltd"], True),
        ("add --contact", ["add", "--contact", "Memory Contact", "--email", "mem@example.org"], True),
        ("decide", ["decide", "r2", "decline"], True),
        ("undo", ["undo"], True),
        ("show", ["show", "r3"], False),
        ("list --status pending", ["list", "--status", "pending"], False),
        ("list --contacts", ["list", "--contacts"], False),
        ("query", ["query", "smith"], False),
        ("stats", ["stats"], False),
        ("export --what contacts (json)", ["export", "--what", "contacts", "--format", "json"], False),
        ("export --what requests -o csv", ["export", "--what", "requests", "--format", "csv", "-o", str(tmp / "out.csv")], False),
        ("export --what contacts -o vcard", ["export", "--what", "contacts", "--format", "vcard", "-o", str(tmp / "out.vcf")], False),
        ("dedup --json", ["dedup", "--json"], False),
        ("doctor", ["doctor"], False),
        ("merge", ["merge", "r1", "c1", "--force"], True),
        ("import 3k rows into the world", ["import", str(csv3k)], True),
        ("import 30k rows into an empty store", ["import", str(csv30k)], True),
    ]


def main() -> int:
    args = options(__doc__, runs=1, sizes="100k")
    rec = Recorder("memory")
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        for size in args.sizes:
            shared = world(size, scratch / f"shared-{size}")  # every command in turn, as a user's day goes
            for n, (name, argv, _writes) in enumerate(commands(scratch)):
                data = scratch / f"empty-{size}-{n}" if "empty store" in name else shared
                run = spawn([*tui_cmd(), *argv], env_for(data), check=False)
                rec.add(
                    Figure(f"peak memory: {name}", size, run.peak_mib, "MiB", None, f"{run.seconds:.2f} s, exit {run.code}", TARGET_MIB, 1)
                )
    return 0 if rec.save() else 1


if __name__ == "__main__":
    sys.exit(main())

"""Peak memory of `tui import` of a file just under its kind's limits (tui.formats.MAX_BYTES and
MAX_RECORDS), into an empty store: the most memory an import can take.

Each kind gets its worst case: as many records as allowed, each padded so that the file is just
under the byte limit (a generic CSV and JSON of requests with long messages, a LinkedIn export with
long positions, a Facebook file with long names, a vCard with long notes), and a vCard made mostly
of photos. Target: every peak at most 2 GiB (the machine has 24 GiB; several helpers share it).
Peak resident memory comes from wait4() on the child.

Usage: python bench/import_memory.py [KIND ...]
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after site-packages: the installed tui, not the checkout

from bench.common import env_for, report, tui_cmd
from tui.formats import MAX_BYTES, MAX_RECORDS

TARGET_MIB = 2048
RECORDS = MAX_RECORDS - 1


@dataclass
class Case:
    family: str
    """The kind of file, for its byte limit."""
    row: Callable[[int, str], str]
    """Record ``i`` with ``pad`` in its longest field."""
    head: str = ""
    tail: str = ""
    records: int = RECORDS
    args: tuple[str, ...] = ()

    def chunks(self) -> Iterator[bytes]:
        """The file, padded so that it is just under its kind's limit."""
        base = len(self.head) + len(self.tail) + self.records * len(self.row(self.records - 1, ""))
        pad = "x" * ((MAX_BYTES[self.family] - base) // self.records - 1)
        yield self.head.encode()
        for i in range(self.records):
            yield self.row(i, pad).encode()
        yield self.tail.encode()


def _json_row(last: int, item: Callable[[int, str], dict[str, object]]) -> Callable[[int, str], str]:
    return lambda i, pad: json.dumps(item(i, pad)) + (",\n" if i < last else "\n")


PHOTO_CARDS = 2000
CASES = {
    "csv": Case(
        "csv",
        lambda i, pad: f"x{i:06},Person {i:06},Company {i % 500:03},p{i:06}@example.com,https://x.com/p{i:06},{pad},2026-01-02\n",
        "id,name,company,email,url,message,sent_at\n",
        args=("--as", "requests"),
    ),
    "linkedin": Case(
        "csv",
        lambda i, pad: f"Person,N{i:06},https://www.linkedin.com/in/p{i:06},p{i:06}@example.com,Company {i % 500:03},{pad},08 Feb 2026\n",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
    ),
    "json": Case(
        "json",
        _json_row(
            RECORDS - 1,
            lambda i, pad: {
                "id": f"x{i:06}",
                "name": f"Person {i:06}",
                "company": f"Company {i % 500:03}",
                "email": [f"p{i:06}@example.com"],
                "message": pad,
                "sent_at": "2026-01-02",
            },
        ),
        "[\n",
        "]\n",
        args=("--as", "requests"),
    ),
    "facebook": Case(
        "facebook",
        _json_row(RECORDS - 1, lambda i, pad: {"name": f"P{i:06} {pad}", "timestamp": 1_700_000_000 + i}),
        '{"received_requests_v2": [\n',
        "]}\n",
    ),
    "vcard": Case(
        "vcard",
        lambda i, pad: (
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u{i:06}\r\nFN:Person {i:06}\r\nN:{i:06};Person;;;\r\n"
            f"ORG:Company {i % 500:03}\r\nEMAIL;TYPE=INTERNET:p{i:06}@example.com\r\nNOTE:{pad}\r\nEND:VCARD\r\n"
        ),
    ),
    # 2,000 cards, each mostly a photo (about 128 KiB of base64): PHOTO holds the padding.
    "vcard-photos": Case(
        "vcard",
        lambda i, pad: (
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i:06}\r\nEMAIL:p{i:06}@example.com\r\n"
            f"PHOTO;ENCODING=b;TYPE=JPEG:{_folded(pad)}\r\nEND:VCARD\r\n"
        ),
        records=PHOTO_CARDS,
    ),
}


def _folded(pad: str) -> str:
    """``pad`` as base64-like text folded into lines of 75 (the same length as written unfolded,
    less the line breaks, which the row's own length does not count)."""
    body = ("QUJD" * (len(pad) // 4 + 1))[: len(pad) - len(pad) // 78 * 3]
    return "\r\n ".join(body[k : k + 75] for k in range(0, len(body), 75))


def peak(cmd: list[str], env: dict[str, str]) -> tuple[int, float, float]:
    """(exit code, peak RSS in MiB, seconds) of one child process."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        pid = os.posix_spawn(cmd[0], cmd, env, file_actions=[(os.POSIX_SPAWN_DUP2, null.fileno(), 1)])
        _, status, usage = os.wait4(pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024, time.perf_counter() - start


def main(kinds: list[str]) -> int:
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds or list(CASES):
            case = CASES[kind]
            path = Path(tmp) / f"{kind}.dat"
            with open(path, "wb") as f:
                f.writelines(case.chunks())
            size = path.stat().st_size
            code, mib, seconds = peak([*tui_cmd(), "import", str(path), *case.args], env_for(Path(tmp) / f"data-{kind}"))
            ok &= report(
                f"import {kind}: {size / 2**20:.1f} MiB, {case.records:,} records",
                f"peak {mib:,.0f} MiB in {seconds:.0f} s (exit {code})",
                f"<= {TARGET_MIB} MiB",
                code == 0 and mib <= TARGET_MIB and size <= MAX_BYTES[case.family],
            )
            path.unlink()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Files, limits and faults of `tui import` and `tui export`, through the installed CLI in
subprocesses. Every bad input: a one-line error naming the file (and the line where there is one),
exit 2, and the store byte for byte as it was."""

from __future__ import annotations

import json
import os
import pty
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, TUI, store_bytes, subprocess_env

FIXTURES = ROOT / "tests" / "fixtures" / "imports"
GiB = 2**30


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    peak_mib: float
    """The child's peak resident memory."""


def run(data: Path, *args: str, timeout: float = 60, memory_cap: int = 4 * GiB, stdin: int | None = subprocess.DEVNULL) -> Run:
    """The installed tui, with its address space capped so that a runaway read fails fast."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))

    process = subprocess.Popen(
        [TUI, "--data-dir", str(data), *args],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=subprocess_env(data),
        preexec_fn=cap,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise AssertionError(f"tui {' '.join(args)} still running after {timeout} s") from None
    return Run(process.returncode, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"), 0.0)


# Peak memory is read with wait4() by a small launcher process: Linux starts a process's peak at the
# size of the process it was forked (or vforked) from, so a child of this test process would report
# at least this process's own size.
LAUNCHER = """
import os, resource, sys
cap, out, err, *command = sys.argv[1:]
resource.setrlimit(resource.RLIMIT_AS, (int(cap), int(cap)))
with open(os.devnull, "rb") as i, open(out, "wb") as o, open(err, "wb") as e:
    actions = [(os.POSIX_SPAWN_DUP2, i.fileno(), 0), (os.POSIX_SPAWN_DUP2, o.fileno(), 1), (os.POSIX_SPAWN_DUP2, e.fileno(), 2)]
    pid = os.posix_spawn(command[0], command, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def peak(data: Path, *args: str, memory_cap: int = 8 * GiB) -> Run:
    """Run the installed tui and measure its peak resident memory."""
    out, err = data.parent / "peak.out", data.parent / "peak.err"
    launched = subprocess.run(
        [sys.executable, "-c", LAUNCHER, str(memory_cap), str(out), str(err), TUI, "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=subprocess_env(data),
        check=True,
    )
    code, maxrss = map(int, launched.stdout.split())
    return Run(code, out.read_text(), err.read_text(), maxrss / 1024)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A store holding some contacts already, so that "unchanged" means something."""
    store = tmp_path / "data"
    assert run(store, "import", str(FIXTURES / "Connections_2025.csv")).code == 0
    return store


def refused(result: Run, *needles: str) -> None:
    assert result.code == 2, (result.stdout, result.stderr)
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line, result.stderr
    for needle in needles:
        assert needle in line, (needle, line)


class TestNotARegularFile:
    @pytest.mark.parametrize("kind", ["dev-zero", "fifo", "directory", "missing"])
    def test_refused_at_once(self, data: Path, tmp_path: Path, kind: str) -> None:
        path = {
            "dev-zero": Path("/dev/zero"),
            "fifo": tmp_path / "pipe.csv",
            "directory": tmp_path / "dir.csv",
            "missing": tmp_path / "nope.csv",
        }[kind]
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "directory":
            path.mkdir()
        before = store_bytes(data)
        started = time.monotonic()
        result = run(data, "import", str(path), "--as", "contacts", timeout=30)
        refused(
            result,
            str(path),
            {"dev-zero": "not a regular file", "fifo": "not a regular file", "directory": "a directory", "missing": "no such file"}[kind],
        )
        assert time.monotonic() - started < 10
        assert store_bytes(data) == before

    def test_a_file_that_fails_to_read_is_named(self, data: Path) -> None:
        result = run(data, "import", "/proc/self/mem")
        refused(result, "/proc/self/mem", "cannot be read")

    @pytest.mark.parametrize(
        "args", [["import", ""], ["import", "", "--dry-run"], ["export", "-o", ""], ["export", "--format", "vdir", "-o", ""]]
    )
    def test_an_empty_file_name(self, tmp_path: Path, args: list[str]) -> None:
        data = tmp_path / "no-data"
        result = run(data, *args)
        refused(result, "no file given")
        assert not data.exists()

    def test_a_2_gib_sparse_file_is_refused_without_reading_it(self, data: Path, tmp_path: Path) -> None:
        path = tmp_path / "sparse.csv"
        with open(path, "wb") as f:
            f.write(b"name\nAnn\n")
            f.truncate(2 * GiB)
        before = store_bytes(data)
        result = peak(data, "import", str(path), "--as", "contacts")
        refused(result, str(path), "MiB", "the limit is")
        assert result.peak_mib < 100, result.peak_mib
        assert store_bytes(data) == before


class TestBadJson:
    @pytest.mark.parametrize(
        "text",
        ["[" * 100_000, '{"received_requests_v2": ' + "[" * 100_000, '[{"name": "Ann", "tags": ' + "[" * 100_000 + "]}"],
        ids=["list", "facebook", "in-a-field"],
    )
    def test_deep_nesting_is_a_clear_error(self, data: Path, tmp_path: Path, text: str) -> None:
        path = tmp_path / "deep.json"
        path.write_text(text)
        before = store_bytes(data)
        refused(run(data, "import", str(path), "--as", "contacts"), f"{path}:1:", "nested too deeply")
        assert store_bytes(data) == before

    @pytest.mark.parametrize(
        "value, message",
        [
            (["a" * 600_000, "b" * 600_000], "email holds 1,200,000 characters; the limit is 1,000,000"),
            (["ann@acme.io", ["nested@acme.io"]], "email item: expected text, not a list"),
            ([{"address": "ann@acme.io"}], "email item: expected text, not an object"),
            ({"work": "ann@acme.io"}, "email: expected text, not an object"),
            (True, "email: expected text, not true/false"),
        ],
    )
    def test_list_items_obey_the_field_rules(self, data: Path, tmp_path: Path, value: object, message: str) -> None:
        path = tmp_path / "people.json"
        path.write_text(json.dumps([{"name": "Bo"}, {"name": "Ann", "email": value}], indent=1))
        before = store_bytes(data)
        refused(run(data, "import", str(path), "--as", "contacts"), f"{path}:5:", message)
        assert store_bytes(data) == before


class TestCountsAndIds:
    @pytest.mark.parametrize(
        "column, value", [("connections", "²"), ("mutual", "٣"), ("connections", "５００+"), ("connections", "1_000"), ("mutual", "-3")]
    )
    def test_a_count_in_anything_but_ascii_digits_is_refused(self, data: Path, tmp_path: Path, column: str, value: str) -> None:
        path = tmp_path / "requests.csv"
        path.write_text(f"name,message,{column}\nFine Person,hi,12\nSuper Script,hello there,{value}\n", encoding="utf-8")
        before = store_bytes(data)
        refused(run(data, "import", str(path)), f"{path}:3:", column, "is not a number")
        assert store_bytes(data) == before

    def test_counts_as_exports_write_them_are_kept(self, tmp_path: Path) -> None:
        path = tmp_path / "requests.csv"
        path.write_text('name,message,connections,mutual\nAnn,hi,"1,200",0\nBo,hi,500+,12\n')
        store = tmp_path / "fresh"
        assert run(store, "import", str(path)).code == 0
        listed = [json.loads(line) for line in run(store, "list", "--json").stdout.splitlines()]
        assert [(r["connections"], r["mutual"]) for r in listed] == [("1200", "0"), ("500+", "12")]

    @pytest.mark.parametrize(
        "args",
        [
            ["show", "r²"],
            ["show", "²"],
            ["show", "c٣"],
            ["decide", "r²", "accept"],
            ["undo", "r²"],
            ["merge", "r²", "c1"],
            ["merge", "r1", "c²"],
            ["distinct", "r²", "c1"],
            ["decide", "r1", "defer", "--until", "+²d"],
        ],
    )
    def test_an_id_in_anything_but_ascii_digits_is_a_one_line_error(self, data: Path, args: list[str]) -> None:
        assert run(data, "add", "Ann").code == 0
        before = store_bytes(data)
        result = run(data, *args)
        assert result.code in (1, 2) and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith("error:") and result.stderr.count("\n") == 1, result.stderr
        assert store_bytes(data) == before


def _on_a_terminal(data: Path, *args: str) -> tuple[int, str]:
    """Run tui with a pseudo-terminal as its standard output (and input); return (exit code, output)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TUI_DATA_DIR"] = str(data)
        os.execv(TUI, [TUI, *args])
    output = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode("utf-8", "replace")


class TestExport:
    def test_writes_a_private_file_in_one_piece(self, data: Path, tmp_path: Path) -> None:
        out = tmp_path / "contacts.csv"
        out.write_text("old export\n")
        out.chmod(0o644)
        result = run(data, "export", "-o", str(out))
        assert result.code == 0, result.stderr
        assert out.read_text().startswith("id,name,") and (out.stat().st_mode & 0o777) == 0o600
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    def test_a_full_disk_keeps_the_previous_export(self, data: Path, tmp_path: Path) -> None:
        out = tmp_path / "contacts.csv"
        out.write_text("the previous export\n")

        def small_disk() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))

        result = subprocess.run(
            [TUI, "export", "-o", str(out)], env=subprocess_env(data), capture_output=True, text=True, preexec_fn=small_disk
        )
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1 and str(out) in result.stderr
        assert out.read_text() == "the previous export\n"
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    @pytest.mark.parametrize(
        "where, message", [("missing/out.csv", "no such directory"), ("adir", "is a directory"), ("/dev/full", "No space left on device")]
    )
    def test_one_line_errors(self, data: Path, tmp_path: Path, where: str, message: str) -> None:
        (tmp_path / "adir").mkdir()
        target = where if where.startswith("/") else str(tmp_path / where)
        result = run(data, "export", "-o", target)
        assert result.code in (1, 2) and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1 and target in result.stderr and message in result.stderr, result.stderr

    def test_a_fifo_nothing_reads_is_refused_at_once(self, data: Path, tmp_path: Path) -> None:
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        started = time.monotonic()
        result = run(data, "export", "--format", "csv", "-o", str(fifo), timeout=20)
        refused(result, str(fifo), "nothing is reading")
        assert time.monotonic() - started < 10

    def test_a_fifo_with_a_reader_gets_the_export(self, data: Path, tmp_path: Path) -> None:
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
        time.sleep(0.3)  # cat has opened its end
        result = run(data, "export", "-o", str(fifo))
        assert result.code == 0, result.stderr
        assert reader.communicate(timeout=20)[0].startswith(b"id,name,")

    def test_process_substitution(self, data: Path, tmp_path: Path) -> None:
        out = tmp_path / "out.csv"
        result = subprocess.run(
            ["bash", "-c", f'"{TUI}" export -o >(cat > "{out}"); wait'],
            env=subprocess_env(data),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0 and "/dev/fd/" in result.stderr, result.stderr
        for _ in range(50):
            if out.exists() and out.read_text().startswith("id,name,"):
                break
            time.sleep(0.1)
        assert out.read_text().startswith("id,name,")

    def test_dev_stdout_when_piped_gets_the_export(self, data: Path) -> None:
        result = run(data, "export", "-o", "/dev/stdout")
        assert result.code == 0 and result.stdout.startswith("id,name,"), result.stderr

    @pytest.mark.parametrize("fmt", ["csv", "vcard", "json"])
    def test_dev_stdout_on_a_terminal_is_refused_like_plain_stdout(self, data: Path, fmt: str) -> None:
        assert run(data, "add", "\x1b]0;pwned\x07Eve").code == 0
        code, output = _on_a_terminal(data, "export", "--what", "requests", "--format", fmt, "-o", "/dev/stdout")
        assert code == 2 and "\x1b]0;pwned" not in output and "terminal" in output, output


class TestMemory:
    def test_a_vcard_of_photos_is_read_card_by_card(self, data: Path, tmp_path: Path) -> None:
        """40 MiB of cards that are mostly photos: parsed whole, vobject built ~40 bytes of objects
        per byte; card by card, with the photos set aside, the import stays small."""
        photo = "PHOTO;ENCODING=b;TYPE=JPEG:QUJD\r\n" + " " + ("QUJD" * 19 + "\r\n ") * 27_000 + "QUJD\r\n"
        path = tmp_path / "photos.vcf"
        with open(path, "w", newline="") as f:
            for i in range(20):
                f.write(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i}\r\nEMAIL:p{i}@example.com\r\n{photo}END:VCARD\r\n")
        assert path.stat().st_size > 40 * 2**20
        result = peak(data, "import", str(path), "--json")
        assert result.code == 0 and json.loads(result.stdout)["added"] == 20, result.stderr
        assert result.peak_mib < 300, result.peak_mib

    def test_more_records_than_the_limit_are_refused_before_they_are_built(self, data: Path, tmp_path: Path) -> None:
        path = tmp_path / "many.csv"
        path.write_text("name\n" + "".join(f"P{i}\n" for i in range(100_001)))
        before = store_bytes(data)
        refused(run(data, "import", str(path), "--as", "contacts"), f"{path}:100002:", "more than 100,000 records")
        assert store_bytes(data) == before

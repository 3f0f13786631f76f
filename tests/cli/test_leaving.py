"""How a command of the installed ``tui`` ends: everything it printed reaches its reader (a pipe, a
file), its exit code is the one it chose, and a reader that leaves early (``tui list | head -1``)
ends it quietly. A command other than triage, demo and serve leaves the process at once once its
output is flushed, without tearing a parsed store down (tui/cli.py: ``leave``): these tests hold
that to every promise of a normal exit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TUI
from tui.models import Contact, Request
from tui.store import Store

CONTACTS = 3000


def buffered() -> dict[str, str]:
    """The environment as a user's shell has it: output buffered (PYTHONUNBUFFERED, set where the
    suite runs, would write every line at once and hide an output never flushed)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


@pytest.fixture
def network(isolated: dict[str, Path]) -> Path:
    """A store whose contact list is far longer than a pipe's buffer (64 KiB) and stdout's (8 KiB)."""
    store = Store.open(isolated["data"])
    contacts = [Contact(name=f"Person {i:04} Example", company="Acme Ltd", emails=[f"p{i:04}@example.org"]) for i in range(CONTACTS)]
    store.import_records(contacts, [Request(name="Pending Person", company="Globex Inc")])
    return isolated["data"]


def leaving(body: str) -> subprocess.CompletedProcess[str]:
    """A script that holds an object whose finaliser prints "torn down" (Python's teardown at a
    normal exit runs it; a quick exit does not), runs ``body`` and ends with :func:`tui.cli.leave`."""
    script = (
        "import multiprocessing, os, time\nfrom tui.cli import leave\n"
        "class Loud:\n    def __del__(self):\n        os.write(1, b'torn down\\n')\n"
        f"kept = Loud()\n{body}leave(0)\n"
    )
    return subprocess.run([sys.executable, "-P", "-c", script], capture_output=True, text=True, timeout=120, env=buffered())


def run(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TUI, *args], stdout=stdout, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, timeout=120, env=buffered()
    )


class TestLeaving:
    def test_every_line_reaches_a_pipe(self, network: Path) -> None:
        result = run("list", "--contacts")
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert len(lines) == CONTACTS
        assert lines[-1].startswith(f"c{CONTACTS} ") and "Person 2999 Example" in lines[-1]

    def test_every_line_reaches_a_file(self, network: Path, tmp_path: Path) -> None:
        with open(tmp_path / "out.txt", "w") as out:
            result = run("list", "--contacts", "--json", stdout=out.fileno())
        assert result.returncode == 0, result.stderr
        text = (tmp_path / "out.txt").read_text()
        assert text.endswith("\n") and text.count("\n") == CONTACTS and text.count('"id":') == CONTACTS

    def test_a_short_answer_without_a_newline_pending_is_written(self, network: Path) -> None:
        result = run("show", "r1")
        assert result.returncode == 0
        assert "Pending Person" in result.stdout and result.stdout.endswith("\n")

    def test_the_exit_code_and_error_line_of_a_refusal(self, network: Path) -> None:
        result = run("show", "r99999")
        assert result.returncode == 2
        assert result.stdout == "" and result.stderr.startswith("error: ") and result.stderr.count("\n") == 1

    def test_the_exit_code_of_a_likely_duplicate_with_strict(self, network: Path) -> None:
        result = run("add", "Person 0007 Example", "--email", "p0007@example.org", "--strict")
        assert result.returncode == 4, result.stderr
        assert "duplicate" in result.stdout

    def test_a_write_is_on_disk_when_the_command_has_ended(self, network: Path) -> None:
        assert run("decide", "r1", "decline").returncode == 0
        assert Store.open(network).get_request("r1").status == "declined"

    def test_a_reader_that_leaves_early_ends_it_quietly(self, network: Path) -> None:
        """`tui list --contacts | head -1`: head reads a line and goes; tui ends on the broken
        pipe with exit 1 (as Click does), nothing on stderr: no traceback, no "Exception ignored"."""
        proc = subprocess.Popen(
            [TUI, "list", "--contacts"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=buffered()
        )
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline().startswith(b"c1 ")
        proc.stdout.close()
        code = proc.wait(timeout=120)
        assert proc.stderr.read() == b""
        assert code == 1

    def test_output_that_cannot_be_written_at_the_end_is_one_line_and_exit_1(self, network: Path) -> None:
        """`tui show r1 > /dev/full`: the answer is small, so it is written only when stdout is
        flushed at the end; the full disk is said in one line, not as Python's "Exception ignored"."""
        with open("/dev/full", "w") as full:
            result = run("show", "r1", stdout=full.fileno())
        assert result.returncode == 1
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
        assert "No space left on device" in result.stderr

    @pytest.mark.parametrize("args", [("show", "r1"), ("list", "--contacts"), ("dedup", "--json"), ("decide", "r1", "decline")])
    def test_a_closed_stdout_is_one_line_and_exit_1(self, network: Path, args: tuple[str, ...]) -> None:
        """`tui dedup --json >&-`: with no standard output at all (Python's sys.stdout is None),
        one line on stderr, not a traceback."""
        if os.environ.get("LD_PRELOAD"):  # (faketime's library opens its shared clock as the free fd 1, and the output lands in it)
            pytest.skip("a preloaded library takes the closed fd 1 before Python starts")
        result = subprocess.run(
            [TUI, *args],
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=120,
            env=buffered(),
            preexec_fn=lambda: os.close(1),
        )
        assert result.returncode == 1
        assert result.stderr == "error: standard output is closed: nothing can be printed\n", result.stderr

    def test_a_reader_gone_before_a_short_answer_ends_it_quietly(self, network: Path) -> None:
        """The reader closes the pipe before `tui show` has written anything: the answer (smaller
        than stdout's buffer) meets the broken pipe only when it is flushed at the end. Exit 1, as
        for a long listing, and nothing on stderr (Python's own exit said "Exception ignored ...
        BrokenPipeError" and exited 120)."""
        proc = subprocess.Popen(
            [TUI, "show", "r1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=buffered()
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        code = proc.wait(timeout=120)
        assert proc.stderr.read() == b""
        assert code == 1

    def test_a_profiler_still_writes_its_results(self, network: Path, tmp_path: Path) -> None:
        """`python -m cProfile -o out.prof tui show r1`: the profile is written once the command
        ends (the quick exit would leave before cProfile writes it)."""
        profile = tmp_path / "out.prof"
        result = subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", str(profile), TUI, "show", "r1"],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
            env=buffered(),
        )
        assert result.returncode == 0, result.stderr
        assert "Pending Person" in result.stdout
        assert profile.stat().st_size > 0

    def test_main_called_in_process_hands_the_exit_back(self, network: Path) -> None:
        """`tui.cli.main()` as a library call (the stress suite's writers call it in a loop) raises
        SystemExit to its caller as before; only the console script leaves at once."""
        script = (
            "import sys\nfrom tui.cli import main\n"
            "for name in ('First Caller', 'Second Caller'):\n"
            "    sys.argv = ['tui', 'add', name]\n"
            "    try:\n        main()\n    except SystemExit as done:\n        print('back', done.code, flush=True)\n"
        )
        result = subprocess.run([sys.executable, "-P", "-c", script], capture_output=True, text=True, timeout=120, env=buffered())
        assert result.returncode == 0, result.stderr
        assert result.stdout.count("back 0") == 2, result.stdout

    def test_a_finished_pool_leaves_at_once_too(self) -> None:
        """`tui dedup` matches 4,000 requests and more in forked children (multiprocessing), which
        registers an exit handler of its own: once the pool is done, that handler has nothing left
        to end, and the command still leaves at once, not after Python tears down what it built
        (a fifth of a second at 30k contacts). An object's finaliser says whether it was torn down."""
        result = leaving("with multiprocessing.get_context('fork').Pool(2) as pool:\n    print(sum(pool.map(abs, [-1, -2])), flush=True)\n")
        assert result.returncode == 0, result.stderr
        assert result.stdout == "3\n", result.stdout

    def test_a_pool_still_working_is_waited_for(self) -> None:
        """A child still running at the end is multiprocessing's to end: the normal exit, as before."""
        result = leaving("child = multiprocessing.get_context('fork').Process(target=time.sleep, args=(0.2,))\nchild.start()\n")
        assert result.returncode == 0, result.stderr
        assert "torn down" in result.stdout

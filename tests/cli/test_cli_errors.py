"""What a careless or hostile user can type, through the installed ``tui`` in a subprocess.

Every user error is one line on stderr with exit 2 and the store unchanged: a traceback is a bug.
Merging an impersonator into a contact, which would launder the scammer's profile URL into the
contact, needs ``--force``.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import TUI, store_bytes
from tui.sample import load_sample
from tui.store import Store


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TUI, *args], capture_output=True, text=True, errors="replace", stdin=subprocess.DEVNULL, env=env, timeout=60)


def one_line_error(result: subprocess.CompletedProcess[str], *fragments: str, code: int = 2) -> str:
    """The result is a refusal: ``code``, and exactly one line on stderr naming ``fragments``."""
    assert result.returncode == code, (result.returncode, result.stderr[-2000:])
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr[-2000:]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def sample(isolated: dict[str, Path]) -> Path:
    load_sample(isolated["data"])
    return isolated["data"]


class TestTracebacksBecomeOneLine:
    @pytest.mark.parametrize("until", ["+99999999999d", "+3000000d", "+²d", "+0d", "2001-01-01"])
    def test_defer_until_out_of_range(self, sample: Path, until: str) -> None:
        before = store_bytes(sample)
        one_line_error(run("decide", "r1", "defer", "--until", until), "--until")
        assert store_bytes(sample) == before

    def test_demo_into_a_file(self, tmp_path: Path) -> None:
        target = tmp_path / "a-file"
        target.write_text("mine")
        one_line_error(run("demo", "--into", str(target)), str(target), "not a directory")
        assert target.read_text() == "mine"

    @pytest.mark.parametrize("where", ["/proc/1", "file", "file/below"])
    def test_unusable_data_dir(self, tmp_path: Path, where: str) -> None:
        (tmp_path / "file").write_text("not a directory")
        data = where if where.startswith("/") else str(tmp_path / where)
        if where.startswith("/proc"):
            # A directory, but not one tui can write: reading finds nothing, writing says why.
            assert run("--data-dir", data, "list").returncode == 0
            one_line_error(run("--data-dir", data, "add", "Ann Lee"), data, "cannot be written", code=1)
        else:
            one_line_error(run("--data-dir", data, "list"), data)

    def test_locate_json_with_an_undecodable_path(self, tmp_path: Path) -> None:
        env = dict(os.environ, TUI_DATA_DIR=os.fsdecode(bytes(tmp_path) + b"/caf\xe9"))
        one_line_error(run("locate", "--json", env=env), "TUI_DATA_DIR", "UTF-8")
        plain = run("locate", env=env)
        assert plain.returncode == 0 and "caf\ufffd" in plain.stdout

    @pytest.mark.parametrize("args", [["doctor", "--json"], ["themes", "--json"]])
    def test_other_json_with_an_undecodable_path(self, tmp_path: Path, args: list[str]) -> None:
        odd = os.fsdecode(bytes(tmp_path) + b"/caf\xe9")
        (Path(odd) / "themes").mkdir(parents=True)
        (Path(odd) / "themes" / "mine.toml").write_text('name = "mine"\nprimary = "#336699"\n')
        env = dict(os.environ, TUI_DATA_DIR=odd, TUI_CONFIG_DIR=odd)
        one_line_error(run(*args, env=env), "UTF-8", "--json")

    def test_merge_twice(self, sample: Path) -> None:
        assert run("merge", "r1", "c1").returncode == 0
        before = store_bytes(sample)
        one_line_error(run("merge", "r1", "c1"), "r1", "already merged into c1")
        assert store_bytes(sample) == before

    @pytest.mark.parametrize("other", ["zzz", "c999", "r999", "r1", "d1", ""])
    def test_distinct_from_nobody(self, sample: Path, other: str) -> None:
        before = store_bytes(sample)
        one_line_error(run("distinct", "r1", other))
        assert store_bytes(sample) == before


class TestWrongIdsExit2:
    @pytest.mark.parametrize(
        "args",
        [
            ["show", "zzz"],
            ["show", "r999"],
            ["show", ""],
            ["show", "r²"],
            ["show", "d²"],
            ["show", "r١"],
            ["show", "c-1"],
            ["show", "r" + "9" * 40],
            ["decide", "r999", "accept"],
            ["decide", "r²", "accept"],
            ["decide", "c1", "accept"],
            ["decide", "", "decline"],
            ["merge", "r999", "c1"],
            ["merge", "r1", "c999"],
            ["merge", "r1", "r2"],
            ["merge", "r²", "c1"],
            ["merge", "c1", "c2"],
            ["distinct", "r999", "c1"],
            ["distinct", "r²", "c1"],
            ["undo", "r999"],
            ["undo", "r²"],
            ["undo", "zzz"],
        ],
    )
    def test_one_line_exit_2_store_unchanged(self, sample: Path, args: list[str]) -> None:
        before = store_bytes(sample)
        one_line_error(run(*args))
        assert store_bytes(sample) == before


class TestMergeImpersonator:
    @pytest.mark.parametrize("request_id, contact_id", [("r4", "c4"), ("r5", "c32")])  # look-alike letters; a cloned profile
    def test_refused_without_force(self, sample: Path, request_id: str, contact_id: str) -> None:
        before = store_bytes(sample)
        line = one_line_error(run("merge", request_id, contact_id), "impersonat", contact_id, "--force")
        assert "profile" in line  # names the risk: the stranger's account would become the contact's
        assert store_bytes(sample) == before
        result = run("merge", request_id, contact_id, "--force", "--json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["other"] == contact_id
        assert Store.open(sample).get_request(request_id).status == "merged"

    def test_a_plain_match_merges_without_force(self, sample: Path) -> None:
        assert run("merge", "r1", "c1").returncode == 0
        assert Store.open(sample).get_request("r1").status == "merged"


class TestConfigFile:
    @pytest.mark.parametrize("value", ["-1", "nan", "1e-9", "inf", "0"])
    def test_a_bad_poll_interval_is_an_error_naming_key_and_file(self, isolated: dict[str, Path], value: str) -> None:
        isolated["config"].mkdir()
        config = isolated["config"] / "config.toml"
        config.write_text(f"poll_interval = {value}\n")
        one_line_error(run("stats"), str(config), "poll_interval")

    def test_a_misspelt_key_is_a_warning_with_the_close_match(self, isolated: dict[str, Path]) -> None:
        isolated["config"].mkdir()
        config = isolated["config"] / "config.toml"
        config.write_text("two_teir = true\n[dedupe]\nlikely = 80\n")
        isolated["data"].mkdir()
        result = run("stats")
        assert result.returncode == 0, result.stderr
        warnings = result.stderr.splitlines()
        assert any(str(config) in w and "two_teir" in w and "two_tier" in w for w in warnings), warnings
        assert any(str(config) in w and "dedupe" in w and "'dedup'" in w for w in warnings), warnings


class TestUndecodableArgvAndLongNumbers:
    """Bytes that are not UTF-8 on the command line arrive as surrogate escapes; numbers longer
    than int() takes (4300 digits) arrive in files. Neither may end in a traceback."""

    @pytest.mark.parametrize("option, value", [("--email", b"a\xff@b.com"), ("--url", b"https://x.com/\xff")])
    def test_an_identity_that_is_not_utf8_is_refused(self, isolated: dict[str, Path], option: str, value: bytes) -> None:
        result = subprocess.run(
            [TUI, "add", "Ann", option, value], capture_output=True, text=True, errors="replace", stdin=subprocess.DEVNULL, timeout=60
        )
        one_line_error(result, option, "not UTF-8")

    @pytest.mark.parametrize("value", ["a\nb@x.com", "sn\teaky@x.com", "x@x.com\x1b[31m", "a\u200bb@x.com", "a b@x.com"])
    def test_an_address_with_hidden_or_control_characters_is_refused(self, isolated: dict[str, Path], value: str) -> None:
        # `tui query` and every export would otherwise print an address that is not the one stored.
        result = subprocess.run(
            [TUI, "add", "Ann", "--email", value, "--contact"], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60
        )
        one_line_error(result, "--email", "not an e-mail address")
        assert not (isolated["data"] / "contacts.json").exists() or not Store.open(isolated["data"]).contacts()

    def test_other_text_that_is_not_utf8_is_kept_with_a_replacement_character(self, isolated: dict[str, Path]) -> None:
        result = subprocess.run(
            [TUI, "add", b"Ann \xff", "--company", b"Acme\xfe"], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60
        )
        assert result.returncode == 0, result.stderr
        (ann,) = Store.open(isolated["data"]).requests()
        assert (ann.name, ann.company) == ("Ann \ufffd", "Acme\ufffd")

    def test_a_json_request_with_a_lone_surrogate_in_its_identity(self, isolated: dict[str, Path], tmp_path: Path) -> None:
        path = tmp_path / "r.json"
        path.write_text('[{"name": "A", "email": "a\\ud800@b.com", "url": "https://x.com/\\udfff"}]')
        result = run("import", str(path), "--as", "requests")
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        (a,) = Store.open(isolated["data"]).requests()
        assert a.emails == ["a\ufffd@b.com"]

    @pytest.mark.parametrize(
        "name, text, args",
        [
            ("r.json", '[{"name": "A", "connections": "%s"}]', ["--as", "requests"]),
            ("r.json", '[{"name": "A", "connections": %s}]', ["--as", "requests"]),
            ("r.json", '[{"name": %s}]', ["--as", "requests"]),
            ("r.csv", "name,message,mutual\nA,hi,%s\n", []),
            ("received_friend_requests.json", '{"received_requests_v2": [{"name": "A", "timestamp": %s}]}', []),
            (
                "follow_requests.json",
                '[{"acct": "a", "username": "a", "url": "https://m.example/@a", "followers_count": %s}]',
                ["--format", "mastodon"],
            ),
        ],
    )
    def test_a_number_of_5000_digits(self, isolated: dict[str, Path], tmp_path: Path, name: str, text: str, args: list[str]) -> None:
        path = tmp_path / name
        path.write_text(text % ("9" * 5000))
        result = run("import", str(path), *args)
        assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) <= 1, result.stderr[-500:]
        if result.returncode:
            one_line_error(result, str(path))
        else:  # a count too long to be one is dropped (Mastodon); a name of digits is a name
            assert name in ("r.json", "follow_requests.json"), result.stdout
            assert all(len(r.connections) < 100 for r in Store.open(isolated["data"]).requests())

    def test_a_backup_folder_numbered_with_a_superscript(self, isolated: dict[str, Path]) -> None:
        env = dict(os.environ, TUI_DATA_DIR=str(isolated["data"]))
        assert run("add", "Ann", env=env).returncode == 0
        (isolated["data"] / "backups" / "²-20260101T000000Z-write").mkdir()
        for args in (["add", "Bob"], ["doctor"]):
            result = run(*args, env=env)
            assert result.returncode == 0 and "Traceback" not in result.stderr, (args, result.stderr[-500:])

    def test_a_schema_that_is_no_number(self, isolated: dict[str, Path]) -> None:
        env = dict(os.environ, TUI_DATA_DIR=str(isolated["data"]))
        assert run("add", "Ann", env=env).returncode == 0
        meta = isolated["data"] / "meta.json"
        meta.write_text(json.dumps({"meta": {"1": {"schema": "x"}}}))
        one_line_error(run("list", env=env), "meta.json", "schema 'x'", code=1)
        result = run("doctor", env=env)
        assert result.returncode == 3 and "schema 'x'" in result.stdout and "Traceback" not in result.stderr


class TestOutOfMemory:
    def test_a_store_too_large_for_the_memory_is_one_line_exit_1_not_a_traceback(self, sample: Path) -> None:
        """Under a memory limit, a data file of 1.5 million requests ended `tui list` with a
        MemoryError traceback (an outside attack). Here the reading of the records runs out."""
        import sys

        code = (
            "import sys\n"
            "from tui.store.datadir import DataDir\n"
            "def starved(*args, **kwargs): raise MemoryError\n"
            "DataDir._models = starved\n"
            "from tui.cli import main\n"
            "sys.argv = ['tui', 'list', '--status', 'accepted']\n"
            "main()\n"
        )
        env = dict(os.environ, TUI_DATA_DIR=str(sample))
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
        line = one_line_error(result, "out of memory", str(sample), code=1)
        assert "Traceback" not in result.stderr, line

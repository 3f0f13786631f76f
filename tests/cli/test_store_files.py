"""What `tui` leaves on disk: private modes after a realistic session, nothing at all for a read
on a store that does not exist, and `tui decide` that never silently overwrites a decision.

Real `tui` processes (the installed console script), run with the common umask 022."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.app.conftest import build, settle
from tests.conftest import ROOT, TUI, store_bytes
from tui.sample import SAMPLE_FILES
from tui.store import Store


def run(data: Path, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TUI_DATA_DIR=str(data), TUI_CONFIG_DIR=str(config))
    return subprocess.run(
        [TUI, *args], env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, preexec_fn=lambda: os.umask(0o022)
    )


def modes(top: Path) -> dict[str, str]:
    """Every file and directory under ``top`` (and ``top``) with its permission bits."""
    found = {str(top): oct(stat.S_IMODE(top.stat().st_mode))}
    for folder, dirs, files in os.walk(top):
        for name in dirs + files:
            path = Path(folder) / name
            found[str(path)] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def assert_private(top: Path) -> None:
    wrong = {path: mode for path, mode in modes(top).items() if mode != ("0o700" if Path(path).is_dir() else "0o600")}
    assert wrong == {}, f"not private (files 0600, directories 0700): {wrong}"


class TestPermissions:
    async def test_every_file_and_directory_tui_writes_is_private(self, tmp_path: Path) -> None:
        data = tmp_path / "new" / "data"  # neither exists: tui creates both
        config = tmp_path / "cfg" / "tui"
        for name, kind in SAMPLE_FILES:
            assert run(data, config, "import", str(ROOT / "sample_data" / name), *(["--as", kind] if kind else [])).returncode == 0
        session = [
            ("add", "Ann Lee", "--email", "ann@example.org"),
            ("add", "Cara Contact", "--contact"),
            ("decide", "r1", "accept"),
            ("decide", "r2", "defer", "--until", "2030-01-01"),
            ("undo",),
            ("merge", "r3", "c1", "--force"),  # a write; the pair need not be a match
            ("distinct", "r4", "c2"),
            ("list",),
            ("stats",),
            ("dedup",),
            ("doctor",),
        ]
        for args in session:
            result = run(data, config, *args)
            assert result.returncode == 0, (args, result.stderr)
        # A file replaced by a sync tool or an editor (mode 0644), then repaired from a backup.
        damaged = data / "garbage"
        damaged.write_bytes(b'{"contacts": ')
        damaged.chmod(0o644)
        os.replace(damaged, data / "contacts.json")
        assert run(data, config, "doctor", "--repair").returncode == 0
        assert {p.name for p in data.iterdir()} >= {"keys.idx", "queue.head", ".lock", "backups", "meta.json"}
        assert list(data.glob("contacts.json.damaged-*"))
        assert any(b.name.endswith("-daily") for b in (data / "backups").iterdir())

        old = os.umask(0o022)
        try:
            # config.toml, written when a theme is chosen in the app.
            app = build(Store.open(data), tmp_path, theme="tui-dark")
            app.paths = type(app.paths)(data, config)
            async with app.run_test(size=(80, 24)) as pilot:
                await settle(pilot)
                app.theme = "tui-light"
                await settle(pilot)
        finally:
            os.umask(old)
        assert (config / "config.toml").read_text().startswith('theme = "tui-light"')

        for top in (tmp_path / "new", tmp_path / "cfg"):
            assert_private(top)

    def test_demo_into_keeps_a_private_copy(self, tmp_path: Path) -> None:
        from tests.hostile.test_pty import run_on_pty

        into = tmp_path / "kept" / "demo"
        old = os.umask(0o022)
        try:
            # A decline, not an accept: an accept pressed before the matches are known waits for them.
            run_on_pty(tmp_path / "unused", ["d", "q"], args=("demo", "--into", str(into)))
        finally:
            os.umask(old)
        assert Store.open(into).get_request("r1").status == "declined"
        assert_private(tmp_path / "kept")


class TestReadOnlyCommandsOnAMissingStore:
    @pytest.mark.parametrize("args", [["list"], ["show", "r1"], ["export", "--format", "json"], ["doctor"], ["list", "--contacts"]])
    def test_they_say_so_and_create_nothing(self, tmp_path: Path, args: list[str]) -> None:
        data, config = tmp_path / "no" / "data", tmp_path / "no-config"
        result = run(data, config, *args)
        assert result.returncode == 1, result
        line = result.stderr.strip()
        assert "\n" not in line and "Traceback" not in result.stderr
        assert f"{data}: no data directory" in line
        assert not (tmp_path / "no").exists() and not config.exists()


class TestNothingWrittenUnlessStored:
    """A command that stores nothing (a dry run, an unknown id) creates no data directory, and a dry
    run on a store writes nothing in it, derived caches included."""

    @pytest.mark.parametrize(
        "args, code, said",
        [
            (["decide", "r9", "accept"], 2, "no record 'r9'"),
            (["decide", "r9", "defer", "--until", "tomorrow"], 2, "no record 'r9'"),
            (["undo", "r1"], 2, "no record 'r1'"),
            (["undo", "d1"], 2, "no record 'd1'"),
            (["undo"], 1, "nothing to undo"),
            (["merge", "r1", "c1"], 2, "no record 'r1'"),
            (["distinct", "r1", "c1"], 2, "no record 'r1'"),
            (["merge-contacts", "c1", "c2"], 2, "no record 'c1'"),
            (["merge-contacts", "c1", "c2", "--force", "--keep", "name=c2"], 2, "no record 'c1'"),
        ],
    )
    def test_a_command_on_records_that_cannot_exist(self, tmp_path: Path, args: list[str], code: int, said: str) -> None:
        data, config = tmp_path / "no" / "data", tmp_path / "no-config"
        result = run(data, config, *args)
        assert result.returncode == code and said in result.stderr and "Traceback" not in result.stderr, result
        assert len(result.stderr.splitlines()) == 1
        assert not (tmp_path / "no").exists()

    @pytest.mark.parametrize("kind", ["contacts", "requests"])
    def test_a_dry_run_into_a_missing_store(self, tmp_path: Path, kind: str) -> None:
        data, config = tmp_path / "no" / "data", tmp_path / "no-config"
        rows = tmp_path / "rows.csv"
        rows.write_text("name,email\nAnn,ann@example.com\nAnn,ann@example.com\nBob,bob@example.com\n")
        result = run(data, config, "import", str(rows), "--as", kind, "--dry-run")
        assert result.returncode == 0 and "would import" in result.stdout and "2 added" in result.stdout, result
        assert not (tmp_path / "no").exists()

    def test_a_dry_run_writes_nothing_in_a_store(self, tmp_path: Path) -> None:
        data, config = tmp_path / "data", tmp_path / "config"
        assert run(data, config, "add", "Cara", "--contact", "--email", "cara@example.com").returncode == 0
        assert run(data, config, "add", "Dan").returncode == 0
        for cache in ("keys.idx", "queue.head"):
            (data / cache).unlink()
        before = {p.name: p.read_bytes() for p in data.iterdir() if p.is_file() and p.name != ".lock"}
        snapshots = sorted((data / "backups").iterdir())
        rows = tmp_path / "rows.csv"
        rows.write_text("name,email,source\nAnn,ann@example.com,manual\nCara,cara@example.com,manual\n")
        result = run(data, config, "import", str(rows), "--as", "contacts", "--dry-run")
        assert result.returncode == 0 and "1 added" in result.stdout and "1 unchanged" in result.stdout, result
        assert {p.name: p.read_bytes() for p in data.iterdir() if p.is_file() and p.name != ".lock"} == before
        assert sorted((data / "backups").iterdir()) == snapshots


class TestDecideNeverOverwritesSilently:
    def test_an_already_decided_request_needs_force(self, tmp_path: Path) -> None:
        data, config = tmp_path / "data", tmp_path / "config"
        assert run(data, config, "add", "Ann Lee").returncode == 0
        assert run(data, config, "decide", "r1", "decline").returncode == 0
        before = store_bytes(data)
        refused = run(data, config, "decide", "r1", "accept")
        assert refused.returncode == 1
        line = refused.stderr.strip()
        assert "\n" not in line and "r1 is already declined" in line and "d1" in line and "--force" in line
        assert store_bytes(data) == before
        forced = run(data, config, "decide", "r1", "accept", "--force")
        assert forced.returncode == 0, forced.stderr
        assert Store.open(data).get_request("r1").status == "accepted"

    def test_deferred_and_asked_requests_are_still_open(self, tmp_path: Path) -> None:
        data, config = tmp_path / "data", tmp_path / "config"
        run(data, config, "add", "Ann Lee")
        run(data, config, "add", "Bob Stone")
        assert run(data, config, "decide", "r1", "defer").returncode == 0
        assert run(data, config, "decide", "r2", "ask").returncode == 0
        assert run(data, config, "decide", "r1", "decline").returncode == 0
        assert run(data, config, "decide", "r2", "accept").returncode == 0

    def test_undo_names_one_decision(self, tmp_path: Path) -> None:
        data, config = tmp_path / "data", tmp_path / "config"
        run(data, config, "add", "Ann Lee")
        run(data, config, "add", "Bob Stone")
        run(data, config, "decide", "r1", "accept")
        run(data, config, "decide", "r2", "decline")
        assert "undid d1 on r1" in run(data, config, "undo", "d1").stdout
        again = run(data, config, "undo", "d1")
        assert again.returncode == 1 and "d1 was already undone" in again.stderr
        assert Store.open(data).get_request("r2").status == "declined"

"""Writing a vdir the user named (``tui export --format vdir -o DIR``): one card per file, each
written atomically (a hidden ``.tmp`` file in the folder, then a rename, as the vdir spec asks),
the manifest last. The plan is :func:`tui.formats.vdir.plan`; this module only reads the folder
and carries it out.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tui.errors import BadInput, UserError
from tui.fileio import commit_temp, fsync_dir, private_dir, write_temp
from tui.formats import vdir
from tui.models import Contact, Request

#: A card tui wrote is small; a larger file under that name is not read (it is not ours as written).
MAX_CARD_FILE = 4 * 2**20


def check_target(path: Path) -> None:
    """Refuse a target that cannot be a vdir, before any work."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise BadInput(f"{path}: no such directory ({path.parent})") from None
        return
    except OSError as exc:
        raise BadInput(f"{path}: cannot be written ({exc.strerror})") from None
    if not stat.S_ISDIR(st.st_mode):
        raise BadInput(f"{path}: not a directory; a vdir export writes one file per person into a directory")


def export(path: Path, records: Sequence[Contact | Request], version: str) -> dict[str, int]:
    """Bring the vdir at ``path`` up to date with ``records``; the counts of what was done."""
    check_target(path)
    try:
        private_dir(path)
        manifest = _manifest(path)
        existing = {entry.name for entry in os.scandir(path) if entry.name.endswith(".vcf")}
        result = vdir.plan(records, manifest, existing, lambda name: _digest(path / name), version)
        temps = [(write_temp(path / name, payload, durable=False), path / name) for name, payload in result.writes.items()]
        if temps:
            os.sync()  # one flush for every card, instead of one per file
        for tmp, target in temps:
            commit_temp(tmp, target, durable=False)
        for name in result.removes:
            (path / name).unlink(missing_ok=True)
        commit_temp(write_temp(path / vdir.MANIFEST, json.dumps(result.manifest, indent=1).encode()), path / vdir.MANIFEST, durable=False)
        fsync_dir(path)
    except OSError as exc:
        raise UserError(f"{path}: write failed ({exc.strerror}); the cards already renamed into place are complete") from None
    return result.counts(manifest)


def _manifest(path: Path) -> dict[str, Any]:
    try:
        raw = (path / vdir.MANIFEST).read_bytes()
    except FileNotFoundError:
        return {}
    try:
        doc = json.loads(raw)
        files = doc["files"]
        if not isinstance(files, dict) or not all(isinstance(e, dict) and {"file", "uid", "sha256"} <= e.keys() for e in files.values()):
            raise ValueError
        if any("/" in e["file"] or not e["file"].endswith(".vcf") for e in files.values()):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        raise BadInput(f"{path / vdir.MANIFEST}: not a manifest tui wrote; move it away to export into this directory again") from None
    return doc  # type: ignore[no-any-return]


def _digest(path: Path) -> str | None:
    """The digest of a card file as it is now; None when it is missing (or is no regular file)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file"
    if st.st_size > MAX_CARD_FILE:
        return "too large to be a card tui wrote"
    return vdir.digest(path.read_bytes())

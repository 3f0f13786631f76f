"""The bundled sample data, for ``tui demo`` and the tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from tui.formats.load import read_file
from tui.store import Store

#: Files in sample_data/, imported in this order; the kind is given only where the format needs it.
SAMPLE_FILES: tuple[tuple[str, str | None], ...] = (
    ("Connections.csv", None),  # LinkedIn
    ("google_contacts.csv", None),
    ("contacts.vcf", None),
    ("Invitations.csv", None),  # LinkedIn: incoming requests, and invitations sent
    ("received_friend_requests.json", None),  # Facebook
    ("requests.csv", "requests"),  # X and e-mail introductions: the generic CSV
)


def sample_dir() -> Path:
    """sample_data/ as installed in the wheel (``tui.sample_data``), or beside a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "sample_data", here.parent / "sample_data"):
        if (candidate / SAMPLE_FILES[0][0]).is_file():
            return candidate
    import importlib.resources

    return Path(str(importlib.resources.files("tui.sample_data")))


def load_sample(data_dir: Path) -> Store:
    """Copy the sample files into ``data_dir/sample`` and import them into a store there."""
    copy = data_dir / "sample"
    shutil.copytree(sample_dir(), copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    store = Store.open(data_dir)
    for name, kind in SAMPLE_FILES:
        parsed = read_file(copy / name, kind)
        store.import_records(parsed.contacts, parsed.requests, sent=parsed.sent)
    return store

"""The bundled sample data, for ``tui demo`` and the tests."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from tui.fileio import atomic_write, private_dir
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


def load_sample(data_dir: Path) -> Store:
    """Copy the sample files into ``data_dir/sample`` and import them into a store there."""
    copy = data_dir / "sample"
    private_dir(copy)
    bundled = files("tui.sample_data")  # a package resource: never assume it is a directory on disk
    for name, _ in SAMPLE_FILES:
        atomic_write(copy / name, bundled.joinpath(name).read_bytes(), durable=False)
    store = Store.open(data_dir)
    for name, kind in SAMPLE_FILES:
        parsed = read_file(copy / name, kind)
        store.import_records(parsed.contacts, parsed.requests, sent=parsed.sent)
    return store

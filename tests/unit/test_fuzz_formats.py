"""Property-based fuzzing of every parser: it returns records or raises the clear FormatError,
nothing else, and a failed import leaves the store exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import store_bytes
from tui.formats import FormatError
from tui.formats.load import FORMATS, parse
from tui.formats.parsed import Parsed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
SEEDS = {p.name: p.read_bytes() for p in sorted(FIXTURES.iterdir())}
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse_or_refuse(data: bytes, fmt: str | None = None, as_: str | None = None) -> Parsed | None:
    try:
        parsed = parse(data, "fuzz.dat", as_, fmt)
    except FormatError as exc:
        assert "fuzz.dat" in str(exc)
        return None
    assert isinstance(parsed, Parsed)
    for record in [*parsed.contacts, *parsed.requests, *parsed.sent]:
        assert isinstance(record.name, str) and record.name.strip()
    return parsed


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A real fixture with bytes cut, inserted or flipped: truncations, junk, broken quotes."""
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[name])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(("cut", "insert", "flip", "truncate")))
        if action == "cut":
            del data[at : at + draw(st.integers(1, 20))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=12))
        elif action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "truncate":
            del data[at:]
    return name, bytes(data)


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([None, *FORMATS]))
def test_random_bytes_are_records_or_a_clear_error(data: bytes, fmt: str | None) -> None:
    parse_or_refuse(data, fmt)


@FUZZ
@given(st.text(max_size=1500), st.sampled_from([None, *FORMATS]))
def test_random_text_is_records_or_a_clear_error(text: str, fmt: str | None) -> None:
    parse_or_refuse(text.encode("utf-8", "surrogatepass"), fmt)


@FUZZ
@given(mutated())
def test_damaged_real_exports_are_records_or_a_clear_error(case: tuple[str, bytes]) -> None:
    parse_or_refuse(case[1])


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_fixture_parses(name: str) -> None:
    assert parse_or_refuse(SEEDS[name], as_=None) is not None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(mutated())
def test_a_refused_import_leaves_the_store_unchanged(tmp_path: Path, case: tuple[str, bytes]) -> None:
    from typer.testing import CliRunner

    from tui.cli import app

    data_dir = tmp_path / "store"
    runner = CliRunner()
    seed = runner.invoke(app, ["--data-dir", str(data_dir), "import", str(FIXTURES / "Connections_2025.csv")])
    assert seed.exit_code == 0, seed.output
    before = store_bytes(data_dir)
    upload = tmp_path / case[0]
    upload.write_bytes(case[1])
    result = runner.invoke(
        app,
        [
            "--data-dir",
            str(data_dir),
            "import",
            str(upload),
            "--as",
            "requests" if "Invit" in case[0] or "friend" in case[0] else "contacts",
        ],
    )
    if result.exit_code != 0:
        assert result.exit_code == 2 and str(upload) in result.stderr
        assert store_bytes(data_dir) == before


# --------------------------------------------------------------------------- export round trip

_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
_LINE = _TEXT.map(str.strip)
_ITEM = _TEXT.map(lambda s: s.replace(";", "").strip()).filter(bool)
# URLs as the store holds them: web addresses, a person's profile or not (a bare host, a query, a
# fragment); tui.intake keeps anything else as text.
_URL = st.from_regex(r"https://[a-z]{1,10}\.(com|io)/[a-z0-9_-]{0,12}(\?[a-z]{1,3}=[0-9]{1,3})?(#[a-z/0-9]{0,6})?", fullmatch=True)


@st.composite
def people(draw: st.DrawFn, kind: type) -> list:  # type: ignore[type-arg]
    from tui.models import Request
    from tui.text import is_blank

    records = []
    for _ in range(draw(st.integers(1, 4))):
        fields = {
            "name": draw(
                _LINE.filter(lambda name: not is_blank(name))
            ),  # no importer keeps an invisible name "first_name": draw(_LINE), "last_name": draw(_LINE), "company": draw(_LINE),
            "title": draw(_LINE),
            "location": draw(_LINE),
            "source": draw(_ITEM),
            "source_id": draw(_LINE),
            "emails": draw(st.lists(_ITEM, max_size=2)),
            "urls": draw(st.lists(_URL, max_size=2)),
            "tags": draw(st.lists(_ITEM, max_size=2)),
            "notes": draw(_TEXT),
        }
        if kind is Request:
            fields |= {
                "message": draw(_TEXT),
                "sent_at": draw(st.sampled_from(["", "2026-03-01", "2026-03-01T09:30:00"])),
                "connections": draw(st.sampled_from(["", "0", "500+", "1234"])),
                "mutual": draw(st.sampled_from(["", "3"])),
            }
        else:
            fields |= {"connected_on": draw(st.sampled_from(["", "2024-02-08"])), "also_on": draw(st.lists(_ITEM, max_size=2))}
        records.append(kind(**fields))
    return records


def _fields(records: list) -> list[dict]:  # type: ignore[type-arg]
    return [{k: v for k, v in r.to_doc().items() if k not in ("added_at",)} for r in records]


@pytest.mark.parametrize("kind_name", ["Request", "Contact"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_parses_back_field_for_field(kind_name: str, fmt: str) -> None:
    """Whatever the text, the generic export and the generic importer agree on every field."""
    from tui import models
    from tui.formats import export

    kind = getattr(models, kind_name)
    as_ = "requests" if kind is models.Request else "contacts"

    @FUZZ
    @given(people(kind))
    def check(records: list) -> None:  # type: ignore[type-arg]
        data = export.to_csv(records) if fmt == "csv" else export.to_json(records)
        parsed = parse(data, f"export.{fmt}", as_)
        assert _fields(parsed.requests or parsed.contacts) == _fields(records)

    check()

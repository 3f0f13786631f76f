"""Precomputed keys for a set of people, so matching never re-normalises a store.

A :class:`KeyIndex` is column-wise: row ``i`` describes the record ``ids[i]``. It serialises to a
compact text form that loads in a few milliseconds at 30k contacts, because a ``tui add`` must not
spend its time parsing: a header line, then one line per row (id, first, last, company, title,
source, display name, ..., nicknames, the company and e-mail keys as written, separated by tabs),
then sorted sections: one ``key<TAB>row`` line per e-mail (``e:``) or profile URL (``u:``), the
surnames with the rows under each first name, and the blocking keys (first names, names without spaces, phonetic codes of surnames, company counts). A
lookup is a binary search over those bytes; the columns are split out only when a batch asks.

The same blocking structures (:class:`Blocks`) serve an index built in memory and a loaded one, so
that every path (``tui add``, ``tui dedup``, the card) finds the same candidates.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

# The keys of one person are in tui.dedup.person; importers find them here too.
from tui.dedup.keyfile import group_rows, identity_table, read_sections, rows_of, split_rows, text_of, write_sections
from tui.dedup.person import MATCH_LIMIT, ONE_LINE, PersonKeys, identity_keys, lookalike_key, person_keys, record_keys
from tui.gcpause import paused_gc

__all__ = ["KEYS_VERSION", "KeyIndex", "PersonKeys", "build", "identity_keys", "lookalike_key", "person_keys", "record_keys"]

if TYPE_CHECKING:
    from tui.dedup.blocking import Blocks, Rows
#: Bump when the normalisers change, so persisted key files are rebuilt.
# 8: url_key matches networks by domain; one table of invisible characters. 9: middle names, blocking
# keys (first names, spacing, phonetic codes, companies), Unicode's confusables. 10: nicknames, the company
# as written and e-mail keys in each row (tui query reads them). 11: identity keys without compatibility
# folding, one person's profile each (queries, fragments, no bare hosts); look-alike keys; names as written.
# 12: a tab or a line break in a name or a company is a space.
KEYS_VERSION = 12
BLOCKS_VERSION = 2
"""Bump when the blocking sections a key file holds change (a person's keys, stored with each
request, stay good). 2: look-alike skeletons of surnames (``k:`` keys)."""
FILE_VERSION = KEYS_VERSION * 100 + BLOCKS_VERSION
"""A key file's version: a tui of another version rebuilds the file rather than misread it."""
COLUMNS = ("ids", "firsts", "lasts", "companies", "titles", "sources", "display", "urls", "flags", "middles", "nicknames", "orgs", "emails")
SECTIONS = ("rows", "offsets", "surnames", "identity", "keys")


def _keys(v: list[str]) -> PersonKeys:
    """The keys of one row from its column values (the display name stands for ``exact``)."""
    return PersonKeys(v[1], v[2], v[3], v[4], v[5], tuple(v[7].split()), "m" in v[8], "l" in v[8], v[6], v[9], tuple(v[10].split()))


class KeyIndex:
    def __init__(self) -> None:
        self.columns: dict[str, list[str]] = {name: [] for name in COLUMNS}
        self._identity: dict[str, Rows] = {}
        self._blob: bytes | mmap.mmap | None = None
        self._spans: dict[str, tuple[int, int]] = {}
        self._blocks: Blocks | None = None
        self._found: dict[tuple[str, str], str | None] = {}
        self._surnames: list[str] | None = None
        self._keys: list[PersonKeys | None] = []
        self._rows_split = False

    # -- building ------------------------------------------------------------------------------

    @classmethod
    def bulk(cls, rows: list[tuple[str, PersonKeys, str]] | list[tuple[str, PersonKeys, str, str]]) -> KeyIndex:
        """An index of (id, keys, display name[, company as written]) rows, built column by column
        (the keys come from :func:`person_keys`). Only the display name and the company as written
        can hold tabs or line breaks; every other column is a folded key."""
        index = cls()
        if not rows:
            return index
        ids, keys, displays = zip(*(row[:3] for row in rows), strict=True)
        orgs = [row[3] if len(row) > 3 else "" for row in rows]
        firsts, lasts, companies, titles, sources, identities, mixed, lookalikes, _, middles, nicknames = zip(*keys, strict=True)
        index.columns = {
            "ids": list(ids),
            "firsts": list(firsts),
            "lasts": list(lasts),
            "companies": list(companies),
            "titles": list(titles),
            "sources": list(sources),
            "display": [ONE_LINE.sub(" ", d[:MATCH_LIMIT]) for d in displays],
            "urls": [" ".join(k for k in ident if k[0] == "u") for ident in identities],
            "flags": [("m" if m else "") + ("l" if lk else "") for m, lk in zip(mixed, lookalikes, strict=True)],
            "middles": list(middles),
            "nicknames": [" ".join(n) for n in nicknames],
            "orgs": [ONE_LINE.sub(" ", o[:MATCH_LIMIT]) for o in orgs],
            "emails": [" ".join(k[2:] for k in ident if k[0] == "e") for ident in identities],
        }
        for row, ident in enumerate(identities):
            index.file_identity(row, ident)
        return index

    def file_identity(self, row: int, keys: Iterable[str]) -> None:
        """File a row under each of its identity keys (``e:``/``u:``) and their look-alike keys."""
        for key in keys:
            for filed in (key, lookalike_key(key)):
                rows = self._identity.get(filed)
                if rows is None:
                    self._identity[filed] = [row]
                else:
                    rows_of(self._identity, filed).append(row)  # (read from a key file: its text parsed first)

    # -- reading -------------------------------------------------------------------------------

    def column(self, name: str) -> list[str]:
        self._split_rows()
        return self.columns[name]

    @property
    def ids(self) -> list[str]:
        return self.column("ids")

    @property
    def display(self) -> list[str]:
        """The names as the records spell them (raw: show them through tui.text)."""
        return self.column("display")

    @property
    def lazy(self) -> bool:
        """A loaded index not split into columns: every lookup reads the bytes."""
        return self._blob is not None and not self.columns["ids"]

    def row_keys(self, row: int) -> PersonKeys:
        if self.lazy:
            return _keys(self._row_values(row))
        if len(self._keys) != len(self.columns["ids"]):
            self._keys = [None] * len(self.columns["ids"])
        found = self._keys[row]
        if found is None:
            found = self._keys[row] = _keys([self.columns[name][row] for name in COLUMNS])
        return found

    def _row_values(self, row: int) -> list[str]:
        """One row of a loaded index, found through the offset table: no other row is read."""
        assert self._blob is not None
        rows_at, _ = self._spans["rows"]
        table = self._spans["offsets"][0] + 8 * row
        start = rows_at + int(self._blob[table : table + 8], 16)
        return self._blob[start : self._blob.find(b"\n", start)].decode("utf-8").split("\t")

    def row_id(self, row: int) -> str:
        return self._row_values(row)[0] if self.lazy else self.columns["ids"][row]

    def row_display(self, row: int) -> str:
        return self._row_values(row)[6] if self.lazy else self.columns["display"][row]

    def _split_rows(self) -> None:
        if self.lazy and not self._rows_split:  # once: the columns of a loaded index, then its materialisation
            self._rows_split = True
            a, b = self._spans["rows"]
            text = text_of(self._blob, a, b)  # type: ignore[arg-type]
            columns = split_rows(text, len(COLUMNS), self.size())
            if columns is not None:
                self.columns = dict(zip(COLUMNS, columns, strict=True))
                return
            rows = [line.split("\t") for line in text.split("\n")[:-1]]  # every row ends with a newline
            if rows:
                self.columns = {
                    name: list(values) for name, values in zip(COLUMNS, zip(*rows, strict=False), strict=False)
                }  # rows of the file, written whole by to_bytes

    # -- blocking ------------------------------------------------------------------------------

    def size(self) -> int:
        if self.lazy:
            a, b = self._spans["offsets"]
            return (b - a) // 8
        return len(self.columns["ids"])

    def blocks(self) -> Blocks:
        """The blocking structures of the rows (built once, from the columns)."""
        if self._blocks is None:
            from tui.dedup.blocking import Blocks

            self._split_rows()
            self._blocks = Blocks(self.columns)
        return self._blocks

    def surname_list(self) -> list[str]:
        if not self.lazy:
            return list(self.blocks().groups)
        if self._surnames is None:  # read once: a lookup compares a name or two with all of them
            a, b = self._spans["surnames"]
            self._surnames = [line.partition("\t")[0] for line in self._blob[a:b].decode("utf-8").split("\n")[:-1]]  # type: ignore[index]
        return self._surnames

    def group(self, last: str) -> dict[str, list[int]]:
        """The rows with surname ``last``, by first name."""
        if not self.lazy:
            return self.blocks().groups.get(last, {})
        found = self._find("surnames", last)
        return group_rows(found) if found else {}

    def named(self, first: str) -> list[int]:
        """The rows with first name ``first``."""
        if not self.lazy:
            return rows_of(self.blocks().named, first)
        found = self._find("keys", f"f:{first}")
        return list(map(int, found.split(","))) if found else []

    def keyed(self, key: str) -> list[int]:
        """The rows with one of the pair keys of :class:`Blocks` (``n:``, ``t:``, ``i:``, ``cl:``, ``cf:``)."""
        if not self.lazy:
            return rows_of(self.blocks().pairs, key)
        found = self._find("keys", key)
        return list(map(int, found.split(","))) if found else []

    def sounding(self, code: str) -> list[str]:
        """Surnames with the phonetic code ``m:<metaphone>`` or ``s:<soundex>``, or the look-alike
        skeleton ``k:<skeleton>`` (those that are not their own skeleton)."""
        if not self.lazy:
            return self.blocks().sounding.get(code, [])
        found = self._find("keys", code)
        return found.split(",") if found else []

    def company_count(self, company: str) -> int:
        if not self.lazy:
            return self.blocks().companies.get(company, 0)
        found = self._find("keys", f"o:{company}")
        return int(found) if found else 0

    def _find(self, section: str, key: str) -> str | None:
        """The value of ``key`` in a sorted ``key<TAB>value`` section of the bytes (binary search)."""
        cached = self._found.get((section, key), "")
        if cached != "":
            return cached
        lines = self._lines(section, key)
        value = lines[0] if lines else None
        self._found[(section, key)] = value
        return value

    def _lines(self, section: str, key: str) -> list[str]:
        """The values of every line of ``section`` whose key is ``key``, in order."""
        assert self._blob is not None
        blob, target = self._blob, key.encode("utf-8") + b"\t"
        section_at, section_end = self._spans[section]
        lo, hi = section_at, section_end
        while lo < hi:
            mid = (lo + hi) // 2
            start = max(blob.rfind(b"\n", section_at, mid) + 1 or section_at, section_at)
            end = blob.find(b"\n", start, section_end)
            end = section_end if end == -1 else end
            if blob[start:end] + b"\n" < target:
                lo = end + 1
            else:
                hi = start
        found = []
        while lo < section_end and blob[lo : lo + len(target)] == target:
            end = blob.find(b"\n", lo, section_end)
            end = section_end if end == -1 else end
            found.append(blob[lo + len(target) : end].decode("utf-8"))
            lo = end + 1
        return found

    # -- lookup by text (tui query) ------------------------------------------------------------

    def rows_containing(self, needles: Iterable[str]) -> set[int]:
        """Rows whose line (their columns, e-mail keys included, tab-separated) contains one of
        ``needles`` (lower-case; the line is compared lower-cased). On a loaded index this is a
        search over its bytes that splits no row."""
        wanted = [n for n in needles if n]
        if not self.lazy:
            lines = ("\t".join(values).lower() for values in zip(*(self.columns[c] for c in COLUMNS), strict=True))
            return {row for row, line in enumerate(lines) if any(n in line for n in wanted)}
        a, b = self._spans["rows"]
        text = self._blob[a:b].lower()  # type: ignore[index]
        starts = set()
        for needle in (n.encode() for n in wanted):
            at = text.find(needle)
            while at != -1:
                starts.add(text.rfind(b"\n", 0, at) + 1)
                end = text.find(b"\n", at)
                at = -1 if end == -1 else text.find(needle, end)
        rows, line, previous = set(), 0, 0
        for start in sorted(starts):  # a line's row number: the line breaks before it
            line += text.count(b"\n", previous, start)
            previous = start
            rows.add(line)
        return rows

    def row_columns(self, row: int) -> dict[str, str]:
        """One row's columns by name (see :data:`COLUMNS`)."""
        if self.lazy:
            return dict(zip(COLUMNS, self._row_values(row), strict=False))  # a row of the file, as written
        return {name: self.columns[name][row] for name in COLUMNS}

    # -- identity ------------------------------------------------------------------------------

    def rows_with(self, key: str) -> list[int]:
        """Rows with the identity key ``e:<email>`` or ``u:<url>`` (or the look-alike key
        ``~e:``/``~u:`` of one: :func:`lookalike_key`)."""
        if self._blob is None:
            return rows_of(self._identity, key)
        return [int(row) for row in self._lines("identity", key)]

    def rows_with_email(self, key: str) -> list[int]:
        return self.rows_with(f"e:{key}")

    def rows_with_url(self, key: str) -> list[int]:
        return self.rows_with(f"u:{key}")

    def identities(self) -> dict[int, tuple[str, ...]]:
        """Row -> its identity keys (e-mails too, which the rows do not hold)."""
        self.materialise()
        by_row: dict[int, list[str]] = {}
        for key in self._identity:
            if key[0] == "~":
                continue
            for row in rows_of(self._identity, key):
                by_row.setdefault(row, []).append(key)
        return {row: tuple(keys) for row, keys in by_row.items()}

    def materialise(self, pace: Callable[[], object] = lambda: None) -> KeyIndex:
        """A loaded index made dictionaries, for many lookups (``pace`` between its three parts)."""
        if self._blob is not None:
            with paused_gc():  # a hundred thousand small lists and strings
                self._split_rows()
                pace()
                (a, b), (c, d) = self._spans["surnames"], self._spans["keys"]
                self._blocks = read_sections(text_of(self._blob, a, b), text_of(self._blob, c, d))
                pace()
                a, b = self._spans["identity"]
                self._identity = identity_table(text_of(self._blob, a, b))
            self._blob = None
        return self

    def __len__(self) -> int:
        return self.size()

    # -- persistence ---------------------------------------------------------------------------

    def to_bytes(self, header: dict[str, Any]) -> bytes:
        """Sections: rows, row offsets (8 hex digits each), surnames, sorted identity keys and
        blocking keys. Their byte offsets, counted from the end of the header line, are in the
        header, so a reader never scans for them."""
        self._split_rows()
        rows = b"".join(
            "\t".join(values).encode("utf-8", "replace") + b"\n" for values in zip(*(self.columns[c] for c in COLUMNS), strict=True)
        )
        offsets, at = [], 0
        for line in rows.split(b"\n")[:-1]:
            offsets.append(b"%08x" % at)
            at += len(line) + 1
        surnames, keys = write_sections(self.blocks())
        identity = b"".join(f"{key}\t{row}\n".encode() for key in sorted(self._identity) for row in rows_of(self._identity, key))
        sections = {"rows": rows, "offsets": b"".join(offsets), "surnames": surnames, "identity": identity, "keys": keys}
        layout, at = {}, 0
        for name, body in sections.items():
            layout[name] = [at, at + len(body)]
            at += len(body)
        head = orjson.dumps(header | {"version": FILE_VERSION, "layout": layout}) + b"\n"
        return head + b"".join(sections.values())

    @classmethod
    def from_bytes(cls, blob: bytes | mmap.mmap) -> tuple[KeyIndex, dict[str, Any]] | None:
        """The index and its header, or None when the blob is from another version or damaged."""
        first = blob.find(b"\n", 0, 65536)
        if first == -1:
            return None
        try:
            header = orjson.loads(blob[:first])
        except orjson.JSONDecodeError:
            return None
        if not isinstance(header, dict) or header.get("version") != FILE_VERSION or not isinstance(header.get("layout"), dict):
            return None
        base = first + 1
        try:
            spans = {name: (base + a, base + b) for name, (a, b) in header["layout"].items()}
        except (TypeError, ValueError):
            return None
        if any(not 0 <= a <= b <= len(blob) for a, b in spans.values()) or set(spans) != set(SECTIONS):
            return None
        index = cls()
        index._blob = blob
        index._spans = spans
        return index, header

    @classmethod
    def load(cls, path: Path) -> tuple[KeyIndex, dict[str, Any]] | None:
        """Map ``path`` into memory (nothing is read until a lookup needs it)."""
        try:
            with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:  # (a FIFO in its place: no hang; no mmap)
                size = os.fstat(handle.fileno()).st_size
                if size == 0:
                    return None
                blob = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (FileNotFoundError, ValueError, OSError):
            return None
        return cls.from_bytes(blob)


def build(records: Iterable[Any]) -> KeyIndex:
    """Keys for records with ``id``, ``name``, ``emails``, ``urls``, ``company``, ``title``, ``source``."""
    return KeyIndex.bulk([(r.id, record_keys(r), r.name) for r in records])

"""Where each document of ``queue.json`` (or ``contacts.json``) lies, so that a command that needs
a few of them (``tui add``, ``decide``, ``show``, ``add --contact``) reads those few, not the whole.

``queue.json`` is written by :func:`dump`, which gives the very bytes ``orjson.dumps`` would, in
chunks of :data:`CHUNK` documents, and notes where each chunk lies and which ids it holds. That
map is kept beside it as ``queue.map`` (a cache: it names the inode, size and mtime of the
``queue.json`` it maps, and is used only while they are the same; written without fsync). A
file this program did not write whole, or that was changed since, has no map: it is read whole,
and its map is made then, when its bytes are what :func:`dump` gives for what was read.

:class:`Lazy` hands the store that file's tables as :class:`LazyTable` mappings: a lookup by id
parses the one chunk that holds it (and the journal, applied on top, holds what changed since);
anything that goes through every document of a table (iterating, counting) parses that table's
part of the file, once, keeping what was read and changed, and from then on the table is that
plain dict (going through the decisions never parses the requests).
"""

from __future__ import annotations

import contextlib
import os
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Callable, ItemsView, Iterator, KeysView, MutableMapping, ValuesView
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from tui.fileio import atomic_write, read_cache
from tui.gcpause import paused_gc

SUFFIX = ".map"
#: Documents per chunk: a lookup parses one chunk (tens of kB).
CHUNK = 64
#: Chunks parsed at once when a table is read whole (about a megabyte: a few milliseconds).
GROUP = 16
#: The bytes read at a time for the whole file's CRC.
BLOCK = 1 << 20
VERSION = 1

Tables = dict[str, dict[str, Any]]


def path_of(base: Path) -> Path:
    return base.with_suffix(SUFFIX)


class TableMap:
    """Where one table's documents lie: its ids sorted, the chunk of each, and each chunk's span
    and CRC-32 (a chunk read is checked: a file damaged in place keeps its size and mtime)."""

    def __init__(self, ids: array[int], chunk_of: array[int], starts: array[int], sizes: array[int], crcs: array[int]) -> None:
        self.ids, self.chunk_of, self.starts, self.sizes, self.crcs = ids, chunk_of, starts, sizes, crcs

    def tiles(self, pos: int) -> int | None:
        """Where the table's documents end, when its chunks follow each other from ``pos`` as
        :func:`dump` lays them out (one comma between), its ids fill them (64 a chunk, the last
        one fewer) and each id has one; None when they do not."""
        chunks, of = len(self.starts), self.chunk_of
        if len(self.sizes) != chunks or len(self.crcs) != chunks or len(of) != len(self.ids):
            return None
        if chunks:  # 64 ids in each chunk but the last (counted in C: milliseconds at 100k)
            last = of.count(chunks - 1)
            if not (0 < last <= CHUNK and len(of) == CHUNK * (chunks - 1) + last and min(of) >= 0 and max(of) < chunks):
                return None
            if sum(of) != CHUNK * (chunks - 1) * (chunks - 2) // 2 + (chunks - 1) * last:
                return None
        elif self.ids:
            return None
        for i, (start, size) in enumerate(zip(self.starts, self.sizes, strict=True)):
            if start != pos + (i > 0) or size < 2:
                return None
            pos = start + size
        return pos

    def chunk(self, key: str) -> int | None:
        number = _int(key)
        if number is None:
            return None
        i = bisect_left(self.ids, number)
        return self.chunk_of[i] if i < len(self.ids) and self.ids[i] == number else None

    def max_id(self) -> int:
        return self.ids[-1] if self.ids else 0

    def arrays(self) -> tuple[array[int], ...]:
        return self.ids, self.chunk_of, self.starts, self.sizes, self.crcs


def _int(key: str) -> int | None:
    """The id a key names, when it is written as this program writes ids (digits, no sign or zeros)."""
    if not (key.isascii() and key.isdigit()) or (key[0] == "0" and key != "0") or len(key) > 18:
        return None
    return int(key)


def dump(data: Tables, mark: dict[str, Any] | None, key: str) -> tuple[bytes, dict[str, TableMap] | None]:
    """``orjson.dumps({**data, key: mark})`` (without ``key`` when ``mark`` is None), byte for byte,
    and each table's map; no map when an id is not one this program writes. TypeError as orjson's."""
    parts: list[bytes] = [b"{"]
    pos = 1
    maps: dict[str, TableMap] | None = {}
    for n, (name, table) in enumerate(data.items()):
        piece = (b"," if n else b"") + orjson.dumps(name) + b":{"
        parts.append(piece)
        pos += len(piece)
        keys = list(table)
        starts, sizes, crcs = array("q"), array("q"), array("q")
        numbered: list[tuple[int, int]] = []
        for c, first in enumerate(range(0, len(keys), CHUNK)):
            body = orjson.dumps({k: table[k] for k in keys[first : first + CHUNK]})[1:-1]
            if first:
                parts.append(b",")
                pos += 1
            starts.append(pos)
            sizes.append(len(body))
            crcs.append(zlib.crc32(body))
            parts.append(body)
            pos += len(body)
            if maps is not None:
                for k in keys[first : first + CHUNK]:
                    number = _int(k)
                    if number is None:
                        maps = None
                        break
                    numbered.append((number, c))
        parts.append(b"}")
        pos += 1
        if maps is not None:
            numbered.sort()
            maps[name] = TableMap(array("q", [i for i, _ in numbered]), array("q", [c for _, c in numbered]), starts, sizes, crcs)
    if mark is not None:
        parts.append((b"," if data else b"") + orjson.dumps(key) + b":" + orjson.dumps(mark))
    parts.append(b"}")
    return b"".join(parts), maps


def save(base: Path, maps: dict[str, TableMap] | None, mark: dict[str, Any] | None, sig: tuple[int, ...], crc: int) -> None:
    """Write the map of ``base`` as it was when its (inode, size, mtime) were ``sig`` and the CRC-32
    of its bytes ``crc`` (for :meth:`Lazy.intact`): ``maps``, or None for a file that has none
    (then it is not tried again). Best effort: a cache."""
    header: dict[str, Any] = {"v": VERSION, "base": list(sig[:3]), "mark": mark, "crc": crc}
    body = b""
    if maps is not None:
        header["tables"] = {n: [len(m.ids), len(m.starts)] for n, m in maps.items()}
        body = b"".join(a.tobytes() for m in maps.values() for a in m.arrays())
    try:
        atomic_write(path_of(base), orjson.dumps(header) + b"\n" + body, durable=False)
    except (OSError, TypeError):
        with contextlib.suppress(OSError):
            path_of(base).unlink(missing_ok=True)


def _header(base: Path, sig: tuple[int, ...]) -> tuple[dict[str, Any], bytes] | None:
    raw = read_cache(path_of(base))  # a FIFO put in its place must not hang every command, nor /dev/zero fill memory
    if raw is None:
        return None
    first, _, body = raw.partition(b"\n")
    try:
        header = orjson.loads(first)
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("v") != VERSION or header.get("base") != list(sig[:3]):
        return None
    return header, body


def known(base: Path, sig: tuple[int, ...]) -> bool:
    """``base`` has a map for the file whose (inode, size, mtime) are ``sig``, or one that says it has none."""
    return _header(base, sig) is not None


def load(base: Path, sig: tuple[int, ...], key: str) -> tuple[dict[str, TableMap], dict[str, Any] | None, int] | None:
    """The map of ``base``, the mark it holds (under ``key``) and the CRC-32 of the file, when it
    maps the file whose (inode, size, mtime) are ``sig``; None when it has none, or one that cannot
    be that file's."""
    found = _header(base, sig)
    if found is None or "tables" not in found[0]:
        return None
    header, body = found
    try:
        maps: dict[str, TableMap] = {}
        view, at = memoryview(body), 0
        for name, (count, chunks) in header["tables"].items():
            parts = []
            for n in (count, count, chunks, chunks, chunks):
                part: array[int] = array("q")
                part.frombytes(view[at : at + 8 * n])
                at += 8 * n
                parts.append(part)
            maps[name] = TableMap(*parts)
        crc, mark = int(header["crc"]), header.get("mark")
        if at != len(body) or _laid_out(maps, mark, key) != sig[1]:
            return None
    except (ValueError, TypeError, AttributeError, KeyError):
        return None
    return maps, mark if isinstance(mark, dict) else None, crc


def _laid_out(maps: dict[str, TableMap], mark: Any, key: str) -> int | None:
    """The size of the file :func:`dump` writes with these maps and this mark (each table's chunks
    where its name puts them), or None when the maps cannot be such a file's: a map that does not
    fit its file byte for byte is not used (the file is read whole)."""
    pos = 1
    for n, (name, m) in enumerate(maps.items()):
        found = m.tiles(pos + (n > 0) + len(orjson.dumps(name)) + 2)
        if found is None:
            return None
        pos = found + 1
    if mark is not None:
        pos += (1 if maps else 0) + len(orjson.dumps(key)) + 1 + len(orjson.dumps(mark))
    return pos + 1


class Lazy:
    """The tables of one ``queue.json``, read chunk by chunk through its map, from an open file
    (the one mapped: a file that replaces it meanwhile does not change what this reads)."""

    def __init__(self, file: BinaryIO, maps: dict[str, TableMap], whole: Callable[[bytes], Tables], crc: int) -> None:
        self.file, self.maps, self._whole, self.crc = file, maps, whole, crc
        self.tables = {name: LazyTable(self, name) for name in maps}
        self.checked = False

    def intact(self) -> bool:
        """The file's bytes are still those the map was made from: a file changed in place (a hand
        edit, damage) keeps its size and mtime, and is then read whole, as before maps (damage found,
        StoreCorrupt; an edit read). Checked once per file read: 5-10 ms at 100k, a fraction of
        parsing it."""
        if not self.checked:
            fd, crc, at = self.file.fileno(), 0, 0
            while block := os.pread(fd, BLOCK, at):  # a block at a time: no file-sized copy, nor mapping
                crc, at = zlib.crc32(block, crc), at + len(block)
            self.checked = crc == self.crc
        return self.checked

    def _parsed(self, name: str, first: int, last: int, raw: bytes, at: int) -> dict[str, Any] | None:
        """Chunks ``first`` to ``last`` of a table, from ``raw`` (read from offset ``at``): None when
        a chunk's bytes are not those the map says (damaged in place, or a map that is wrong)."""
        m = self.maps[name]
        a, b = m.starts[first] - at, m.starts[last] + m.sizes[last] - at
        if b > len(raw) or any(
            zlib.crc32(raw[m.starts[c] - at : m.starts[c] - at + m.sizes[c]]) != m.crcs[c] for c in range(first, last + 1)
        ):
            return None
        try:
            with paused_gc():
                found = orjson.loads(b"{" + raw[a:b] + b"}")
        except orjson.JSONDecodeError:
            return None
        return found if isinstance(found, dict) else None

    def read_chunk(self, name: str, chunk: int) -> dict[str, Any] | None:
        """The documents of one chunk; None when it is not what the map says (read the file whole)."""
        m = self.maps[name]
        return self._parsed(name, chunk, chunk, os.pread(self.file.fileno(), m.sizes[chunk], m.starts[chunk]), m.starts[chunk])

    def read_table(self, name: str) -> dict[str, Any]:
        """One table whole, as the file holds it (its chunks lie together), parsed :data:`GROUP`
        chunks at a time: each parse holds the GIL for milliseconds, not for the whole table
        (the app's first frame is drawn while its worker reads the queue). When those bytes are
        not what the map says, the file parsed whole (StoreCorrupt, by line, when it is damaged)."""
        m = self.maps[name]
        table: dict[str, Any] = {}
        if not m.starts:
            return table
        start = m.starts[0]
        raw = os.pread(self.file.fileno(), m.starts[-1] + m.sizes[-1] - start, start)
        for first in range(0, len(m.starts), GROUP):
            found = self._parsed(name, first, min(first + GROUP, len(m.starts)) - 1, raw, start)
            if found is None:
                self.file.seek(0)
                return self._whole(self.file.read()).get(name, {})  # (it parses with the collector paused)
            table.update(found)
        return table

    def materialise(self) -> Tables:
        """Every table whole, with what was read or changed here laid over it."""
        return {name: table.whole for name, table in self.tables.items()}

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.file.close()


class LazyTable(MutableMapping[str, Any]):
    """One table of a :class:`Lazy` file: lookups by id read one chunk; going through every
    document reads this table once (and then this is a view of that plain dict)."""

    def __init__(self, lazy: Lazy, name: str) -> None:
        self.lazy, self.name = lazy, name
        self.map = lazy.maps[name]
        self.overlay: dict[str, dict[str, Any] | None] = {}
        """Every document read or set here, as it now is (None: removed)."""
        self._chunks: dict[int, dict[str, Any]] = {}
        self.full: dict[str, Any] | None = None

    @property
    def whole(self) -> dict[str, Any]:
        """The table read whole (once; from then on this is a view of it)."""
        if self.full is None:
            full = self.lazy.read_table(self.name)
            for key, doc in self.overlay.items():
                if doc is None:
                    full.pop(key, None)
                else:
                    full[key] = doc
            self.full, self.overlay, self._chunks = full, {}, {}
            if all(t.full is not None for t in self.lazy.tables.values()):
                self.lazy.close()
        return self.full

    def _find(self, key: str) -> Any:
        if self.full is not None:
            return self.full.get(key)
        if key in self.overlay:
            return self.overlay[key]
        chunk = self.map.chunk(key)
        if chunk is None:
            return None
        docs = self._chunks.get(chunk)
        if docs is None:
            docs = self.lazy.read_chunk(self.name, chunk)
            if docs is None:  # the map is wrong, or the file damaged: read whole (StoreCorrupt, by line)
                return self.whole.get(key)
            self._chunks[chunk] = docs
        if key not in docs:  # the map says it is there: the file is not the one it maps after all
            return self.whole.get(key)
        doc = docs.pop(key)
        self.overlay[key] = doc  # the one object from now on: changed in place, it stays changed
        return doc

    def __getitem__(self, key: str) -> Any:
        if (doc := self._find(key)) is None:
            raise KeyError(key)
        return doc

    def get(self, key: str, default: Any = None) -> Any:
        doc = self._find(key)
        return default if doc is None else doc

    def __contains__(self, key: object) -> bool:
        """Answered by the map, without reading the document."""
        if not isinstance(key, str):
            return False
        if self.full is not None:
            return key in self.full
        if key in self.overlay:
            return self.overlay[key] is not None
        return self.map.chunk(key) is not None

    def __setitem__(self, key: str, doc: Any) -> None:
        if self.full is not None:
            self.full[key] = doc
        else:
            self.overlay[key] = doc

    def __delitem__(self, key: str) -> None:
        if self.full is not None:
            del self.full[key]
        elif self._find(key) is None:
            raise KeyError(key)
        else:
            self.overlay[key] = None

    def pop(self, key: str, *default: Any) -> Any:
        if (doc := self._find(key)) is None:
            if default:
                return default[0]
            raise KeyError(key)
        del self[key]
        return doc

    def max_id(self) -> int:
        """The largest id in the table (before it is read whole, from the map and the documents
        read or set since, removed ones included: an id is then never given again)."""
        if self.full is not None:
            return max((int(k) for k in self.full), default=0)
        return max([self.map.max_id(), *(n for k in self.overlay if (n := _int(k)) is not None)])

    def __iter__(self) -> Iterator[str]:
        return iter(self.whole)

    def __len__(self) -> int:
        return len(self.whole)

    def keys(self) -> KeysView[str]:
        return self.whole.keys()

    def items(self) -> ItemsView[str, Any]:
        return self.whole.items()

    def values(self) -> ValuesView[Any]:
        return self.whole.values()

"""Going through every document of a table without holding them all: a table read through its map
(:class:`~tui.store.docmap.LazyTable`) is read a chunk at a time, each chunk dropped once its
documents are handed on, with what the journal changed laid over it, in the very order the table
read whole has (the file's order, the journal's new documents last). ``tui list --contacts`` and
the contacts' exports stand on it: at 100k contacts, the parsed table alone is 250 MB.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import islice
from typing import Any

from tui.store.docmap import LazyTable


def documents(table: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """(id, document) for every document of ``table``, in its order. A chunk whose bytes are not
    what the map says (damaged since it was opened) ends the streaming: the rest comes from the
    table read whole, as any other read (StoreCorrupt, by line, when the file is damaged)."""
    if not isinstance(table, LazyTable) or table.full is not None:
        yield from table.items()
        return
    overlay, done = dict(table.overlay), 0  # (documents read, changed or removed here, by the journal too)
    tiles = table.map
    for chunk in range(len(tiles.starts)):
        try:
            docs = table.lazy.read_chunk(table.name, chunk)
        except (OSError, ValueError):  # (the file closed: the table was read whole meanwhile)
            docs = None
        if docs is None:
            yield from islice(table.whole.items(), done, None)
            return
        for key, doc in docs.items():
            now = overlay.get(key, doc)
            if now is not None:
                done += 1
                yield key, now
    for key, doc in overlay.items():
        if doc is not None and tiles.chunk(key) is None:  # new since the file was written
            yield key, doc

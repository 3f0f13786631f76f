"""Where the files of an export come from: a zip archive, as downloaded, or the folder it unpacks to.

Both list their files by relative path and read one file at a time, and only when asked: an
archive of several gigabytes (a Meta export with its photos) is never read, only the few small
files an import needs. Nothing is ever extracted to disk.

A zip is refused whole before anything is read when its directory is too large
(:data:`MAX_MEMBERS`) or a member's name climbs out of it (``../``, an absolute path, a drive
letter). A member is read only when its declared size is within the limit for its kind and within
what is left of :data:`MAX_TOTAL`, and when it does not expand more than :data:`MAX_RATIO` times
(past :data:`RATIO_FLOOR`): the signs of a zip bomb. The bytes actually produced are counted
again while reading, so an archive that lies about its sizes is stopped all the same (and fails
its checksum).
"""

from __future__ import annotations

import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from tui.formats import FormatError, MiB

#: Entries a zip's directory may list. A large Meta archive with every photo holds tens of thousands.
MAX_MEMBERS = 200_000
#: The bytes of a zip's central directory (its list of entries), read before anything else.
MAX_DIRECTORY = 64 * MiB
#: The uncompressed bytes read from one archive or folder, all files together.
MAX_TOTAL = 512 * MiB
#: The most a member may expand when it is larger than :data:`RATIO_FLOOR`. Real CSV and JSON
#: exports compress 5 to 20 times; a zip bomb, thousands of times.
MAX_RATIO = 100
RATIO_FLOOR = 1 * MiB
#: Folders deeper than this are not searched (an export nests four or five levels).
MAX_DEPTH = 12
CHUNK = 1 * MiB


class Source:
    """The files of an export, by relative path (``/`` between folders)."""

    name: str

    def names(self) -> list[str]:
        raise NotImplementedError

    def read(self, member: str, limit: int) -> bytes:
        raise NotImplementedError

    def where(self, member: str) -> str:
        """How an error names the member: ``archive.zip:folder/file.csv``."""
        return f"{self.name}:{member}"


def _unsafe(member: str) -> bool:
    """A member name that would climb out of the archive if it were ever extracted."""
    if not member or "\x00" in member or member.startswith(("/", "\\")) or "\\" in member:
        return True
    if len(member) > 1 and member[1] == ":":  # C:...
        return True
    return ".." in PurePosixPath(member).parts


def _check_directory(fp: BinaryIO, name: str) -> None:
    """Read the end of the zip for the size of its directory, before zipfile reads all of it."""
    fp.seek(0, os.SEEK_END)
    size = fp.tell()
    fp.seek(max(0, size - 65_557))
    tail = fp.read()
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) < end + 22:
        raise FormatError(name, None, "not a zip archive (no directory at its end; is the download complete?)")
    entries, directory = struct.unpack_from("<HI", tail, end + 10)
    if (entries == 0xFFFF or directory == 0xFFFFFFFF) and end >= 20 and tail[end - 20 : end - 16] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", tail, end - 12)  # the zip64 end record
        fp.seek(offset)
        record = fp.read(56)
        if record[:4] == b"PK\x06\x06":
            entries, directory = struct.unpack_from("<QQ", record, 32)
    if entries > MAX_MEMBERS or directory > MAX_DIRECTORY:
        raise FormatError(
            name, None, f"the archive lists {entries:,} files in a {directory / MiB:,.1f} MiB directory; the limit is {MAX_MEMBERS:,} files"
        )


class ZipSource(Source):
    """The members of a zip archive, read from ``fp`` (a seekable binary file)."""

    def __init__(self, fp: BinaryIO, name: str) -> None:
        self.name, self.total = name, 0
        _check_directory(fp, name)
        try:
            self.zip = zipfile.ZipFile(fp)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise FormatError(name, None, f"not a valid zip archive ({exc})") from None
        infos = self.zip.infolist()
        for info in infos:
            if _unsafe(info.filename):
                raise FormatError(
                    name, None, f"refused: the archive holds a file named {info.filename[:200]!r}, outside the archive's own folder"
                )
        self.infos: dict[str, list[zipfile.ZipInfo]] = {}
        for info in infos:
            if not info.is_dir():
                self.infos.setdefault(info.filename, []).append(info)

    def names(self) -> list[str]:
        return list(self.infos)

    def read(self, member: str, limit: int) -> bytes:
        where = self.where(member)
        found = self.infos[member]
        if len(found) > 1:
            raise FormatError(where, None, "appears twice in the archive")
        info = found[0]
        if info.flag_bits & 0x1:
            raise FormatError(where, None, "is encrypted; export it again without a password")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise FormatError(where, None, "is a symbolic link, not a file")
        if info.file_size > limit:
            raise FormatError(where, None, f"is {info.file_size / MiB:,.1f} MiB; the limit is {limit // MiB} MiB for this kind of file")
        self._check_ratio(where, info.file_size, info.compress_size)
        self._check_total(where, info.file_size)
        chunks, produced = [], 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    produced += len(chunk)
                    if produced > min(limit, info.file_size):
                        raise FormatError(where, None, "holds more than its declared size: a damaged or hostile archive")
                    self._check_ratio(where, produced, info.compress_size)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise FormatError(where, None, f"cannot be read from the archive ({exc})") from None
        self.total += produced
        return b"".join(chunks)

    def _check_ratio(self, where: str, size: int, compressed: int) -> None:
        if size > RATIO_FLOOR and size > MAX_RATIO * max(compressed, 1):
            raise FormatError(
                where,
                None,
                f"expands {size / max(compressed, 1):,.0f} times ({compressed:,} bytes to {size:,}): "
                f"refused as a zip bomb (the limit is {MAX_RATIO} times)",
            )

    def _check_total(self, where: str, size: int) -> None:
        if self.total + size > MAX_TOTAL:
            raise FormatError(where, None, f"the files read from this archive would exceed {MAX_TOTAL // MiB} MiB")


class FolderSource(Source):
    """The regular files under a folder (symbolic links are not followed), read through ``reader``:
    ``reader(path, limit)`` returns the bytes of one file, checked like any imported file."""

    def __init__(self, root: Path, reader: Callable[[Path, int], bytes]) -> None:
        self.root, self.name, self.total, self._reader = root, str(root), 0, reader
        self._names: list[str] = []
        self._walk(root, "", 0)

    def _walk(self, folder: Path, prefix: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            raise FormatError(str(folder), None, f"cannot be listed ({exc.strerror})") from None
        for entry in entries:
            if entry.is_symlink() or entry.name.startswith("."):
                continue
            if len(self._names) >= MAX_MEMBERS:
                raise FormatError(self.name, None, f"holds more than {MAX_MEMBERS:,} files; point tui import at the export's own folder")
            if entry.is_dir(follow_symlinks=False):
                self._walk(Path(entry.path), f"{prefix}{entry.name}/", depth + 1)
            elif entry.is_file(follow_symlinks=False):
                self._names.append(prefix + entry.name)

    def names(self) -> list[str]:
        return list(self._names)

    def where(self, member: str) -> str:
        return str(self.root / member)

    def read(self, member: str, limit: int) -> bytes:
        data = self._reader(self.root / member, limit)
        if self.total + len(data) > MAX_TOTAL:
            raise FormatError(self.where(member), None, f"the files read from this folder would exceed {MAX_TOTAL // MiB} MiB")
        self.total += len(data)
        return data

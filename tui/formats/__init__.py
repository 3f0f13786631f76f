"""Turning files into records and records into files. Pure: bytes in, records out."""

from __future__ import annotations


from tui.errors import BadInput


class FormatError(BadInput):
    """A file that cannot be imported. The message names the file and the line."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")

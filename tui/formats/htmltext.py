"""The text of a bit of HTML (a Mastodon bio, an e-mail without a text part): paragraphs and line
breaks as new lines, links as their text, entities decoded. Never markup afterwards: the display
cleans it like any other untrusted text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

_SPACE = re.compile(r"[ \t\r\f\v]+")
_BLOCKS = frozenset(("br", "p", "div", "tr", "li", "h1", "h2", "h3", "table"))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("style", "script", "head", "title"):
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def plain(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (_SPACE.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)

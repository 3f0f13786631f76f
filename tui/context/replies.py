"""Reply templates: the shipped ones, their placeholders, and filling them in for one request
(cleaned: the sender's name goes into the clipboard and into a message). Pure."""

from __future__ import annotations

import re

from tui.models import Request

#: The placeholders a reply template may use (config.toml warns about any other).
TEMPLATE_FIELDS = ("first_name", "last_name", "name", "company")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill_template(template: str, request: Request) -> str:
    """Placeholders: ``{first_name}``, ``{last_name}``, ``{name}``, ``{company}``; unknown ones
    are left as written, and braces in the sender's data are never interpreted."""
    from tui.dedup.names import HONORIFICS, SUFFIXES

    def titles(part: str) -> bool:
        return all(w.casefold().rstrip(".") in HONORIFICS | SUFFIXES for w in part.split())

    parts = [p.strip() for p in request.name.split(",") if p.strip()]
    if len(parts) >= 2 and not titles(parts[1]):  # "Nakamura, Kenji": the first name comes second
        parts = [parts[1], parts[0], *parts[2:]]
    words = [w for w in " ".join(parts).split() if w.casefold().rstrip(".") not in HONORIFICS]
    first = request.first_name or (words[0] if words else request.name)
    from tui.text import clean

    # The sender's text goes into the clipboard and into a message: cleaned like anything shown.
    values = dict(zip(TEMPLATE_FIELDS, (first, request.last_name, request.name, request.company), strict=True))
    values = {k: clean(v, 100) for k, v in values.items()}
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


#: (name, text, what choosing it does after copying: "ask" waits for a reply, "decline" declines).
DEFAULT_REPLIES = (
    ("Ask why", "Hi {first_name}, thanks for the invitation. Before I accept: what made you want to connect?", "ask"),
    (
        "Decline kindly",
        (
            "Hi {first_name}, thank you for reaching out. I keep my network to people I know well and "
            "have worked with, so I won't connect for now. All the best."
        ),
        "decline",
    ),
)

"""Context for the judgement: red flags, re-requests and who you know there. Pure.

Hints only: nothing here decides anything. Each flag is a short phrase in words, shown on the card.

* :mod:`tui.context.flags`: red flags, mass-sent messages among them;
* :mod:`tui.context.history`: re-requests (asked again after a decision);
* :mod:`tui.context.company`: who you know at the request's company, and what came from there before;
* :mod:`tui.context.replies`: reply templates and their placeholders;
* :mod:`tui.context.queue`: all of it for a whole queue, worked out once (:class:`QueueContext`).

The names below are re-exported for the callers that want one import.
"""

from tui.context.flags import FLAG_CODES, SALES_PHRASES, Flag, mass_sent, message_groups, red_flags
from tui.context.queue import QueueContext, build_context
from tui.context.replies import DEFAULT_REPLIES, PLACEHOLDER, TEMPLATE_FIELDS, fill_template

__all__ = [
    "DEFAULT_REPLIES",
    "FLAG_CODES",
    "PLACEHOLDER",
    "SALES_PHRASES",
    "TEMPLATE_FIELDS",
    "Flag",
    "QueueContext",
    "build_context",
    "fill_template",
    "mass_sent",
    "message_groups",
    "red_flags",
]

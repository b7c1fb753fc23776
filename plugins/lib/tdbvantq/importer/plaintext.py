"""Inline Markdown written by the importer -> the plain text it shows.

Its own module so that the article model (article.py) and the converter (markdown.py)
both use it without importing each other.
"""

from __future__ import annotations

import re
from functools import lru_cache

_MARKUP = re.compile(
    r"\\([\\`*_\[\]{}#.+\->!|()])|\*\*|\*|!?\[((?:\\.|[^\]\\])*)\]\([^)]*\)|&lt;|&amp;|&#(\d+);"
)


def _plain(match: re.Match) -> str:
    whole = match[0]
    if match[1] is not None:
        return match[1]
    if match[2] is not None:
        # The link's text is Markdown too: an escaped "\[1\]" shows "[1]".
        return strip_markdown(match[2])
    if match[3] is not None:
        return chr(int(match[3]))
    return {"&lt;": "<", "&amp;": "&"}.get(whole, "")


# Remembered: the clutter, byline and caption steps each ask for the same blocks' plain text.
@lru_cache(maxsize=16384)
def strip_markdown(text: str) -> str:
    """The text of inline Markdown: escapes undone, emphasis marks and link targets dropped."""
    return _MARKUP.sub(_plain, text)


def collapse(text: str) -> str:
    """Runs of white space as one space, none at either end."""
    return " ".join(text.split())

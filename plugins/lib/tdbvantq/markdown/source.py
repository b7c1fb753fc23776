"""Which parts of a Markdown content file are prose, and which are code or addresses.

Tools that change text for editors (`check_content.py --fix`) change prose only:
code (fenced, indented, inline), link and image targets, URLs, Pelican's
`{static}`/`{filename}` paths and raw HTML tags stay byte for byte, since a
changed byte there is a broken link, a missing photo or different code. The
build's active-markup check looks outside code only, where Markdown passes
HTML through. A library, not a Pelican plugin.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INDENTED = re.compile(r"^(?: {4}|\t)")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d+[.)])\s")

# Spans of one line that are not prose, leftmost first (the order of the
# alternatives decides overlaps: code, then addresses, then tags).
_NOT_PROSE = re.compile(
    r"""
      (?P<code>(?P<ticks>`+).+?(?P=ticks))                 # inline code
    | (?P<target>\]\([^)]*\))                             # ](link or image target "title")
    | (?P<refdef>^\s{0,3}\[[^\]]+\]:\s*\S+)                # [ref]: target
    | (?P<pelican>(?:\{|\|)(?:static|filename|attach|tag|category|author|index)(?:\}|\|)\S*)
    | (?P<url>(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.|mailto:)[^\s<>"'`]+)
    | (?P<tag></?[a-zA-Z][^<>]*>)                          # raw HTML tag and its attributes
    """,
    re.VERBOSE,
)
_INLINE_CODE = re.compile(r"(`+).+?\1")


def code_block_lines(lines: Sequence[str], body_start: int = 1) -> set[int]:
    """1-based numbers of the lines inside fenced or indented code blocks of the body."""
    inside: set[int] = set()
    fence = ""
    previous_blank = True
    in_indented = False
    for number in range(body_start, len(lines) + 1):
        line = lines[number - 1]
        if fence:
            inside.add(number)
            if line.strip().startswith(fence[0] * len(fence)) and not line.strip().strip(fence[0]):
                fence = ""
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            inside.add(number)
            in_indented = False
            continue
        blank = not line.strip()
        if _INDENTED.match(line) and not blank and (previous_blank or in_indented):
            in_indented = in_indented or not _after_list_item(lines, number)
            if in_indented:
                inside.add(number)
        elif not blank:
            in_indented = False
        previous_blank = blank
    return inside


def _after_list_item(lines: Sequence[str], number: int) -> bool:
    """An indented line after a list item continues the item: it is not code."""
    for earlier in range(number - 2, -1, -1):
        text = lines[earlier]
        if not text.strip():
            continue
        return bool(_LIST_ITEM.match(text) or _INDENTED.match(text))
    return False


def split_prose(line: str) -> list[tuple[str, bool]]:
    """The line cut into (text, is_prose) pieces that join back to it exactly."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for match in _NOT_PROSE.finditer(line):
        if match.start() > at:
            pieces.append((line[at : match.start()], True))
        pieces.append((match.group(), False))
        at = match.end()
    if at < len(line):
        pieces.append((line[at:], True))
    return pieces


def inline_code_spans(line: str) -> list[tuple[int, int]]:
    """The (start, end) columns of the line's inline code spans."""
    return [match.span() for match in _INLINE_CODE.finditer(line)]


def without_inline_code(line: str) -> str:
    """The line with its inline code spans blanked (same length: columns stay)."""
    return _INLINE_CODE.sub(lambda m: " " * len(m.group()), line)

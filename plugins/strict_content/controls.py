"""Control characters in content files: found with their line, and removed by `make fix`.

Word's Shift+Enter pastes U+000B, terminals and other tools leave NUL or ESC;
they are invisible in an editor, break the feeds' XML (the build used to die in
the feed writer without naming the file) and reach pages and the terminal
search raw. Tab, line feed and carriage return (line endings, CRLF or old
CR) are text; every other C0 control, DEL and the C1 controls
(U+0080–U+009F) are reported, by the build and by `make check` alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from tdbvantq.markdown.header import split_lines

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Controls that separate words where they stand: replaced by a space, not removed.
_SPACING = {"\x0b": " ", "\x0c": " "}
_NAMES = {
    "\x00": "NUL",
    "\x0b": "ngắt dòng của Word, Shift+Enter",
    "\x0c": "ngắt trang",
    "\x1b": "ESC, mã điều khiển màn hình",
    "\x7f": "DEL",
}


def describe(char: str) -> str:
    """U+000B (ngắt dòng của Word, Shift+Enter)."""
    name = _NAMES.get(char) or unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def find_control_characters(text: str) -> Iterator[tuple[int, str]]:
    """(line, message) for each line of `text` holding control characters."""
    for number, line in enumerate(split_lines(text.removeprefix("\ufeff")), 1):
        found = CONTROL.findall(line)
        if found:
            kinds = ", ".join(describe(char) for char in dict.fromkeys(found))
            yield number, f"Có {len(found)} ký tự điều khiển ẩn: {kinds}"


def remove_control_characters(line: str) -> tuple[str, int]:
    """`line` without control characters (U+000B and U+000C become a space) and how many."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return _SPACING.get(match.group(), "")

    return CONTROL.sub(replace, line), count

"""The metadata header of a Markdown content file, read as Pelican reads it.

Pelican's Markdown reader uses Python-Markdown's "meta" extension: the header
is `Key: value` lines (indented lines continue the previous value), optionally
between `---` markers, and ends at the first blank line. A line that is
neither ends the header early: Python-Markdown silently turns it and all that
follows into body text, so it is reported as `malformed`.

Shared by the build's strict checks, the content checker and the importer.
A library, not a Pelican plugin (no ``register()``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_RE = re.compile(r"^[ ]{4,}(?P<value>.*)")
BEGIN_RE = re.compile(r"^-{3}(\s.*)?")
END_RE = re.compile(r"^(-{3}|\.{3})(\s.*)?")
_LINE = re.compile(r"([^\r\n]*)(\r\n|\n|\r)?")


def split_lines(text: str) -> list[str]:
    """The lines of `text` without their endings, as Python-Markdown (and so Pelican)
    numbers them: only \r\n, \n and \r end a line. (str.splitlines() also breaks at
    U+000B, U+000C, U+001C–U+001E, U+0085, U+2028 and U+2029, which are text to
    Markdown: a pasted Shift+Enter would shift every line number after it.)"""
    if "\r" not in text:
        # The usual file: str.split, several times faster than the pattern (every
        # build splits every story's text a few times), with the same lines.
        lines = text.split("\n")
        if not lines[-1]:
            lines.pop()  # the end of the text is no line
        return lines
    return [m.group(1) for m in _LINE.finditer(text) if m.group(1) or m.group(2)]


@dataclass
class HeaderField:
    key: str  # lower-cased, as Pelican sees it
    name: str  # as written ("Source_Name")
    value: str  # continuation lines joined with a space
    line: int  # 1-based line of the key


@dataclass
class Header:
    fields: list[HeaderField] = field(default_factory=list)  # in file order, repeats included
    malformed: tuple[int, str] | None = None  # the line that cut the header short
    body_start: int = 1  # 1-based number of the first body line

    def first(self) -> dict[str, HeaderField]:
        """Lower-cased key -> its first occurrence."""
        found: dict[str, HeaderField] = {}
        for item in self.fields:
            found.setdefault(item.key, item)
        return found

    def values(self) -> dict[str, str]:
        """Lower-cased key -> value of its first occurrence."""
        return {key: item.value for key, item in self.first().items()}


def parse_header(text: str | list[str]) -> Header:
    """Split a Markdown file's text (or its lines, without line endings) into its header."""
    lines = split_lines(text.removeprefix("\ufeff")) if isinstance(text, str) else text
    header = Header()
    index = 1 if lines and BEGIN_RE.match(lines[0]) else 0
    while index < len(lines):
        line = lines[index]
        if not line.strip() or END_RE.match(line):
            index += 1
            break
        match = META_RE.match(line)
        if match:
            name = match["key"]
            header.fields.append(HeaderField(name.lower(), name, match["value"].strip(), index + 1))
        elif header.fields and META_MORE_RE.match(line):
            last = header.fields[-1]
            last.value = f"{last.value} {line.strip()}".strip()
        else:
            header.malformed = (index + 1, line)
            break  # not a header line: the body starts here
        index += 1
    header.body_start = index + 1
    return header

"""split_lines numbers lines as Python-Markdown does (only \\r\\n, \\n and \\r end one),
by str.split when the text has no carriage return and by a pattern otherwise: both
give the pattern's lines."""

from __future__ import annotations

import re

import pytest

from tdbvantq.markdown.header import split_lines

_LINE = re.compile(r"([^\r\n]*)(\r\n|\n|\r)?")


def by_pattern(text: str) -> list[str]:
    return [m.group(1) for m in _LINE.finditer(text) if m.group(1) or m.group(2)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "\n\n",
        "a",
        "a\n",
        "a\n\n",
        "a\nb",
        "a\n\nb\n",
        "Title: x\nDate: 2024-01-01 08:00\n\nBody\u000bsame line\u2028too\n",
        "a\r\nb\rc\n",
        "a\r",
        "\r\n",
    ],
)
def test_split_lines_gives_the_pattern_lines(text):
    assert split_lines(text) == by_pattern(text)

"""Plain text from Pelican's HTML (article content and summaries).

Shared by the search index and the model catalogue. A library, not a Pelican
plugin (no ``register()``).
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

# Block elements end a sentence-ish unit: keep a line break so no bigram spans them.
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "figcaption",
    "figure",
    "table",
    "tr",
    "td",
    "th",
    "section",
    "article",
}
_SKIP = {"script", "style", "template"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.skipping:
            self.skipping -= 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(value: str | None, block_separator: str = "\n") -> str:
    """Text of an HTML fragment, one line per block element, whitespace tidied.

    ``block_separator="\n\n"`` leaves a blank line between blocks, so a
    sentence splitter never runs one paragraph into the next.
    """
    if not value:
        return ""
    value = str(value)
    if "<" not in value:
        return html.unescape(value).strip()
    parser = _TextParser()
    parser.feed(value)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return block_separator.join(line for line in lines if line)

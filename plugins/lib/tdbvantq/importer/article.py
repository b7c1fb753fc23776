"""The importer's model of an article, whatever the source it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tdbvantq.importer.plaintext import strip_markdown


@dataclass
class Figure:
    """A photo of the story: remote `src` (None when only the caption is known) and caption."""

    src: str | None
    caption: str = ""
    alt: str = ""
    local: str | None = None  # path under content/ once downloaded, e.g. images/<slug>/01-x.jpg


@dataclass
class Block:
    """One block of the body. `text` is inline Markdown (already escaped) for p/h2/h3/quote."""

    kind: str  # "p", "h2", "h3", "quote", "ul", "ol", "figure", "table"
    text: str = ""
    items: list[str] = field(default_factory=list)  # list items; for a table, its rows
    figure: Figure | None = None
    cells: list[list[str]] = field(
        default_factory=list
    )  # a table's rows of cells (inline Markdown)
    link_share: float = 0.0  # share of the block's text that is link text (clutter checks)

    @property
    def plain(self) -> str:
        """Text without Markdown markup, for comparisons and clutter checks."""
        if self.kind == "figure" and self.figure:
            return self.figure.caption
        if self.cells:
            return "\n".join(" ".join(strip_markdown(cell) for cell in row) for row in self.cells)
        if self.items:
            return "\n".join(strip_markdown(item) for item in self.items)
        return strip_markdown(self.text)


@dataclass
class Article:
    title: str
    date: datetime | None = None
    authors: list[str] = field(default_factory=list)
    summary: str = ""
    source_url: str | None = None
    source_name: str | None = None
    category: str = "Tin tức"
    blocks: list[Block] = field(default_factory=list)
    image: Figure | None = None  # the lead photo: metadata Image / Image_Caption
    tags: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    unknown_models: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    draft: bool = False  # written with `Status: draft` (also whenever there is no date)

    @property
    def author(self) -> str | None:
        """Every author, as one line ("A, B"): the `author` of reports."""
        return ", ".join(self.authors) or None

    def plain_text(self) -> str:
        """Title, summary and body as plain text (model detection, tags)."""
        parts = [self.title, self.summary]
        parts += [block.plain for block in self.blocks]
        return "\n".join(part for part in parts if part)


class NotAnArticle(ValueError):
    """The source holds no article (home page, empty text, image...); the message says why."""

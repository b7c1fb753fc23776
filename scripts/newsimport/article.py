"""The importer's model of an article, whatever the source it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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

    kind: str  # "p", "h2", "h3", "quote", "ul", "ol", "figure"
    text: str = ""
    items: list[str] = field(default_factory=list)
    figure: Figure | None = None

    @property
    def plain(self) -> str:
        """Text without Markdown markup, for comparisons and clutter checks."""
        from newsimport.markdown import strip_markdown  # markdown.py imports this module

        if self.kind == "figure" and self.figure:
            return self.figure.caption
        if self.items:
            return "\n".join(strip_markdown(item) for item in self.items)
        return strip_markdown(self.text)


@dataclass
class Article:
    title: str
    date: datetime | None = None
    author: str | None = None
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

    def plain_text(self) -> str:
        """Title, summary and body as plain text (model detection, tags)."""
        parts = [self.title, self.summary]
        parts += [block.plain for block in self.blocks]
        return "\n".join(part for part in parts if part)


class NotAnArticle(ValueError):
    """The source holds no article (home page, empty text, image...); the message says why."""

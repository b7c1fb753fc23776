"""A content file read the way Pelican's Markdown reader reads it: header, then body."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tdbvantq.markdown.header import parse_header, split_lines

ARTICLE, MODEL, PAGE = "article", "model", "page"


@dataclass
class Field:
    key: str  # as written ("Source_Name")
    value: str  # continuation lines joined with a space
    line: int  # 1-based line of the key


@dataclass
class Document:
    path: Path
    kind: str  # ARTICLE, MODEL or PAGE
    content_root: Path
    lines: list[str]  # without line endings
    meta: dict[str, Field] = field(default_factory=dict)  # lowercased key -> first occurrence
    repeated: list[Field] = field(default_factory=list)  # second and later occurrences
    body_start: int = 1  # 1-based number of the first body line
    decode_error: str | None = None
    bad_byte_line: int = 1
    text: str = ""  # the whole text as read

    def value(self, key: str) -> str:
        found = self.meta.get(key)
        return found.value if found else ""

    def line_of(self, key: str) -> int:
        found = self.meta.get(key)
        return found.line if found else 1

    def body_lines(self) -> list[tuple[int, str]]:
        return [
            (number, line) for number, line in enumerate(self.lines, 1) if number >= self.body_start
        ]


def read_document(path: Path, kind: str, content_root: Path) -> Document:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as problem:
        doc = Document(path, kind, content_root, [], decode_error=problem.reason)
        doc.bad_byte_line = raw[: problem.start].count(b"\n") + 1
        return doc
    lines = split_lines(text.removeprefix("\ufeff"))
    doc = Document(path, kind, content_root, lines, text=text)
    _parse_header(doc)
    return doc


def read_document_text(path: Path, text: str, content_root: Path, kind: str = ARTICLE) -> Document:
    """A document from text in memory (e.g. a fix not yet written), as if read from `path`."""
    doc = Document(path, kind, content_root, split_lines(text.removeprefix("\ufeff")), text=text)
    _parse_header(doc)
    return doc


def _parse_header(doc: Document) -> None:
    header = parse_header(doc.lines)
    for item in header.fields:
        found = Field(item.name, item.value, item.line)
        if item.key in doc.meta:
            doc.repeated.append(found)
        else:
            doc.meta[item.key] = found
    doc.body_start = header.body_start

"""XQuAD-vi (../shared/benchmarks/xquad/) as search documents and questions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sitebench import SHARED
from sitebench.sitebuild import article_date, article_markdown, article_url
from tdbvantq import text as vntext

XQUAD = SHARED / "xquad" / "xquad.vi.json"


@dataclass(frozen=True)
class Paragraph:
    id: str  # xquad-<article>-<paragraph>
    title: str  # the Wikipedia article's title
    context: str  # NFC, the site's tone placement
    questions: list[str]


def xquad_paragraphs(path: Path = XQUAD) -> list[Paragraph]:
    """Every paragraph with the questions written about it, in file order."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Paragraph(
            id=f"xquad-{a:02d}-{p:02d}",
            title=article["title"].replace("_", " "),
            context=vntext.normalize(paragraph["context"].lstrip("\ufeff")),
            questions=[qa["question"] for qa in paragraph["qas"]],
        )
        for a, article in enumerate(data["data"])
        for p, paragraph in enumerate(article["paragraphs"])
    ]


def write_xquad_articles(folder: Path, path: Path = XQUAD) -> list[tuple[str, str]]:
    """One article per paragraph in `folder` (no Summary: Pelican makes it); (question, URL) pairs."""
    folder.mkdir(parents=True, exist_ok=True)
    questions = []
    for number, paragraph in enumerate(xquad_paragraphs(path)):
        date = article_date(number, year=2020)
        text = article_markdown(paragraph.title, date, paragraph.id, [paragraph.context])
        (folder / f"{paragraph.id}.md").write_text(text, encoding="utf-8")
        questions += [(q, article_url(date, paragraph.id)) for q in paragraph.questions]
    return questions


def load_xquad(path: Path = XQUAD) -> tuple[list, list[tuple[str, str]]]:
    """Paragraph documents (vnsearch.SearchDocument) and (question, paragraph id) pairs."""
    from tdbvantq.search import SearchDocument  # noqa: PLC0415 - only the index tests need it

    documents, questions = [], []
    for paragraph in xquad_paragraphs(path):
        documents.append(
            SearchDocument(
                id=paragraph.id,
                kind="article",
                url=f"xquad/{paragraph.id}/",
                title=paragraph.title,
                body=paragraph.context,
            )
        )
        questions += [(q, paragraph.id) for q in paragraph.questions]
    return documents, questions

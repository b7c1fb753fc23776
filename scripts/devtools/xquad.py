"""XQuAD-vi (../shared/benchmarks/xquad/) as search documents and questions."""

from __future__ import annotations

import json
from pathlib import Path

import vntext
from vnsearch import SearchDocument

XQUAD = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "xquad" / "xquad.vi.json"


def load_xquad(path: Path = XQUAD) -> tuple[list[SearchDocument], list[tuple[str, str]]]:
    """Paragraph documents and (question, paragraph id) pairs."""
    data = json.loads(path.read_text(encoding="utf-8"))
    documents, questions = [], []
    for a, article in enumerate(data["data"]):
        for p, paragraph in enumerate(article["paragraphs"]):
            doc_id = f"xquad-{a:02d}-{p:02d}"
            documents.append(
                SearchDocument(
                    id=doc_id,
                    kind="article",
                    url=f"xquad/{doc_id}/",
                    title=article["title"].replace("_", " "),
                    body=vntext.normalize(paragraph["context"].lstrip("\ufeff")),
                )
            )
            questions += [(qa["question"], doc_id) for qa in paragraph["qas"]]
    return documents, questions

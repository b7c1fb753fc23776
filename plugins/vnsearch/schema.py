"""The Whoosh schema and the documents the index holds."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from math import log

from vnsearch._whoosh import fields, scoring
from vnsearch.analysis import bigram_analyzer, exact_analyzer
from vnsearch.ranking import (
    BIGRAM_SUFFIX,
    BM25_B,
    BM25_K1,
    EXACT_SUFFIX,
    TEXT_FIELDS,
)

# vnsearch-2: no folded twin fields (folded matches are read from the exact field's variants).
FORMAT = "vnsearch-2"


@dataclass
class SearchDocument:
    """One article or model page, as plain text."""

    id: str
    kind: str  # "article" | "model"
    url: str
    title: str
    summary: str = ""
    body: str = ""
    models: list[str] = field(default_factory=list)  # display names (and aliases for a model)
    model_slugs: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    locality: list[str] = field(default_factory=list)
    date: str = ""  # ISO 8601

    @property
    def year(self) -> str:
        return self.date[:4] if self.date[:4].isdigit() else ""

    def document(self) -> SearchDocument:
        return self

    def content_hash(self) -> str:
        payload = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def field_text(self, name: str) -> str:
        value = getattr(self, name)
        # Items are separated by a boundary so no bigram spans two tags.
        return "\n".join(value) if isinstance(value, list) else value


def build_schema() -> fields.Schema:
    text_fields = {}
    for name in TEXT_FIELDS:
        text_fields[name + EXACT_SUFFIX] = fields.TEXT(analyzer=exact_analyzer(), phrase=False)
        text_fields[name + BIGRAM_SUFFIX] = fields.TEXT(analyzer=bigram_analyzer(), phrase=False)
    stored = {
        f"{name}_text": fields.STORED() for name in ("title", "summary", "body", "tags", "locality")
    }
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        kind=fields.ID(stored=True),
        url=fields.STORED(),
        model_slugs=fields.KEYWORD(stored=True, commas=True),
        model_names=fields.STORED(),
        date=fields.STORED(),
        year=fields.ID(stored=True),
        content_hash=fields.STORED(),
        **stored,
        **text_fields,
    )


def whoosh_fields(doc: SearchDocument, content_hash: str | None = None) -> dict:
    """The keyword arguments of writer.add_document for one document."""
    values = {
        "id": doc.id,
        "kind": doc.kind,
        "url": doc.url,
        "model_slugs": ",".join(doc.model_slugs),
        "model_names": list(doc.models if doc.kind != "model" else doc.models[:1]),
        "date": doc.date,
        "year": doc.year,
        "content_hash": content_hash or doc.content_hash(),
        "title_text": doc.title,
        "summary_text": doc.summary,
        "body_text": doc.body,
        "tags_text": list(doc.tags),
        "locality_text": list(doc.locality),
    }
    for name in TEXT_FIELDS:
        text = doc.field_text(name)
        if name == "models" and doc.kind == "model":
            text += "\n" + "\n".join(slug.replace("-", " ") for slug in doc.model_slugs)
        if not text:
            continue
        for suffix in (EXACT_SUFFIX, BIGRAM_SUFFIX):
            values[name + suffix] = text
    return values


def idf(doc_count: int, doc_frequency: int) -> float:
    """Lucene's BM25 idf: near 0 for syllables in every document ("của", "và", "đã")."""
    return log(1 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))


class VnBM25F(scoring.BM25F):
    """Whoosh's per-field BM25 with Lucene's idf instead of ln(N/(df+1))+1."""

    def idf(self, searcher, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        return idf(parent.doc_count_all(), parent.doc_frequency(fieldname, text))


def weighting() -> scoring.BM25F:
    return VnBM25F(B=BM25_B, K1=BM25_K1)

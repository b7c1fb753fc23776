"""The Whoosh schema and the documents the index holds."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from math import log

from tdbvantq.search._whoosh import columns, fields, formats
from tdbvantq.search.analysis import AcronymMatcher, AnalyzedDocument, analyze_document
from tdbvantq.search.generations import FORMAT  # noqa: F401 - its home before generations.py
from tdbvantq.search.ranking import TEXT_FIELDS

TERMS = "terms"
ADJACENCY = "adjacency"


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
    # Place pages the story is listed on ("hue", "hue/phuong-phong-thai"), and their names.
    place_slugs: list[str] = field(default_factory=list)
    place_names: list[str] = field(default_factory=list)
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


class WeightedTerms(fields.FieldType):
    """An indexed field fed with {term: q} already analysed (vnsearch.analysis):
    one posting per term with q as its weight, no positions, no lengths.

    Whoosh's own analyzer chain would tokenize again and pay per token; the
    document is analysed once, for the weights and the adjacency text together.
    """

    def __init__(self) -> None:
        # scorable: Whoosh keeps a lengths column (a byte a document); without one,
        # every length lookup looks for a missing file. The index writer's codec
        # (store._Codec) does not look lengths up at all.
        super().__init__(formats.Existence(), analyzer=None, scorable=True)

    def index(self, value: dict[str, int], **kwargs):
        return ((term.encode("utf-8"), 1, float(q), b"") for term, q in value.items())


def build_schema() -> fields.Schema:
    stored = {
        f"{name}_text": fields.STORED() for name in ("title", "summary", "body", "tags", "locality")
    }
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        kind=fields.ID(stored=True),
        url=fields.STORED(),
        model_slugs=fields.KEYWORD(stored=True, commas=True),
        model_names=fields.STORED(),
        place_slugs=fields.KEYWORD(stored=True, commas=True),
        place_names=fields.STORED(),
        date=fields.STORED(),
        year=fields.ID(stored=True),
        content_hash=fields.STORED(),
        **stored,
        **{TERMS: WeightedTerms(), ADJACENCY: fields.COLUMN(columns.VarBytesColumn())},
    )


def analyze(doc: SearchDocument, acronyms: AcronymMatcher) -> AnalyzedDocument:
    """The document's text fields, in FIELD_WEIGHTS order, analysed once."""
    texts = {}
    for name in TEXT_FIELDS:
        text = doc.field_text(name)
        if name == "models" and doc.kind == "model":
            text += "\n" + "\n".join(slug.replace("-", " ") for slug in doc.model_slugs)
        texts[name] = text
    return analyze_document(texts, acronyms)


def whoosh_fields(
    doc: SearchDocument, content_hash: str | None = None, acronyms: AcronymMatcher | None = None
) -> dict:
    """The keyword arguments of writer.add_document for one document."""
    analyzed = analyze(doc, acronyms or AcronymMatcher(None))
    values = {
        "id": doc.id,
        "kind": doc.kind,
        "url": doc.url,
        "model_slugs": ",".join(doc.model_slugs),
        "model_names": list(doc.models if doc.kind != "model" else doc.models[:1]),
        "place_slugs": ",".join(doc.place_slugs),
        "place_names": list(doc.place_names),
        "date": doc.date,
        "year": doc.year,
        "content_hash": content_hash or doc.content_hash(),
        "title_text": doc.title,
        "summary_text": doc.summary,
        "body_text": doc.body,
        "tags_text": list(doc.tags),
        "locality_text": list(doc.locality),
        # A column, not a stored field: the phrase test reads it without the text.
        ADJACENCY: analyzed.adjacency.encode("utf-8"),
    }
    if analyzed.weights:
        values[TERMS] = analyzed.weights
    return values


def idf(doc_count: int, doc_frequency: int) -> float:
    """Lucene's BM25 idf: near 0 for syllables in every document ("của", "và", "đã").

    A folded clause's df (the sum of its spellings') can pass N: it is capped
    there, so no score is ever negative.
    """
    doc_frequency = min(doc_frequency, doc_count)
    return log(1 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))

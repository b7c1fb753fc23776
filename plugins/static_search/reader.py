"""Read everything the static index needs out of the Whoosh index.

Only vnsearch's public `SearchEngine` opens the index (vnsearch stays the only
importer of whoosh); the reader it exposes is used through Whoosh's plain
reader methods (iter_docs, iter_field, postings, doc_frequency, lengths).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from vnsearch import SearchEngine
from vnsearch.ranking import BIGRAM_SUFFIX, EXACT_SUFFIX, TEXT_FIELDS


def indexed_fields() -> list[str]:
    """The 12 indexed text fields, in a fixed order: title, title_bi, models, ..."""
    return [name + suffix for name in TEXT_FIELDS for suffix in (EXACT_SUFFIX, BIGRAM_SUFFIX)]


@dataclass
class IndexedDocument:
    docnum: int  # Whoosh's document number (ties in ranking go to the lower one)
    stored: dict
    lengths: dict[str, int] = field(default_factory=dict)  # Whoosh's quantized field lengths


@dataclass
class IndexSnapshot:
    total_docs: int  # doc_count_all(): the N of Whoosh's idf, deleted documents included
    average: dict[str, float]  # Whoosh's avg_field_length per field
    documents: list[IndexedDocument]
    glossary: dict[str, list[str]]


def read_snapshot(index_dir: Path | str) -> tuple[IndexSnapshot, Iterator[tuple[str, str, int, list[tuple[int, float]]]]]:
    """Statistics and stored fields now; postings lazily, as (field, term, df, [(docnum, weight)])."""
    engine = SearchEngine(index_dir)
    reader = engine.reader
    total = reader.doc_count_all()
    fields = indexed_fields()
    average = {name: reader.field_length(name) / (total or 1) for name in fields}
    documents = []
    for docnum, stored in reader.iter_docs():
        lengths = {name: reader.doc_field_length(docnum, name) or 0 for name in fields}
        documents.append(IndexedDocument(docnum, dict(stored), lengths))
    snapshot = IndexSnapshot(total, average, documents, dict(engine.glossary.entries))

    # vnsearch's bulk reader: one pass over each segment's terms, postings read
    # block by block (the same live (docnum, tf) pairs as Whoosh's matcher API).
    def postings() -> Iterator[tuple[str, str, int, list[tuple[int, float]]]]:
        try:
            for name in fields:
                for term, df, items in engine.postings.field_postings(name):
                    if items:
                        yield name, term, df, items
        finally:
            engine.close()

    return snapshot, postings()

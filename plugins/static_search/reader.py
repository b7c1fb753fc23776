"""Read everything the static index needs out of the Whoosh index.

Only vnsearch's public `SearchEngine` opens the index (vnsearch stays the only
importer of whoosh); its `PostingReader` reads the `terms` field in bulk and
Whoosh's plain `iter_docs` gives the stored fields.

The snapshot holds each document's short stored fields only (date, url, facets).
Its texts and its adjacency text are read again from the index when the export
reaches that document (`texts`, `adjacency`): held for every document at once,
they were the export's largest table after the postings (~1.5 GB at 100,000
stories).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tdbvantq.search import SearchEngine

# Stored fields read per document when needed, not held for every document.
TEXT_FIELDS = ("title_text", "summary_text", "body_text", "tags_text", "locality_text")


@dataclass
class IndexedDocument:
    docnum: int  # Whoosh's document number (ties in ranking go to the lower one)
    stored: dict  # the stored fields but TEXT_FIELDS


@dataclass
class IndexSnapshot:
    total_docs: int  # doc_count(): the N of the idf, live documents only
    documents: list[IndexedDocument]
    glossary: dict[str, list[str]]
    synonyms: list[dict] = field(default_factory=list)  # vntext.Synonyms.query_rules()
    engine: SearchEngine | None = None  # open until close()
    # (docnum, identity) of the deleted documents still in the index (counted nowhere).
    deleted: list[tuple[int, tuple[str, str]]] = field(default_factory=list)

    def texts(self, document: IndexedDocument) -> dict:
        """Every stored field of the document, its texts included."""
        assert self.engine is not None
        return dict(self.engine.searcher.stored_fields(document.docnum))

    def adjacency(self, document: IndexedDocument) -> str:
        """Folded syllables, BREAK between runs (vnsearch.analysis)."""
        assert self.engine is not None
        return self.engine.adjacency(document.docnum).decode("utf-8")

    def document_terms(self, docnums: list[int]) -> dict[int, list[tuple[str, int]]]:
        """(term, q) of each of `docnums` (live or deleted), from their segments only."""
        assert self.engine is not None
        return self.engine.postings.document_terms(docnums)

    def posting_arrays(self) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        """Every live posting of the index, as `PostingReader.posting_arrays` gives them."""
        assert self.engine is not None
        return self.engine.postings.posting_arrays()

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
            self.engine = None


def read_snapshot(
    index_dir: Path | str,
    generation: Path | None = None,
) -> tuple[IndexSnapshot, Iterator[tuple[str, int, list[tuple[int, int]]]]]:
    """Statistics and short stored fields now; postings lazily, as (term, df,
    [(docnum, q)]). The snapshot reads the index until its close().

    `generation`: the one to read (default: the current one)."""
    engine = SearchEngine(index_dir, generation)
    reader = engine.reader
    documents = [
        IndexedDocument(docnum, {k: v for k, v in stored.items() if k not in TEXT_FIELDS})
        for docnum, stored in reader.iter_docs()
    ]
    deleted = [
        (docnum, identity(engine.searcher.stored_fields(docnum)))
        for docnum in engine.postings.deleted_docnums()
    ]
    snapshot = IndexSnapshot(
        reader.doc_count(),
        documents,
        dict(engine.glossary.entries),
        engine.synonyms,
        engine,
        deleted,
    )
    return snapshot, engine.postings.all_postings()


def identity(stored: dict) -> tuple[str, str]:
    """What a document is: its id and the hash of everything it was made from
    (search_index's content_hash). Two documents of equal identity hold the same
    terms, adjacency and stored fields."""
    return (str(stored.get("id", "")), str(stored.get("content_hash", "")))

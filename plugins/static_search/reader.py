"""Read everything the static index needs out of the Whoosh index.

Only vnsearch's public `SearchEngine` opens the index (vnsearch stays the only
importer of whoosh); its `PostingReader` reads the `terms` field in bulk and
Whoosh's plain `iter_docs` gives the stored fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tdbvantq.search import SearchEngine


@dataclass
class IndexedDocument:
    docnum: int  # Whoosh's document number (ties in ranking go to the lower one)
    stored: dict
    adjacency: str  # folded syllables, BREAK between runs (vnsearch.analysis)


@dataclass
class IndexSnapshot:
    total_docs: int  # doc_count_all(): the N of the idf, deleted documents included
    documents: list[IndexedDocument]
    glossary: dict[str, list[str]]
    synonyms: list[dict] = field(default_factory=list)  # vntext.Synonyms.query_rules()


def read_snapshot(
    index_dir: Path | str,
    generation: Path | None = None,
) -> tuple[IndexSnapshot, Iterator[tuple[str, int, list[tuple[int, int]]]]]:
    """Statistics and stored fields now; postings lazily, as (term, df, [(docnum, q)]).

    `generation`: the one to read (default: the current one)."""
    engine = SearchEngine(index_dir, generation)
    reader = engine.reader
    documents = [
        IndexedDocument(docnum, dict(stored), engine.adjacency(docnum).decode("utf-8"))
        for docnum, stored in reader.iter_docs()
    ]
    snapshot = IndexSnapshot(
        reader.doc_count_all(), documents, dict(engine.glossary.entries), engine.synonyms
    )

    def postings() -> Iterator[tuple[str, int, list[tuple[int, int]]]]:
        try:
            for term, df, items in engine.postings.all_postings():
                if items:
                    yield term, df, items
        finally:
            engine.close()

    return snapshot, postings()

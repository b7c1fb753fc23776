"""A plain Whoosh index (StandardAnalyzer, default BM25F, OR of the query's words):
the baseline the relevance benchmark measures vnsearch against."""

from __future__ import annotations

from pathlib import Path

from tdbvantq.search._whoosh import FileStorage, Or, Term, analysis, fields, scoring


class PlainIndex:
    def __init__(self, index_dir: Path | str, documents: list[tuple[str, str, str]]) -> None:
        """documents: (id, title, body)."""
        self.analyzer = analysis.StandardAnalyzer()
        schema = fields.Schema(
            id=fields.ID(unique=True, stored=True),
            title=fields.TEXT(analyzer=self.analyzer),
            body=fields.TEXT(analyzer=self.analyzer),
        )
        Path(index_dir).mkdir(parents=True, exist_ok=True)
        self.index = FileStorage(str(index_dir)).create_index(schema)
        writer = self.index.writer()
        for doc_id, title, body in documents:
            writer.add_document(id=doc_id, title=title, body=body)
        writer.commit()
        self.searcher = self.index.searcher(weighting=scoring.BM25F())

    def search(self, query: str, limit: int = 10) -> list[str]:
        words = list(dict.fromkeys(t.text for t in self.analyzer(query)))
        if not words:
            return []
        q = Or([Term(f, w) for w in words for f in ("title", "body")])
        return [hit["id"] for hit in self.searcher.search(q, limit=limit)]

    def close(self) -> None:
        self.searcher.close()
        self.index.close()

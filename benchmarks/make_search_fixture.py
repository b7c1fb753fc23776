"""Regenerate the browser search's committed test fixture (tests/js/fixtures/).

    python benchmarks/make_search_fixture.py

Builds the Whoosh index of the ranking tests' corpus (tests/search_corpus.py),
exports it with plugins/static_search into tests/js/fixtures/search-index/, and
records the command-line engine's top 5 for the ranking queries in
tests/js/fixtures/search-expected.json. tests/js/search-engine.test.mjs checks
that the browser engine returns the same. Run it after changing the ranking,
the export format or the corpus.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from search_index.plugin import collect_documents
from sitebench.search_corpus import ACRONYMS, SYNONYMS, articles, models, ranking_queries
from static_search.export import export_static_index
from tdbvantq.search import SearchEngine, build_index

ROOT = Path(__file__).resolve().parents[1]

FIXTURES = ROOT / "tests" / "js" / "fixtures"


def make_fixture(target: Path = FIXTURES, limit: int = 5) -> int:
    """Write the static index and the expected answers; returns the number of queries."""
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "index"
        build_index(index_dir, collect_documents(articles(), models()), ACRONYMS, SYNONYMS)
        static_dir = target / "search-index"
        shutil.rmtree(static_dir, ignore_errors=True)
        export_static_index(index_dir, static_dir, shard_bytes=16000, chunk_bytes=6000)
        expected = []
        with SearchEngine(index_dir) as engine:
            for query in ranking_queries():
                response = engine.search(query, limit=limit)
                expected.append(
                    {
                        "query": query,
                        "total": response.total,
                        "results": [
                            {"url": r.url, "score": r.score, "snippet": r.snippet}
                            for r in response.results
                        ],
                    }
                )
    (target / "search-expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return len(expected)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", type=Path, default=FIXTURES, help="fixture folder")
    args = parser.parse_args(argv)
    count = make_fixture(args.target)
    print(f"{args.target}: static index and {count} expected answers written")
    return 0


if __name__ == "__main__":
    sys.exit(main())

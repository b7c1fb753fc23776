"""An edit leaves the story's old copy in the Whoosh index as a deleted document
until its segment is merged. Both engines count live documents only (df and N),
so an updated index ranks exactly as one built afresh from the same stories, the
terminal and the browser still agree on it, and the browser export of an edit
re-encodes only the shards of the terms whose entries it changes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from search_index.plugin import collect_documents
from sitebench.search_corpus import ACRONYMS, SYNONYMS, articles, models, ranking_queries
from static_search.export import export_static_index, key_of, term_hash
from support.search import assert_browser_equals_terminal
from tdbvantq.search import SearchEngine, build_index
from tdbvantq.search.planning import plan_query

EDITED = ("2024/sua-duong-lien-thon/", "2024/le-hoi-dau-xuan/")
SIZES = {"shard_bytes": 500, "chunk_bytes": 3000}


def _edited(docs: list, url: str, old: str, new: str) -> None:
    """A few words of the body replaced by as many syllables: the story's length, so
    the q of its other terms, stays (a longer body would change nearly every q of
    these short test stories, and their shards would all be patched anyway)."""
    target = next(i for i, d in enumerate(docs) if d.url == url)
    assert old in docs[target].body and len(old.split()) == len(new.split())
    docs[target] = replace(docs[target], body=docs[target].body.replace(old, new))


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    """(updated index with deleted copies, the same stories indexed afresh, the
    updated index's browser export (incremental), its report, the shard count)."""
    base = tmp_path_factory.mktemp("live")
    docs = [source.document() for source in collect_documents(articles(), models())]
    assert {d.url for d in docs} >= set(EDITED)
    updated, fresh, cache = base / "updated", base / "fresh", base / "cache"
    build_index(updated, docs, ACRONYMS, SYNONYMS)
    first = export_static_index(updated, base / "out-0", cache=cache, **SIZES)
    _edited(docs, EDITED[0], "nông sản", "lúa gạo")
    _edited(docs, EDITED[1], "thanh niên", "dân quân")
    build_index(updated, docs, ACRONYMS, SYNONYMS)
    build_index(fresh, docs, ACRONYMS, SYNONYMS)
    report = export_static_index(updated, base / "out-1", cache=cache, **SIZES)
    export_static_index(fresh, base / "fresh-out", **SIZES)
    return updated, fresh, base, report, first.shards


def _by_url(engine: SearchEngine, scores: dict[int, float]) -> dict[str, float]:
    return {engine.searcher.stored_fields(d)["url"]: s for d, s in scores.items()}


def test_the_updated_index_holds_deleted_copies(indexes):
    updated, fresh, *_ = indexes
    with SearchEngine(updated) as engine, SearchEngine(fresh) as cold:
        assert engine.reader.doc_count_all() == engine.reader.doc_count() + len(EDITED)
        assert engine.postings.n_live == cold.postings.n_live == cold.reader.doc_count_all()
        # The terms of the old copies: Whoosh counts the deleted copies, the engine does not.
        deleted = engine.postings.deleted_docnums()
        terms = {t for found in engine.postings.document_terms(deleted).values() for t, _ in found}
        assert len(deleted) == len(EDITED) and len(terms) > 50
        for term in terms:
            whole = engine.searcher.doc_frequency("terms", term)
            assert whole > engine.postings.doc_frequency(term) == cold.postings.doc_frequency(term)


def test_an_updated_index_scores_every_document_as_a_fresh_one(indexes):
    updated, fresh, *_ = indexes
    compared = 0
    with SearchEngine(updated) as engine, SearchEngine(fresh) as cold:
        for query in ranking_queries():
            plan = plan_query(query, engine.glossary)
            if not plan.units:
                continue
            mine = _by_url(engine, engine.score_all(plan))
            assert mine == _by_url(cold, cold.score_all(plan)), query
            compared += bool(mine)
    assert compared > 50


def test_the_browser_equals_the_terminal_on_an_index_with_deleted_copies(indexes):
    updated, _fresh, base, *_ = indexes
    queries = ranking_queries() + ["vận chuyển lúa gạo", "dân quân hướng dẫn", "nông sản"]
    browser = assert_browser_equals_terminal(base / "out-1", updated, queries)
    assert browser[-3]["results"][0]["url"] == EDITED[0]
    assert browser[-2]["results"][0]["url"] == EDITED[1]
    assert EDITED[0] not in {r["url"] for r in browser[-1]["results"]}


def test_the_shards_after_an_edit_are_those_of_a_fresh_index(indexes):
    """Term shards and their directory pages, byte for byte (the docs table differs:
    it holds Whoosh's document order, where an edited story comes last)."""
    _updated, _fresh, base, *_ = indexes

    def shards(root: Path) -> dict[str, bytes]:
        files = list((root / "t").iterdir()) + list((root / "d").glob("t*"))
        return {f"{p.parent.name}/{p.name}": p.read_bytes() for p in files}

    mine = shards(base / "out-1")
    assert len(mine) > 10 and mine == shards(base / "fresh-out")


def test_an_edit_patches_only_the_shards_of_the_terms_it_changes(indexes):
    updated, _fresh, _base, report, shard_count = indexes
    assert report.patched is not None and report.shards == shard_count
    # Before, every term of the edited stories changed its df, so their shards
    # were all patched. Now only the terms whose entry changes are.
    with SearchEngine(updated) as engine:
        holders = set()
        live = {stored["url"]: docnum for docnum, stored in engine.reader.iter_docs()}
        for url in EDITED:
            docnum = live[url]
            for term, _q in engine.postings.document_terms([docnum])[docnum]:
                holders.add(term_hash(key_of(term)) % shard_count)
    assert 0 < report.patched < len(holders) // 3

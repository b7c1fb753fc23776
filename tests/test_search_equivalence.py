"""The engine's fast paths give exactly what the plain formula gives.

`SearchEngine` reads postings in bulk, scores only the documents a query can
keep, visits only the documents that can reach the top, and snippets look at
the hits only. On real text (the search corpus, and longer stories made of its
articles, with exact duplicates (ties) and an index of two segments with a
deletion) each is compared with a straightforward version: the scores with the
browser engine (search-engine.js scores every document, as the README's
formula reads; the ranking is written twice, not three times: hand-computed
cases are in tests/test_search_ranking.py), the top with sorting every scored
document, the snippets with trying every window.
"""

from __future__ import annotations

import html
import random
from collections import Counter
from dataclasses import replace

import pytest

from search_index.plugin import collect_documents
from sitebench.search_corpus import ACRONYMS, articles, models
from static_search.export import export_static_index
from support.search import run_node
from tdbvantq import text as vntext
from tdbvantq.search import SearchDocument, SearchEngine, build_index, plan_query
from tdbvantq.search.analysis import syllables
from tdbvantq.search.snippet import (
    ADJACENT_GAIN,
    DISTINCT_GAIN,
    MAX_TEXT,
    WINDOW,
    _focus,
    make_snippet,
)

FIXED_QUERIES = [
    "dong ho tu quan",
    "dòng họ tự quản",
    "camera an ninh",
    "an ninh trật tự",
    "PCCC",
    "to lien gia an toan",
    "tổ liên gia",
    "hoà giải",
    "hòa giải",
    "đường",
    "duong",
    "xã",
    "an ninh",
    "Tổ quốc",
    "TDBVANTQ",
    "phòng cháy chữa cháy ở đâu và bao nhiêu người tham gia",
    "công an xã",
    "của",
    "camera",
    "zzzz",
    "an an an ninh ninh",
    # accented misspellings of stop syllables, alone and beside a word; full-width letters
    "trõng",
    "cũa",
    "trõng tài",
    "ｃａｍｅｒａ",
    "ＡＮＴＴ",
]


def corpus() -> list[SearchDocument]:
    """The search corpus, plus long stories made of its articles' real text and
    exact copies of some (equal scores: ties go to the lower document number)."""
    documents = [source.document() for source in collect_documents(articles(), models())]
    stories = [d for d in documents if d.kind == "article"]
    rng = random.Random(12)
    long_ones = []
    for number in range(40):
        parts = rng.sample(stories, rng.randint(2, 7))
        long_ones.append(
            SearchDocument(
                id=f"article:dai/{number}/",
                kind="article",
                url=f"dai/{number}/",
                title=parts[0].title,
                summary=parts[-1].summary,
                body="\n\n".join(part.body for part in parts),
                date=f"20{20 + number % 5}-03-0{1 + number % 9}T08:00:00+07:00",
            )
        )
    copies = [replace(d, id=d.id + "ban-sao/", url=d.url + "ban-sao/") for d in long_ones[:6]]
    return documents + long_ones + copies


def sample_queries(documents: list[SearchDocument]) -> list[str]:
    """Runs of 1 to 6 syllables from the documents, as typed and without diacritics."""
    rng = random.Random(5)
    queries = list(FIXED_QUERIES)
    for document in rng.sample(documents, 40):
        for source in (document.title, document.body):
            words = source.split()
            if not words:
                continue
            size = rng.randint(1, 6)
            start = rng.randrange(max(1, len(words) - size))
            typed = " ".join(words[start : start + size])
            queries += [typed, vntext.fold(typed)]
    return queries


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    documents = corpus()
    index_dir = tmp_path_factory.mktemp("equivalence") / "index"
    build_index(index_dir, documents[:20], ACRONYMS)
    build_index(index_dir, documents[1:], ACRONYMS)  # a second segment and a deletion
    with SearchEngine(index_dir) as engine:
        assert not engine.searcher.is_atomic() and engine.reader.has_deletions()
        yield engine, sample_queries(documents)


# -- the straightforward versions ----------------------------------------------------------


def reference_snippet(stored: dict, highlight) -> str:
    """The snippet, every syllable compared and every window tried (as search-snippet.js)."""
    parts = [stored.get("summary_text", ""), stored.get("body_text", "")]
    text = "\n".join(p for p in parts if p)[:MAX_TEXT] or stored.get("title_text", "")
    text, cut_start, cut_end = _focus(text, highlight)
    syls = syllables(text)
    if not syls:
        return html.escape(text)
    hits = reference_hits(highlight, syls)
    gains = [
        hits[i] + (ADJACENT_GAIN if i and hits[i] and hits[i - 1] and not syls[i].boundary else 0)
        for i in range(len(syls))
    ]
    seen: Counter[str] = Counter()
    best_start, best_value, value = 0, -1.0, 0.0
    for i in range(len(syls)):
        value += gains[i]
        if hits[i]:
            seen[syls[i].folded] += 1
        if i >= WINDOW:
            value -= gains[i - WINDOW]
            if hits[i - WINDOW]:
                seen[syls[i - WINDOW].folded] -= 1
                if not seen[syls[i - WINDOW].folded]:
                    del seen[syls[i - WINDOW].folded]
        total = value + DISTINCT_GAIN * len(seen)
        if total > best_value:
            best_value, best_start = total, max(0, i - WINDOW + 1)
    end = min(len(syls), best_start + WINDOW)
    marks = hits[best_start:end]
    if 2 in marks:
        marks = [1 if h == 2 else 0 for h in marks]
    shown = syls[best_start:end]
    out = ["… "] if cut_start or best_start > 0 else []
    position, i = shown[0].start, 0
    while i < len(shown):
        if not marks[i]:
            i += 1
            continue
        j = i  # a run of marked syllables separated only by spaces is one <mark>
        while (
            j + 1 < len(shown)
            and marks[j + 1]
            and not text[shown[j].end : shown[j + 1].start].strip()
        ):
            j += 1
        out.append(html.escape(text[position : shown[i].start]))
        out.append("<mark>" + html.escape(text[shown[i].start : shown[j].end]) + "</mark>")
        position, i = shown[j].end, j + 1
    out.append(html.escape(text[position : shown[-1].end]))
    if cut_end or end < len(syls):
        out.append(" …")
    return "".join(out).replace("\n", " ")


def reference_hits(highlight, syls) -> list[int]:
    strong = 1 if highlight.accented else 2
    hits = [
        2
        if highlight.accented and s.norm in highlight.exact
        else strong
        if s.folded in highlight.folded
        else 0
        for s in syls
    ]
    joined = [False] * len(syls)
    for i in range(1, len(syls)):
        if syls[i].boundary:
            continue
        pair = f"{syls[i - 1].folded}_{syls[i].folded}"
        if pair in highlight.bigrams:
            hits[i - 1] = hits[i] = 2
        if pair in highlight.bigrams or pair in highlight.pairs:
            joined[i - 1] = joined[i] = True
    if highlight.pairs:
        paired = highlight.paired()
        hits = [h if joined[i] or syls[i].folded not in paired else 0 for i, h in enumerate(hits)]
    return hits


# -- the comparisons ----------------------------------------------------------------------


def test_scores_equal_the_browser_engine_which_scores_every_document(indexed, tmp_path):
    """Ranking is written twice, each from the README's SPEC: here (reading
    postings in bulk, scoring only what a query can keep) and in
    search-engine.js (every document of every clause scored, as the SPEC reads).
    On this corpus of two segments with a deletion, they keep the same
    documents with the same scores, in the same order, ties included."""
    engine, queries = indexed
    static_dir = tmp_path / "static"
    export_static_index(engine.index_dir, static_dir, shard_bytes=8000, chunk_bytes=8000)
    asked = [q for q in queries if engine.plan(q).units]
    browser = run_node(static_dir, [{"query": q, "limit": 100000} for q in asked])
    compared = 0
    for query, answer in zip(asked, browser, strict=True):
        mine = engine.score_all(engine.plan(query))
        order = sorted(mine, key=lambda d: (-mine[d], d))
        urls = [engine.searcher.stored_fields(d)["url"] for d in order]
        assert [r["url"] for r in answer["results"]] == urls, query
        for docnum, theirs in zip(order, answer["results"], strict=True):
            # The same sums in the same order; only log() may differ in the last bit.
            assert theirs["score"] == pytest.approx(mine[docnum], rel=1e-12, abs=0), query
        compared += bool(mine)
    assert compared > 80


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_top_equals_sorting_every_document(indexed, limit):
    """`top` visits only the documents that can reach the first `limit`; it gives
    what scoring every kept document with its phrase factor and sorting gives."""
    engine, queries = indexed
    with_results = 0
    for query in queries:
        plan = engine.plan(query)
        if not plan.units:
            continue
        every = engine.score_all(plan)
        expected = sorted(every.items(), key=lambda item: (-item[1], item[0]))[:limit]
        base = engine.drop_scattered(plan, engine.base_scores(plan))
        assert engine.top(base, plan.pairs, limit) == expected, query
        with_results += bool(expected)
    assert with_results > 80


def test_copies_tie_and_go_to_the_lower_document_number(indexed):
    engine, _queries = indexed
    copy = engine.searcher.document_number(id="article:dai/0/ban-sao/")
    original = engine.searcher.document_number(id="article:dai/0/")
    stored = engine.searcher.stored_fields(original)
    plan = plan_query(stored["title_text"], engine.glossary)
    ranked = engine.top(engine.base_scores(plan), plan.pairs, 60)
    scores = dict(ranked)
    assert scores[copy] == scores[original]
    order = [docnum for docnum, _score in ranked]
    assert order.index(min(copy, original)) + 1 == order.index(max(copy, original))


def test_snippets_equal_trying_every_window(indexed):
    """On each query's results (as the command shows them) and on a few other documents."""
    engine, queries = indexed
    rng = random.Random(3)
    focused = 0
    for query in queries:
        plan = plan_query(query, engine.glossary)
        results = [engine.searcher.document_number(id=r.id) for r in engine.search(query).results]
        for docnum in results + rng.sample(range(engine.reader.doc_count_all()), 3):
            if engine.reader.is_deleted(docnum):
                continue
            stored = engine.searcher.stored_fields(docnum)
            snippet = make_snippet(stored, plan.highlight)
            assert snippet == reference_snippet(stored, plan.highlight), (query, stored["id"])
            focused += len(stored.get("body_text", "")) > 900 and "<mark>" in snippet
    assert focused > 300  # long texts, cut around their hits, were compared

"""The engine's fast paths give exactly what the plain formula gives.

`SearchEngine` reads postings in bulk, scores only the documents a query can
keep, visits only the documents that can reach the top, and snippets look at
the hits only. Each is compared here, bit for bit, with a straightforward
version written from the README's formula (Whoosh's own matcher API, every
document scored, every window tried) on real text: the search corpus, and
longer stories made of its articles, with exact duplicates (ties) and an index
of two segments with a deletion. If the ranking formula changes, change the
reference below with it.
"""

from __future__ import annotations

import html
import random
from collections import Counter
from dataclasses import replace

import pytest

import vntext
from devtools.search_corpus import ACRONYMS, articles, models
from search_index.plugin import collect_documents
from support import whoosh_matcher_postings
from vnsearch import SearchDocument, SearchEngine, build_index, plan_query
from vnsearch.analysis import syllables
from vnsearch.ranking import BM25_K1, COORD_EXPONENT, PHRASE_WEIGHT, WEIGHT_SCALE
from vnsearch.schema import TERMS, idf
from vnsearch.searcher import minimum_should_match, pair_needles
from vnsearch.snippet import (
    ADJACENT_GAIN,
    DISTINCT_GAIN,
    MAX_TEXT,
    WINDOW,
    _focus,
    make_snippet,
)

FIXED_QUERIES = [
    "dong ho tu quan", "dòng họ tự quản", "camera an ninh", "an ninh trật tự", "PCCC",
    "to lien gia an toan", "tổ liên gia", "hoà giải", "hòa giải", "đường", "duong", "xã",
    "an ninh", "Tổ quốc", "TDBVANTQ", "phòng cháy chữa cháy ở đâu và bao nhiêu người tham gia",
    "công an xã", "của", "camera", "zzzz", "an an an ninh ninh",
    # accented misspellings of stop syllables, alone and beside a word; full-width letters
    "trõng", "cũa", "trõng tài", "ｃａｍｅｒａ", "ＡＮＴＴ",
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
                id=f"article:dai/{number}/", kind="article", url=f"dai/{number}/",
                title=parts[0].title, summary=parts[-1].summary,
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


def reference_base_scores(engine: SearchEngine, plan) -> dict[int, float]:
    """README "Ranking" before the phrase factor, every document scored."""
    n = engine.reader.doc_count_all()
    unit_maps = []
    for unit in engine.scored_units(plan):
        scores: dict[int, float] = {}
        for clause in unit.clauses:
            terms = engine.postings.variants(clause.term) if clause.folded else [clause.term]
            df = sum(engine.reader.doc_frequency(TERMS, term) for term in terms)
            weights: dict[int, int] = {}
            for term in terms:
                for docnum, q in whoosh_matcher_postings(engine, term):
                    weights[docnum] = weights.get(docnum, 0) + q
            factor = clause.weight * idf(n, df) * (BM25_K1 + 1)
            for docnum, q in weights.items():
                w = q / WEIGHT_SCALE
                scores[docnum] = scores.get(docnum, 0.0) + factor * w / (w + BM25_K1)
        unit_maps.append(scores)
    unit_weights = [idf(n, len(scores)) for scores in unit_maps]
    weight_sum = 0.0
    for weight in unit_weights:
        weight_sum += weight
    totals: dict[int, float] = {}
    coverage: dict[int, float] = {}
    matched: dict[int, int] = {}
    for scores, weight in zip(unit_maps, unit_weights, strict=True):
        for docnum, score in scores.items():
            totals[docnum] = totals.get(docnum, 0.0) + score
            coverage[docnum] = coverage.get(docnum, 0.0) + weight
            matched[docnum] = matched.get(docnum, 0) + 1
    share = {d: c / weight_sum for d, c in coverage.items()}
    kept = minimum_should_match(len(unit_maps), matched, share)
    return {d: totals[d] * share[d] ** COORD_EXPONENT for d in kept}


def reference_top(engine: SearchEngine, plan, limit: int) -> list[tuple[int, float]]:
    """Every kept document with its phrase factor, sorted: best score, then lower docnum."""
    needles = pair_needles(plan.pairs)
    final = {}
    for docnum, base in reference_base_scores(engine, plan).items():
        text = engine.adjacency(docnum)
        adjacent = sum(1 for needle in needles if needle in text)
        final[docnum] = base * (1 + PHRASE_WEIGHT * adjacent / len(needles) if needles else 1.0)
    return sorted(final.items(), key=lambda item: (-item[1], item[0]))[:limit]


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
        while j + 1 < len(shown) and marks[j + 1] and not text[shown[j].end : shown[j + 1].start].strip():
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
        2 if highlight.accented and s.norm in highlight.exact
        else strong if s.folded in highlight.folded
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


def test_base_scores_equal_the_formula_term_by_term(indexed):
    engine, queries = indexed
    compared = 0
    for query in queries:
        plan = plan_query(query, engine.glossary)
        if plan.units:
            assert engine.base_scores(plan) == reference_base_scores(engine, plan), query
            compared += 1
    assert compared > 80


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_top_equals_sorting_every_document(indexed, limit):
    engine, queries = indexed
    with_results = 0
    for query in queries:
        plan = plan_query(query, engine.glossary)
        if not plan.units:
            continue
        expected = reference_top(engine, plan, limit)
        assert engine.top(engine.base_scores(plan), plan.pairs, limit) == expected, query
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

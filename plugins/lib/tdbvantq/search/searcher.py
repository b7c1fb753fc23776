"""The search engine: an open index generation, filters, facets, the order of
results and their output (README.md, "Ranking" and "Facets").

The query is planned by vnsearch.planning and scored by vnsearch.scoring;
this module wires them to an open Whoosh generation.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import numpy as np

from tdbvantq import text as vntext
from tdbvantq.search._whoosh import Term
from tdbvantq.search.planning import (  # re-exported: the public names of vnsearch.searcher
    Clause,
    QueryPlan,
    Unit,
    exact_only,
    plan_query,
    question_mask,
)
from tdbvantq.search.postings import PostingReader
from tdbvantq.search.scoring import (  # re-exported too
    Scoring,
    UnitPostings,
    minimum_should_match,
    pair_needles,
)
from tdbvantq.search.snippet import make_snippet
from tdbvantq.search.store import (
    GLOSSARY,
    SYNONYMS,
    current_generation,
    damaged_index,
    open_generation,
)

__all__ = [
    "SORTS",
    "Clause",
    "QueryPlan",
    "Result",
    "SearchEngine",
    "SearchResponse",
    "Unit",
    "UnitPostings",
    "day_key",
    "exact_only",
    "minimum_should_match",
    "pair_needles",
    "plan_query",
    "question_mask",
    "search",
]


@dataclass
class Result:
    rank: int
    title: str
    url: str
    kind: str
    date: str
    models: list[str]
    score: float
    snippet: str
    id: str = ""


@dataclass
class SearchResponse:
    query: str
    total: int
    results: list[Result]
    facets: dict[str, dict[str, int]]

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "results": [
                {
                    "rank": r.rank,
                    "title": r.title,
                    "url": r.url,
                    "kind": r.kind,
                    "date": r.date,
                    "models": r.models,
                    "score": r.score,
                    "snippet": r.snippet,
                }
                for r in self.results
            ],
            "facets": self.facets,
        }


SORTS = ("relevance", "newest")


def day_key(date: str) -> int:
    """The publication day of an ISO 8601 date as written (its local day), as
    year * 1000 + day of the year: 0 without a valid date, so it sorts last."""
    try:
        day = datetime.date.fromisoformat(date[:10])
    except ValueError:
        return 0
    return day.year * 1000 + day.timetuple().tm_yday


class SearchEngine(Scoring):
    """An open index generation; reuse it for many queries (the CLI's batch mode does)."""

    def __init__(self, index_dir: Path | str, generation: Path | None = None) -> None:
        """The current generation of `index_dir`, or the given one (a build reads its own)."""
        self.index_dir = Path(index_dir)
        self.generation = generation or current_generation(self.index_dir)
        self.index = open_generation(self.generation)
        try:
            self.searcher = self.index.searcher()
        except Exception as error:  # a damaged segment: one line, never a traceback
            self.index.close()
            raise damaged_index(self.generation, str(error)) from None
        self.reader = self.searcher.reader()
        self.postings = PostingReader(self.searcher)
        self.glossary = vntext.load_glossary(self.generation / GLOSSARY)
        # The synonyms the generation was indexed with (copied there by build_index).
        self.synonyms = vntext.load_synonyms(self.generation / SYNONYMS).query_rules()
        self._facet_ids: dict[str, dict[str, frozenset[int]]] = {}
        self._adjacency = None

    def plan(self, query: str) -> QueryPlan:
        """The query's plan with this generation's acronyms and synonyms."""
        return plan_query(query, self.glossary, self.synonyms)

    def close(self) -> None:
        self.searcher.close()
        self.index.close()

    def __enter__(self) -> SearchEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- scoring -----------------------------------------------------------
    # -- filters and facets --------------------------------------------------

    def _facet(self, fieldname: str) -> dict[str, frozenset[int]]:
        if fieldname not in self._facet_ids:
            ids = {}
            for term in self.reader.lexicon(fieldname):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                ids[value] = frozenset(self.searcher.docs_for_query(Term(fieldname, value)))
            self._facet_ids[fieldname] = ids
        return self._facet_ids[fieldname]

    def newest(
        self, scores: dict[int, float], pairs: list[str], limit: int
    ) -> list[tuple[int, float]]:
        """The `limit` newest (docnum, score): by publication day, newest first,
        ties by final score then docnum. Only the days that reach the top are scored."""
        if limit <= 0:
            return []
        days = self.doc_days()
        by_day: dict[int, list[int]] = {}
        for docnum in scores:
            by_day.setdefault(days[docnum], []).append(docnum)
        needles = pair_needles(pairs)
        top: list[tuple[int, float]] = []
        for day in sorted(by_day, reverse=True):  # 0 (no date) sorts last
            group = [(d, scores[d] * self.phrase_factor(d, needles)) for d in by_day[day]]
            group.sort(key=lambda item: (-item[1], item[0]))
            top.extend(group[: limit - len(top)])
            if len(top) == limit:
                break
        return top

    def doc_days(self) -> list[int]:
        """docnum -> day_key of its date; the browser's docs table carries the same."""
        key = "doc:days"
        if key not in self._facet_ids:
            days = [0] * self.reader.doc_count_all()
            for docnum, stored in self.reader.iter_docs():
                days[docnum] = day_key(stored.get("date", ""))
            self._facet_ids[key] = days  # type: ignore[assignment]
        return self._facet_ids[key]  # type: ignore[return-value]

    def search(
        self,
        query: str,
        limit: int = 10,
        model: str | None = None,
        year: str | int | None = None,
        sort: str = "relevance",
        place: str | None = None,
    ) -> SearchResponse:
        """`place`: a place slug ("hue", "hue/phuong-phong-thai"; `place_slugs()`).
        `sort`: "relevance" (default) or "newest" (the same results, newest day
        first, ties by relevance); facets do not depend on it."""
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r} (one of {', '.join(SORTS)})")
        plan = self.plan(query)
        matched = self.drop_scattered(plan, self.base_scores(plan)) if plan.units else {}
        in_model = self._facet("model_slugs").get(model, frozenset()) if model else None
        in_year = self._facet("year").get(str(year), frozenset()) if year else None
        in_place = self._facet("place_slugs").get(place, frozenset()) if place else None
        # The facet rule (README, "Facets"): each facet counts the matching
        # documents that pass every other filter, so choosing a year still
        # shows the other years and their counts; results pass all filters.
        facets = {
            "models": self._count(_within(_within(matched, in_year), in_place), "model_slugs"),
            "years": self._count(_within(_within(matched, in_model), in_place), "year"),
            "places": self._count(_within(_within(matched, in_model), in_year), "place_slugs"),
        }
        scores = _within(_within(_within(matched, in_model), in_year), in_place)
        if sort == "newest":
            top = self.newest(scores, plan.pairs, limit)
        else:
            top = self.top(scores, plan.pairs, limit)
        results = []
        for rank, (docnum, score) in enumerate(top, start=1):
            stored = self.searcher.stored_fields(docnum)
            results.append(
                Result(
                    rank=rank,
                    title=stored.get("title_text", ""),
                    url=stored.get("url", ""),
                    kind=stored.get("kind", ""),
                    date=stored.get("date", ""),
                    models=list(stored.get("model_names", [])),
                    score=round(score, 4),
                    snippet=make_snippet(stored, plan.highlight),
                    id=stored.get("id", ""),
                )
            )
        return SearchResponse(query, len(scores), results, facets)

    def place_slugs(self) -> list[str]:
        """The place slugs the index knows (what ``search(place=…)`` accepts)."""
        return sorted(slug for slug in self._facet("place_slugs") if slug)

    def model_slugs(self) -> list[str]:
        """The slugs of the models the index knows (what ``search(model=…)`` accepts)."""
        return sorted(slug for slug in self._facet("model_slugs") if slug)

    def _doc_facets(self, fieldname: str) -> list[tuple[str, ...]]:
        """docnum -> the facet values of one document (inverted once per engine)."""
        key = "doc:" + fieldname
        if key not in self._facet_ids:
            per_doc: list[tuple[str, ...]] = [()] * self.reader.doc_count_all()
            for value, ids in self._facet(fieldname).items():
                if value:
                    for docnum in ids:
                        per_doc[docnum] += (value,)
            self._facet_ids[key] = per_doc  # type: ignore[assignment]
        return self._facet_ids[key]  # type: ignore[return-value]

    def _facet_codes(self, fieldname: str) -> tuple[list[str], np.ndarray]:
        """The facet's values, and docnum -> the index of a document's one value
        (-1: none, -2: several), built once per engine for counting by array."""
        key = "codes:" + fieldname
        if key not in self._facet_ids:
            values = sorted({v for vs in self._doc_facets(fieldname) for v in vs})
            index = {value: i for i, value in enumerate(values)}
            codes = np.array(
                [
                    index[vs[0]] if len(vs) == 1 else -1 if not vs else -2
                    for vs in self._doc_facets(fieldname)
                ],
                dtype=np.int64,
            )
            self._facet_ids[key] = (values, codes)  # type: ignore[assignment]
        return self._facet_ids[key]  # type: ignore[return-value]

    def _count(self, scores: dict[int, float], fieldname: str) -> dict[str, int]:
        """The documents of `scores` counted by value: the documents with one
        value by array, the few with several one by one."""
        values, codes = self._facet_codes(fieldname)
        docs = np.fromiter(scores, dtype=np.int64, count=len(scores))
        found = codes[docs]
        counts: Counter[str] = Counter()
        single = np.bincount(found[found >= 0], minlength=len(values))
        for code in np.flatnonzero(single).tolist():
            counts[values[code]] = int(single[code])
        per_doc = self._doc_facets(fieldname)
        counts.update(chain.from_iterable(map(per_doc.__getitem__, docs[found == -2].tolist())))
        if fieldname == "year":  # newest year first
            return dict(sorted(counts.items(), reverse=True))
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _within(scores: dict[int, float], allowed: frozenset[int] | None) -> dict[int, float]:
    """The scores of the documents in `allowed` (all of them when there is no filter)."""
    if allowed is None:
        return scores
    return {d: s for d, s in scores.items() if d in allowed}


def search(
    index_dir: Path | str,
    query: str,
    limit: int = 10,
    model: str | None = None,
    year: str | int | None = None,
    sort: str = "relevance",
) -> SearchResponse:
    with SearchEngine(index_dir) as engine:
        return engine.search(query, limit=limit, model=model, year=year, sort=sort)

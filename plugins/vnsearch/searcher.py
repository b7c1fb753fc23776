"""Query planning and scoring: the formula documented in README.md ("Ranking").

Whoosh stores each term's postings with its weight q (vnsearch.analysis); this
module turns them into scores with an explicit formula, so the browser mirror
(search-engine.js) reproduces every number from the exported postings.
"""

from __future__ import annotations

import datetime
import heapq
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import add, itemgetter, mul
from pathlib import Path

import vntext
from vnsearch._whoosh import Term
from vnsearch.analysis import BIGRAM_JOINER, Syllable, bigram, syllables
from vnsearch.postings import PostingReader, sum_maps
from vnsearch.ranking import (
    BM25_K1,
    COORD_EXPONENT,
    EXACT_WEIGHT,
    FOLDED_QUESTION_WORDS,
    MAX_ACRONYM_RUN,
    MAX_QUERY_CHARS,
    MAX_QUERY_SYLLABLES,
    MSM_ALL_UNITS,
    MSM_NO_UNITS,
    PHRASE_WEIGHT,
    QUESTION_FRAMES,
    QUESTION_WORDS,
    STOP_DF_RATIO,
    WEIGHT_SCALE,
)
from vnsearch.schema import ADJACENCY, idf
from vnsearch.snippet import Highlight, make_snippet
from vnsearch.store import GLOSSARY, current_generation, damaged_index, open_generation


@dataclass(frozen=True)
class Clause:
    term: str
    folded: bool  # True: every index term that folds to `term`
    weight: float


@dataclass
class Unit:
    """One distinct query syllable and every clause that counts as matching it."""

    label: str
    folded: str = ""
    clauses: list[Clause] = field(default_factory=list)


@dataclass
class UnitPostings:
    """A unit's clauses as read from the index: (docnum -> q, q -> s_c) each,
    s_c[None] = 0.0. S_u(d) is computed only for the documents asked about."""

    clauses: list[tuple[dict[int, float], dict[float | None, float]]]

    def docs(self) -> Collection[int]:
        """The documents with S_u(d) > 0 (the union of the clauses' documents)."""
        keys = [weights.keys() for weights, _table in self.clauses]
        widest = max(keys, key=len, default={}.keys())
        # The exact clause's documents are within the folded clause's: no new set.
        if all(other is widest or other <= widest for other in keys):
            return widest
        return set().union(*keys)

    def scores(self, docs: list[int]) -> Iterable[float]:
        """S_u(d) for each of `docs`, the clauses' s_c added in plan order (a
        clause missing d adds 0.0, which changes no sum)."""
        total: Iterable[float] = repeat(0.0, len(docs))
        for index, (weights, table) in enumerate(self.clauses):
            values = map(table.__getitem__, map(weights.get, docs))
            total = values if index == 0 else map(add, total, values)
        return total


@dataclass
class QueryPlan:
    query: str
    accented: bool
    units: list[Unit]
    pairs: list[str]  # distinct folded pairs "a_b" of adjacent query syllables
    highlight: Highlight


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


def _adjacent_bigrams(syls: list[Syllable]) -> list[str]:
    return [
        bigram(syls[i - 1].folded, syls[i].folded)
        for i in range(1, len(syls))
        if not syls[i].boundary
    ]


def _question_forms() -> dict[bool, tuple[frozenset[str], tuple[tuple[str, ...], ...]]]:
    """accented -> (question words alone, frames as syllable tuples), spelled as
    query units are keyed: by norm in an accented query, by folded form otherwise."""
    frames = [syllables(frame) for frame in QUESTION_FRAMES]
    return {
        True: (frozenset(QUESTION_WORDS), tuple(tuple(s.norm for s in f) for f in frames)),
        False: (frozenset(FOLDED_QUESTION_WORDS), tuple(tuple(s.folded for s in f) for f in frames)),
    }


_QUESTION_FORMS = _question_forms()


def question_mask(text: str, syls: list[Syllable], accented: bool) -> list[bool]:
    """Which query syllables are question words (ranking.QUESTION_WORDS): a word
    alone or a syllable of a frame typed without punctuation inside it; never a
    syllable typed in capitals ("AI" is an acronym)."""
    words, frames = _QUESTION_FORMS[accented]
    forms = [s.norm if accented else s.folded for s in syls]
    mask = [form in words for form in forms]
    for start in range(len(syls)):
        for frame in frames:
            end = start + len(frame)
            inside = syls[start + 1 : end]
            if tuple(forms[start:end]) == frame and not any(s.boundary for s in inside):
                mask[start:end] = [True] * len(frame)
    for i, syl in enumerate(syls):
        typed = text[syl.start : syl.end]
        if len(typed) > 1 and typed.isupper():
            mask[i] = False
    return mask


def plan_query(query: str, glossary: vntext.Glossary | None = None) -> QueryPlan:
    """Turn raw user text into clauses; never fails, whatever the text."""
    text = query[:MAX_QUERY_CHARS]
    syls = syllables(text)[:MAX_QUERY_SYLLABLES]
    accented = any(s.norm != s.folded for s in syls)
    units: dict[str, Unit] = {}
    unit_of: list[Unit] = []
    highlight = Highlight(accented=accented)
    for syl in syls:
        key = syl.norm if accented else syl.folded
        unit = units.get(key)
        if unit is None:
            unit = units[key] = Unit(key, syl.folded)
            if accented:
                unit.clauses.append(Clause(syl.norm, False, EXACT_WEIGHT))
            unit.clauses.append(Clause(syl.folded, True, 1.0))
        unit_of.append(unit)
        highlight.exact.add(syl.norm)
        highlight.folded.add(syl.folded)

    pairs = list(dict.fromkeys(_adjacent_bigrams(syls)))
    highlight.pairs.update(pairs)
    if glossary is not None and len(glossary):
        _add_acronyms(syls, unit_of, glossary, highlight)
    # A unit only ever typed as a question word is not scored (its pairs stay);
    # a query made only of question words keeps them.
    mask = question_mask(text, syls, accented)
    asked = {id(unit) for unit, question in zip(unit_of, mask, strict=True) if not question}
    kept = [unit for unit in units.values() if id(unit) in asked]
    return QueryPlan(query, accented, kept or list(units.values()), pairs, highlight)


def _add_acronyms(
    syls: list[Syllable], unit_of: list[Unit], glossary: vntext.Glossary, highlight: Highlight
) -> None:
    # Acronym typed: the index holds it wherever its expansion is written
    # (vnsearch.analysis.AcronymMatcher); only the snippet needs the expansions.
    for syl in syls:
        for expansion in glossary.expansions(syl.norm):
            expansion_syls = syllables(expansion)
            highlight.bigrams.update(_adjacent_bigrams(expansion_syls))
            if len(expansion_syls) == 1:
                highlight.folded.add(expansion_syls[0].folded)
    # Expansion typed -> its acronym, counted for every syllable of the run.
    by_folded = glossary.folded_phrases()
    for start in range(len(syls)):
        for end in range(start + 2, min(len(syls), start + MAX_ACRONYM_RUN) + 1):
            acronym = by_folded.get(" ".join(s.folded for s in syls[start:end]))
            if not acronym:
                continue
            folded_acronym = vntext.fold(acronym)
            highlight.folded.add(folded_acronym)
            for unit in {id(u): u for u in unit_of[start:end]}.values():
                if not any(c.term == folded_acronym for c in unit.clauses):
                    unit.clauses.append(Clause(folded_acronym, True, 1.0))


def exact_only(unit: Unit) -> Unit:
    """The unit without the folded clause of its own syllable, whose postings are
    those of a stop syllable's every spelling (its other clauses stay)."""
    clauses = [c for c in unit.clauses if not (c.folded and c.term == unit.folded)]
    return Unit(unit.label, unit.folded, clauses)


def minimum_should_match(units: int, matched: dict[int, int], share: dict[int, float]) -> list[int]:
    """The documents that match enough of the query, in docnum order.

    A query of up to MSM_ALL_UNITS units: the documents matching all of them,
    when there is one. Longer, up to MSM_NO_UNITS units: the documents whose
    idf-weighted share of the query is at least the best document's times
    (MSM_NO_UNITS - n) / (MSM_NO_UNITS - MSM_ALL_UNITS), a bar that falls with
    the query's length n. From MSM_NO_UNITS units on (questions written as
    sentences, whose answer need not repeat their words) nothing is dropped.
    """
    if units <= MSM_ALL_UNITS:
        if max(matched.values(), default=0) < units:
            return sorted(matched)
        return sorted(d for d, count in matched.items() if count == units)
    if units >= MSM_NO_UNITS:
        return sorted(matched)
    bar = (MSM_NO_UNITS - units) / (MSM_NO_UNITS - MSM_ALL_UNITS)
    least = max(share.values(), default=0.0) * bar
    return sorted(d for d, value in share.items() if value >= least)


SORTS = ("relevance", "newest")


def day_key(date: str) -> int:
    """The publication day of an ISO 8601 date as written (its local day), as
    year * 1000 + day of the year: 0 without a valid date, so it sorts last."""
    try:
        day = datetime.date.fromisoformat(date[:10])
    except ValueError:
        return 0
    return day.year * 1000 + day.timetuple().tm_yday


class SearchEngine:
    """An open index generation; reuse it for many queries (the CLI's batch mode does)."""

    def __init__(self, index_dir: Path | str) -> None:
        self.index_dir = Path(index_dir)
        self.generation = current_generation(self.index_dir)
        self.index = open_generation(self.generation)
        try:
            self.searcher = self.index.searcher()
        except Exception as error:  # a damaged segment: one line, never a traceback
            self.index.close()
            raise damaged_index(self.generation, str(error)) from None
        self.reader = self.searcher.reader()
        self.postings = PostingReader(self.searcher)
        self.glossary = vntext.load_glossary(self.generation / GLOSSARY)
        self._facet_ids: dict[str, dict[str, frozenset[int]]] = {}
        self._adjacency = None

    def close(self) -> None:
        self.searcher.close()
        self.index.close()

    def __enter__(self) -> SearchEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- scoring -----------------------------------------------------------

    def scored_units(self, plan: QueryPlan) -> list[Unit]:
        """The units that take part in scoring: stop-like ones dropped (README,
        "Stop-like units"). A unit whose folded syllable is a stop syllable but
        whose accented spelling is not frequent ("dược" beside "được") is kept,
        scored on its exact spelling only. When every unit is stop-like and every
        kept one is a spelling in no document (an accented misspelling, "đuợc"),
        all are kept whole, so the query still finds the word."""
        limit = STOP_DF_RATIO * self.reader.doc_count_all()
        kept = []
        found = False  # some kept unit can match a document
        for unit in plan.units:
            if self.postings.most_common_spelling_df(unit.folded) <= limit:
                kept.append(unit)
                found = True
            elif plan.accented and (df := self.postings.doc_frequency(unit.label)) <= limit:
                kept.append(exact_only(unit))
                found = found or df > 0
        return kept if found else plan.units

    def unit_postings(self, unit: Unit) -> UnitPostings:
        """The unit's clauses read from the index, each with its s_c per q."""
        clauses = []
        for clause in unit.clauses:
            df, weights = self.postings.clause(clause.term, clause.folded)
            if not weights:
                continue
            factor = clause.weight * idf(self.postings.n_docs, df) * (BM25_K1 + 1)
            # One score per distinct q (a few dozen), the same expression as the browser's.
            table: dict[float | None, float] = {None: 0.0}  # None: the clause misses d
            for q in set(weights.values()):
                w = q / WEIGHT_SCALE
                table[q] = factor * w / (w + BM25_K1)
            clauses.append((weights, table))
        return UnitPostings(clauses)

    def unit_scores(self, unit: Unit) -> dict[int, float]:
        """docnum -> S_u(d): each clause's weight * idf * q/SCALE saturated by K1."""
        postings = self.unit_postings(unit)
        docs = list(postings.docs())
        return dict(zip(docs, postings.scores(docs), strict=True))

    def base_scores(self, plan: QueryPlan) -> dict[int, float]:
        """docnum -> total(d) * share(d) ** C for every document kept by the
        minimum-should-match rule (the score before the phrase factor)."""
        units = self.scored_units(plan)
        unit_postings = [self.unit_postings(unit) for unit in units]
        unit_docs = [postings.docs() for postings in unit_postings]
        # The unit's own idf: rare syllables count more towards coordination.
        unit_weights = [idf(self.postings.n_docs, len(docs)) for docs in unit_docs]
        unit_weight_sum = 0.0
        for weight in unit_weights:
            unit_weight_sum += weight
        if len(units) <= MSM_ALL_UNITS and unit_docs:
            # A short query keeps the documents holding every unit, when there are any:
            # found with set operations (smallest first), scored only for them.
            by_size = sorted(unit_docs, key=len)
            holding_all = set(by_size[0])
            for docs in by_size[1:]:
                holding_all = docs & holding_all
            if holding_all:
                coord = (unit_weight_sum / unit_weight_sum) ** COORD_EXPONENT
                order = list(holding_all)
                totals = map(mul, _totals(unit_postings, order), repeat(coord))
                return dict(zip(order, totals, strict=True))
        unit_maps = []
        for postings, docs in zip(unit_postings, unit_docs, strict=True):
            order = list(docs)
            unit_maps.append(dict(zip(order, postings.scores(order), strict=True)))
        totals: dict[int, float] = {}
        coverage: dict[int, float] = {}
        matched: dict[int, int] = {}  # docnum -> number of units it matches
        for scores, unit_weight in zip(unit_maps, unit_weights, strict=True):
            coverage = sum_maps(coverage, dict.fromkeys(scores, unit_weight))
            matched = sum_maps(matched, dict.fromkeys(scores, 1))
            totals = sum_maps(totals, scores)  # last: it may reuse `scores`
        share = {d: c / unit_weight_sum for d, c in coverage.items()}
        kept = minimum_should_match(len(units), matched, share)
        return {d: totals[d] * share[d] ** COORD_EXPONENT for d in kept}

    def adjacency(self, docnum: int) -> bytes:
        """The document's adjacency text (vnsearch.analysis), UTF-8."""
        if self._adjacency is None:
            self._adjacency = self.reader.column_reader(ADJACENCY, translate=False)
        return self._adjacency[docnum] or b""

    def phrase_factor(self, docnum: int, needles: tuple[bytes, ...], least: float = 0.0) -> float:
        """1 + Q * (share of the query's pairs adjacent in the document), the
        pairs given as the b" a b " needles of ``pair_needles``; 0.0 as soon as
        the factor cannot reach `least` (``top`` passes what a document needs)."""
        if not needles:
            return 1.0
        text = self.adjacency(docnum)
        adjacent, missing = 0, 0
        for needle in needles:
            if _holds(text, needle):
                adjacent += 1
                continue
            missing += 1
            if 1 + PHRASE_WEIGHT * (len(needles) - missing) / len(needles) < least:
                return 0.0
        return 1 + PHRASE_WEIGHT * adjacent / len(needles)

    def score_all(self, plan: QueryPlan) -> dict[int, float]:
        """docnum -> final score of every kept document (``search`` computes the
        phrase factor only for the documents that can reach its top results)."""
        needles = pair_needles(plan.pairs)
        return {d: base * self.phrase_factor(d, needles) for d, base in self.base_scores(plan).items()}

    def top(self, base: dict[int, float], pairs: list[str], limit: int) -> list[tuple[int, float]]:
        """The `limit` best (docnum, score), best first, ties to the lower docnum.

        The phrase factor is at most 1 + Q, so once a document's base score
        times that cannot reach the current limit-th score, no later one can.
        """
        if limit <= 0:
            return []
        bound = (1 + PHRASE_WEIGHT) * (1 + 1e-9)  # margin for rounding
        needles = pair_needles(pairs)
        # The limit-th final score is at least the limit-th base score (the factor
        # is at least 1), so a document whose base score times the bound is below
        # that can never enter: only the others are sorted (C speed) and visited.
        floor = heapq.nlargest(limit, base.values())[-1] if base else 0.0
        candidates = [item for item in base.items() if item[1] * bound >= floor]
        # Ties may come in any order: the heap orders them by docnum.
        candidates.sort(key=itemgetter(1), reverse=True)
        best: list[tuple[float, int]] = []  # min-heap of (score, -docnum)
        for docnum, score in candidates:
            if len(best) == limit and score * bound < best[0][0]:
                break
            # The factor this document needs to pass the limit-th score (margin for rounding).
            least = best[0][0] / score / (1 + 1e-9) if len(best) == limit else 0.0
            item = (score * self.phrase_factor(docnum, needles, least), -docnum)
            if len(best) < limit:
                heapq.heappush(best, item)
            elif item > best[0]:
                heapq.heapreplace(best, item)
        return [(-negative, score) for score, negative in sorted(best, reverse=True)]

    # -- filters and facets --------------------------------------------------

    def _facet(self, fieldname: str) -> dict[str, frozenset[int]]:
        if fieldname not in self._facet_ids:
            ids = {}
            for term in self.reader.lexicon(fieldname):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                ids[value] = frozenset(self.searcher.docs_for_query(Term(fieldname, value)))
            self._facet_ids[fieldname] = ids
        return self._facet_ids[fieldname]

    def newest(self, scores: dict[int, float], pairs: list[str], limit: int) -> list[tuple[int, float]]:
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
        plan = plan_query(query, self.glossary)
        matched = self.base_scores(plan) if plan.units else {}
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

    def _count(self, scores: dict[int, float], fieldname: str) -> dict[str, int]:
        per_doc = self._doc_facets(fieldname)
        counts = Counter(chain.from_iterable(map(per_doc.__getitem__, scores)))
        if fieldname == "year":  # newest year first
            return dict(sorted(counts.items(), reverse=True))
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _totals(unit_postings: list[UnitPostings], docs: list[int]) -> Iterable[float]:
    """Σ_u S_u(d) for each d of `docs`, added in unit order (as the browser adds
    them), at C speed."""
    totals: Iterable[float] = repeat(0.0, len(docs))
    for postings in unit_postings:
        totals = map(add, totals, postings.scores(docs))
    return totals


def _holds(text: bytes, needle: bytes) -> bool:
    """`needle in text`, for a needle b" a b ": its last byte, a space, is the
    text's most common one, which slows the scan; scanning for b" a b" and then
    looking at the next byte is faster."""
    core, last = needle[:-1], needle[-1:]
    at = text.find(core)
    while at >= 0 and text[at + len(core) : at + len(needle)] != last:
        at = text.find(core, at + 1)
    return at >= 0


def pair_needles(pairs: list[str]) -> tuple[bytes, ...]:
    """ "a_b" -> b" a b ", as each pair appears in an adjacency text."""
    return tuple(f" {pair.replace(BIGRAM_JOINER, ' ')} ".encode() for pair in pairs)


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

"""Scoring: the units' postings -> scores, minimum should match, phrase factor
and the top results (README.md, "Ranking").

Equality with the browser. theme/static/js/search-engine.js (scoreDocuments)
computes the same numbers from the exported postings, and the parity tests
(tests/test_static_search.py, tests/test_search_synonyms.py,
tests/test_search_equivalence.py) compare the two engines' results, order and
ties included. Float addition is not associative,
so every sum here is added in the order the browser adds it: a clause's s_c in
plan order within a unit, the units in plan order for total(d), the unit
weights one by one from 0.0 for the coordination (the loops below,
`UnitPostings.scores`, `Scoring.unit_arrays`, `Scoring.base_scores`). Then the two engines differ at most by the
last bit of log() (V8's fdlibm and the C library round a few arguments
differently; the tests allow a relative 1e-12 for that, and equal inputs
still give equal scores in each engine, so ties stay ties). Replacing one of those loops by `sum()`
over another order, `math.fsum`, or a product regrouped (`a * (b * c)` for
`a * b * c`) changes the last bits of many scores and silently turns equal
scores (exact copies, which tie and go to the lower document number) into
unequal ones in one engine only.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from itertools import repeat
from operator import add

import numpy as np

from tdbvantq.search.analysis import BIGRAM_JOINER
from tdbvantq.search.planning import QueryPlan, Unit, exact_only
from tdbvantq.search.ranking import (
    BM25_K1,
    COORD_EXPONENT,
    MSM_ALL_UNITS,
    MSM_NO_UNITS,
    PHRASE_ONLY_MAX_DOCS,
    PHRASE_ONLY_UNITS,
    PHRASE_WEIGHT,
    STOP_DF_RATIO,
    WEIGHT_SCALE,
)
from tdbvantq.search.schema import ADJACENCY, idf


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


def _kept(units: int, matched: np.ndarray, share: np.ndarray) -> np.ndarray:
    """``minimum_should_match`` over arrays indexed by docnum: a mask of the
    documents it keeps (`matched` counts the units each document matches)."""
    union = matched > 0
    if units <= MSM_ALL_UNITS:
        if not union.any() or int(matched.max()) < units:
            return union
        return matched == units
    if units >= MSM_NO_UNITS or not union.any():
        return union
    bar = (MSM_NO_UNITS - units) / (MSM_NO_UNITS - MSM_ALL_UNITS)
    least = float(share[union].max()) * bar
    return union & (share >= least)


def phrase_only(
    units: int,
    pairs: int,
    adjacent: dict[int, int],
    synonym_docs: Collection[int],
    docs: list[int],
    max_docs: int | None = None,
) -> list[int]:
    """The documents of `docs` the phrase-only rule keeps (README.md, "Phrase-only
    results"; search-engine.js phraseOnly, shared vectors in
    tests/vectors/phrase_only.json). A query of 2..PHRASE_ONLY_UNITS scored
    units with pairs, some of whose documents hold every pair adjacent, keeps
    only the documents holding at least one pair adjacent or matching a synonym
    rule: the others only scatter its words. `adjacent`: docnum -> pairs
    adjacent in it (missing: none). More than `max_docs` documents
    (PHRASE_ONLY_MAX_DOCS): all kept."""
    limit = PHRASE_ONLY_MAX_DOCS if max_docs is None else max_docs
    if pairs == 0 or not 2 <= units <= PHRASE_ONLY_UNITS or len(docs) > limit:
        return docs
    if not any(adjacent.get(d, 0) == pairs for d in docs):
        return docs
    return [d for d in docs if adjacent.get(d, 0) > 0 or d in synonym_docs]


class Scoring:
    """The scoring half of `SearchEngine` (vnsearch.searcher), which provides
    `postings` (vnsearch.postings.PostingReader), `reader` and `_adjacency`."""

    def scored_units(self, plan: QueryPlan) -> list[Unit]:
        """The units that take part in scoring: stop-like ones dropped (README,
        "Stop-like units"). A unit whose folded syllable is a stop syllable but
        whose accented spelling is not frequent ("dược" beside "được") is kept,
        scored on its exact spelling only. When every unit is stop-like and every
        kept one is a spelling in no document (an accented misspelling, "đuợc"),
        all are kept whole, so the query still finds the word."""
        limit = STOP_DF_RATIO * self.postings.n_live
        kept = []
        found = False  # some kept unit can match a document
        for unit in plan.units:
            if not self.postings.spelling_over(unit.folded, limit):
                kept.append(unit)
                found = True
            elif plan.accented and not self.postings.df_over(unit.label, limit):
                kept.append(exact_only(unit))
                found = found or self.postings.doc_frequency(unit.label) > 0
        return kept if found else plan.units

    def unit_postings(self, unit: Unit) -> UnitPostings:
        """The unit's clauses read from the index, each with its s_c per q."""
        clauses = []
        for clause in unit.clauses:
            df, weights = self.postings.clause(clause.term, clause.folded)
            if not weights:
                continue
            factor = clause.weight * idf(self.postings.n_live, df) * (BM25_K1 + 1)
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

    def unit_arrays(self, unit: Unit) -> tuple[np.ndarray, np.ndarray]:
        """The unit over every document of the index, as two arrays indexed by
        docnum: whether the document matches it (S_u(d) > 0, the union of its
        clauses' documents) and S_u(d), its clauses' s_c added in plan order (a
        clause missing d adds 0.0, as in ``UnitPostings.scores``)."""
        n = self.reader.doc_count_all()
        member = np.zeros(n, dtype=bool)
        total: np.ndarray | None = None
        for clause in unit.clauses:
            df, docnums, weights = self.postings.clause_arrays(clause.term, clause.folded)
            if not len(docnums):
                continue
            factor = clause.weight * idf(self.postings.n_live, df) * (BM25_K1 + 1)
            # One score per distinct q (a few dozen), the same Python expression
            # as the browser's; numpy only gathers and adds (IEEE, as Python's +).
            distinct, which = _distinct(weights)
            table = []
            for q in distinct.tolist():
                w = q / WEIGHT_SCALE
                table.append(factor * w / (w + BM25_K1))
            scores = np.zeros(n, dtype=np.float64)
            scores[docnums] = np.array(table, dtype=np.float64)[which]
            total = scores if total is None else total + scores
            member[docnums] = True
        return member, np.zeros(n, dtype=np.float64) if total is None else total

    def base_scores(self, plan: QueryPlan) -> dict[int, float]:
        """docnum -> total(d) * share(d) ** C for every document kept by the
        minimum-should-match rule (the score before the phrase factor).

        Computed over arrays indexed by docnum (``unit_arrays``), operation for
        operation as the browser does per document: the same additions in the
        same order, so the same floats (tests/test_search_equivalence.py)."""
        units = self.scored_units(plan)
        arrays = [self.unit_arrays(unit) for unit in units]
        # The unit's own idf: rare syllables count more towards coordination.
        unit_weights = [
            idf(self.postings.n_live, int(np.count_nonzero(member))) for member, _ in arrays
        ]
        # A loop, not sum(): the browser adds the weights one by one from 0.0 in
        # plan order (scoreDocuments), and share(d) must match it to the last bit.
        unit_weight_sum = 0.0
        for weight in unit_weights:
            unit_weight_sum += weight
        if len(units) <= MSM_ALL_UNITS and arrays:
            # A short query keeps the documents holding every unit, when there are any.
            holding_all = arrays[0][0].copy()
            for member, _ in arrays[1:]:
                holding_all &= member
            order = np.flatnonzero(holding_all)
            if len(order):
                # Every kept document holds every unit, so share(d) ** C is exactly
                # 1.0, in the browser too: its coverage(d) adds the same unit
                # weights in the same order from 0.0 as unit_weight_sum, so the
                # quotient is 1.0 bit for bit and 1.0 ** C is 1.0. The score is
                # total(d) itself, the units added in plan order.
                totals = arrays[0][1][order]
                for _, scores in arrays[1:]:
                    totals = totals + scores[order]
                return dict(zip(order.tolist(), totals.tolist(), strict=True))
        n = self.reader.doc_count_all()
        coverage = np.zeros(n, dtype=np.float64)
        matched = np.zeros(n, dtype=np.int64)  # number of units each document matches
        totals = np.zeros(n, dtype=np.float64)
        for (member, scores), unit_weight in zip(arrays, unit_weights, strict=True):
            coverage[member] += unit_weight
            matched += member
            totals[member] += scores[member]
        share = coverage / unit_weight_sum
        kept = np.flatnonzero(_kept(len(units), matched, share))
        # share(d) ** C by Python's pow, once per distinct share (a few: one per
        # combination of units matched), as the browser's Math.pow per document.
        distinct, which = np.unique(share[kept], return_inverse=True)
        powers = np.array([value**COORD_EXPONENT for value in distinct.tolist()])
        scores = totals[kept] * powers[which] if len(kept) else totals[kept]
        return dict(zip(kept.tolist(), scores.tolist(), strict=True))

    def drop_scattered(self, plan: QueryPlan, base: dict[int, float]) -> dict[int, float]:
        """`base` without the documents the phrase-only rule drops (``phrase_only``).
        Their pairs are looked for in every kept document's adjacency text, only
        for a query the rule can apply to."""
        units = self.scored_units(plan)
        if not plan.pairs or not 2 <= len(units) <= PHRASE_ONLY_UNITS:
            return base
        if len(base) > PHRASE_ONLY_MAX_DOCS:
            return base
        needles = pair_needles(plan.pairs)
        # Only a document holding both syllables of a pair can hold it adjacent:
        # the others count 0 without reading their adjacency text (this runs for
        # every kept document, where `top` reads only the few that can rank).
        may_hold = self._may_hold_a_pair(plan.pairs, units, base)
        adjacent = {d: sum(_holds(self.adjacency(d), n) for n in needles) for d in may_hold}
        synonym_docs: set[int] = set()
        for unit in units:
            for clause in unit.clauses:
                if clause.synonym:
                    synonym_docs.update(self.postings.clause_arrays(clause.term, False)[1].tolist())
        kept = phrase_only(len(units), len(needles), adjacent, synonym_docs, list(base))
        return base if len(kept) == len(base) else {d: base[d] for d in kept}

    def _may_hold_a_pair(
        self, pairs: list[str], units: list[Unit], base: dict[int, float]
    ) -> Collection[int]:
        """The documents of `base` holding both syllables of some pair (any
        spelling, as the adjacency text is folded). A syllable known only from a
        unit scored whole has its folded clause's documents; any other syllable of
        a pair (a stop or question word, a unit scored on its exact spelling) may
        be in any document."""
        holders: dict[str, np.ndarray] = {}  # folded syllable -> mask by docnum
        for unit in units:
            if any(c.folded and c.term == unit.folded for c in unit.clauses):
                docnums = self.postings.clause_arrays(unit.folded, True)[1]
                mask = holders.setdefault(unit.folded, np.zeros(self.reader.doc_count_all(), bool))
                mask[docnums] = True
        found = np.zeros(self.reader.doc_count_all(), dtype=bool)
        for pair in pairs:
            left, _, right = pair.partition(BIGRAM_JOINER)
            if left not in holders and right not in holders:
                return base.keys()
            if left in holders and right in holders:
                found |= holders[left] & holders[right]
            else:
                found |= holders[left] if left in holders else holders[right]
        docs = np.fromiter(base, dtype=np.int64, count=len(base))
        return set(docs[found[docs]].tolist())

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
        kept = self.drop_scattered(plan, self.base_scores(plan))
        return {d: base * self.phrase_factor(d, needles) for d, base in kept.items()}

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
        docnums, scores = _candidates(base, limit, bound)
        # Best first, ties in `base`'s order (a stable sort, as list.sort with
        # reverse=True); ties may come in any order: the heap orders them by docnum.
        order = np.argsort(-scores, kind="stable")
        candidates = zip(docnums[order].tolist(), scores[order].tolist(), strict=True)
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


def _candidates(base: dict[int, float], limit: int, bound: float) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, scores) of the items of `base`, in its order, whose score times
    `bound` reaches its limit-th largest score (numpy multiplies and compares
    as Python does)."""
    docnums = np.fromiter(base, dtype=np.int64, count=len(base))
    scores = np.fromiter(base.values(), dtype=np.float64, count=len(base))
    if not len(scores):
        return docnums, scores
    if limit >= len(scores):
        floor = float(scores.min())
    else:
        floor = float(np.partition(scores, len(scores) - limit)[len(scores) - limit])
    chosen = scores * bound >= floor
    return docnums[chosen], scores[chosen]


def _distinct(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct values of `weights` ascending, each weight's index among
    them), as ``np.unique(weights, return_inverse=True)``; by counting when the
    weights are small integers, as posting weights q are, instead of sorting."""
    as_int = weights.astype(np.int64)
    if len(weights) and as_int.min() >= 0 and np.array_equal(as_int, weights):
        seen = np.bincount(as_int)
        distinct = np.flatnonzero(seen)
        index = np.zeros(len(seen), dtype=np.int64)
        index[distinct] = np.arange(len(distinct))
        return distinct.astype(np.float64), index[as_int]
    return np.unique(weights, return_inverse=True)


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

"""Scoring and query generation shared by the relevance benchmarks.

- `RankScores`: hit@1, MRR@10 and recall@10 of known-answer queries;
- `is_noise` / `NoiseCount`: noise@10, the share of top-10 results that hold at
  most half of the query's syllables (diacritics ignored);
- `phrase_spans` / `known_item_queries`: what a reader remembers of a story, four
  consecutive words of its title or body, typed and without diacritics;
- `column_queries` / `score`: the known-item benchmark's columns and scores.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from tdbvantq import text as vntext

TOP = 10


@dataclass
class RankScores:
    """Accumulates the rank of the one right answer of each query."""

    queries: int = 0
    hits_at_1: int = 0
    reciprocal_ranks: float = 0.0
    found_in_top: int = 0

    def add(self, found: Sequence[str], expected: str) -> int | None:
        """Record one query's results; return the rank of `expected` in the top 10, if there."""
        self.queries += 1
        top = list(found[:TOP])
        if expected not in top:
            return None
        rank = top.index(expected) + 1
        self.hits_at_1 += rank == 1
        self.reciprocal_ranks += 1 / rank
        self.found_in_top += 1
        return rank

    @property
    def hit1(self) -> float:
        return self.hits_at_1 / self.queries if self.queries else 0.0

    @property
    def mrr10(self) -> float:
        return self.reciprocal_ranks / self.queries if self.queries else 0.0

    @property
    def recall10(self) -> float:
        return self.found_in_top / self.queries if self.queries else 0.0


def syllables(text: str) -> set[str]:
    """The distinct folded syllables of a text (numbers included)."""
    return set(vntext.folded_words(text))


def is_noise(query: str, result_syllables: set[str]) -> bool:
    """A result is noise when it holds at most half of the query's distinct syllables."""
    wanted = syllables(query)
    if not wanted:
        return False
    return len(wanted & result_syllables) * 2 <= len(wanted)


@dataclass
class NoiseCount:
    results: int = 0
    noisy: int = 0

    def add(self, query: str, result_syllables: Sequence[set[str]]) -> None:
        for held in result_syllables[:TOP]:
            self.results += 1
            self.noisy += is_noise(query, held)

    @property
    def share(self) -> float:
        return self.noisy / self.results if self.results else 0.0


# (column title, query source, typed or folded), in the order of the table.
COLUMNS = [
    ("titles, typed", "title", "typed"),
    ("titles, no diacritics", "title", "folded"),
    ("body phrases, no diacritics", "body", "folded"),
    ("body phrases, typed", "body", "typed"),
]


@dataclass
class EngineScores:
    """One engine's known-item scores, by column."""

    name: str
    ranks: dict[str, RankScores] = field(default_factory=dict)
    noise: dict[str, NoiseCount] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_noise(self) -> float:
        results = sum(n.results for n in self.noise.values())
        return sum(n.noisy for n in self.noise.values()) / results if results else 0.0

    def to_json(self) -> dict:
        columns = {
            column: {
                "hit1": r.hit1,
                "mrr10": r.mrr10,
                "recall10": r.recall10,
                "noise10": self.noise[column].share,
                "queries": r.queries,
            }
            for column, r in self.ranks.items()
        }
        return {
            "engine": self.name,
            "columns": columns,
            "noise10": self.total_noise,
            "seconds": self.seconds,
        }


def column_queries(queries: list[KnownItemQuery]) -> list[tuple[str, str, str]]:
    """(column, query text, right URL) for every column, in COLUMNS order."""
    rows = []
    for column, source, form in COLUMNS:
        rows += [(column, getattr(q, form), q.url) for q in queries if q.source == source]
    return rows


def score(
    name: str,
    answers: list[list[str]],
    rows: list[tuple[str, str, str]],
    page_syllables: dict[str, set[str]],
    seconds: float = 0.0,
) -> EngineScores:
    """Rank and noise of each query's answers (URLs, best first) against its right URL."""
    scores = EngineScores(name, seconds=seconds)
    for found, (column, query, url) in zip(answers, rows, strict=True):
        scores.ranks.setdefault(column, RankScores()).add(found, url)
        held = [page_syllables.get(u, set()) for u in found]
        scores.noise.setdefault(column, NoiseCount()).add(query, held)
    return scores


def percentile(values: Sequence[float], q: float) -> float:
    """The value below which a share `q` of the values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# -- known-item queries ---------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def phrase_spans(text: str, size: int = 4) -> list[tuple[int, int]]:
    """Character spans of `size` consecutive words separated by spaces only.

    A span never crosses punctuation (a reader remembers words of one phrase)
    and holds no numbers (readers rarely recall them exactly).
    """
    tokens = vntext.tokenize(text)
    spans = []
    for i in range(len(tokens) - size + 1):
        run = tokens[i : i + size]
        if any(t.is_number for t in run):
            continue
        gaps = (text[a.end : b.start] for a, b in zip(run, run[1:], strict=False))
        if all(_SPACES.fullmatch(gap) for gap in gaps):
            spans.append((run[0].start, run[-1].end))
    return spans


@dataclass(frozen=True)
class KnownItemQuery:
    url: str  # the story the words come from
    source: str  # "title" or "body"
    typed: str  # lowercase, with the story's diacritics
    folded: str  # the same words without diacritics


def _folded_phrase(text: str) -> str:
    return " ".join(vntext.folded_words(text))


def known_item_queries(
    stories: Sequence[tuple[str, str, str]],
    source: str,
    count: int,
    seed: int = 2017,
    size: int = 4,
    unique: bool = True,
) -> list[KnownItemQuery]:
    """`count` queries of `size` words from the title or body of seeded random stories.

    stories: (url, title, body). A phrase is kept only when no other story holds it
    (diacritics ignored), so each query has exactly one right answer; a story
    without such a phrase is skipped. `unique=False` skips that check (phrases
    for timing only). Same stories and seed, same queries.
    """
    if source not in ("title", "body"):
        raise ValueError(f"source must be 'title' or 'body', not {source!r}")
    folded = (
        [f" {_folded_phrase(t)} \n {_folded_phrase(b)} " for _, t, b in stories] if unique else []
    )
    corpus = "\n".join(folded)
    rng = random.Random(f"{seed}:{source}")
    order = list(range(len(stories)))
    rng.shuffle(order)
    queries: list[KnownItemQuery] = []
    for index in order:
        if len(queries) == count:
            break
        url, title, body = stories[index]
        text = title if source == "title" else body
        spans = phrase_spans(text, size)
        rng.shuffle(spans)
        for start, end in spans[:5]:
            phrase = vntext.lower(" ".join(text[start:end].split()))
            needle = f" {_folded_phrase(phrase)} "
            if not unique or corpus.count(needle) == folded[index].count(needle):
                queries.append(KnownItemQuery(url, source, phrase, vntext.fold(phrase)))
                break
    return queries

"""Vietnamese text analysis for the index and the query, composed of small steps.

Index side, once per document (``analyze_document``):

    field text --word_stream--> syllables with breaks --count--> tf per field
               --AcronymMatcher--> glossary acronyms and editors' synonym rules
                                   found in the field (tf += 1 each)
               --pseudo_frequencies--> w(t) = Σ_f W_f·tf_f / (1 − B + B·len_f/REF_f)
               --quantize--> integer posting weights q(t)
    all fields --fold--> adjacency text " dong ho tu quan | xa an binh ... "

Query side: ``syllables()`` runs the same tokenizer (vntext), so index and query
terms always agree; a query pair (a, b) is adjacent in a document iff
``" a b "`` occurs in its adjacency text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import compress
from typing import NamedTuple

import numpy as np

from tdbvantq import text as vntext
from tdbvantq.search.ranking import (
    BM25_B,
    FIELD_WEIGHTS,
    MAX_ACRONYM_RUN,
    REFERENCE_LENGTHS,
    WEIGHT_SCALE,
)

# A gap between two syllables holding one of these ends an adjacency run:
# "Huế. Do xã" must not make the pair "hue do".
BOUNDARY = re.compile(r"[.,;:!?()\[\]\"“”‘’«»…\n\r\t|/\\–—]")
BIGRAM_JOINER = "_"
BREAK = vntext.BREAK  # a boundary in a word stream and in the adjacency text


class Syllable(NamedTuple):
    norm: str  # normalized lowercase, diacritics kept
    folded: str  # diacritics removed, đ -> d
    start: int
    end: int
    boundary: bool  # punctuation between this syllable and the previous one (or the start)


def syllables(text: str) -> list[Syllable]:
    """vntext syllables with offsets and an adjacency boundary flag (queries, snippets)."""
    return [Syllable(*span) for span in vntext.spans_with_breaks(text, BOUNDARY)]


def bigram(left: str, right: str) -> str:
    return f"{left}{BIGRAM_JOINER}{right}"


def adjacent_pairs(adjacency: str) -> set[str]:
    """The distinct pairs "a_b" of consecutive syllables of an adjacency text."""
    return set(adjacent_pairs_in_order(adjacency))


def adjacent_pairs_in_order(adjacency: str) -> list[str]:
    """adjacent_pairs in the order of their first occurrence: the same in every
    process (a set's order follows the process's string hash seed), so the
    static export's fingerprints of unchanged shards match from build to build."""
    tokens = adjacency.split()
    # Joined in C (this runs for every pair of every document at export), then
    # the pairs across a boundary dropped: a syllable never holds BREAK.
    pairs = dict.fromkeys(map(BIGRAM_JOINER.join, zip(tokens, tokens[1:], strict=False)))
    return [pair for pair in pairs if BREAK not in pair]


class AcronymMatcher:
    """Finds the glossary's expansions in a folded syllable stream (punctuation
    ignored, as ``Glossary.acronym_for`` does) and names their acronyms; with
    editors' synonyms (vntext.Synonyms), also the phrases of each rule's right
    side, named by the rule's index term ("~chet|qua-doi|tu-tran|tu-vong")."""

    def __init__(
        self, glossary: vntext.Glossary | None, synonyms: vntext.Synonyms | None = None
    ) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, acronym in (glossary.phrases() if glossary else {}).items():
            folded = tuple(vntext.fold(phrase).split())
            if 1 < len(folded) <= MAX_ACRONYM_RUN:
                entry = (folded[1:], vntext.lower(acronym))
                self.by_first.setdefault(folded[0], []).append(entry)
        # A synonym phrase may be one syllable ("chết"): the rule's term counts
        # once more in the field for each time the field holds one of its phrases.
        for phrase, terms in (synonyms.index_phrases() if synonyms else {}).items():
            folded = tuple(phrase.split())
            for term in terms:
                self.by_first.setdefault(folded[0], []).append((folded[1:], term))

    def __bool__(self) -> bool:
        return bool(self.by_first)

    def find(self, folded: list[str]) -> Counter:
        """acronym (lowercase) -> how many times its expansion occurs in `folded`."""
        found: Counter = Counter()
        if not self.by_first or self.by_first.keys().isdisjoint(folded):
            return found
        words = list(filter(BREAK.__ne__, folded))
        # The phrases starting at each word, looked up in C; Python only at the hits.
        starting = list(map(self.by_first.get, words))
        for i in compress(range(len(words)), starting):
            for rest, acronym in starting[i]:
                if tuple(words[i + 1 : i + 1 + len(rest)]) == rest:
                    found[acronym] += 1
        return found


@dataclass
class AnalyzedDocument:
    weights: dict[str, int]  # exact term -> quantized pseudo-frequency q
    adjacency: str  # folded syllables of every field, BREAK between runs


def field_streams(fields: dict[str, str]) -> dict[str, list[str]]:
    """Each field's word stream (normalized syllables, BREAK at boundaries)."""
    return {name: vntext.word_stream(text, BOUNDARY) for name, text in fields.items() if text}


def pseudo_frequencies(
    streams: dict[str, list[str]], folded: dict[str, list[str]], acronyms: AcronymMatcher
) -> dict[str, float]:
    """w(t) = Σ_f W_f · tf_f(t) / ((1 − B) + B · len_f / REF_f), BM25F's per-field
    length normalization with fixed reference lengths (vnsearch.ranking)."""
    weights: dict[str, float] = {}
    for name, words in streams.items():
        counts = Counter(words)
        counts.pop(BREAK, None)
        length = sum(counts.values())
        if acronyms:
            counts.update(acronyms.find(folded[name]))
        scale = FIELD_WEIGHTS[name] / ((1 - BM25_B) + BM25_B * length / REFERENCE_LENGTHS[name])
        get = weights.get
        for term, tf in counts.items():
            weights[term] = get(term, 0.0) + tf * scale
    return weights


def quantize(weight: float) -> int:
    """The integer a posting stores: q = max(1, round(w * WEIGHT_SCALE))."""
    return max(1, round(weight * WEIGHT_SCALE))


def quantize_all(weights: list[float]) -> list[int]:
    """`quantize` of each weight, in numpy: the same IEEE product, and `np.rint` rounds
    half to even as `round` does."""
    scaled = np.rint(np.array(weights, dtype=np.float64) * WEIGHT_SCALE)
    return np.maximum(scaled, 1.0).astype(np.int64).tolist()


def analyze_document(fields: dict[str, str], acronyms: AcronymMatcher) -> AnalyzedDocument:
    """Posting weights and adjacency text of one document's text fields (in
    FIELD_WEIGHTS order; list fields already joined with newlines)."""
    streams = field_streams(fields)
    folded = {name: vntext.fold_stream(words) for name, words in streams.items()}
    frequencies = pseudo_frequencies(streams, folded, acronyms)
    weights = dict(zip(frequencies, quantize_all(list(frequencies.values())), strict=True))
    runs = [" ".join(words) for words in folded.values() if words]
    adjacency = f" {f' {BREAK} '.join(runs)} " if runs else " "
    return AnalyzedDocument(weights, adjacency)

"""Whoosh analyzers for Vietnamese, composed like ``whoosh.analysis``.

    exact   = VnSyllableTokenizer() | VnNormalizeFilter()            dòng, họ, tự, quản
    bigrams = VnSyllableTokenizer() | VnFoldFilter() | VnBigramFilter()   dong_ho, ho_tu, tu_quan

Folded matches (dong, ho, tu, quan) are read from the exact field: every term
there that folds to the query's syllable (vnsearch.postings).

The query side uses ``syllables()``, which runs the same tokenizer, so index
and query terms always agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import vntext
from vnsearch._whoosh import analysis

# A gap between two syllables holding one of these ends an adjacency run:
# "Huế. Do xã" must not make the bigram "hue_do".
BOUNDARY = re.compile(r"[.,;:!?()\[\]\"“”‘’«»…\n\r\t|/\\–—]")
BIGRAM_JOINER = "_"


@dataclass(frozen=True)
class Syllable:
    norm: str  # normalized lowercase, diacritics kept
    folded: str  # diacritics removed, đ -> d
    start: int
    end: int
    boundary: bool  # punctuation between this syllable and the previous one


def syllables(text: str) -> list[Syllable]:
    """vntext syllables with an adjacency boundary flag."""
    # Each field is analysed twice (exact, bigrams): tokenize once.
    global _last
    if _last[0] is text or _last[0] == text:
        return _last[1]
    result = _syllables(text)
    _last = (text, result)
    return result


_last: tuple[str | None, list[Syllable]] = (None, [])


def _syllables(text: str) -> list[Syllable]:
    result: list[Syllable] = []
    previous_end = None
    for token in vntext.tokenize(text):
        boundary = previous_end is None or bool(BOUNDARY.search(text, previous_end, token.start))
        result.append(Syllable(token.norm, token.folded, token.start, token.end, boundary))
        previous_end = token.end
    return result


def bigram(left: str, right: str) -> str:
    return f"{left}{BIGRAM_JOINER}{right}"


class VnSyllableTokenizer(analysis.Tokenizer):
    """Syllables and intact numbers from vntext.tokenize; token.text is the original slice."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[analysis.Token]:
        token = analysis.Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, syllable in enumerate(syllables(value)):
            token.text = value[syllable.start : syllable.end]
            token.syllable = syllable
            token.boost = 1.0
            token.stopped = False
            token.boundary = syllable.boundary
            if keeporiginal:
                token.original = token.text
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + syllable.start
                token.endchar = start_char + syllable.end
            yield token


class VnNormalizeFilter(analysis.Filter):
    """vntext.lower: NFC, Đ, canonical tone placement, lowercase; diacritics kept."""

    def __call__(self, tokens: Iterator[analysis.Token]) -> Iterator[analysis.Token]:
        for token in tokens:
            syllable = getattr(token, "syllable", None)
            token.text = syllable.norm if syllable else vntext.lower(token.text)
            yield token


class VnFoldFilter(analysis.Filter):
    """vntext.fold: the diacritic-free twin (đ -> d)."""

    def __call__(self, tokens: Iterator[analysis.Token]) -> Iterator[analysis.Token]:
        for token in tokens:
            syllable = getattr(token, "syllable", None)
            token.text = syllable.folded if syllable else vntext.fold(token.text)
            yield token


class VnBigramFilter(analysis.Filter):
    """Adjacent syllable pairs "a_b", never across punctuation (see BOUNDARY)."""

    def __call__(self, tokens: Iterator[analysis.Token]) -> Iterator[analysis.Token]:
        previous: str | None = None
        for token in tokens:
            current = token.text
            if previous is not None and not getattr(token, "boundary", False):
                token.text = bigram(previous, current)
                yield token
            previous = current


def exact_analyzer() -> analysis.Analyzer:
    return VnSyllableTokenizer() | VnNormalizeFilter()


def bigram_analyzer() -> analysis.Analyzer:
    return VnSyllableTokenizer() | VnFoldFilter() | VnBigramFilter()

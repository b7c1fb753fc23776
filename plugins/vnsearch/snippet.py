"""Snippets: a short window of the text around the query's syllables, <mark>ed.

The result is HTML in which only <mark> is markup; everything else is escaped.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

import vntext
from vnsearch.analysis import BIGRAM_JOINER, Syllable, bigram, syllables

MAX_TEXT = 30000  # characters of summary + body a snippet is taken from
WINDOW = 32  # syllables shown
FOCUS_CHARS = 900  # a longer text is first cut to this many characters around its densest hits
ADJACENT_GAIN = 2  # window value of a hit next to another hit
DISTINCT_GAIN = 3  # window value of each distinct syllable hit


@dataclass
class Highlight:
    """What to mark: exact syllables (accented queries), folded syllables, folded
    bigrams of acronym expansions, and the query's own adjacent pairs."""

    accented: bool = False
    exact: set[str] = field(default_factory=set)
    folded: set[str] = field(default_factory=set)
    bigrams: set[str] = field(default_factory=set)
    pairs: set[str] = field(default_factory=set)  # "dong_ho", "ho_tu", "tu_quan"

    def paired(self) -> set[str]:
        """Folded syllables that belong to a pair of the query."""
        return {part for pair in self.pairs for part in pair.split(BIGRAM_JOINER)}

    def hits(self, syls: list[Syllable], whole_units: bool = True) -> list[int]:
        """Per syllable: 2 = exact (or any match of a folded query), 1 = folded only, 0.

        With `whole_units`, a syllable the query typed next to another one is
        marked only where the text has it next to that one too: "an" of
        "an ninh" is not marked inside "Công an".
        """
        strong = 1 if self.accented else 2
        hits = [
            2
            if (self.accented and s.norm in self.exact)
            else strong
            if s.folded in self.folded
            else 0
            for s in syls
        ]
        joined = [False] * len(syls)
        for i in range(1, len(syls)):
            if syls[i].boundary:
                continue
            pair = bigram(syls[i - 1].folded, syls[i].folded)
            if pair in self.bigrams:
                hits[i - 1] = hits[i] = 2
            if pair in self.bigrams or pair in self.pairs:
                joined[i - 1] = joined[i] = True
        if whole_units and self.pairs:
            paired = self.paired()
            hits = [h if joined[i] or syls[i].folded not in paired else 0 for i, h in enumerate(hits)]
        return hits


def make_snippet(stored: dict, highlight: Highlight, window: int = WINDOW) -> str:
    """Best window of summary + body (title if both are empty)."""
    parts = [stored.get("summary_text", ""), stored.get("body_text", "")]
    text = "\n".join(p for p in parts if p)[:MAX_TEXT] or stored.get("title_text", "")
    text, text_cut_start, text_cut_end = _focus(text, highlight)
    syls = syllables(text)
    if not syls:
        return html.escape(text)
    hits = highlight.hits(syls)
    # Window value: hits, + ADJACENT_GAIN per adjacent pair of hits, + DISTINCT_GAIN
    # per distinct syllable hit.
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
        if i >= window:
            value -= gains[i - window]
            if hits[i - window]:
                seen[syls[i - window].folded] -= 1
                if not seen[syls[i - window].folded]:
                    del seen[syls[i - window].folded]
        total = value + DISTINCT_GAIN * len(seen)
        if total > best_value:
            best_value, best_start = total, max(0, i - window + 1)
    if best_value <= 0:
        best_start = 0
    end = min(len(syls), best_start + window)
    marks = hits[best_start:end]
    if 2 in marks:  # an exact match in view: do not also mark folded coincidences
        marks = [1 if h == 2 else 0 for h in marks]
    return _render(
        text,
        syls[best_start:end],
        marks,
        text_cut_start or best_start > 0,
        text_cut_end or end < len(syls),
    )


def _positions(haystack: str, text: str, terms: set[str]) -> list[int]:
    if len(haystack) != len(text) or not terms:
        return []
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return [m.start() for m in re.finditer(rf"(?<!\w)(?:{alternatives})(?!\w)", haystack)]


def _focus(text: str, highlight: Highlight) -> tuple[str, bool, bool]:
    """A slice of a long text around its densest run of query syllables, found on
    the folded text with one regex (tokenizing whole articles is what costs)."""
    if len(text) <= FOCUS_CHARS:
        return text, False, False
    folded_text = vntext.fold_chars(text)
    phrases = {b.replace(BIGRAM_JOINER, " ") for b in highlight.bigrams | highlight.pairs}
    # Whole units first: the query's pairs (and acronym expansions) as phrases;
    # then exact-diacritic syllables; then any folded syllable.
    positions = _positions(folded_text, text, phrases)
    if not positions and highlight.accented and highlight.exact:
        positions = _positions(text.lower(), text, highlight.exact)
    if not positions:
        positions = _positions(folded_text, text, highlight.folded | phrases)
    if not positions:
        return text[:FOCUS_CHARS], False, True
    span = FOCUS_CHARS // 3
    best, best_count, j = positions[0], 0, 0
    for i, start in enumerate(positions):
        while positions[j] < start - span:
            j += 1
        if i - j + 1 > best_count:
            best_count, best = i - j + 1, positions[j]
    begin = max(0, best - FOCUS_CHARS // 3)
    end = min(len(text), begin + FOCUS_CHARS)
    # Start and end on whitespace so no syllable is cut in half.
    if begin > 0:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < best else begin
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin else end
    return text[begin:end], begin > 0, end < len(text)


def _render(text: str, syls, hits, cut_start: bool, cut_end: bool) -> str:
    out: list[str] = ["… "] if cut_start else []
    position = syls[0].start
    i = 0
    while i < len(syls):
        if not hits[i]:
            i += 1
            continue
        j = i
        # Join runs of marked syllables separated only by spaces: <mark>dòng họ</mark>.
        while (
            j + 1 < len(syls) and hits[j + 1] and not text[syls[j].end : syls[j + 1].start].strip()
        ):
            j += 1
        out.append(html.escape(text[position : syls[i].start]))
        out.append("<mark>" + html.escape(text[syls[i].start : syls[j].end]) + "</mark>")
        position = syls[j].end
        i = j + 1
    out.append(html.escape(text[position : syls[-1].end]))
    if cut_end:
        out.append(" …")
    return "".join(out).replace("\n", " ")

"""Snippets: a short window of the text around the query's syllables, <mark>ed.

The result is HTML in which only <mark> is markup; everything else is escaped.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field

from vnsearch.analysis import Syllable, bigram, syllables

WINDOW = 32  # syllables
_MAX_TEXT = 30000


@dataclass
class Highlight:
    """What to mark: exact syllables (accented queries), folded syllables, folded bigrams."""

    accented: bool = False
    exact: set[str] = field(default_factory=set)
    folded: set[str] = field(default_factory=set)
    bigrams: set[str] = field(default_factory=set)

    def hits(self, syls: list[Syllable]) -> list[int]:
        """Per syllable: 2 = exact (or any match of a folded query), 1 = folded only, 0."""
        strong = 1 if self.accented else 2
        hits = [
            2
            if (self.accented and s.norm in self.exact)
            else strong
            if s.folded in self.folded
            else 0
            for s in syls
        ]
        for i in range(1, len(syls)):
            if not syls[i].boundary and bigram(syls[i - 1].folded, syls[i].folded) in self.bigrams:
                hits[i - 1] = hits[i] = 2
        return hits


def make_snippet(stored: dict, highlight: Highlight, window: int = WINDOW) -> str:
    """Best window of summary + body (title if both are empty)."""
    parts = [stored.get("summary_text", ""), stored.get("body_text", "")]
    text = "\n".join(p for p in parts if p)[:_MAX_TEXT] or stored.get("title_text", "")
    syls = syllables(text)
    if not syls:
        return html.escape(text)
    hits = highlight.hits(syls)
    # Window value: hits, + 2 per adjacent pair of hits, + 3 per distinct syllable hit.
    gains = [
        hits[i] + (2 if i and hits[i] and hits[i - 1] and not syls[i].boundary else 0)
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
        total = value + 3 * len(seen)
        if total > best_value:
            best_value, best_start = total, max(0, i - window + 1)
    if best_value <= 0:
        best_start = 0
    end = min(len(syls), best_start + window)
    marks = hits[best_start:end]
    if 2 in marks:  # an exact match in view: do not also mark folded coincidences
        marks = [1 if h == 2 else 0 for h in marks]
    return _render(text, syls[best_start:end], marks, best_start > 0, end < len(syls))


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

"""Snippets: a short window of the text around the query's syllables, <mark>ed.

The result is HTML in which only <mark> is markup; everything else is escaped.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from tdbvantq import text as vntext
from tdbvantq.search.analysis import BIGRAM_JOINER, BOUNDARY, Syllable, bigram

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

    def hits(self, syls: list[Syllable] | list[tuple], whole_units: bool = True) -> list[int]:
        """Per syllable: 2 = exact (or any match of a folded query), 1 = folded only, 0.

        With `whole_units`, a syllable the query typed next to another one is
        marked only where the text has it next to that one too: "an" of
        "an ninh" is not marked inside "Công an". `syls` may be Syllables or
        the plain (norm, folded, start, end, boundary) tuples they are made of.
        """
        strong = 1 if self.accented else 2
        exact = self.exact if self.accented else ()
        folded = self.folded
        hits = [
            2 if norm in exact else strong if fold in folded else 0
            for norm, fold, _start, _end, _boundary in syls
        ]
        # Only a syllable of some pair can start or end one: look at those alone.
        in_pairs = {
            part for pair in self.bigrams | self.pairs for part in pair.split(BIGRAM_JOINER)
        }
        joined: set[int] = set()
        for i, (_norm, fold, _start, _end, boundary) in enumerate(syls):
            if boundary or fold not in in_pairs or not i or syls[i - 1][1] not in in_pairs:
                continue
            pair = bigram(syls[i - 1][1], fold)
            if pair in self.bigrams:
                hits[i - 1] = hits[i] = 2
            if pair in self.bigrams or pair in self.pairs:
                joined.update((i - 1, i))
        if whole_units and self.pairs:
            paired = self.paired()
            for i, syl in enumerate(syls):
                if hits[i] and syl[1] in paired and i not in joined:
                    hits[i] = 0
        return hits


def make_snippet(stored: dict, highlight: Highlight, window: int = WINDOW) -> str:
    """Best window of summary + body (title if both are empty)."""
    parts = [stored.get("summary_text", ""), stored.get("body_text", "")]
    text = "\n".join(p for p in parts if p)[:MAX_TEXT] or stored.get("title_text", "")
    text, text_cut_start, text_cut_end = _focus(text, highlight)
    # analysis.syllables() without its NamedTuples, which cost as much as the scan.
    syls = vntext.spans_with_breaks(text, BOUNDARY)
    if not syls:
        return html.escape(text)
    hits = highlight.hits(syls)
    best_start = _best_window(syls, hits, window)
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


def _best_window(syls: list[tuple], hits: list[int], window: int) -> int:
    """Start of the first `window` syllables of greatest value: hits, + ADJACENT_GAIN
    per adjacent pair of hits, + DISTINCT_GAIN per distinct syllable hit.

    A window's value changes only where a hit enters or leaves it, and rises only
    where one enters: the first best window ends at a hit (or is the first one),
    so only the hits are visited.
    """
    at = [i for i, hit in enumerate(hits) if hit]
    gains = [hits[i] + (ADJACENT_GAIN if i and hits[i - 1] and not syls[i][4] else 0) for i in at]
    seen: Counter[str] = Counter()
    best_start, best_value, value, left = 0, 0, 0, 0
    for k, i in enumerate(at):
        value += gains[k]
        seen[syls[i][1]] += 1
        while at[left] <= i - window:
            value -= gains[left]
            fold = syls[at[left]][1]
            seen[fold] -= 1
            if not seen[fold]:
                del seen[fold]
            left += 1
        total = value + DISTINCT_GAIN * len(seen)
        if total > best_value:
            best_value, best_start = total, max(0, i - window + 1)
    return best_start


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


def _render(text: str, syls: list[tuple], hits: list[int], cut_start: bool, cut_end: bool) -> str:
    """HTML of the syllables `syls` ((norm, folded, start, end, boundary)) of `text`."""
    starts = [syl[2] for syl in syls]
    ends = [syl[3] for syl in syls]
    out: list[str] = ["… "] if cut_start else []
    position = starts[0]
    i = 0
    while i < len(syls):
        if not hits[i]:
            i += 1
            continue
        j = i
        # Join runs of marked syllables separated only by spaces: <mark>dòng họ</mark>.
        while j + 1 < len(syls) and hits[j + 1] and not text[ends[j] : starts[j + 1]].strip():
            j += 1
        out.append(html.escape(text[position : starts[i]]))
        out.append("<mark>" + html.escape(text[starts[i] : ends[j]]) + "</mark>")
        position = ends[j]
        i = j + 1
    out.append(html.escape(text[position : ends[-1]]))
    if cut_end:
        out.append(" …")
    return "".join(out).replace("\n", " ")

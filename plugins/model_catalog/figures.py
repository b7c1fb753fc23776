"""Key figures quoted about a model: numbers next to its mention, in the same clause.

"… mô hình camera an ninh với 28 mắt/24 điểm trên toàn xã …"      -> "28 mắt/24 điểm"
"… với 29 ban bảo vệ dân phố, 1.064 thành viên."                  -> "29 ban bảo vệ dân phố, 1.064 thành viên"
"… thành lập hơn 543 tổ liên gia an toàn về phòng cháy, chữa cháy, 653 điểm chữa cháy công cộng"
    -> "hơn 543 tổ liên gia …, chữa cháy" for one model and "653 điểm chữa cháy công cộng"
       for the other: a number right before another model's mention belongs to that model.

A figure is a number right before the mention (with its qualifier: "hơn 543"),
and/or numbers after it: the first within a few words of the mention, the next
ones chained by "/", "," or "và"; each with its unit (up to two words).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from model_catalog.matcher import Match
from tdbvantq.text import Token, iter_tokens, normalize

QUALIFIERS = frozenset({"hơn", "gần", "trên", "khoảng", "chừng", "hàng"})
# Words that end a unit: "24 điểm | trên toàn xã", "1.064 thành viên | của".
UNIT_STOP = frozenset(
    "trên tại của ở với và trong được đã cho thuộc từ đến là có nhằm để theo khi".split()
)
MAX_UNIT_WORDS = 2
MAX_WORDS_BEFORE_FIRST = 3
MAX_QUOTE_WORDS = 45  # "camera an ninh | với | 28 mắt"
_DATE = re.compile(r"\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{1,2}:\d{2}")
_SENTENCE_END = re.compile(r"[.!?…]+[”\"»)]*\s+(?=[“\"«(]?[^\W\d_])|\n\s*\n")
_CLAUSE_END = re.compile(r"[;:]\s+")
_DIGIT = re.compile(r"\d")
_CHAIN_GAP = re.compile(r"\s*[/,]?\s*")
_ABBREVIATIONS = frozenset({"TP", "TX", "Tp", "ThS", "TS", "GS", "PGS", "BS", "Th", "St"})


@dataclass(frozen=True)
class Figure:
    """A figure quoted about a model, with the sentence that holds it."""

    slug: str
    text: str  # "28 mắt/24 điểm"
    sentence: str
    start: int  # offsets of the figure in the analysed text
    end: int
    clause: str = ""  # the part of the sentence between ";" or ":" that holds it

    @property
    def quote(self) -> str:
        """The sentence, or for a very long one the clause with ellipses."""
        if len(self.sentence.split()) <= MAX_QUOTE_WORDS or not self.clause:
            return self.sentence
        head = "" if self.sentence.startswith(self.clause) else "… "
        tail = "" if self.sentence.endswith(self.clause) else " …"
        return f"{head}{self.clause}{tail}"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; "TP. Huế" and "1.064" do not end one."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith("."):
            before = text[start : match.start()].rsplit(None, 1)  # the word before the dot
            if before and before[-1] in _ABBREVIATIONS:
                continue
        spans.append((start, match.start() + len(match.group().rstrip())))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def find_figures(text: str, matches: list[Match]) -> list[Figure]:
    """Figures next to each match in `text` (matches from ModelMatcher.find(text)).

    A figure never leaves the clause of its mention, so only that clause is
    tokenized. The quoted texts are normalized (`vntext.normalize`).
    """
    if not matches:
        return []
    sentences = sentence_spans(text)
    clause_tokens: dict[tuple[int, int], list[Token]] = {}  # mentions often share a clause
    figures: list[Figure] = []
    for match in matches:
        sentence = next(((s, e) for s, e in sentences if s <= match.start < e), (0, len(text)))
        clause = _clause(text, sentence, match.start, match.end)
        if not _DIGIT.search(text, clause[0], clause[1]):
            continue  # no number in the clause, no figure: nothing to tokenize
        figure = _figure_of(text, match, sentence, clause, matches, clause_tokens)
        if figure is not None:
            figures.append(figure)
    return figures


def _window_tokens(text: str, window: tuple[int, int]) -> list[Token]:
    """The tokens of the window, and one past it: a number whose unit runs up to a
    mention right after the clause counts that mention's model ("…, 653 điểm | Điểm …")."""
    tokens = list(iter_tokens(text, *window))
    following = next(iter_tokens(text, window[1]), None)
    return tokens + [following] if following is not None else tokens


def _figure_of(text, match, sentence, clause, matches, clause_tokens) -> Figure | None:
    window = (min(clause[0], match.start), max(clause[1], match.end))
    if window not in clause_tokens:
        clause_tokens[window] = _window_tokens(text, window)
    tokens = clause_tokens[window]
    window = (window[0], max(window[1], tokens[-1].end if tokens else window[1]))
    starts = {token.start: index for index, token in enumerate(tokens)}
    ends = {token.end: index for index, token in enumerate(tokens)}
    if match.start not in starts or match.end not in ends:
        return None
    first, last = starts[match.start], ends[match.end]
    mentions = _mention_tokens(
        tokens, [m for m in matches if m.start < window[1] and m.end > window[0]]
    )
    begin = _number_before(tokens, text, first, clause, mentions)
    end = _numbers_after(tokens, text, last, clause, mentions)
    if begin is None and end is None:
        return None
    figure_start = tokens[begin].start if begin is not None else None
    if figure_start is None:
        figure_start = tokens[_first_number_after(tokens, last)].start
    figure_end = tokens[end].end if end is not None else match.end
    return Figure(
        slug=match.slug,
        text=_quoted(text, figure_start, figure_end),
        sentence=_quoted(text, *sentence),
        start=figure_start,
        end=figure_end,
        clause=_quoted(text, *clause),
    )


def _mention_tokens(tokens: list[Token], near: list[Match]) -> set[int]:
    """Indexes of the tokens that lie inside a mention (this one included)."""
    token_starts = [token.start for token in tokens]
    inside = set()
    for mention in near:
        index = bisect_left(token_starts, mention.start)
        while index < len(tokens) and tokens[index].end <= mention.end:
            inside.add(index)
            index += 1
    return inside


@lru_cache(maxsize=256)  # mentions in one sentence quote it once
def _quoted(text: str, start: int, end: int) -> str:
    return normalize(" ".join(text[start:end].split()))


def _clause(text: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The part of the sentence between ";"/":" around the mention."""
    clause_start, clause_end = sentence
    for match in _CLAUSE_END.finditer(text, sentence[0], sentence[1]):
        if match.end() <= start:
            clause_start = match.end()
        elif match.start() >= end:
            clause_end = match.start()
            break
    return clause_start, clause_end


def _inside(token: Token, clause: tuple[int, int]) -> bool:
    return clause[0] <= token.start and token.end <= clause[1]


def _is_figure_number(token: Token) -> bool:
    return token.is_number and not _DATE.fullmatch(token.text)


def _number_before(tokens, text, first, clause, mentions) -> int | None:
    """Index where the figure starts if a number sits right before the mention."""
    k = first - 1
    if k < 0 or not _inside(tokens[k], clause) or not _is_figure_number(tokens[k]):
        return None
    if not re.fullmatch(r"\s*", text[tokens[k].end : tokens[first].start]) or k in mentions:
        return None
    if k > 0 and tokens[k - 1].norm in QUALIFIERS and _inside(tokens[k - 1], clause):
        return k - 1
    return k


def _first_number_after(tokens: list[Token], last: int) -> int:
    for k in range(last + 1, len(tokens)):
        if _is_figure_number(tokens[k]):
            return k
    return last


def _numbers_after(tokens, text, last, clause, mentions) -> int | None:
    """Index of the last token of the figures that follow the mention, if any."""
    end = None
    k = last + 1
    limit = MAX_WORDS_BEFORE_FIRST
    while k < len(tokens) and _inside(tokens[k], clause):
        # Find the next number within `limit` words, no other mention in between.
        j, skipped = k, 0
        while j < len(tokens) and _inside(tokens[j], clause) and not tokens[j].is_number:
            if j in mentions or skipped >= limit:
                return end
            skipped += 1
            j += 1
        if j >= len(tokens) or not _inside(tokens[j], clause) or not _is_figure_number(tokens[j]):
            return end
        if end is not None and not _CHAIN_GAP.fullmatch(text[tokens[j - 1].end : tokens[j].start]):
            if not (skipped == 1 and tokens[j - 1].norm == "và"):
                return end
        unit_end = _unit_end(tokens, text, j, clause)
        if any(m in mentions for m in range(j + 1, unit_end + 2)):
            return end  # this number counts another model ("…, 653 điểm chữa cháy")
        end = unit_end
        k = unit_end + 1
        limit = 1  # the next figure must follow at once (after "," "/" or "và")
    return end


def _unit_end(tokens, text, j, clause) -> int:
    """Last token of the unit words after the number at j ("1.064 thành viên")."""
    end = j
    for k in range(j + 1, min(j + 1 + MAX_UNIT_WORDS, len(tokens))):
        token = tokens[k]
        gap = text[tokens[k - 1].end : token.start]
        if token.is_number or not _inside(token, clause) or token.norm in UNIT_STOP:
            break
        if not re.fullmatch(r"[ \u00a0]+", gap):
            break
        end = k
    return end

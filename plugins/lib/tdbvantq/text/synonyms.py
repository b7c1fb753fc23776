"""Synonyms kept by editors in content/, in the format of Solr's and
Elasticsearch's synonym files, used by search (vnsearch) and the glossary page.

File format (UTF-8), one rule a line, ``#`` starts a comment line::

    chết, qua đời, tử vong, từ trần      # a group: each finds the others
    hỏa hoạn => cháy                     # one way: "hỏa hoạn" also finds "cháy"

A group (members separated by commas) makes every member find every other.
``a, b => c, d`` is one way: a query holding "a" or "b" also finds the stories
that say "c" or "d", not the reverse. Unlike Solr's ``=>``, the words typed are
still searched for themselves: a rule only adds.

Every phrase is compared by its folded syllables (``fold``), as the search
compares acronyms' expansions: "qua doi" typed without diacritics finds what
"qua đời" finds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tdbvantq.text.text import fold, normalize, words

MAX_PHRASE_SYLLABLES = 8  # vnsearch.ranking.MAX_ACRONYM_RUN: the longest run a query is read by
ONE_WAY = "=>"
TERM_PREFIX = "~"  # no syllable holds it: an index term no text can spell


class SynonymError(ValueError):
    """A synonym line that cannot be read; the message names file:line, in
    Vietnamese; `line` (0: the whole file) and `reason` (the message without
    file:line) let a checker report it in its own format."""

    def __init__(self, message: str, line: int = 0, reason: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.reason = reason or message


def _error(source: str, number: int, reason: str) -> SynonymError:
    return SynonymError(f"{source}:{number}: {reason}", number, reason)


@dataclass(frozen=True)
class SynonymRule:
    """One line: the phrases a query may hold (`left`) and those it then also
    finds in stories (`right`); for a group both are its members."""

    left: tuple[str, ...]  # as written (normalized), in the line's order
    right: tuple[str, ...]
    one_way: bool
    line: int

    @property
    def term(self) -> str:
        """The index term a story gets wherever it holds one of `right`:
        TERM_PREFIX + the sorted distinct folded phrases, syllables joined by
        "-", phrases by "|" ("~chet|qua-doi|tu-tran|tu-vong"; not "_", which
        joins the syllables of the static index's pair terms). Rules with the
        same right side share it."""
        return rule_term(self.right)


def folded_phrase(phrase: str) -> str:
    """A phrase's folded syllables joined by spaces ("Qua đời" -> "qua doi")."""
    return fold(" ".join(words(phrase)))


def rule_term(phrases: tuple[str, ...] | list[str]) -> str:
    folded = sorted({folded_phrase(p).replace(" ", "-") for p in phrases})
    return TERM_PREFIX + "|".join(folded)


@dataclass
class Synonyms:
    rules: list[SynonymRule] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Iterator[SynonymRule]:
        return iter(self.rules)

    def groups(self) -> list[SynonymRule]:
        """The rules as written, for the glossary page."""
        return list(self.rules)

    def index_phrases(self) -> dict[str, list[str]]:
        """folded phrase -> the index terms a story holding it gets (vnsearch.analysis)."""
        found: dict[str, list[str]] = {}
        for rule in self.rules:
            for phrase in rule.right:
                terms = found.setdefault(folded_phrase(phrase), [])
                if rule.term not in terms:
                    terms.append(rule.term)
        return found

    def query_rules(self) -> list[dict]:
        """What the query side needs, the same in Python and in the browser (the
        static index's manifest carries it): each distinct term once, in file
        order, with the folded phrases a query may hold and those it finds."""
        merged: dict[str, dict] = {}
        for rule in self.rules:
            entry = merged.setdefault(rule.term, {"term": rule.term, "left": [], "right": []})
            for key, phrases in (("left", rule.left), ("right", rule.right)):
                for phrase in map(folded_phrase, phrases):
                    if phrase not in entry[key]:
                        entry[key].append(phrase)
        return list(merged.values())


def _phrases(side: str, source: str, number: int, raw: str) -> tuple[str, ...]:
    phrases = []
    for part in side.split(","):
        phrase = normalize(part.strip())
        if not phrase:
            raise _error(source, number, f"có một cụm từ trống (thừa dấu phẩy?) trong dòng “{raw}”")
        syllables = words(phrase)
        if not syllables:
            raise _error(source, number, f"“{phrase}” không có chữ nào để tìm")
        if len(syllables) > MAX_PHRASE_SYLLABLES:
            raise _error(
                source,
                number,
                f"“{phrase}” dài {len(syllables)} tiếng, tối đa {MAX_PHRASE_SYLLABLES} tiếng",
            )
        if any(folded_phrase(phrase) == folded_phrase(seen) for seen in phrases):
            raise _error(source, number, f"“{phrase}” được ghi hai lần trong một dòng")
        phrases.append(phrase)
    return tuple(phrases)


def parse_synonyms(text: str, source: str = "<synonyms>") -> Synonyms:
    """Read a synonyms file; a malformed line raises SynonymError naming source:line."""
    rules = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.count(ONE_WAY) > 1:
            raise _error(source, number, f"một dòng chỉ được có một dấu “=>”: “{line}”")
        left, arrow, right = line.partition(ONE_WAY)
        if not arrow and "=" in line:
            raise _error(
                source,
                number,
                f"dùng dấu phẩy giữa các từ cùng nghĩa, hoặc “=>” cho "
                f"quy tắc một chiều, không dùng “=”: “{line}”",
            )
        if arrow:
            if not left.strip() or not right.strip():
                raise _error(
                    source, number, f"quy tắc một chiều cần cụm từ ở cả hai bên “=>”: “{line}”"
                )
            rules.append(
                SynonymRule(
                    _phrases(left, source, number, line),
                    _phrases(right, source, number, line),
                    True,
                    number,
                )
            )
            continue
        members = _phrases(line, source, number, line)
        if len(members) < 2:
            raise _error(
                source,
                number,
                f"một nhóm đồng nghĩa cần ít nhất hai cụm từ, cách nhau bằng dấu phẩy: “{line}”",
            )
        rules.append(SynonymRule(members, members, False, number))
    return Synonyms(rules)


def load_synonyms(path: str | Path | None) -> Synonyms:
    """Read a synonyms file; a missing file (or none given) gives no synonyms."""
    if path is None:
        return Synonyms()
    path = Path(path)
    if not path.is_file():
        return Synonyms()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SynonymError(f"{path}: không phải văn bản UTF-8 ({error.reason})") from None
    return parse_synonyms(text, str(path))

"""Query planning: raw user text -> units, clauses and pairs (README.md, "Ranking").

Every step here has a line-for-line mirror in theme/static/js/search-engine.js
(planQuery, questionMask, addAcronymClauses, addSynonymClauses, exactOnly): a
change on one side needs the same change on the other, and
tests/test_static_search.py compares the two engines on the ranking corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tdbvantq import text as vntext
from tdbvantq.search.analysis import Syllable, bigram, syllables
from tdbvantq.search.ranking import (
    EXACT_WEIGHT,
    FOLDED_QUESTION_WORDS,
    MAX_ACRONYM_RUN,
    MAX_QUERY_CHARS,
    MAX_QUERY_SYLLABLES,
    QUESTION_FRAMES,
    QUESTION_WORDS,
    SYNONYM_WEIGHT,
)
from tdbvantq.search.snippet import Highlight


@dataclass(frozen=True)
class Clause:
    term: str
    folded: bool  # True: every index term that folds to `term`
    weight: float
    synonym: bool = (
        False  # an editors' synonym rule's term (the phrase-only rule keeps its documents)
    )


@dataclass
class Unit:
    """One distinct query syllable and every clause that counts as matching it."""

    label: str
    folded: str = ""
    clauses: list[Clause] = field(default_factory=list)


@dataclass
class QueryPlan:
    query: str
    accented: bool
    units: list[Unit]
    pairs: list[str]  # distinct folded pairs "a_b" of adjacent query syllables
    highlight: Highlight


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
        False: (
            frozenset(FOLDED_QUESTION_WORDS),
            tuple(tuple(s.folded for s in f) for f in frames),
        ),
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


def plan_query(
    query: str,
    glossary: vntext.Glossary | None = None,
    synonyms: list[dict] | None = None,
) -> QueryPlan:
    """Turn raw user text into clauses; never fails, whatever the text.
    `synonyms`: vntext.Synonyms.query_rules() (the static index's manifest
    carries the same list to the browser)."""
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
    if synonyms:
        _add_synonyms(syls, unit_of, synonyms, highlight)
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


def synonym_rules_by_phrase(synonyms: list[dict]) -> dict[str, list[dict]]:
    """folded phrase a query may hold -> the rules it triggers, in file order."""
    by_phrase: dict[str, list[dict]] = {}
    for rule in synonyms:
        for phrase in rule["left"]:
            by_phrase.setdefault(phrase, []).append(rule)
    return by_phrase


def _add_synonyms(
    syls: list[Syllable], unit_of: list[Unit], synonyms: list[dict], highlight: Highlight
) -> None:
    """Every run of 1..MAX_ACRONYM_RUN query syllables whose folded forms spell a
    rule's left phrase gives each unit of the run the rule's index term as an
    exact clause of weight SYNONYM_WEIGHT, once per unit (the index holds the
    term wherever a story says one of the rule's right phrases); the right
    phrases are marked in snippets as an acronym's expansions are."""
    by_phrase = synonym_rules_by_phrase(synonyms)
    for start in range(len(syls)):
        for end in range(start + 1, min(len(syls), start + MAX_ACRONYM_RUN) + 1):
            rules = by_phrase.get(" ".join(s.folded for s in syls[start:end]), ())
            for rule in rules:
                for phrase in rule["right"]:
                    parts = phrase.split()
                    highlight.bigrams.update(map(bigram, parts, parts[1:]))
                    if len(parts) == 1:
                        highlight.folded.add(parts[0])
                for unit in {id(u): u for u in unit_of[start:end]}.values():
                    if not any(c.term == rule["term"] for c in unit.clauses):
                        unit.clauses.append(
                            Clause(rule["term"], False, SYNONYM_WEIGHT, synonym=True)
                        )


def exact_only(unit: Unit) -> Unit:
    """The unit without the folded clause of its own syllable, whose postings are
    those of a stop syllable's every spelling (its other clauses stay)."""
    clauses = [c for c in unit.clauses if not (c.folded and c.term == unit.folded)]
    return Unit(unit.label, unit.folded, clauses)

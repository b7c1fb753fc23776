"""Search helpers shared by the index and equivalence tests."""

from __future__ import annotations

from tdbvantq.search.schema import TERMS


def whoosh_matcher_postings(engine, term: str) -> list[tuple[int, int]]:
    """A term's (docnum, q) through Whoosh's own matcher API, one posting at a time
    (slow, obviously right): what the engine's fast postings reader must equal."""
    if (TERMS, term) not in engine.reader:
        return []
    matcher = engine.searcher.postings(TERMS, term)
    items = []
    while matcher.is_active():
        items.append((matcher.id(), int(matcher.weight())))
        matcher.next()
    return items

"""Case-blind tests of the words in class and id attributes, quick on the ASCII words that
most pages use: the importer tests every element's class against a few such patterns."""

from __future__ import annotations

import re

_PATTERNS: list[CaseBlind] = []  # every pattern made, so that a new page forgets the answers


def new_page() -> None:
    """Forget the answers remembered for the previous page (`page_parse.Page` calls it)."""
    for pattern in _PATTERNS:
        pattern.known.clear()


class CaseBlind:
    """A pattern of lowercase words searched without regard to case (`re.IGNORECASE`)."""

    def __init__(self, pattern: str) -> None:
        # ASCII text lowercased and searched with the pattern as written gives the answer
        # of a case-blind search at about half its cost (IGNORECASE searches are slow).
        # Other text ("K" as the Kelvin sign, "ſ" match "k" and "s") keeps IGNORECASE.
        if any(c.isupper() for c in re.sub(r"\\.", "", pattern)):
            raise ValueError(f"not a lowercase pattern: {pattern!r}")
        self.pattern = pattern
        self._lower = re.compile(pattern)
        self._blind = re.compile(pattern, re.IGNORECASE)
        # The answer for each text of the page: a page repeats its class names many times
        # (about 1,200 searches a page for 260 distinct texts), and the importer walks it
        # with several patterns. Forgotten at each new page (`new_page`).
        self.known: dict[str, bool] = {}
        _PATTERNS.append(self)

    def search(self, text: str) -> bool:
        """Whether the pattern is found in `text`, in any case."""
        found = self.known.get(text)
        if found is None:
            if text.isascii():
                found = self._lower.search(text.lower()) is not None
            else:
                found = self._blind.search(text) is not None
            if len(self.known) < _MAX_KNOWN:
                self.known[text] = found
        return found


_MAX_KNOWN = 4096  # a bound, for a page with a great many distinct class names

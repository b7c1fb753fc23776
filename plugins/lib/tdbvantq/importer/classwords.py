"""Case-blind tests of the words in class and id attributes, quick on the ASCII words that
most pages use: the importer tests every element's class against a few such patterns."""

from __future__ import annotations

import re


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

    def search(self, text: str) -> bool:
        """Whether the pattern is found in `text`, in any case."""
        if text.isascii():
            return self._lower.search(text.lower()) is not None
        return self._blind.search(text) is not None

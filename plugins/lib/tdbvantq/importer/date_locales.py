"""dateparser over every locale, as htmldate runs it, without trying the locales that
cannot read a string's letters.

On a page that declares no language, htmldate hands each date-like string to dateparser
with no language, and dateparser asks each of its 200 locales in a fixed order whether it
can read the string (`Locale.is_applicable`: every token of the string, once translated,
normalised, lowercased and simplified, is a number, a relative expression or a word of the
locale); the first that can and parses it wins. That costs 10-20 ms for a string that no
locale reads, most of the date's cost on such pages.

A locale can read a string only if every letter of the string is one the locale knows:
a token with a letter that no word, relative expression or simplification of the locale
holds is no word of it, and only a simplification's pattern can remove a letter before
the tokens are cut. So a locale whose alphabet lacks one of the string's letters is
answered "no" at once, and the others are asked as before, in the same order: the answer
is the same as with every locale tried. A locale whose patterns match letters in general
(`\\w`, `.`, a class) or that rewrites letters (Persian, Arabic) is always asked.
"""

from __future__ import annotations

import re
from functools import lru_cache

from dateparser import DateDataParser
from dateparser.utils import normalize_unicode

# A character class without negation, range or escape (`[.,]`, `[уы]`): its own characters.
_PLAIN_CLASS = re.compile(r"\[(?!\^)[^\]\\-]*\]")
# What can match a letter that the pattern does not spell out.
_ANY_LETTER = re.compile(r"\\[wSDpPXN]|(?<!\\)\.|\[")
_ALPHABETS: dict[str, frozenset[str] | None] = {}


def _spells_out_letters(pattern: str) -> bool:
    return not _ANY_LETTER.search(_PLAIN_CLASS.sub("", pattern))


def _characters(words: list[str]) -> frozenset[str]:
    found: set[str] = set()
    for word in words:
        for char in word:
            found |= {char, char.lower(), char.upper(), char.casefold()}
    return frozenset(found)


def _alphabet(locale, settings) -> frozenset[str] | None:
    """Every character the locale's words, relative expressions and simplifications
    hold (any case), or None when its patterns may match other letters."""
    name = locale.shortname
    if name not in _ALPHABETS:
        try:
            dictionary = locale._get_dictionary(settings)
            relative = list(dictionary._get_sorted_relative_strings_from_cache())
            patterns = [next(iter(s)).pattern for s in locale._get_simplifications(settings)]
            rewrites = locale._translates_letters
        except (AttributeError, TypeError, StopIteration):  # another dateparser: ask every locale
            _ALPHABETS[name] = None
            return None
        if rewrites or not all(_spells_out_letters(p) for p in relative + patterns):
            _ALPHABETS[name] = None
        else:
            words = [*dictionary, *relative, *patterns, *settings.SKIP_TOKENS]
            _ALPHABETS[name] = _characters(words)
    return _ALPHABETS[name]


@lru_cache(maxsize=4096)
def _letters(text: str) -> frozenset[str]:
    """The letters of a string as `is_applicable` sees them (normalised, lowercased)."""
    return frozenset(c for c in normalize_unicode(text).lower() if c.isalpha())


def _may_read(alphabet: frozenset[str] | None, text: str) -> bool:
    if alphabet is None:
        return True
    return all(
        c in alphabet or c.upper() in alphabet or c.casefold() in alphabet for c in _letters(text)
    )


class AllLocalesParser(DateDataParser):
    """`DateDataParser(languages=None)` that skips the locales whose alphabet lacks one of
    the string's letters (module docstring)."""

    def _is_applicable_locale(
        self, locale, date_string: str, ignore_surrounding_text: bool = False
    ) -> bool:
        # Ignoring unknown words at the edges of a string lets any letter through.
        if not ignore_surrounding_text and not _may_read(
            _alphabet(locale, self._settings), date_string
        ):
            return False
        return super()._is_applicable_locale(locale, date_string, ignore_surrounding_text)

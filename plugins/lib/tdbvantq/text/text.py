"""Normalization, folding and tokenization of Vietnamese text.

Three levels of a word, from strictest to loosest:

- ``normalize``: NFC, look-alike letters mapped, one canonical tone placement
  (the traditional style of the press: "hòa", "thủy", "khỏe", "Ủy");
- ``lower``: normalized and lowercased, the form kept in "exact" index fields;
- ``fold``: lowercased with every diacritic removed and "đ" typed as "d", the
  form a phone keyboard without Vietnamese input produces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

# Combining tone marks (NFD): grave, acute, tilde, hook above, dot below.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Combining vowel-quality marks: breve (ă), circumflex (â ê ô), horn (ơ ư).
QUALITY_MARKS = frozenset("\u0306\u0302\u031b")
VOWELS = frozenset("aeiouy")
CODAS = frozenset({"", "c", "ch", "m", "n", "ng", "nh", "p", "t"})

# Invisible characters that web pages put inside words and a copy keeps: soft
# hyphen, zero-width space, word joiner, byte order mark. They are dropped, and
# a word holding one is still one token ("nh\u00adư" is "như").
INVISIBLES = "\u00ad\u200b\u2060\ufeff"
# Icelandic eth looks exactly like the Vietnamese đ and turns up in pasted text.
# Full-width and letterlike compatibility letters and digits ("ｃａｍｅｒａ",
# "ＡＮＴＴ", "２０２３", "ℌ") fold to their NFKC letter, one character for one so
# token offsets stay valid. Only these blocks: NFKC on all text would also turn
# "…" into "...", "²" into "2" and "ﬁ" into "fi", changing snippets and tokens.
COMPAT_RANGES = ((0xFF00, 0xFFEF), (0x2100, 0x214F))
COMPAT = {
    chr(code): nfkc
    for low, high in COMPAT_RANGES
    for code in range(low, high + 1)
    if len(nfkc := unicodedata.normalize("NFKC", chr(code))) == 1
    and nfkc.isalnum()
    and nfkc != chr(code)
}
LOOKALIKES = str.maketrans(
    {"\u00d0": "\u0110", "\u00f0": "\u0111"} | dict.fromkeys(INVISIBLES) | COMPAT
)
_COMPAT_CHAR = re.compile(
    "[" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in COMPAT_RANGES) + "]"
)
_COMPAT_FOLD = str.maketrans({char: nfkc.lower() for char, nfkc in COMPAT.items()})
DSTROKE = str.maketrans({"\u0110": "D", "\u0111": "d"})

_LETTER_RUN_SPLIT = re.compile(r"([^\W\d_]+)")
_LOOKALIKE_CHAR = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in sorted(LOOKALIKES)) + "]"
)
_COMBINING = re.compile(r"[\u0300-\u036f]")
# A token is a number whose digit groups are joined by . , / : ("1.064",
# "24/7", "08:57"), or else a run of letters and digits ("H5N1", "mắt").
# Combining marks are allowed after each character so NFD input tokenizes too.
_TOKEN = re.compile(
    r"\d+(?:[.,/:]\d+)*(?![^\W_])"
    rf"|[^\W_][\u0300-\u036f]*(?:[{INVISIBLES}]*[^\W_][\u0300-\u036f]*)*"
)
_NUMBER = re.compile(r"\d+(?:[.,/:]\d+)*")
_NON_SLUG = re.compile(r"[^a-z0-9]+")


class Token(NamedTuple):
    """One syllable, word or number of a text, with its place in that text."""

    text: str  # the original slice
    start: int
    end: int
    norm: str  # normalize(text).lower()
    is_number: bool

    @property
    def folded(self) -> str:
        """fold(text), computed on demand: many callers never need it."""
        return fold_cached(self.norm)


def normalize(text: str) -> str:
    """NFC, look-alikes mapped, invisibles dropped, and canonical tone placement
    in every syllable."""
    # Invisibles go first: one between a letter and its mark would keep them apart.
    # translate() looks every character up in a dict: a regex scan first skips it
    # for the usual text, which holds none (half of normalize's time on news text).
    if _LOOKALIKE_CHAR.search(text):
        text = text.translate(LOOKALIKES)
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        return text
    # Letter runs at the odd places; each through the cached tone placement, in C
    # (re.sub with a Python callback made a match object and a call per word).
    parts = _LETTER_RUN_SPLIT.split(text)
    parts[1::2] = map(_place_tone, parts[1::2])
    return "".join(parts)


def lower(text: str) -> str:
    """Normalized and lowercased: the form compared when diacritics matter."""
    return normalize(text).lower()


def fold(text: str) -> str:
    """Lowercase, without any diacritic, with "đ" as "d": "Đảm bảo" -> "dam bao"."""
    # The same steps, each skipped where it would change nothing: ASCII text has no
    # look-alike, no mark and no "đ" (most of a page in English); translate() looks every
    # character up in a dict, so a scan in C goes first.
    if text.isascii():
        return text.lower()
    if _LOOKALIKE_CHAR.search(text):
        text = text.translate(LOOKALIKES)
    stripped = _COMBINING.sub("", unicodedata.normalize("NFD", text))
    if "\u0110" in stripped or "\u0111" in stripped:
        stripped = stripped.translate(DSTROKE)
    return stripped.lower()


# The one cached fold of the project: the indexer folds the same syllables, the
# importer the same paragraphs (about seven times each per page), the browser
# index the same shard keys, over and over. Bounded, least recently used first out:
# a long import or a large index keeps only what it is still folding.
FOLD_CACHE_SIZE = 131072
fold_cached = lru_cache(maxsize=FOLD_CACHE_SIZE)(fold)
fold_cached.__doc__ = """``fold(text)``, remembered: for text folded again and again."""


def fold_chars(text: str) -> str:
    """``fold`` one character for one, so offsets stay valid: for NFC text, the
    same as ``fold`` (a character whose fold is not one character is kept)."""
    folded = text.translate(_FOLD_CHARS)
    if _COMPAT_CHAR.search(folded):
        folded = folded.translate(_COMPAT_FOLD).translate(_FOLD_CHARS)
    return folded


def _fold_table() -> str:
    """A translate table as a string indexed by code point (faster than a dict);
    characters past its end are kept (str.translate ignores a LookupError)."""
    table = []
    for code in range(0x2000):
        folded = fold(chr(code))
        table.append(folded if len(folded) == 1 else chr(code))
    return "".join(table)


def tokenize(text: str) -> list[Token]:
    """Split text into syllables and numbers; punctuation is dropped, nothing else."""
    return list(iter_tokens(text))


def words(text: str) -> list[str]:
    """The normalized lowercase syllables of a text."""
    return [token.norm for token in tokenize(text)]


def folded_words(text: str) -> list[str]:
    """The folded syllables of a text."""
    return [token.folded for token in tokenize(text)]


def slugify(text: str) -> str:
    """URL slug from a Vietnamese title: "Bám cơ sở" -> "bam-co-so"."""
    return _NON_SLUG.sub("-", fold(normalize(text))).strip("-")


def iter_tokens(text: str, start: int = 0, end: int | None = None) -> Iterator[Token]:
    """The tokens of text[start:end], lazily, with offsets into `text`.

    `start` and `end` should fall between tokens (not inside a word).
    """
    for match in _TOKEN.finditer(text, start, len(text) if end is None else end):
        raw = match.group()
        norm, is_number = _classify_word(raw)
        yield Token(raw, match.start(), match.end(), norm, is_number)


BREAK = "|"
_CACHE_LIMIT = 400_000


class _WordCache(dict):
    """raw token -> normalized lowercase form (BREAK for a break character)."""

    def __init__(self, breaks: re.Pattern[str]) -> None:
        super().__init__()
        self.breaks = breaks

    def __missing__(self, raw: str) -> str:
        if len(self) > _CACHE_LIMIT:  # numbers and foreign words keep coming
            self.clear()
        value = BREAK if self.breaks.fullmatch(raw) else _classify_word(raw)[0]
        self[raw] = value
        return value


_word_caches: dict[str, tuple[re.Pattern[str], _WordCache]] = {}


def word_stream(text: str, breaks: re.Pattern[str]) -> list[str]:
    """The normalized lowercase tokens of `text` (as ``tokenize`` gives their
    ``norm``), with BREAK in place of every character matching `breaks` (a
    one-character class) that falls between them.

    The indexer's fast path: one regex scan and cached word forms, no Token
    objects and no offsets (several times faster than ``tokenize``).
    """
    scanner, cache = _scanner(breaks)
    return list(map(cache.__getitem__, scanner.findall(text)))


def _scanner(breaks: re.Pattern[str]) -> tuple[re.Pattern[str], _WordCache]:
    entry = _word_caches.get(breaks.pattern)
    if entry is None:
        scanner = re.compile(f"{_TOKEN.pattern}|{breaks.pattern}")
        entry = _word_caches[breaks.pattern] = (scanner, _WordCache(breaks))
    return entry


def spans_with_breaks(text: str, breaks: re.Pattern[str]) -> list[tuple[str, str, int, int, bool]]:
    """(norm, folded, start, end, broken) of each token of `text`, where
    `broken` says a character matching `breaks` (or the start of the text)
    comes between it and the previous token. The tokens of ``tokenize``."""
    scanner, cache = _scanner(breaks)
    result = []
    broken = True
    for match in scanner.finditer(text):
        norm = cache[match.group()]
        if norm == BREAK:
            broken = True
            continue
        result.append((norm, fold_cached(norm), match.start(), match.end(), broken))
        broken = False
    return result


def fold_stream(words: list[str]) -> list[str]:
    """``fold`` of each word of a ``word_stream`` (BREAK folds to itself)."""
    return list(map(fold_cached, words))


def spellings(word: str) -> list[str]:
    """Every lowercase NFC spelling that `lower` turns into `word`, `word` first.

    `word` is one normalized lowercase token ("hòa"); the others carry the tone
    on another vowel ("hoà") or "ð" for "đ". A compiled matcher searching for
    them in lowercased text finds what tokenizing and normalizing would find.
    """
    found = [word]
    letters = _split_letters(unicodedata.normalize("NFD", word)) if word.isalpha() else None
    tones = [i for i, letter in enumerate(letters or []) if letter[2]]
    if letters and len(tones) == 1:
        for target, (base, _quality, _tone) in enumerate(letters):
            if base not in VOWELS or target == tones[0]:
                continue
            moved = [list(letter) for letter in letters]
            moved[target][2], moved[tones[0]][2] = moved[tones[0]][2], ""
            spelling = unicodedata.normalize("NFC", "".join(b + q + t for b, q, t in moved))
            if lower(spelling) == word:
                found.append(spelling)
    for index, char in enumerate(word):
        if char == "\u0111":  # đ: its look-alike eth, wherever it is
            found += [s[:index] + "\u00f0" + s[index + 1 :] for s in found]
    return found


# Texts repeat a small vocabulary of syllables: cache the per-word work.
@lru_cache(maxsize=131072)
def _classify_word(raw: str) -> tuple[str, bool]:
    return lower(raw), _NUMBER.fullmatch(raw) is not None


_FOLD_CHARS = _fold_table()


@lru_cache(maxsize=65536)
def _place_tone(word: str) -> str:
    """Move the tone mark of one NFC syllable to its canonical vowel."""
    letters = _split_letters(unicodedata.normalize("NFD", word))
    if letters is None:
        return word
    tones = [i for i, letter in enumerate(letters) if letter[2]]
    if len(tones) != 1:
        return word
    target = _tone_position([(base.lower(), quality) for base, quality, _ in letters])
    current = tones[0]
    if target is None or target == current:
        return word
    tone = letters[current][2]
    letters[current][2] = ""
    letters[target][2] = tone
    return unicodedata.normalize("NFC", "".join(b + q + t for b, q, t in letters))


def _split_letters(decomposed: str) -> list[list[str]] | None:
    """[base, quality marks, tone mark] per letter, or None for a foreign shape."""
    letters: list[list[str]] = []
    for char in decomposed:
        if char in TONE_MARKS or char in QUALITY_MARKS:
            if not letters:
                return None
            slot = 2 if char in TONE_MARKS else 1
            if slot == 2 and letters[-1][2]:
                return None  # two tones on one letter: not Vietnamese, leave it
            letters[-1][slot] += char
        elif unicodedata.combining(char):
            return None
        else:
            letters.append([char, "", ""])
    return letters


def _tone_position(letters: list[tuple[str, str]]) -> int | None:
    """Index of the letter that carries the tone, by the traditional rules."""
    vowel_positions = [i for i, (base, _) in enumerate(letters) if base in VOWELS]
    if not vowel_positions:
        return None
    first, last = vowel_positions[0], vowel_positions[-1]
    if last - first + 1 != len(vowel_positions):
        return None  # vowels not contiguous: not one syllable
    onset = "".join(base for base, _ in letters[:first])
    coda = "".join(base for base, _ in letters[last + 1 :])
    if coda not in CODAS:
        return None
    nucleus = list(range(first, last + 1))
    # "qu" and "gi" onsets: the u/i belongs to the onset, not the nucleus.
    if len(nucleus) > 1 and (
        (onset == "q" and letters[first][0] == "u") or (onset == "g" and letters[first][0] == "i")
    ):
        nucleus = nucleus[1:]
    if len(nucleus) > 3:
        return None
    marked = [i for i in nucleus if letters[i][1]]
    if marked:
        return marked[-1]  # ê, ơ, ô, â, ă, ư carry the tone ("ươ" -> ơ)
    if coda:
        return nucleus[-1]  # "hoàn", "huỳnh"
    if len(nucleus) == 3:
        return nucleus[1]  # "ngoài", "khuỷu"
    return nucleus[0]  # open syllables, traditional style: "hòa", "thủy", "mùa"

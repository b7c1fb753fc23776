"""Find model names in Vietnamese text; usable without Pelican.

    from model_catalog.matcher import ModelMatcher
    matcher = ModelMatcher.from_dir(Path("content/models"))
    matcher.find(text)          # -> [Match(slug, name, start, end, text, phrase), ...]
    matcher.resolve("Dòng họ 3 kỷ cương")   # -> "dong-ho-tu-quan"
    matcher.suggest("Dong ho tu quan")      # -> ["Dòng họ tự quản", ...]

Matching compares token sequences of normalized lowercase text (vntext.tokenize:
`Token.norm`), so case, NFC/NFD and tone placement ("hoà"/"hòa") do not matter,
and punctuation inside a name ("Phòng, chống …") does not either. Diacritics do
matter: folded matching would confuse "tổ" with "tờ" or "tô"; it is only used
to *suggest* names, never to match text.

For speed, every name is also compiled into one regular expression: a trie of
syllables (each with all its spellings, vntext.spellings) that runs over
the lowercased text in one pass, without tokenizing it. Text that is not NFC
takes the token path, which gives the same matches.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model_catalog.catalog import load_models
from tdbvantq.text import Glossary, Token, folded_words, normalize, spellings, tokenize, words

# A name may run across spaces, commas and hyphens, never across a sentence or
# paragraph break, a bracket or a quotation mark.
_INNER_GAP = re.compile(r"[\s,\-\u2010-\u2014]*")
_QUOTED = re.compile(r"[“\"«]([^”\"»\n]{2,200})[”\"»]")
# The same rules as a regex over lowercased text: a token starts after a
# character that is not a letter, digit or combining mark, and a number
# token does not continue into "1.064" or "24/7".
# The look-behinds run after the name's first letter is read, hence the "."
_START_BEFORE = r"(?<![^\W_].)(?<![\u0300-\u036f].)"
_NUMBER_BEFORE = r"(?<!\d[.,/:].)"
_TOKEN_END = r"(?![^\W_]|[\u0300-\u036f])"
_NUMBER_END = r"(?![.,/:]\d)"
_GAP = r"[\s,\-\u2010-\u2014]*"
MAX_REMEMBERED_HITS = 10000


@dataclass(frozen=True)
class Match:
    """One mention of a model in a text; start/end are offsets in that text."""

    slug: str
    name: str  # the model's canonical name
    start: int
    end: int
    text: str  # the matched slice of the text, as written
    phrase: str  # the name or alias that matched, as in the catalogue


@dataclass(frozen=True)
class _Phrase:
    tokens: tuple[str, ...]
    slug: str
    name: str
    phrase: str


def _model_fields(model: Any) -> tuple[str, str, list[str]]:
    if isinstance(model, Mapping):
        return model["slug"], model["name"], list(model.get("aliases") or [])
    return model.slug, model.name, list(getattr(model, "aliases", None) or [])


class ModelMatcher:
    """Names and aliases of the catalogue, indexed by their first token."""

    def __init__(self, models: Iterable[Any], glossary: Glossary | None = None) -> None:
        """`models`: objects or mappings with slug, name and aliases (list of str).

        With a glossary, each name also matches with its acronyms expanded or
        contracted ("ANTT" <-> "an ninh trật tự").
        """
        self._names: dict[str, str] = {}  # slug -> canonical name
        self._by_first: dict[str, list[_Phrase]] = {}
        self._exact: dict[tuple[str, ...], str] = {}  # token sequence -> slug
        self._known: list[tuple[str, str]] = []  # (phrase, slug) for suggestions
        seen: set[tuple[str, ...]] = set()
        for model in models:
            slug, name, aliases = _model_fields(model)
            self._names[slug] = normalize(name)
            for phrase in [name, *aliases]:
                phrase = normalize(phrase)
                self._known.append((phrase, slug))
                for variant, tokens in enumerate(_variants(tuple(words(phrase)), glossary)):
                    owner = self._exact.setdefault(tokens, slug) if tokens else slug
                    if owner != slug:
                        if variant == 0:  # the name as written, not an acronym variant
                            raise ValueError(
                                f"model {slug!r}: name {phrase!r} is already a name of "
                                f"model {owner!r}"
                            )
                        continue
                    if tokens and tokens not in seen:
                        seen.add(tokens)
                        self._by_first.setdefault(tokens[0], []).append(
                            _Phrase(tokens, slug, self._names[slug], phrase)
                        )
        for candidates in self._by_first.values():
            candidates.sort(key=lambda p: len(p.tokens), reverse=True)
        self._by_tokens = {p.tokens: p for group in self._by_first.values() for p in group}
        self._pattern = compile_phrases(list(self._by_tokens)) if self._by_tokens else None
        self._hits: dict[str, _Phrase | None] = {}  # lowercased hit -> its name

    @classmethod
    def from_dir(cls, directory: Path | str, glossary: Glossary | None = None) -> ModelMatcher:
        """Load content/models/*.md (raises catalog.ModelFileError on a bad file)."""
        return cls(load_models(Path(directory)), glossary=glossary)

    @property
    def slugs(self) -> list[str]:
        return list(self._names)

    def name_of(self, slug: str) -> str | None:
        return self._names.get(slug)

    def find(self, text: str, tokens: list[Token] | None = None) -> list[Match]:
        """Every mention in `text`, in order, longest name first, never overlapping.

        `tokens` may pass `vntext.tokenize(text)` when the caller already has it.
        """
        if tokens is None and self._pattern is not None:
            if unicodedata.is_normalized("NFC", text):
                found = self._find_compiled(text, lowercase(text))
                if found is not None:
                    return found
        return self._find_tokens(text, tokenize(text) if tokens is None else tokens)

    def _find_compiled(self, text: str, lowered: str) -> list[Match] | None:
        """One regex pass; None if a hit is not a name token by token (never expected)."""
        matches = []
        for hit in self._pattern.finditer(lowered):
            phrase = self._phrase_of(hit.group())
            if phrase is None:
                return None
            start, end = hit.span()
            matches.append(
                Match(phrase.slug, phrase.name, start, end, text[start:end], phrase.phrase)
            )
        return matches

    def _phrase_of(self, hit: str) -> _Phrase | None:
        """The name a hit spells; hits repeat, so each spelling is tokenized once."""
        if hit not in self._hits:
            if len(self._hits) >= MAX_REMEMBERED_HITS:
                self._hits.clear()
            self._hits[hit] = self._by_tokens.get(tuple(words(hit)))
        return self._hits[hit]

    def _find_tokens(self, text: str, tokens: list[Token]) -> list[Match]:
        norms = [token.norm for token in tokens]
        matches: list[Match] = []
        i = 0
        while i < len(tokens):
            found = None
            for candidate in self._by_first.get(norms[i], ()):
                size = len(candidate.tokens)
                if tuple(norms[i : i + size]) != candidate.tokens:
                    continue
                if all(
                    _INNER_GAP.fullmatch(text[tokens[k].end : tokens[k + 1].start])
                    for k in range(i, i + size - 1)
                ):
                    found = candidate
                    break
            if found is None:
                i += 1
                continue
            start, end = tokens[i].start, tokens[i + len(found.tokens) - 1].end
            matches.append(Match(found.slug, found.name, start, end, text[start:end], found.phrase))
            i += len(found.tokens)
        return matches

    def phrases(self) -> list[tuple[str, str]]:
        """(slug, phrase as words) of every name the matcher finds, sorted: two
        matchers with the same phrases find the same mentions (places keys its
        cache with them)."""
        return sorted((p.slug, " ".join(tokens)) for tokens, p in self._by_tokens.items())

    def slugs_in(self, text: str) -> list[str]:
        """Slugs of the models mentioned in `text`, in order of first mention."""
        return list(dict.fromkeys(match.slug for match in self.find(text)))

    def resolve(self, name: str) -> str | None:
        """The slug of a model given exactly by a name, an alias or its slug; else None."""
        tokens = tuple(words(name))
        if tokens in self._exact:
            return self._exact[tokens]
        stripped = name.strip()
        return stripped if stripped in self._names else None

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Up to `n` canonical model names closest to `name` (diacritics ignored)."""
        target_words = folded_words(name)
        target, wanted = " ".join(target_words), set(target_words)
        best: dict[str, float] = {}
        for phrase, slug in self._known:
            known_words = folded_words(phrase)
            ratio = difflib.SequenceMatcher(None, target, " ".join(known_words)).ratio()
            common = len(wanted & set(known_words))
            jaccard = common / max(len(wanted | set(known_words)), 1)
            contained = 0.8 * common / max(len(wanted), 1)  # "Tổ liên gia" -> its full name
            score = max(ratio, jaccard, contained)
            if score > best.get(slug, 0.0):
                best[slug] = score
        ranked = sorted(
            (slug for slug, score in best.items() if score >= 0.6),
            key=lambda slug: (-best[slug], self._names[slug]),
        )
        return [self._names[slug] for slug in ranked[:n]]

    def unknown_quoted(self, text: str, max_words: int = 12) -> list[str]:
        """Quoted phrases (“…”) of 2..max_words syllables that name no known model.

        The importer lists these so an editor can spot a new model's name.
        """
        unknown: list[str] = []
        for match in _QUOTED.finditer(text):
            phrase = " ".join(match.group(1).split()).strip(" ,;:.…")
            size = len(words(phrase))
            if not 2 <= size <= max_words or self.resolve(phrase):
                continue
            if phrase not in unknown:
                unknown.append(normalize(phrase))
        return unknown


def _spelled(spelling: str) -> str:
    return re.escape(spelling).replace("đ", "[đð]")


def _token_end(token: str) -> str:
    return _TOKEN_END + (_NUMBER_END if token[-1:].isdigit() else "")


def lowercase(text: str) -> str:
    """text.lower(), one character for one, so offsets stay those of `text`."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)  # "İ" -> "i̇"


def compile_phrases(names: list[tuple[str, ...]], gap: str = _GAP) -> re.Pattern[str]:
    """A trie of the names' tokens (vntext norms) as one regex over `lowercase(text)`.

    Between two tokens of a name the text may hold `gap`.
    At each token the longer names are tried first (a greedy optional tail),
    as the token path does. The pattern starts with a branch of literal first
    letters, so the regex engine skips quickly to where a name can begin.
    """
    trie: dict = {}
    for tokens in names:
        node = trie
        for token in tokens:
            node = node.setdefault(token, {})
        node[None] = True  # a name ends here

    def tail(node: dict) -> str:
        """What may follow a token: more tokens (required unless a name ends here)."""
        if set(node) == {None}:
            return ""
        nexts = "|".join(
            "(?:"
            + "|".join(map(_spelled, spellings(token)))
            + ")"
            + _token_end(token)
            + tail(child)
            for token, child in node.items()
            if token is not None
        )
        return f"(?:{gap}(?:{nexts})){'?' if None in node else ''}"

    # First tokens, grouped by their first letter; the boundary before the
    # name is checked once that letter is read (a fixed-width look-behind).
    by_letter: dict[str, list[str]] = {}
    for token, child in trie.items():
        before = _NUMBER_BEFORE if token[:1].isdigit() else ""
        for spelling in spellings(token):
            rest = _spelled(spelling[1:]) + _token_end(token) + tail(child)
            by_letter.setdefault(spelling[0], []).append(before + rest)
    branches = [
        re.escape(letter) + _START_BEFORE + "(?:" + "|".join(rests) + ")"
        for letter, rests in by_letter.items()
    ]
    return re.compile("|".join(branches))


def _variants(tokens: tuple[str, ...], glossary: Glossary | None) -> list[tuple[str, ...]]:
    """The name itself, plus each acronym expanded and each expansion contracted."""
    variants = [tokens]
    if glossary is None:
        return variants
    acronyms = {acronym.lower(): acronym for acronym in glossary.entries}
    for index, token in enumerate(tokens):
        for expansion in glossary.entries.get(acronyms.get(token, ""), ()):
            variants.append(tokens[:index] + tuple(words(expansion)) + tokens[index + 1 :])
    for phrase, acronym in glossary.phrases().items():
        phrase_tokens = tuple(phrase.split())
        size = len(phrase_tokens)
        for index in range(len(tokens) - size + 1):
            if tokens[index : index + size] == phrase_tokens:
                contracted = tokens[:index] + (acronym.lower(),) + tokens[index + size :]
                variants.append(contracted)
    return list(dict.fromkeys(variants))

"""The press's acronyms, kept as data in content/ and used both ways by search.

File format (UTF-8), one entry a line, ``#`` starts a comment::

    ANTT = an ninh trật tự
    PCCC = phòng cháy chữa cháy
    PCCC = phòng cháy, chữa cháy
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tdbvantq.text.text import fold, normalize, words


class GlossaryError(ValueError):
    """A glossary line that cannot be read; the message names file and line."""


@dataclass
class Glossary:
    entries: dict[str, list[str]] = field(default_factory=dict)  # acronym -> expansions

    def __post_init__(self) -> None:
        self._by_folded: dict[str, list[str]] = {}
        self._by_phrase: dict[str, str] = {}
        self._by_folded_phrase: dict[str, str] = {}
        for acronym, expansions in self.entries.items():
            self._by_folded.setdefault(fold(acronym), []).extend(expansions)
            for expansion in expansions:
                self._by_phrase.setdefault(" ".join(words(expansion)), acronym)
                self._by_folded_phrase.setdefault(fold(" ".join(words(expansion))), acronym)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        for acronym, expansions in self.entries.items():
            for expansion in expansions:
                yield acronym, expansion

    def __len__(self) -> int:
        return len(self.entries)

    def expansions(self, word: str) -> list[str]:
        """Expansions of an acronym, found however it is typed ("pccc", "BĐBP", "bdbp")."""
        return list(self._by_folded.get(fold(word), []))

    def acronym_for(self, phrase: str) -> str | None:
        """The acronym of an expansion, compared syllable by syllable, punctuation ignored."""
        return self._by_phrase.get(" ".join(words(phrase)))

    def folded_phrases(self) -> dict[str, str]:
        """Every expansion as folded syllables joined by spaces -> its acronym."""
        return self._by_folded_phrase

    def phrases(self) -> dict[str, str]:
        """Every expansion as normalized lowercase syllables joined by spaces -> its acronym."""
        return dict(self._by_phrase)


def parse_glossary(text: str, source: str = "<glossary>") -> Glossary:
    entries: dict[str, list[str]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        acronym, sep, expansion = line.partition("=")
        acronym, expansion = normalize(acronym.strip()), normalize(expansion.strip())
        if not sep or not acronym or not expansion or " " in acronym:
            raise GlossaryError(
                f"{source}:{number}: expected 'ACRONYM = expansion', got {raw.strip()!r}"
            )
        entries.setdefault(acronym, []).append(expansion)
    return Glossary(entries)


def load_glossary(path: str | Path) -> Glossary:
    """Read a glossary file; a missing file gives an empty glossary."""
    path = Path(path)
    if not path.exists():
        return Glossary()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise GlossaryError(f"{path}: not UTF-8 text ({error})") from None
    return parse_glossary(text, str(path))

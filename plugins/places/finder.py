"""Which places a story is about, and which model each place belongs to.

1. `Locality:` metadata first: items separated by ";", each "xã Phong Hiền" or
   "xã Phong Hiền, thành phố Huế" (the province after a comma decides between
   communes of the same name).
2. Then the text: a unit word (xã, phường, TP., huyện…) followed by capitalized
   syllables (model_catalog's locality scanner finds the candidates), resolved
   against the gazetteer (current and pre-2025 units).

A place found in a sentence belongs to the models that sentence names, or, when
it names none, to those of the previous sentence of the same paragraph; a
metadata place belongs to every model of the story that the text gives no place.
A name that resolves to nothing, or to several communes with nothing to choose
between them, is a Problem (the build logs it; `make check` reports it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from model_catalog.localities import (
    _ABBREV_GAP,
    _NAME_GAP,
    _UNIT_PATTERN,
    ABOLISHED,
    FAMILY_NAMES,
    UNIT_WORDS,
    _capitalized_run,
    _unit_key,
)
from model_catalog.matcher import lowercase
from places.gazetteer import (
    COMMUNE_LABELS,
    PROVINCE_LABELS,
    Gazetteer,
    Resolution,
    Unit,
    load_gazetteer,
)
from tdbvantq.text import normalize, words

# A sentence ends at . ! ? … before a capital, but not after "TP." / "TX." (TP. Huế).
_SENTENCE_END = re.compile(r"(?<![Tt][PpXx]\.)(?<=[.!?…])[\"”’)]*\s+(?=[\"“(]*[A-ZÀ-Ỹ0-9Đ])|\n+")
_PARAGRAPH = re.compile(r"\n\s*\n")
_UNIT_PREFIX = {" ".join(key): label for key, label in UNIT_WORDS.items()}


@dataclass(frozen=True)
class Mention:
    """A place as the story writes it: "xã Phú Mỹ"."""

    label: str  # unit word as shown ("xã"); "" when the metadata item has none
    name: str  # normalized

    @property
    def written(self) -> str:
        return f"{self.label} {self.name}".strip()


@dataclass
class StoryPlace:
    """A resolved place of one story."""

    unit: Unit
    written: str  # as the story wrote it
    old_name: str = ""  # "xã Phong Hiền" when the story used a pre-2025 name
    models: list[str] = field(default_factory=list)  # model slugs it belongs to
    from_metadata: bool = False


@dataclass(frozen=True)
class PlaceProblem:
    written: str
    line: int | None  # in the source file, when known (metadata)
    message: str


@dataclass
class StoryPlaces:
    places: list[StoryPlace]  # metadata places first, then by first mention
    problems: list[PlaceProblem]

    def for_model(self, slug: str) -> list[StoryPlace]:
        return [p for p in self.places if slug in p.models]


def split_locality(value: object) -> list[str]:
    """The `Locality:` items (";"-separated; a list when Pelican made one)."""
    items = value if isinstance(value, list | tuple) else [str(value or "")]
    return [part.strip() for item in items for part in str(item).split(";") if part.strip()]


def parse_item(item: str) -> list[Mention]:
    """ "xã Phong Hiền, thành phố Huế" -> the commune, then its province."""
    mentions = []
    for part in item.split(","):
        text = normalize(part).strip()
        if not text:
            continue
        label = ""
        lowered = " ".join(words(text))
        for prefix in sorted(_UNIT_PREFIX, key=len, reverse=True):
            if lowered.startswith(prefix + " "):
                label = _UNIT_PREFIX[prefix]
                drop = len(words(prefix))
                # Cut the unit word off the text as written (TP. / tp / Thành phố).
                tokens = text.replace(".", ". ").split()
                text = " ".join(tokens[drop:]) if len(tokens) > drop else text
                break
        mentions.append(Mention(label, text))
    return mentions


def text_mentions(text: str) -> list[tuple[int, Mention]]:
    """(offset, mention) of every candidate place in `text`, in order."""
    text = unicodedata.normalize("NFC", text)
    lowered = lowercase(text)
    found = []
    position = 0
    while unit := _UNIT_PATTERN.search(lowered, position):
        position = unit.end()
        key = _unit_key(unit.group())
        abbreviation = key in (("tp",), ("tx",))
        if abbreviation and not text[unit.start() : unit.end()].isupper():
            continue
        gap = (_ABBREV_GAP if abbreviation else _NAME_GAP).match(text, position)
        if gap is None or not text[gap.end() : gap.end() + 1].isupper():
            continue
        run = _capitalized_run(text, unit.end(), abbreviation)
        if not run or (run[0].norm in FAMILY_NAMES and UNIT_WORDS[key] in ABOLISHED):
            continue
        found.append((unit.start(), Mention(UNIT_WORDS[key], " ".join(t.text for t in run))))
        position = run[-1].end
    return found


def _candidates(mention: Mention) -> list[Mention]:
    """The mention and its shorter prefixes: "xã Phú Mỹ Đông" may be "xã Phú Mỹ"."""
    parts = mention.name.split()
    return [Mention(mention.label, " ".join(parts[:n])) for n in range(len(parts), 0, -1)]


def resolve(
    gazetteer: Gazetteer, mention: Mention, provinces: frozenset[str], longest: bool = False
) -> tuple[Mention, list[Resolution]]:
    """The mention (or, from text, its longest known prefix) and its resolutions."""
    labels = [mention.label] if mention.label else ["xã", "phường", "tỉnh"]
    for candidate in _candidates(mention) if longest else [mention]:
        for label in labels:
            found = gazetteer.resolve(label, candidate.name, provinces)
            if found:
                return Mention(label if mention.label else "", candidate.name), found
    return mention, []


def _ambiguous(found: list[Resolution], provinces: frozenset[str], label: str = "") -> bool:
    """Several units of that name and no single one in the provinces the story names
    (with the unit word as written deciding between two there)."""
    if len({r.unit.key for r in found}) <= 1:
        return False
    inside = [r for r in found if _province_of(r.unit) in provinces]
    same_word = [r for r in inside if r.label == label]
    return len({r.unit.key for r in same_word or inside}) != 1


def _province_of(unit: Unit) -> str:
    return unit.province_code or unit.code


def find_places(
    locality: object,
    text: str,
    models_in: Callable[[str], list[str]],
    story_models: Iterable[str],
    locality_line: int | None = None,
    gazetteer: Gazetteer | None = None,
) -> StoryPlaces:
    """The story's places. `models_in(sentence)` names the model slugs a sentence
    speaks of (model_catalog's matcher); `story_models` are all of the story's."""
    g = gazetteer or load_gazetteer()
    items = [parse_item(item) for item in split_locality(locality)]
    sentences = list(_sentences(text))
    found_in_text = [(i, m) for i, (s, _) in enumerate(sentences) for _, m in text_mentions(s)]
    # The provinces the story names decide between communes of the same name.
    mentions = [m for item in items for m in item] + [m for _, m in found_in_text]
    collector = _Collector(g, _provinces_named(g, mentions), locality_line)
    for item in items:
        collector.metadata_item(item)
    placed = collector.text_places(sentences, found_in_text, models_in)
    # A metadata place belongs to the story's models that the text places nowhere.
    unplaced = [slug for slug in story_models if slug not in placed]
    for place in collector.meta_places:
        place.models += [slug for slug in unplaced if slug not in place.models]
    ordered = sorted(collector.places.values(), key=lambda p: 0 if p.from_metadata else 1)
    return StoryPlaces(ordered, collector.problems)


def _provinces_named(g: Gazetteer, mentions: Iterable[Mention]) -> frozenset[str]:
    provinces = set()
    for mention in mentions:
        if mention.label in PROVINCE_LABELS or not mention.label:
            _, found = resolve(g, mention, frozenset())
            if found and found[0].unit.kind == "province":
                provinces.add(found[0].unit.code)
    return frozenset(provinces)


class _Collector:
    """The places of one story as they are found, and the problems."""

    def __init__(self, g: Gazetteer, context: frozenset[str], locality_line: int | None) -> None:
        self.g = g
        self.context = context
        self.line = locality_line
        self.places: dict[str, StoryPlace] = {}
        self.meta_places: list[StoryPlace] = []
        self.problems: list[PlaceProblem] = []

    def add(
        self, resolution: Resolution, written: Mention, models: list[str], meta: bool
    ) -> StoryPlace:
        unit = resolution.unit
        place = self.places.get(unit.key)
        if place is None:
            old = ""
            if resolution.old_name:
                old = written.written if written.label else resolution.old_name
            place = self.places[unit.key] = StoryPlace(unit, written.written, old, [], meta)
        place.models += [slug for slug in dict.fromkeys(models) if slug not in place.models]
        return place

    def metadata_item(self, item: list[Mention]) -> None:
        """ "xã X, thành phố Huế": the item's own province decides first."""
        provinces = _provinces_named(self.g, item[1:]) or self.context
        for mention in item:
            written, found = resolve(self.g, mention, provinces)
            if not found:
                hint = ", ".join(self.g.suggest(mention.name)) or "không có tên gần giống"
                self.problems.append(
                    PlaceProblem(
                        mention.written,
                        self.line,
                        f"Địa bàn “{mention.written}” không có trong danh mục đơn vị hành chính"
                        f" (trước và sau 07/2025) — Có phải: {hint}?",
                    )
                )
            elif _ambiguous(found, provinces, written.label):
                names = "; ".join(
                    f"{r.unit.full_name} ({self.g.province(r.unit.province_code).name})"
                    for r in found[:3]
                    if r.unit.kind == "commune"
                )
                self.problems.append(
                    PlaceProblem(
                        mention.written,
                        self.line,
                        f"Địa bàn “{mention.written}” có ở nhiều tỉnh ({names}…) — Ghi thêm tỉnh,"
                        f" thành phố sau dấu phẩy, ví dụ “{mention.written}, thành phố Huế”.",
                    )
                )
            else:
                self.meta_places.append(self.add(found[0], written, [], True))

    def text_places(
        self,
        sentences: list[tuple[str, int]],
        found_in_text: list[tuple[int, Mention]],
        models_in: Callable[[str], list[str]],
    ) -> set[str]:
        """Add the text's places, each to the models its sentence speaks of; returns
        the models the text gives a place."""
        placed: set[str] = set()
        by_sentence: dict[int, list[Mention]] = {}
        for index, mention in found_in_text:
            by_sentence.setdefault(index, []).append(mention)
        speaks_of = _SpeaksOf(sentences, models_in)
        for index in sorted(by_sentence):
            for mention in by_sentence[index]:
                written, found = resolve(self.g, mention, self.context, longest=True)
                if not found:
                    self.unknown_in_text(mention)
                elif not _ambiguous(
                    found, self.context, written.label
                ):  # else only Locality: can say which
                    models = speaks_of(index)
                    self.add(found[0], written, list(models), False)
                    placed.update(models)
        return placed

    def unknown_in_text(self, mention: Mention) -> None:
        # "Công an tỉnh Phan Quý Phương": a person's name after a unit word is no place.
        if (
            mention.label in COMMUNE_LABELS | PROVINCE_LABELS
            and len(mention.name.split()) >= 2
            and words(mention.name)[0] not in FAMILY_NAMES
        ):
            hint = ", ".join(self.g.suggest(mention.name)) or "không có tên gần giống"
            self.problems.append(
                PlaceProblem(
                    mention.written,
                    None,
                    f"Địa bàn “{mention.written}” trong bài không có trong danh mục đơn vị hành chính"
                    f" — Có phải: {hint}? (Ghi đúng tên vào dòng Locality.)",
                )
            )


class _SpeaksOf:
    """The models a sentence speaks of: those it names, else those of the sentence
    before it in the same paragraph (and so on back). Asked only for the sentences
    that name a place, and each sentence matched at most once: the matcher is not
    run over the other sentences (about 20 of 22 in news stories)."""

    def __init__(
        self, sentences: list[tuple[str, int]], models_in: Callable[[str], list[str]]
    ) -> None:
        self.sentences, self.models_in = sentences, models_in
        self.named: dict[int, list[str]] = {}

    def __call__(self, index: int) -> list[str]:
        paragraph = self.sentences[index][1]
        while index >= 0 and self.sentences[index][1] == paragraph:
            if index not in self.named:
                self.named[index] = self.models_in(self.sentences[index][0])
            if self.named[index]:
                return self.named[index]
            index -= 1
        return []


def _sentences(text: str) -> Iterable[tuple[str, int]]:
    """(sentence, paragraph number) of the text."""
    for number, paragraph in enumerate(_PARAGRAPH.split(text)):
        for sentence in _SENTENCE_END.split(paragraph):
            if sentence.strip():
                yield sentence, number

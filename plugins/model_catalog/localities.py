"""Administrative units named in a story: "xã Phú Mỹ", "TP. Huế", "thị xã Hương Thủy".

A locality is a unit word (xã, phường, thị trấn, thị xã/TX., thành phố/TP., huyện,
quận, tỉnh, đặc khu) followed by a run of capitalized syllables. The run is
checked against the official list in the `vietnam-provinces` package (the 34
provinces and 3,321 communes in force since 07/2025): the longest prefix of the
run that is the name of a listed unit is taken ("xã Phú Mỹ Đông" -> "Phú Mỹ"
only if "Phú Mỹ Đông" is unknown).

The press still writes pre-2025 units. Communes, wards and provinces must be in
the list (a name there is very likely a place even if the unit was merged);
districts, towns and "thị trấn" were abolished in 2025 and cannot be checked
against the current list, so for those a two-syllable capitalized name is
accepted unless it starts with a common family name (an official's name after
"UBND huyện" is not a place).
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import islice
from pathlib import Path

from model_catalog.matcher import compile_phrases, lowercase
from tdbvantq.text import Token, iter_tokens, normalize, words

# Unit words (normalized lowercase token sequences) -> the label shown on pages.
UNIT_WORDS: dict[tuple[str, ...], str] = {
    ("xã",): "xã",
    ("phường",): "phường",
    ("thị", "trấn"): "thị trấn",
    ("thị", "xã"): "thị xã",
    ("tx",): "thị xã",
    ("thành", "phố"): "thành phố",
    ("tp",): "thành phố",
    ("huyện",): "huyện",
    ("quận",): "quận",
    ("tỉnh",): "tỉnh",
    ("đặc", "khu"): "đặc khu",
}
# Units that no longer exist after the 2025 reform: not in the current list.
ABOLISHED = frozenset({"huyện", "quận", "thị xã", "thị trấn"})
FAMILY_NAMES = frozenset(
    words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đoàn Trương")
)
_PREFIXES = re.compile(r"^(thành phố|tỉnh|xã|phường|đặc khu)\s+", re.IGNORECASE)
_PLAIN_NAME = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")
_NAME_GAP = re.compile(r"[ \u00a0]+")  # inside a name: spaces only
_ABBREV_GAP = re.compile(r"\.?[ \u00a0]*")  # "TP. Huế", "TP.Huế", "TP Huế"
_UNIT_PATTERN = compile_phrases(list(UNIT_WORDS), gap=r"[ \u00a0]+")
MAX_NAME_SYLLABLES = 4


@lru_cache(maxsize=1)
def official_names() -> frozenset[tuple[str, ...]]:
    """Names (without their unit word) of every current province and commune.

    Read from the package's own data file (its NESTED_DIVISIONS_JSON_PATH),
    found without importing the package, whose code tables take 0.4 s to load.
    """
    spec = importlib.util.find_spec("vietnam_provinces")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("vietnam_provinces is not installed")
    data = Path(spec.origin).parent / "data" / "nested-divisions.json"
    provinces = json.loads(data.read_text(encoding="utf-8"))
    names = set()
    for unit in [*provinces, *(ward for province in provinces for ward in province["wards"])]:
        bare = _PREFIXES.sub("", normalize(unit["name"]))
        # Most names are letters and spaces: split them rather than tokenize.
        plain = _PLAIN_NAME.fullmatch(bare)
        names.add(tuple(bare.lower().split()) if plain else tuple(words(bare)))
    return frozenset(names)


def _is_capitalized(token: Token) -> bool:
    return not token.is_number and token.text[:1].isupper()


def find_localities(text: str) -> list[str]:
    """Localities named in `text`, in order of first appearance, each once.

    One regex pass finds the unit words; only the few syllables after each
    are tokenized.
    """
    text = unicodedata.normalize("NFC", text)
    lowered = lowercase(text)
    known = official_names()
    found: dict[tuple[str, str], str] = {}
    position = 0
    while unit := _UNIT_PATTERN.search(lowered, position):
        position = unit.end()
        key = _unit_key(unit.group())
        abbreviation = key in (("tp",), ("tx",))
        if abbreviation and not text[unit.start() : unit.end()].isupper():
            continue  # "Tp"/"tp" as a word is not the abbreviation
        gap = (_ABBREV_GAP if abbreviation else _NAME_GAP).match(text, position)
        if gap is None or not text[gap.end() : gap.end() + 1].isupper():
            continue  # no capitalized syllable next ("xã hội"): no name
        label = UNIT_WORDS[key]
        run = _capitalized_run(text, unit.end(), abbreviation)
        name_size = _validated_size(run, known, label)
        if name_size:
            name = " ".join(token.text for token in run[:name_size])
            key_name = (label, " ".join(token.norm for token in run[:name_size]))
            found.setdefault(key_name, f"{label} {normalize(name)}")
            position = run[name_size - 1].end
    return list(found.values())


@lru_cache(maxsize=256)
def _unit_key(spelled: str) -> tuple[str, ...]:
    """The UNIT_WORDS key of a unit word as found in the lowercased text."""
    return tuple(words(spelled))


def _capitalized_run(text: str, start: int, abbreviation: bool) -> list[Token]:
    """Up to MAX_NAME_SYLLABLES capitalized syllables right after offset `start`."""
    run: list[Token] = []
    previous_end = start
    for token in islice(iter_tokens(text, start), MAX_NAME_SYLLABLES):
        allowed = _ABBREV_GAP if (abbreviation and not run) else _NAME_GAP
        if not allowed.fullmatch(text[previous_end : token.start]) or not _is_capitalized(token):
            break
        run.append(token)
        previous_end = token.end
    return run


def _validated_size(run: list[Token], known: Iterable[tuple[str, ...]], label: str) -> int:
    norms = tuple(token.norm for token in run)
    for size in range(len(norms), 0, -1):
        if norms[:size] in known:
            return size
    if label in ABOLISHED and len(norms) >= 2 and norms[0] not in FAMILY_NAMES:
        return 2
    return 0

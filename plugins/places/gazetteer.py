"""Vietnam's administrative units before and after the 2025 reorganisation.

The data is the `vietnam-address-converter` package's table (its DEFAULT_DATA):
the 34 provinces and 3,321 communes in force since 07/2025, the 63 provinces,
696 districts and 10,147 communes of before, and the official old -> new
mapping of every old commune. `vietnam-provinces` (used by model_catalog's
matcher) knows only the current units, so an old name ("xã Phong Hiền") could
not be resolved with it.

Names are compared as `vntext` words (normalized, lowercase): case, NFC/NFD and
tone placement do not matter ("Hoà An" = "Hòa An"); diacritics do.

A build reads the table compiled from that data (`gazetteer.json` beside this file,
made by `python -m places.compile`; a test checks it is what the installed package's
data gives): 0.01 s where importing the package's 10 MB of JSON and indexing it took
0.4 s. Each name's units are made the first time a story names it.
"""

from __future__ import annotations

import difflib
import heapq
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from tdbvantq.text import fold, words

# The data's unit types -> the words the press writes before a name.
TYPE_LABELS = {
    "xa": "xã",
    "phuong": "phường",
    "thi-tran": "thị trấn",
    "dac-khu": "đặc khu",
    "tinh": "tỉnh",
    "thanh-pho": "thành phố",
    "huyen": "huyện",
    "quan": "quận",
    "thi-xa": "thị xã",
}
COMMUNE_LABELS = frozenset({"xã", "phường", "thị trấn", "đặc khu"})
PROVINCE_LABELS = frozenset({"tỉnh", "thành phố"})
DISTRICT_LABELS = frozenset({"huyện", "quận", "thị xã", "thành phố"})
# Province names the press still uses that the table spells otherwise
# (Thừa Thiên Huế became the city of Huế in 01/2025, before the table's "old").
PROVINCE_ALIASES = {"thừa thiên huế": "huế"}


def name_key(name: str) -> str:
    """The comparison key of a name: its vntext words, lowercase, one space apart."""
    return " ".join(words(name))


@dataclass(frozen=True)
class Unit:
    """A current (since 07/2025) province or commune."""

    code: str
    kind: str  # "province" | "commune"
    label: str  # "tỉnh", "thành phố", "xã", "phường", "đặc khu"
    name: str  # "Phú Mỹ"
    slug: str
    province_code: str = ""  # a commune's province

    @property
    def full_name(self) -> str:
        return f"{self.label} {self.name}"

    @property
    def key(self) -> str:
        return f"{self.province_code}/{self.code}" if self.kind == "commune" else self.code


@dataclass(frozen=True)
class OldUnit:
    """A unit of before 2025 and the current unit that took it over."""

    label: str
    name: str
    unit: Unit  # current commune (old commune) or province (old province/district)
    old_province: str  # the current province code the old unit lies in

    @property
    def full_name(self) -> str:
        return f"{self.label} {self.name}"


@dataclass(frozen=True)
class Resolution:
    """A name resolved: the current unit, and the old name when it was one."""

    unit: Unit
    old_name: str = ""  # "xã Phong Hiền" when the story used a pre-2025 name
    district: bool = False  # an old district: counted at its province
    label: str = ""  # the unit word of the name that matched (old or current)


@dataclass
class Gazetteer:
    provinces: dict[str, Unit] = field(default_factory=dict)
    communes: Mapping[str, Unit] = field(default_factory=dict)
    province_names: Mapping[str, list[Unit | OldUnit]] = field(default_factory=dict)
    commune_names: Mapping[str, list[Unit | OldUnit]] = field(default_factory=dict)
    district_names: Mapping[str, list[OldUnit]] = field(default_factory=dict)
    # fold(name) -> how a hint shows it ("xã Phú Mỹ (Cà Mau)"); None: made from the units.
    suggestion_names: dict[str, str] | None = None

    def province(self, code: str) -> Unit:
        return self.provinces[code]

    def resolve(
        self, label: str, name: str, provinces: frozenset[str] = frozenset()
    ) -> list[Resolution]:
        """Candidates for "<label> <name>", best first; `provinces` (current codes the
        story names) decide between communes of the same name. Empty: unknown."""
        key = name_key(name)
        found: list[Resolution] = []
        if label in PROVINCE_LABELS:
            for unit in self.province_names.get(PROVINCE_ALIASES.get(key, key), []):
                found.append(_resolution(unit))
        if label in COMMUNE_LABELS:
            candidates = self.commune_names.get(key, [])
            found += _ranked(candidates, label, provinces)
        if label in DISTRICT_LABELS and not found:
            districts = self.district_names.get(key, [])
            found += [
                Resolution(d.unit, d.full_name, district=True)
                for d in _ranked_old(districts, label, provinces)
            ]
        return found

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """The closest known names (diacritics ignored), as "xã Phú Mỹ (Cà Mau)"."""
        return list(_suggestions(self, fold(name), n))


def _resolution(unit: Unit | OldUnit) -> Resolution:
    if isinstance(unit, OldUnit):
        return Resolution(unit.unit, unit.full_name, label=unit.label)
    return Resolution(unit, label=unit.label)


def _ranked(
    candidates: list[Unit | OldUnit], label: str, provinces: frozenset[str]
) -> list[Resolution]:
    """In the story's provinces first, then the same unit word ("xã Hương Phong" is the
    old commune, not the old ward of that name), then current before old."""

    def rank(unit: Unit | OldUnit) -> tuple[int, int, int]:
        province = unit.province_code if isinstance(unit, Unit) else unit.old_province
        return (
            0 if not provinces or province in provinces else 1,
            0 if unit.label == label else 1,
            0 if isinstance(unit, Unit) else 1,
        )

    ordered = sorted(candidates, key=rank)
    if provinces:
        inside = [u for u in ordered if rank(u)[0] == 0]
        ordered = inside or ordered
    return [_resolution(u) for u in ordered]


def _ranked_old(districts: list[OldUnit], label: str, provinces: frozenset[str]) -> list[OldUnit]:
    inside = [d for d in districts if d.unit.code in provinces]
    pool = inside or districts
    return sorted(pool, key=lambda d: 0 if d.label == label else 1)


def _least_matches(total: int, cutoff: float) -> int | None:
    """The fewest common letters for difflib's ratio (2.0 * m / total, 1.0 when both are
    empty) to reach `cutoff` between strings of `total` letters; None: never."""
    for matches in range(total // 2 + 1):
        if (2.0 * matches / total if total else 1.0) >= cutoff:
            return matches
    return None


class CloseNames:
    """`difflib.get_close_matches` over a fixed list of names, with the same result,
    many times faster: its letter-count bound (quick_ratio: the letters two strings
    share, counted with repeats) is computed for every name at once, as the sum of
    the smaller count of each letter in a names × letters table of counts made once
    (numpy), and names too long or too short for the cutoff (its real_quick_ratio)
    are never looked at. A Python loop over the ~12,000 names took 4 ms a query."""

    def __init__(self, names: Iterable[str]) -> None:
        # numpy is imported here, not at the top: only a name the gazetteer does not know
        # needs it, and a rebuild's process imports this module without meeting one
        # (~0.07 s of CPU saved; the search's background process imports numpy itself).
        import numpy as np

        self.names = list(names)
        alphabet = sorted({char for name in self.names for char in name})
        self.column = {char: i for i, char in enumerate(alphabet)}
        counts = np.zeros((len(self.names), len(alphabet)), np.int32)
        for row, name in enumerate(self.names):
            for char, count in Counter(name).items():
                counts[row, self.column[char]] = count
        self.counts = counts
        self.lengths = np.fromiter(map(len, self.names), np.int64, len(self.names))

    def _bounded(self, word: str, cutoff: float) -> list[tuple[float, str]]:
        """(quick_ratio, name) of the names whose bounds reach `cutoff`."""
        import numpy as np

        size = len(word)
        wanted = np.zeros(len(self.column), np.int32)
        for char, count in Counter(word).items():
            if char in self.column:  # a letter no name has matches nothing
                wanted[self.column[char]] = count
        common = np.minimum(self.counts, wanted).sum(axis=1)
        least = np.full(len(self.names), -1, np.int64)
        for length in np.unique(self.lengths).tolist():
            fewest = _least_matches(length + size, cutoff)
            # difflib's real_quick_ratio: the shorter one's letters all matching.
            if fewest is not None and min(length, size) >= fewest:
                least[self.lengths == length] = fewest
        rows = np.flatnonzero((least >= 0) & (common >= least)).tolist()
        counts, lengths = common.tolist(), self.lengths.tolist()
        return [(2.0 * counts[i] / (lengths[i] + size), self.names[i]) for i in rows]

    def close_matches(self, word: str, n: int = 3, cutoff: float = 0.6) -> list[str]:
        if n <= 0:
            raise ValueError(f"n must be > 0: {n!r}")
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        bounded = self._bounded(word, cutoff)  # quick_ratio is never below the ratio
        # Only the n best count: once a name's bound is below the n-th best ratio
        # found, neither it nor any after it (a lower bound) can enter.
        bounded.sort(reverse=True)
        best: list[tuple[float, str]] = []
        for bound, name in bounded:
            if len(best) == n and bound < best[0][0]:
                break
            matcher.set_seq1(name)
            ratio = matcher.ratio()
            if ratio >= cutoff:
                (heapq.heappush if len(best) < n else heapq.heappushpop)(best, (ratio, name))
        # Ties of score broken by the name, as difflib does.
        return [name for _, name in sorted(best, reverse=True)]


# News repeats the same unknown names ("tỉnh Tây Nguyên", "tỉnh Bà Rịa"): 78 warnings
# for 56 names in 1,000 stories, more repeats the more stories.
@lru_cache(maxsize=4096)
def _suggestions(gazetteer: Gazetteer, folded: str, n: int) -> tuple[str, ...]:
    choices, index = _suggestion_table(gazetteer), _suggestion_index(gazetteer)
    return tuple(choices[c] for c in index.close_matches(folded, n=n, cutoff=0.7))


@lru_cache(maxsize=4)
def _suggestion_index(gazetteer: Gazetteer) -> CloseNames:
    return CloseNames(_suggestion_table(gazetteer))


@lru_cache(maxsize=4)
def _suggestion_table(gazetteer: Gazetteer) -> dict[str, str]:
    if gazetteer.suggestion_names is not None:
        return gazetteer.suggestion_names
    return suggestion_names(gazetteer)


def suggestion_names(gazetteer: Gazetteer) -> dict[str, str]:
    """fold(name) -> the name as a hint shows it, for every known name (first wins)."""
    table: dict[str, str] = {}
    for unit in gazetteer.provinces.values():
        table.setdefault(fold(unit.name), unit.full_name)
    for unit in gazetteer.communes.values():
        province = gazetteer.provinces[unit.province_code].name
        table.setdefault(fold(unit.name), f"{unit.full_name} ({province})")
    for units in gazetteer.commune_names.values():
        for old in units:
            if isinstance(old, OldUnit):
                province = gazetteer.provinces[old.unit.province_code].name
                table.setdefault(
                    fold(old.name), f"{old.full_name} (nay: {old.unit.full_name}, {province})"
                )
    return table


Gazetteer.__hash__ = lambda self: id(self)  # type: ignore[method-assign]  # one per process


TABLE = Path(__file__).with_name("gazetteer.json")
TABLE_FORMAT = "places-gazetteer-1"


class _Lazy(Mapping):
    """A read-only mapping whose values are made from the table's rows on first use:
    a rebuild asks for a handful of names out of ~8,000."""

    def __init__(self, rows: dict[str, Any], make: Any) -> None:
        self._rows, self._make, self._made = rows, make, {}

    def __getitem__(self, key: str) -> Any:
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._make(key, self._rows[key])
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._rows


def from_table(table: dict[str, Any]) -> Gazetteer:
    """The gazetteer of a compiled table (`places.compile.to_table`'s layout: a unit
    as its fields; a name's units as a current unit's code, or an old unit's
    [label, name, code of the current unit that took it over])."""
    if table.get("format") != TABLE_FORMAT:
        raise ValueError(f"{TABLE}: not a {TABLE_FORMAT} table")
    provinces = {
        code: Unit(code, "province", label, name, slug)
        for code, (label, name, slug) in table["provinces"].items()
    }
    communes = _Lazy(table["communes"], lambda code, row: Unit(code, "commune", *row))

    def old(label: str, name: str, unit: Unit) -> OldUnit:
        return OldUnit(label, name, unit, unit.province_code or unit.code)

    def units(current: Mapping[str, Unit]) -> Any:
        return lambda key, refs: [
            current[ref] if isinstance(ref, str) else old(ref[0], ref[1], current[ref[2]])
            for ref in refs
        ]

    return Gazetteer(
        provinces,
        communes,
        _Lazy(table["province_names"], units(provinces)),
        _Lazy(table["commune_names"], units(communes)),
        _Lazy(table["district_names"], units(provinces)),
        dict(table["suggestions"]),
    )


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The compiled table, once per process (about 0.01 s)."""
    return from_table(json.loads(TABLE.read_bytes()))

"""Keep each story's places between builds (PLACES_CACHE).

Finding a story's places (candidate names in its text, gazetteer resolution, the
"Có phải…?" hints for unknown names) is a fifth of a rebuild after one edit at
10,000 stories, and gives the same answer while nothing it reads has changed.
An entry is one JSON file, written atomically, named by a SHA-256 of what the
finding reads: the story's `Locality:` (and its line), lede, HTML body and
models; the model catalogue's names (the matcher attributes places to models);
the gazetteer's compiled table; the code (places, model_catalog, tdbvantq) and
the places settings. It holds plain values: unit codes, not Pelican objects.
An entry that cannot be loaded or names a unit the gazetteer lacks is only a
miss: the places are found again and the entry rewritten.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import tdbvantq
from places.finder import PlaceProblem, StoryPlace, StoryPlaces
from places.gazetteer import TABLE, Unit, load_gazetteer
from reader_cache.plugin import canonical, code_bytes, plugin_sources
from tdbvantq.writes import keep_cache, write_atomically

logger = logging.getLogger(__name__)

# Part of every key: bump when an entry's layout changes.
ENTRY_FORMAT = "places-cache-2"


def build_key(settings: dict, declared: list[str], matcher: Any) -> bytes:
    """What, besides the story, decides its places: data, code, settings, catalogue."""
    digest = hashlib.sha256()
    for part in (ENTRY_FORMAT, sys.version):
        digest.update(part.encode() + b"\0")
    keyed = {name: settings.get(name) for name in declared}
    digest.update(json.dumps(canonical(keyed)).encode() + b"\0")
    digest.update(json.dumps(matcher_names(matcher)).encode() + b"\0")
    # The finder's code and what it calls: every plugin of the site, and tdbvantq
    # (text folding and HTML to text), which is a library, not a plugin.
    files = set(plugin_sources(settings))
    files.update(Path(__file__).parent.glob("*.py"))
    files.add(TABLE)  # the gazetteer's data
    files.update(Path(tdbvantq.__file__).parent.rglob("*.py"))
    for path in sorted(files):
        digest.update(str(path).encode() + b"\0" + code_bytes(path))
    return digest.digest()


def matcher_names(matcher: Any) -> list[tuple[str, str]]:
    """The catalogue's names as the matcher knows them: a renamed or new model can
    move a place from one model to another."""
    return [] if matcher is None else matcher.phrases()


_UNIT_FIELDS = [f.name for f in fields(Unit)]


def _fields_of(unit: Unit) -> dict[str, str]:
    """`dataclasses.asdict` of a unit, without its deep copies (a cold build stores
    ~1,500 places)."""
    return {name: getattr(unit, name) for name in _UNIT_FIELDS}


def _unit(stored: Any) -> Unit:
    """A Unit as stored, or ValueError: an entry is checked as it is loaded."""
    if not (
        isinstance(stored, dict)
        and sorted(stored) == sorted(_UNIT_FIELDS)
        and all(isinstance(value, str) for value in stored.values())
        and stored["kind"] in ("province", "commune")
    ):
        raise ValueError(f"not a unit: {stored!r}")
    return Unit(**stored)


@dataclass
class PlacesCache:
    folder: Path
    key: bytes
    # The provinces of the communes the entries name: with them, a build whose
    # entries all hit never loads the gazetteer (about 0.35 s).
    provinces: dict[str, Unit] = field(default_factory=dict)
    # The entries loaded, with the mtime they had (keep_cache).
    used: dict[Path, float] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0

    def entry(self, story: list[Any]) -> Path:
        """The entry of a story's inputs: each part after its kind and length, a text as
        its UTF-8 bytes (a story's HTML, hashed as it is: made JSON first, ~1,000 bodies
        cost a rebuild 4x the hashing), anything else as canonical JSON."""
        digest = hashlib.sha256(self.key)
        for part in story:
            if isinstance(part, str):
                kind, data = b"s", part.encode("utf-8", "surrogatepass")
            else:
                kind, data = b"j", json.dumps(canonical(part), ensure_ascii=False).encode()
            digest.update(kind + len(data).to_bytes(8, "little") + data)
        return self.folder / f"{digest.hexdigest()[:40]}.json"

    def load(self, entry: Path) -> StoryPlaces | None:
        try:
            with open(entry, "rb") as handle:
                stored = json.loads(handle.read())
                modified = os.fstat(handle.fileno()).st_mtime
            found = StoryPlaces(
                [self._place(item) for item in stored["places"]],
                [PlaceProblem(w, line, message) for w, line, message in stored["problems"]],
            )
        except FileNotFoundError:
            return None
        except Exception as error:  # noqa: BLE001 - a damaged entry is only a miss
            logger.debug("places cache: %s cannot be loaded (%s); finding again", entry, error)
            return None
        self.used[entry] = modified
        self.hits += 1
        return found

    def _place(self, item: dict) -> StoryPlace:
        unit = _unit(item["unit"])
        if unit.kind == "commune":
            province = _unit(item["province"])
            if province.kind != "province" or province.code != unit.province_code:
                raise ValueError(f"{unit.code}: not a commune of {province.code}")
            self.provinces.setdefault(province.code, province)
        models = item["models"]
        if not (isinstance(models, list) and all(isinstance(s, str) for s in models)):
            raise ValueError("models is not a list of slugs")
        return StoryPlace(unit, str(item["written"]), str(item["old_name"]), models, item["meta"])

    def store(self, entry: Path, found: StoryPlaces) -> None:
        self.misses += 1
        gazetteer = load_gazetteer()  # loaded already: the places were just found
        stored = {
            "places": [
                {
                    "unit": _fields_of(p.unit),
                    "province": _fields_of(gazetteer.province(p.unit.province_code))
                    if p.unit.kind == "commune"
                    else None,
                    "written": p.written,
                    "old_name": p.old_name,
                    "models": p.models,
                    "meta": p.from_metadata,
                }
                for p in found.places
            ],
            "problems": [[p.written, p.line, p.message] for p in found.problems],
        }
        try:
            # Not flushed to disk: after a power cut an entry may fail to load,
            # and is only found again.
            write_atomically(entry, json.dumps(stored, ensure_ascii=False), durable=False)
        except OSError as error:
            logger.warning("places cache: %s not written (%s)", entry, error)

    def finish(self, days: int) -> None:
        removed = keep_cache(self.folder, self.used, days)
        logger.info(
            "places cache: %d found, %d from the cache (%s), %d unused entries removed",
            self.misses,
            self.hits,
            self.folder,
            len(removed),
        )

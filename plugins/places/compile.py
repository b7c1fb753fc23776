"""Compile the gazetteer's table from `vietnam-address-converter`'s data.

    python -m places.compile            # writes plugins/places/gazetteer.json
    python -m places.compile --check    # exit 1 when the file is not current

The package's data is 10 MB of JSON with every field of every unit; importing and
indexing it took a build 0.4 s (once per process, and a rebuild that finds one
story's places again paid it all). The table holds what `places.gazetteer` uses,
already normalized and indexed by name. Run this after updating the package
(tests/test_places.py fails until then).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from importlib import metadata
from typing import Any

from places.gazetteer import (
    TABLE,
    TABLE_FORMAT,
    TYPE_LABELS,
    Gazetteer,
    OldUnit,
    Unit,
    name_key,
    suggestion_names,
)
from tdbvantq.text import normalize, safe_slug


def from_package_data(data: dict[str, Any]) -> Gazetteer:
    """The package's table, indexed by name."""
    g = Gazetteer(communes={}, province_names={}, commune_names={}, district_names={})
    for code, row in data["newProvinces"].items():
        name = normalize(row["name"])
        unit = Unit(code, "province", TYPE_LABELS[row["type"]], name, safe_slug(name, "tinh"))
        g.provinces[code] = unit
        g.province_names.setdefault(name_key(name), []).append(unit)
    for code, row in data["newWards"].items():
        name = normalize(row["name"])
        label = TYPE_LABELS[row["type"]]
        unit = Unit(
            code, "commune", label, name, safe_slug(f"{label} {name}", "xa"), row["parent_code"]
        )
        g.communes[code] = unit
        g.commune_names.setdefault(name_key(name), []).append(unit)
    province_of = _old_communes(g, data)
    for code, row in data["oldProvinces"].items():
        name = normalize(row["name"])
        current = g.provinces.get(province_of.get(code, ""))
        if current is None or name_key(name) in g.province_names:
            continue
        old_unit = OldUnit(TYPE_LABELS[row["type"]], name, current, current.code)
        g.province_names.setdefault(name_key(name), []).append(old_unit)
    for row in data["oldDistricts"].values():
        current = g.provinces.get(province_of.get(row["parent_code"], ""))
        if current is None:
            continue
        name = normalize(row["name"])
        old_unit = OldUnit(TYPE_LABELS[row["type"]], name, current, current.code)
        g.district_names.setdefault(name_key(name), []).append(old_unit)
    return g


def _old_communes(g: Gazetteer, data: dict[str, Any]) -> dict[str, str]:
    """Index the old communes by name; return old province code -> current province
    code: where most of its communes went."""
    moved: dict[str, Counter] = {}
    old_commune_seen: set[str] = set()
    for row in data["mapping"]["rows"]:
        old, new = row["old"], row["new"]
        moved.setdefault(old["province_code"], Counter())[new["province_code"]] += 1
        ward = data["oldWards"].get(old["ward_code"])
        target = g.communes.get(new["ward_code"])
        if ward is None or target is None or old["ward_code"] in old_commune_seen:
            continue  # a split commune: its first listed successor stands for it
        old_commune_seen.add(old["ward_code"])
        name = normalize(ward["name"])
        old_unit = OldUnit(TYPE_LABELS[ward["type"]], name, target, target.province_code)
        if not (target.name == name and target.label == old_unit.label):
            g.commune_names.setdefault(name_key(name), []).append(old_unit)
    return {old: counts.most_common(1)[0][0] for old, counts in moved.items()}


def to_table(g: Gazetteer, source: str) -> dict[str, Any]:
    """`g` as plain values (`places.gazetteer.from_table` reads them back)."""

    def refs(units: list[Unit | OldUnit]) -> list[Any]:
        return [u.code if isinstance(u, Unit) else [u.label, u.name, u.unit.code] for u in units]

    return {
        "format": TABLE_FORMAT,
        "source": source,
        "provinces": {c: [u.label, u.name, u.slug] for c, u in g.provinces.items()},
        "communes": {c: [u.label, u.name, u.slug, u.province_code] for c, u in g.communes.items()},
        "province_names": {k: refs(v) for k, v in g.province_names.items()},
        "commune_names": {k: refs(v) for k, v in g.commune_names.items()},
        "district_names": {k: refs(v) for k, v in g.district_names.items()},
        "suggestions": list(suggestion_names(g).items()),
    }


def compiled_text() -> str:
    """The table's file as the installed package's data makes it."""
    from vietnam_address_converter.data import DEFAULT_DATA

    source = f"vietnam-address-converter {metadata.version('vietnam-address-converter')}"
    table = to_table(from_package_data(DEFAULT_DATA), source)
    # One unit or name a line: an update of the package shows as a readable diff.
    return "{\n" + ",\n".join(f"{_dump(k)}: {_lines(v)}" for k, v in table.items()) + "\n}\n"


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _lines(value: Any) -> str:
    if isinstance(value, dict):
        return "{\n" + ",\n".join(f"{_dump(k)}: {_dump(v)}" for k, v in value.items()) + "\n}"
    if isinstance(value, list):
        return "[\n" + ",\n".join(map(_dump, value)) + "\n]"
    return _dump(value)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    text = compiled_text()
    if args == ["--check"]:
        current = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
        if current != text:
            print(f"{TABLE} is not current: run python -m places.compile", file=sys.stderr)
            return 1
        return 0
    if args:
        print(__doc__, file=sys.stderr)
        return 2
    TABLE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

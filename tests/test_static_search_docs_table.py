"""The docs table of format static-search-4 (plugins/static_search/export.py): lists of
numbers as string characters, provinces implied by a commune left out. The browser side
reads the same vectors (tests/js/search-docs-table.test.mjs); the end-to-end parity of
the place facet is tests/test_places.py."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from static_search.export import (
    _document_places,
    _json,
    _place_table,
    encode_ids,
    number_chars,
    number_lists,
    numbers_of,
    pair_entry,
)

# The same vectors as tests/js/search-docs-table.test.mjs.
VECTORS = [
    ([], ""),
    ([0, 1, 79], "01\u007f"),
    ([80, 40959], "\u0080\ua02f"),
    ([40960, 40965, 1048576], "\ue0010\ue0015\ue019\u6030"),
]


@pytest.mark.parametrize("numbers, text", VECTORS)
def test_numbers_as_characters(numbers, text):
    assert number_chars(numbers) == text
    # JSON keeps them as they are: no surrogate, no escape but the backslash's
    assert json.loads(json.dumps(text, ensure_ascii=False)) == text


def test_lists_are_sorted_and_joined_by_commas():
    assert number_lists([[2, 0], [], [1]]) == "02,,1"


@pytest.mark.parametrize("value", [-1, 0x1F00 * 0xA000])
def test_a_number_out_of_range_is_refused(value):
    with pytest.raises(ValueError, match="out of range"):
        number_chars([value])


@dataclass
class Doc:
    stored: dict = field(default_factory=dict)


def _docs(*slug_lists: str) -> list[Doc]:
    return [Doc({"place_slugs": slugs, "place_names": slugs.split(",")}) for slugs in slug_lists]


def test_a_communes_province_is_left_out_when_every_commune_has_it():
    documents = _docs("hue,hue/phong-thai", "da-nang", "", "hue")
    slugs, _names = _place_table(documents)
    assert slugs == ["hue", "da-nang", "hue/phong-thai"]  # most used first, then by slug
    index = {slug: i for i, slug in enumerate(slugs)}
    places, implied = _document_places(documents, index)
    assert implied
    assert places == [[2], [1], [], [0]]


def test_a_commune_without_its_province_keeps_every_place():
    documents = _docs("hue,hue/phong-thai", "da-nang/hai-chau")
    slugs, _names = _place_table(documents)
    index = {slug: i for i, slug in enumerate(slugs)}
    places, implied = _document_places(documents, index)
    assert not implied
    assert places == [sorted([index["hue"], index["hue/phong-thai"]]), [index["da-nang/hai-chau"]]]


@pytest.mark.parametrize(
    "ids", [[0], [43], [44], [45], [40958], [40959], [40960], [100000], [3, 7]]
)
def test_a_pairs_entry_is_the_json_of_its_steps(ids):
    """The one-document shortcut writes what the JSON encoder writes (a step of 44 is
    the backslash, which JSON escapes)."""
    entry = pair_entry(ids)
    assert entry == _json([len(ids), encode_ids(ids, presorted=True)])
    df, steps = json.loads(entry)
    assert df == len(ids) and numbers_of(steps) == [
        ids[0] + 1,
        *(b - a for a, b in zip(ids, ids[1:], strict=False)),
    ]

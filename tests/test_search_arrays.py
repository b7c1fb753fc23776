"""The array paths of tdbvantq.search's scoring (numpy, indexed by docnum): the
distinct posting weights, the cache of clause arrays under its size bound, and
facet counts of documents with several values. The scores themselves are
checked bit for bit against the plain formula in test_search_equivalence.py."""

from __future__ import annotations

import numpy as np
import pytest

from tdbvantq.search import SearchDocument, SearchEngine, build_index, postings
from tdbvantq.search.scoring import _distinct


@pytest.mark.parametrize(
    "weights",
    [
        [3.0, 1.0, 3.0, 250.0, 1.0, 7.0],  # posting weights q: small integers, counted
        [2.5, 1.0, 2.5, 0.25],  # not integers: sorted as np.unique does
        [],
    ],
)
def test_distinct_weights_equal_numpy_unique(weights: list[float]) -> None:
    array = np.array(weights, dtype=np.float64)
    distinct, which = _distinct(array)
    expected, expected_which = np.unique(array, return_inverse=True)
    assert distinct.tolist() == expected.tolist()
    assert which.tolist() == expected_which.tolist()
    assert (distinct[which] == array).all()


def _documents() -> list[SearchDocument]:
    return [
        SearchDocument(
            id=f"article:{i}/",
            kind="article",
            url=f"{i}/",
            title=title,
            body="Đường làng được sửa, người dân đi lại dễ dàng.",
            model_slugs=slugs,
            models=[s.replace("-", " ") for s in slugs],
            date=f"202{i % 3}-05-0{i + 1}T08:00:00+07:00",
        )
        for i, (title, slugs) in enumerate(
            [
                ("Sửa đường làng", ["dong-ho-tu-quan", "camera-an-ninh"]),
                ("Đường mới ở xã", ["camera-an-ninh"]),
                ("Ông Dương sửa đường", []),
                ("Làng có đường bê tông", ["dong-ho-tu-quan"]),
            ]
        )
    ]


def test_facets_count_documents_with_several_values(tmp_path) -> None:
    build_index(tmp_path / "index", _documents())
    with SearchEngine(tmp_path / "index") as engine:
        response = engine.search("duong")
        assert response.total == 4
        assert response.facets["models"] == {"camera-an-ninh": 2, "dong-ho-tu-quan": 2}
        assert response.facets["years"] == {"2022": 1, "2021": 1, "2020": 2}
        filtered = engine.search("duong", model="camera-an-ninh")
        assert filtered.total == 2
        assert filtered.facets["years"] == {"2021": 1, "2020": 1}
        assert filtered.facets["models"] == response.facets["models"]


def test_clause_arrays_stay_equal_past_the_cache_bound(tmp_path, monkeypatch) -> None:
    build_index(tmp_path / "index", _documents())
    with SearchEngine(tmp_path / "index") as engine:
        wide = engine.search("sửa đường làng").to_json()
    # A bound smaller than one term's postings: every clause is read again each time.
    monkeypatch.setattr(postings, "RECENT_ARRAY_POSTINGS", 1)
    with SearchEngine(tmp_path / "index") as engine:
        assert engine.search("sửa đường làng").to_json() == wide
        df, docnums, weights = engine.postings.clause_arrays("duong", True)
        _, merged = engine.postings.clause("duong", True)
        assert dict(zip(docnums.tolist(), weights.tolist(), strict=True)) == merged
        assert df == sum(
            engine.postings.doc_frequency(t) for t in engine.postings.variants("duong")
        )
        assert engine.postings._arrays_size <= len(docnums)

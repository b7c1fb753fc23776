"""The benchmarks' scoring and query generation (devtools.rankeval), on tiny inputs."""

from __future__ import annotations

import pytest

from sitebench.rankeval import (
    COLUMNS,
    KnownItemQuery,
    NoiseCount,
    RankScores,
    column_queries,
    is_noise,
    known_item_queries,
    percentile,
    phrase_spans,
    score,
    syllables,
)
from tdbvantq import text as vntext


def test_rank_scores_hit_mrr_and_recall():
    scores = RankScores()
    assert scores.add(["a", "b"], "a") == 1
    assert scores.add(["x", "y", "b"], "b") == 3
    assert scores.add(["x"], "c") is None
    assert scores.hit1 == pytest.approx(1 / 3)
    assert scores.mrr10 == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert scores.recall10 == pytest.approx(2 / 3)


def test_rank_scores_only_count_the_top_ten():
    scores = RankScores()
    found = [f"d{i}" for i in range(20)]
    assert scores.add(found, "d9") == 10
    assert scores.add(found, "d10") is None
    assert scores.mrr10 == pytest.approx(0.1 / 2)


def test_noise_is_at_most_half_the_query_syllables_diacritics_ignored():
    query = "dòng họ tự quản"
    assert is_noise(query, syllables("Dòng họ văn hóa"))  # 2 of 4
    assert not is_noise(query, syllables("dong ho tu nguyen"))  # 3 of 4, folded
    assert not is_noise("an ninh trật tự", syllables("AN NINH TRAT TU"))
    assert is_noise("camera an ninh", syllables("Công an xã"))  # 1 of 3


def test_noise_count_share_over_all_results():
    noise = NoiseCount()
    noise.add("camera an ninh", [syllables("camera an ninh"), syllables("an toàn")])
    noise.add("tổ liên gia", [syllables("Tổ quốc")])
    assert (noise.results, noise.noisy) == (3, 2)
    assert noise.share == pytest.approx(2 / 3)


def test_phrase_spans_stay_inside_a_phrase_and_skip_numbers():
    text = "Công an xã, dân phòng tuần tra đêm 24/7 ở khu phố"
    phrases = [text[a:b] for a, b in phrase_spans(text, 4)]
    assert phrases == ["dân phòng tuần tra", "phòng tuần tra đêm"]
    assert phrase_spans("Hai từ", 4) == []


def test_known_item_queries_pick_phrases_only_their_story_holds():
    stories = [
        ("a/", "Bão số một đổ bộ vào Quảng Ngãi", "Mưa lớn kéo dài cả tuần."),
        ("b/", "Bão số một đổ bộ vào Quảng Nam", "Gió giật mạnh cấp mười hai."),
        ("c/", "Đội tuyển bóng đá thắng đậm trận mở màn", "Khán giả cổ vũ nhiệt tình."),
    ]
    queries = known_item_queries(stories, "title", 3, seed=1)
    by_url = {q.url: q for q in queries}
    # Every other window of a/ and b/ ("bão số một đổ", …, "đổ bộ vào quảng") is in both.
    assert by_url["a/"].typed == "bộ vào quảng ngãi"
    assert by_url["b/"].typed == "bộ vào quảng nam"
    assert by_url["c/"].folded in "doi tuyen bong da thang dam tran mo man"
    for q in queries:
        assert q.source == "title"
        assert q.typed == vntext.lower(q.typed)
        assert q.folded == vntext.fold(q.typed)
        assert len(q.typed.split()) == 4
        others = [vntext.fold(t) for url, t, _ in stories if url != q.url]
        assert not any(q.folded in other for other in others)


def test_known_item_queries_are_deterministic_per_seed():
    stories = [
        (
            f"s{i}/",
            f"Tiêu đề bài số {i}",
            f"Nội dung riêng của bài viết thứ {'một hai ba bốn năm'.split()[i]} "
            "trong loạt bài kiểm thử có nhiều từ để chọn cụm",
        )
        for i in range(5)
    ]
    first = known_item_queries(stories, "body", 4, seed=7)
    assert first == known_item_queries(stories, "body", 4, seed=7)
    assert len(first) == 4
    assert all(q.source == "body" for q in first)
    with pytest.raises(ValueError):
        known_item_queries(stories, "lede", 1)


def test_column_queries_and_score_follow_the_four_columns():
    queries = [
        KnownItemQuery("a/", "title", "đổ bộ vào quảng", "do bo vao quang"),
        KnownItemQuery("b/", "body", "gió giật mạnh cấp", "gio giat manh cap"),
    ]
    rows = column_queries(queries)
    assert [r[0] for r in rows] == [c for c, _, _ in COLUMNS]
    assert rows[1] == ("titles, no diacritics", "do bo vao quang", "a/")
    pages = {
        "a/": syllables("Bão đổ bộ vào Quảng Ngãi"),
        "b/": syllables("Gió giật mạnh cấp 12"),
        "c/": syllables("Trận bóng đá"),
    }
    answers = [["a/", "c/"], ["c/", "a/"], ["b/"], []]
    scores = score("x", answers, rows, pages)
    assert scores.ranks["titles, typed"].mrr10 == 1
    assert scores.ranks["titles, no diacritics"].mrr10 == 0.5
    assert scores.ranks["body phrases, typed"].mrr10 == 0
    assert scores.noise["titles, typed"].share == 0.5  # c/ holds none of the words
    assert scores.total_noise == pytest.approx(2 / 5)
    assert scores.to_json()["columns"]["titles, no diacritics"]["hit1"] == 0


def test_percentile():
    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert percentile(values, 0.5) == 3.0
    assert percentile(values, 0.95) == 5.0
    assert percentile([7.0], 0.5) == 7.0

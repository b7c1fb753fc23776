"""Editors' synonyms (content/data/synonyms.txt) and the phrase-only rule, in the
terminal engine and the browser engine alike, on a small index of real-looking
stories built with the site's own synonyms file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from static_search.export import export_static_index
from support import run_pelican
from support.search import run_node
from tdbvantq import text as vntext
from tdbvantq.check.runner import check_paths
from tdbvantq.search import SearchDocument, SearchEngine, build_index
from tdbvantq.search import scoring as scoring_module
from tdbvantq.search.ranking import EXACT_WEIGHT, PHRASE_ONLY_UNITS, SYNONYM_WEIGHT
from tdbvantq.search.scoring import phrase_only

ROOT = Path(__file__).resolve().parents[1]
SYNONYMS = ROOT / "content" / "data" / "synonyms.txt"
VECTORS = ROOT / "tests" / "vectors" / "phrase_only.json"


def story(slug: str, title: str, body: str) -> SearchDocument:
    return SearchDocument(
        id=f"article:{slug}/",
        kind="article",
        url=f"{slug}/",
        title=title,
        body=body,
        date="2024-05-01T08:00:00+07:00",
    )


STORIES = [
    story(
        "cu-ba-qua-doi",
        "Cụ bà cao tuổi nhất xã qua đời",
        "Cụ bà đã qua đời tại nhà riêng, hưởng thọ 102 tuổi.",
    ),
    story(
        "hai-nguoi-tu-vong",
        "Hai người tử vong trong vụ tai nạn",
        "Vụ tai nạn khiến hai người tử vong tại chỗ.",
    ),
    story(
        "qua-cau-moi",
        "Qua cầu mới, đời sống đổi thay",
        "Người dân đi qua cây cầu mới; đời sống bà con khá hơn.",
    ),
    story(
        "xa-phong-hien",
        "Xã Phong Hiền ra mắt mô hình",
        "Xã Phong Hiền ra mắt mô hình dòng họ tự quản.",
    ),
    story(
        "phong-kham",
        "Phòng khám hiện đại ở trung tâm xã",
        "Phòng khám mới mở; hiện nay phục vụ bà con.",
    ),
    story("vu-chay-kho", "Vụ cháy kho hàng", "Một vụ cháy lớn xảy ra tại kho hàng ven sông."),
    story(
        "phong-chong-hoa-hoan",
        "Phòng chống hỏa hoạn mùa khô",
        "Tuyên truyền phòng chống hỏa hoạn cho bà con.",
    ),
    story("truong-hoc", "Khánh thành trường học mới", "Ngôi trường mới đón học sinh đầu năm học."),
    story(
        "ve-sinh-moi-truong",
        "Ra quân vệ sinh môi trường",
        "Đoàn viên ra quân dọn rác trên các tuyến đường.",
    ),
]

QUERIES = [
    "qua đời",
    "qua doi",
    "tử vong",
    "tu vong",
    "chết",
    "hỏa hoạn",
    "hoa hoan",
    "vụ cháy",
    "phong hien",
    "Phong Hiền",
    "phòng hiện",
    "qua cầu",
    "trường học mới",
]


@pytest.fixture(scope="module")
def engine_and_static(tmp_path_factory):
    base = tmp_path_factory.mktemp("synonyms")
    build_index(base / "index", STORIES, None, SYNONYMS)
    export_static_index(base / "index", base / "static", shard_bytes=2000, chunk_bytes=1500)
    with SearchEngine(base / "index") as engine:
        yield engine, base / "static"


def urls(engine: SearchEngine, query: str) -> list[str]:
    return [r.url for r in engine.search(query, limit=20).results]


# -- the rule in the terminal --------------------------------------------------


def test_a_synonym_finds_the_paraphrase_below_the_exact_words(engine_and_static):
    engine, _ = engine_and_static
    for query in ("qua đời", "qua doi"):
        found = urls(engine, query)
        assert found[:2] == ["cu-ba-qua-doi/", "hai-nguoi-tu-vong/"], query
    assert urls(engine, "tử vong")[:2] == ["hai-nguoi-tu-vong/", "cu-ba-qua-doi/"]
    assert set(urls(engine, "chết")) == {"cu-ba-qua-doi/", "hai-nguoi-tu-vong/"}


def test_without_the_synonyms_file_the_paraphrase_is_not_found(tmp_path):
    build_index(tmp_path / "index", STORIES)
    with SearchEngine(tmp_path / "index") as plain:
        assert urls(plain, "qua đời") == ["cu-ba-qua-doi/"]
        assert urls(plain, "chết") == []


def test_the_synonym_clause_weighs_less_than_the_exact_and_folded_ones():
    assert 0 < SYNONYM_WEIGHT < 1 < EXACT_WEIGHT


def test_a_one_way_rule_finds_only_one_way(engine_and_static):
    engine, _ = engine_and_static
    assert urls(engine, "hỏa hoạn")[:2] == ["phong-chong-hoa-hoan/", "vu-chay-kho/"]
    assert urls(engine, "hoa hoan")[:2] == ["phong-chong-hoa-hoan/", "vu-chay-kho/"]
    assert "phong-chong-hoa-hoan/" not in urls(engine, "vụ cháy")


def test_a_new_synonyms_file_reindexes_every_story(tmp_path):
    first = tmp_path / "a.txt"
    first.write_text("chết, qua đời\n", encoding="utf-8")
    build_index(tmp_path / "index", STORIES, None, first)
    with SearchEngine(tmp_path / "index") as engine:
        assert "hai-nguoi-tu-vong/" not in urls(engine, "qua đời")
    first.write_text("chết, qua đời, tử vong\n", encoding="utf-8")
    report = build_index(tmp_path / "index", STORIES, None, first)
    assert report.added == len(STORIES)
    with SearchEngine(tmp_path / "index") as engine:
        assert "hai-nguoi-tu-vong/" in urls(engine, "qua đời")


# -- the phrase-only rule --------------------------------------------------------


def test_a_place_name_drops_the_stories_that_only_scatter_its_words(engine_and_static, monkeypatch):
    engine, _ = engine_and_static
    assert urls(engine, "phong hien") == ["xa-phong-hien/"]
    assert engine.search("phong hien").total == 1
    # The rule off: the clinic story, holding "phòng" and "hiện" apart, is back.
    monkeypatch.setattr(scoring_module, "PHRASE_ONLY_UNITS", 0)
    assert urls(engine, "phong hien") == ["xa-phong-hien/", "phong-kham/"]


def test_the_phrase_only_rule_looks_at_a_bounded_number_of_documents(
    engine_and_static, monkeypatch
):
    engine, _ = engine_and_static
    monkeypatch.setattr(scoring_module, "PHRASE_ONLY_MAX_DOCS", 1)  # 2 kept before the rule
    assert urls(engine, "phong hien") == ["xa-phong-hien/", "phong-kham/"]
    monkeypatch.setattr(scoring_module, "PHRASE_ONLY_MAX_DOCS", 2)
    assert urls(engine, "phong hien") == ["xa-phong-hien/"]


def test_a_synonym_match_survives_the_phrase_only_rule_and_scattered_words_do_not(
    engine_and_static,
):
    engine, _ = engine_and_static
    found = urls(engine, "qua đời")
    assert "hai-nguoi-tu-vong/" in found  # no pair, but a synonym
    assert "qua-cau-moi/" not in found  # "qua" … "đời" apart


def test_the_phrase_only_rule_follows_the_shared_vectors():
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))
    assert vectors["phraseOnlyUnits"] == PHRASE_ONLY_UNITS
    for case in vectors["cases"]:
        adjacent = {int(doc): n for doc, n in case["adjacent"].items()}
        kept = phrase_only(
            case["units"],
            case["pairs"],
            adjacent,
            set(case["synonym"]),
            case["docs"],
            vectors["phraseOnlyMaxDocs"],
        )
        assert kept == case["kept"], case["name"]


# -- the browser engine: the same answers, score for score -------------------------


def test_the_browser_gives_the_terminal_s_results_and_scores(engine_and_static):
    engine, static_dir = engine_and_static
    browser = run_node(static_dir, [{"query": q, "limit": 20} for q in QUERIES])
    for query, answer in zip(QUERIES, browser, strict=True):
        cli = engine.search(query, limit=20)
        assert answer["total"] == cli.total, query
        assert [r["url"] for r in answer["results"]] == [r.url for r in cli.results], query
        exact = engine.score_all(engine.plan(query))
        for mine in answer["results"]:
            docnum = engine.searcher.document_number(id="article:" + mine["url"])
            # The same sums in the same order; only the two libraries' log() may
            # differ in the last bit (V8's fdlibm, the C library's).
            assert mine["score"] == pytest.approx(exact[docnum], rel=1e-12, abs=0), query
        assert [r["snippet"] for r in answer["results"]] == [r.snippet for r in cli.results], query


def test_snippets_mark_the_synonym_found(engine_and_static):
    engine, _ = engine_and_static
    paraphrase = next(r for r in engine.search("qua đời").results if r.url == "hai-nguoi-tu-vong/")
    assert "<mark>tử vong</mark>" in paraphrase.snippet


# -- the file: format, errors, make check, glossary page ---------------------------


def test_the_site_file_parses_and_holds_the_death_group():
    synonyms = vntext.load_synonyms(SYNONYMS)
    groups = [rule.left for rule in synonyms if not rule.one_way]
    assert ("chết", "qua đời", "tử vong", "từ trần") in groups
    assert all(vntext.normalize(p) == p for rule in synonyms for p in rule.left + rule.right)


@pytest.mark.parametrize(
    "line, says",
    [
        ("chết, , qua đời", "cụm từ trống"),
        ("chết", "ít nhất hai cụm từ"),
        ("hỏa hoạn = cháy", "không dùng “=”"),
        ("hỏa hoạn =>", "cả hai bên"),
        ("a => b => c", "một dấu “=>”"),
        ("chết, Chết", "hai lần"),
        ("chết, ???", "không có chữ nào"),
        ("một hai ba bốn năm sáu bảy tám chín, mười", "tối đa 8 tiếng"),
    ],
)
def test_a_malformed_line_is_named_by_file_and_line(line, says):
    text = "# ghi chú\nchết, qua đời\n" + line + "\n"
    with pytest.raises(vntext.SynonymError) as caught:
        vntext.parse_synonyms(text, "data/synonyms.txt")
    assert str(caught.value).startswith("data/synonyms.txt:3: ")
    assert says in str(caught.value) and caught.value.line == 3


def test_make_check_rejects_a_malformed_line_with_file_and_line(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "data").mkdir()
    bad = content / "data" / "synonyms.txt"
    bad.write_text("chết, qua đời\n\nxe máy = xe gắn máy\n", encoding="utf-8")
    report = check_paths([content])
    [problem] = [p for p in report.errors if p.code == "synonym-line"]
    assert problem.path == bad and problem.line == 3
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_content.py"), str(content)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert f"{bad}:3:" in done.stdout + done.stderr and "Traceback" not in done.stderr


def test_the_glossary_page_lists_the_groups(built_site):
    page = (built_site.output / "thuat-ngu" / "index.html").read_text(encoding="utf-8")
    assert "Từ đồng nghĩa khi tìm kiếm" in page
    assert "<li>chết, qua đời, tử vong, từ trần</li>" in page
    assert "<li>hỏa hoạn → vụ cháy, đám cháy</li>" in page


def test_the_build_stops_at_a_malformed_line_with_file_and_line(tmp_path):
    bad = tmp_path / "synonyms.txt"
    bad.write_text("chết, qua đời\nô tô\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    result = run_pelican(
        ROOT / "content",
        tmp_path / "output",
        extra={"SYNONYMS_FILE": str(bad), "SEARCH_INDEX_DIR": str(index_dir)},
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"{bad}:2: một nhóm đồng nghĩa cần ít nhất hai cụm từ" in log
    assert "Traceback" not in log
    assert not index_dir.exists() or not any(index_dir.glob("gen-*"))  # nothing indexed

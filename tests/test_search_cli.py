"""The search command's contract, run as users and checks run it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from search_index.plugin import collect_documents
from sitebench.search_corpus import ACRONYMS, articles, models
from support import ROOT
from tdbvantq.search import SearchDocument, build_index

SCRIPT = str(ROOT / "scripts" / "search.py")
HOSTILE = SearchDocument(
    id="article:2024/thu-ban-doc/",
    kind="article",
    url="2024/thu-ban-doc/",
    title="Thư bạn đọc: <script>alert(1)</script> & “dấu ngoặc”",
    body='Bạn đọc hỏi về mã <b onclick="x()">độc</b> & ký tự <br> trong bình luận an ninh mạng.',
    date="2024-07-01T09:00:00+07:00",
)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "index"
    build_index(path, [*collect_documents(articles(), models()), HOSTILE], ACRONYMS)
    return path


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, SCRIPT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def only_mark_markup(snippet: str) -> bool:
    return "<" not in re.sub(r"</?mark>", "", snippet) and ">" not in re.sub(
        r"</?mark>", "", snippet
    )


def test_json_shape(index_dir):
    result = run("--index", str(index_dir), "--json", "--limit", "3", "camera an ninh")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"query", "total", "results", "facets"}
    assert data["query"] == "camera an ninh" and data["total"] >= len(data["results"]) == 3
    first = data["results"][0]
    assert set(first) == {"rank", "title", "url", "kind", "date", "models", "score", "snippet"}
    assert [r["rank"] for r in data["results"]] == [1, 2, 3]
    assert first["kind"] == "model" and first["url"] == "mo-hinh/camera-an-ninh/"
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)
    assert all(only_mark_markup(r["snippet"]) for r in data["results"])
    # whole units: the phrase is marked where a text has it, never a lone "an"
    assert any("<mark>camera an ninh</mark>" in r["snippet"].lower() for r in data["results"])
    assert not any("<mark>an</mark>" in r["snippet"].lower() for r in data["results"])
    assert data["facets"]["models"]["camera-an-ninh"] >= 2
    assert sum(data["facets"]["years"].values()) <= data["total"]


def test_sort_newest_orders_the_same_results_by_day_then_relevance(index_dir):
    def get(*args: str) -> dict:
        result = run("--index", str(index_dir), "--json", "--limit", "1000", *args, "an ninh")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    relevance, newest = get(), get("--sort", "newest")
    assert get("--sort", "relevance") == relevance
    assert newest["total"] == relevance["total"] and newest["facets"] == relevance["facets"]
    assert sorted(r["url"] for r in newest["results"]) == sorted(
        r["url"] for r in relevance["results"]
    )
    days = [r["date"][:10] for r in newest["results"]]
    assert days == sorted(days, reverse=True) and days != [
        r["date"][:10] for r in relevance["results"]
    ]
    by_url = {r["url"]: r["score"] for r in relevance["results"]}
    for before, after in zip(newest["results"], newest["results"][1:], strict=False):
        if before["date"][:10] == after["date"][:10]:  # a tie: the more relevant first
            assert by_url[before["url"]] >= by_url[after["url"]]
    short = json.loads(
        run(
            "--index", str(index_dir), "--json", "--limit", "3", "--sort", "newest", "an ninh"
        ).stdout
    )
    assert [r["url"] for r in short["results"]] == [r["url"] for r in newest["results"][:3]]
    bad = run("--index", str(index_dir), "--sort", "oldest", "an ninh")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_snippet_escapes_everything_but_mark(index_dir):
    data = json.loads(run("--index", str(index_dir), "--json", "bình luận an ninh mạng").stdout)
    hit = next(r for r in data["results"] if r["url"] == HOSTILE.url)
    assert only_mark_markup(hit["snippet"])
    assert "&lt;b onclick=" in hit["snippet"] and "&amp;" in hit["snippet"]
    assert hit["title"] == HOSTILE.title  # JSON carries the text; escaping is the snippet's job


def test_filters_and_facets(index_dir):
    data = json.loads(
        run("--index", str(index_dir), "--json", "--model", "dong-ho-tu-quan", "an ninh").stdout
    )
    assert data["results"] and set(data["facets"]["models"]) >= {"dong-ho-tu-quan"}
    assert data["facets"]["models"]["dong-ho-tu-quan"] == data["total"]
    data = json.loads(run("--index", str(index_dir), "--json", "--year", "2024", "an ninh").stdout)
    assert data["results"] and all(r["date"].startswith("2024") for r in data["results"])
    # The facet rule: a facet ignores its own filter, so the other years stay on offer.
    years = data["facets"]["years"]
    assert years["2024"] == data["total"] and len(years) > 1


def test_human_output_without_a_terminal(index_dir):
    result = run("--index", str(index_dir), "dong ho tu quan")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert re.match(r"^1\. .+ \(\d{4}-\d{2}-\d{2}\)$|^1\. .+\[mô hình\]", lines[1])
    assert "[" in result.stdout and "\033[" not in result.stdout  # brackets, no ANSI codes
    assert "Mô hình: " in result.stdout and "Năm: " in result.stdout


def test_stdin_batch_answers_each_line(index_dir):
    queries = ["đường", "PCCC", "", "to lien gia"]
    result = run("--index", str(index_dir), "--limit", "2", "-", stdin="\n".join(queries) + "\n")
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["query"] for a in answers] == queries
    assert answers[0]["results"][0]["url"] == "2024/sua-duong-lien-thon/"
    assert answers[2]["total"] == 0 and answers[2]["results"] == []
    assert all(len(a["results"]) <= 2 for a in answers)


@pytest.mark.parametrize(
    "query",
    ["AND (", '"', "*", "title:", "", "   ", "a" * 10240, "tổ " * 3000, "\u200b<mark>&amp;"],
)
def test_hostile_queries_never_crash(index_dir, query):
    result = run("--index", str(index_dir), "--json", query)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == query and all(only_mark_markup(r["snippet"]) for r in data["results"])
    human = run("--index", str(index_dir), query)
    assert human.returncode == 0 and "Traceback" not in human.stderr


def test_missing_index_names_the_command(tmp_path):
    result = run("--index", str(tmp_path / "nowhere"), "camera")
    assert result.returncode == 1
    assert result.stderr.startswith(f"search: {tmp_path / 'nowhere'}: chưa có chỉ mục tìm kiếm")
    assert "hãy chạy `make html`" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_arguments_are_one_line_errors(index_dir):
    result = run("--index", str(index_dir), "--year", "20x4", "camera")
    assert result.returncode == 2 and "--year" in result.stderr and "Traceback" not in result.stderr
    assert "--year phải gồm bốn chữ số" in result.stderr


def test_unknown_model_is_a_one_line_error_with_suggestions(index_dir):
    for mode in ("camera", "-"):
        result = run("--index", str(index_dir), "--model", "camera", mode)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert result.stderr.strip() == (
            "search: --model 'camera': không có mô hình này trong chỉ mục — có phải: camera-an-ninh?"
        )
    by_slug = run("--index", str(index_dir), "--json", "--model", "dong-ho-tu-quan", "dòng họ")
    by_name = run("--index", str(index_dir), "--json", "--model", "Dòng họ tự quản", "dòng họ")
    assert by_slug.returncode == by_name.returncode == 0
    assert json.loads(by_name.stdout)["results"] == json.loads(by_slug.stdout)["results"] != []
    result = run("--index", str(index_dir), "--model", "tổ liên gia", "camera")
    assert result.returncode == 2 and "có phải: to-lien-gia" in result.stderr


def test_seed_article_first_after_building_the_site(built_site):
    result = run("--index", str(built_site.index_dir), "dong ho tu quan")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    first_article = next(
        i for i, line in enumerate(lines) if re.match(r"^\d+\. ", line) and "[mô hình]" not in line
    )
    assert lines[first_article].startswith(
        ("1. Bám cơ sở, xây dựng phong trào", "2. Bám cơ sở, xây dựng phong trào")
    )
    assert lines[first_article + 1].strip() == "2023/bam-co-so-xay-dung-phong-trao/"
    assert re.search(r"\[dòng họ[^\]]*\]", lines[first_article + 2], re.IGNORECASE)
    data = json.loads(run("--index", str(built_site.index_dir), "--json", "dong ho tu quan").stdout)
    articles_found = [r for r in data["results"] if r["kind"] == "article"]
    assert articles_found[0]["url"] == "2023/bam-co-so-xay-dung-phong-trao/"
    assert "<mark>" in articles_found[0]["snippet"]


def test_damaged_index_is_a_one_line_error(index_dir, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    for segment in copy.glob("gen-*/*.seg"):
        segment.write_bytes(segment.read_bytes()[:100])
    result = run("--index", str(copy), "camera")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert str(copy) in result.stderr and "bị hỏng" in result.stderr
    assert "hãy chạy `make html`" in result.stderr and len(result.stderr.strip().splitlines()) == 1

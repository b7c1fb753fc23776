"""How the benchmarks write their corpora as site articles and read the pages back."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import markdown
import pytest

from sitebench.newscorpus import Story, load_stories, paragraphs, scaled_stories, write_stories
from sitebench.pagefind import site_url
from sitebench.sitebuild import (
    BenchError,
    article_date,
    article_markdown,
    markdown_text,
    site_pages,
)
from sitebench.xquad import write_xquad_articles
from tdbvantq.htmltext import html_to_text


@pytest.mark.parametrize(
    "text",
    [
        "1. Tuổi Thìn năm 2017 *rất* thuận lợi",
        "- Gạch đầu dòng và + dấu cộng",
        "# Không phải tiêu đề, _không_ nghiêng, [không](phải) liên kết",
        "So sánh a < b > c và `mã` \\ gạch chéo",
    ],
)
def test_markdown_text_renders_back_to_the_same_text(text):
    assert html_to_text(markdown.markdown(markdown_text(text))).strip() == text


def test_article_dates_are_valid_distinct_and_in_the_site_format():
    dates = [article_date(n) for n in range(400)]
    for date in dates:
        parsed = dt.datetime.strptime(date, "%Y-%m-%d %H:%M%z")
        assert parsed.year == 2017 and date.endswith("+07:00")
    assert len(set(dates)) == 400
    assert article_date(5) == article_date(5)


def test_article_markdown_header_and_body():
    text = article_markdown(
        "Tiêu đề: có dấu hai chấm",
        "2017-01-02 03:04+07:00",
        "tin-1",
        ["Đoạn một.", "Đoạn  hai\nnối dòng."],
        summary="Sapo *ngắn*",
    )
    head, _, body = text.partition("\n\n")
    assert head.splitlines() == [
        "Title: Tiêu đề: có dấu hai chấm",
        "Date: 2017-01-02 03:04+07:00",
        "Slug: tin-1",
        "Summary: Sapo \\*ngắn\\*",
    ]
    assert body == "Đoạn một.\n\nĐoạn hai nối dòng.\n"


def _corpus(tmp_path, rows):
    path = tmp_path / "corpus.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for row in rows:
            out.write((row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n")
    return path


def test_news_stories_are_written_as_articles_and_read_back(tmp_path):
    path = _corpus(
        tmp_path,
        [
            {
                "id": 1,
                "title": "Hoà giải ở cơ sở",
                "lede": "Sapo.",
                "body": "Câu một. Câu hai! Câu ba?",
            },
            {"id": 2, "title": "", "lede": "", "body": "Không có tiêu đề: bỏ qua."},
            {"id": 3, "title": "Bài ba", "lede": "", "body": "Nội dung bài ba."},
        ],
    )
    stories = load_stories(path)
    assert [s.id for s in stories] == ["1", "3"]
    assert stories[0].title == "Hòa giải ở cơ sở"  # the site's tone placement
    content = tmp_path / "content"
    (content / "models").mkdir(parents=True)
    by_url = write_stories(stories, content / "articles" / "news")
    pages = site_pages(content)
    assert set(pages) == set(by_url)
    first = pages[next(iter(by_url))]
    assert first.title == "Hòa giải ở cơ sở"
    assert "Sapo." in first.body and "Câu ba?" in first.body


def test_a_broken_corpus_line_is_named(tmp_path):
    path = _corpus(tmp_path, [{"id": 1, "title": "A", "body": "B"}, "{not json"])
    with pytest.raises(BenchError, match=r"corpus\.jsonl\.gz:2"):
        load_stories(path)
    with pytest.raises(BenchError, match="not found"):
        load_stories(tmp_path / "missing.jsonl.gz")


def test_paragraphs_regroup_sentences():
    body = " ".join(f"Câu {i}." for i in range(10))
    assert len(paragraphs(body)) == 3
    assert " ".join(paragraphs(body)) == body


def test_scaled_stories_repeat_the_corpus_as_distinct_articles(tmp_path):
    rows = [
        {"id": i, "title": f"Bài {i}", "lede": "", "body": "Một. Hai. Ba. Bốn."} for i in range(3)
    ]
    stories = scaled_stories(7, _corpus(tmp_path, rows))
    assert len(stories) == 7
    assert len({s.slug for s in stories}) == 7
    assert len({s.title for s in stories}) == 7
    assert isinstance(stories[5], Story) and stories[5].body != stories[2].body
    assert sorted(stories[5].body.split()) == sorted(stories[2].body.split())


def test_pagefind_urls_become_site_urls():
    assert site_url("/2017/tin-1/") == "2017/tin-1/"
    assert site_url("/mo-hinh/camera-an-ninh/index.html") == "mo-hinh/camera-an-ninh/"
    assert site_url("/2017/tin-1/#doan-2") == "2017/tin-1/"


def test_xquad_paragraphs_become_articles_and_questions_point_to_them(tmp_path):
    xquad = tmp_path / "xquad.json"
    xquad.write_text(
        json.dumps(
            {
                "data": [
                    {
                        "title": "Siêu_cúp",
                        "paragraphs": [
                            {
                                "context": "\ufeffĐoạn văn thứ nhất về trận đấu.",
                                "qas": [{"question": "Trận nào?"}],
                            },
                            {
                                "context": "Đoạn thứ hai.",
                                "qas": [{"question": "Gì?"}, {"question": "Ai?"}],
                            },
                        ],
                    }
                ]
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    content = tmp_path / "content"
    (content / "models").mkdir(parents=True)
    questions = write_xquad_articles(content / "articles" / "xquad", xquad)
    pages = site_pages(content)
    assert [q for q, _ in questions] == ["Trận nào?", "Gì?", "Ai?"]
    assert questions[1][1] == questions[2][1] != questions[0][1]
    assert pages[questions[0][1]].title == "Siêu cúp"
    assert pages[questions[0][1]].body.strip() == "Đoạn văn thứ nhất về trận đấu."

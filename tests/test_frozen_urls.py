"""plugins/frozen_urls: the site built with every url and save_as kept once is the
site Pelican builds formatting them at each use, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

from frozen_urls import freeze_urls
from support import ROOT, run_pelican, tree_bytes

DRAFT = """Title: Bản nháp thử địa chỉ xem trước
Date: 2024-02-03 08:00+07:00
Category: Tin tức
Status: draft

Bản nháp có địa chỉ xem trước riêng.
"""

SCHEDULED = """Title: Bài hẹn giờ thử địa chỉ
Date: 2030-01-01 08:00+07:00
Category: Tin tức

Bài hẹn giờ đăng.
"""


def test_site_is_the_same_with_and_without(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "articles" / "2023" / "ban-nhap-dia-chi.md").write_text(DRAFT, encoding="utf-8")
    (content / "articles" / "2023" / "hen-gio-dia-chi.md").write_text(SCHEDULED, encoding="utf-8")
    built = {}
    for frozen in (True, False):
        output = tmp_path / f"out-{frozen}"
        result = run_pelican(
            content,
            output,
            extra={
                "FROZEN_URLS": frozen,
                "SEARCH_INDEX_DIR": str(tmp_path / f"index-{frozen}"),
                "CACHE_PATH": str(tmp_path / f"cache-{frozen}"),
                "SITE_BUILD_NOW": "2026-03-05 07:30+07:00",
            },
        )
        assert result.returncode == 0, result.stderr
        built[frozen] = tree_bytes(output)
    assert any(name.startswith("drafts/") for name in built[True])
    assert built[True] == built[False]


def test_keeps_each_url_once_and_leaves_overrides() -> None:
    class Story:
        formatted = 0

        def __init__(self, slug: str) -> None:
            self.slug = slug

        @property
        def url(self) -> str:
            Story.formatted += 1
            return f"2023/{self.slug}/"

        @property
        def save_as(self) -> str:
            return f"2023/{self.slug}/index.html"

    own = Story("b")
    own.override_url = "dac-biet/"  # a URL: written in the story's file
    generator = SimpleNamespace(settings={}, articles=[Story("a"), own], drafts=[Story("c")])
    assert freeze_urls([generator]) == 5
    assert [s.override_url for s in generator.articles] == ["2023/a/", "dac-biet/"]
    assert generator.drafts[0].override_save_as == "2023/c/index.html"
    assert Story.formatted == 2


def test_a_generator_is_frozen_as_soon_as_it_has_read_its_stories() -> None:
    """article_generator_finalized / page_generator_finalized: one generator's stories
    and pages keep their URLs before any all_generators_finalized receiver runs."""
    from frozen_urls.plugin import freeze_generator

    story = SimpleNamespace(url="2023/a/", save_as="2023/a/index.html")
    page = SimpleNamespace(url="gioi-thieu/", save_as="gioi-thieu/index.html")
    articles = SimpleNamespace(settings={}, articles=[story])
    pages = SimpleNamespace(settings={}, pages=[page])
    assert freeze_generator(articles) == 2
    assert (story.override_url, story.override_save_as) == ("2023/a/", "2023/a/index.html")
    assert not hasattr(page, "override_url")
    assert freeze_generator(pages) == 2
    assert freeze_urls([articles, pages]) == 0  # the final pass finds them kept

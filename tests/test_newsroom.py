"""The reader's home and story pages (issue 23, "newsroom"): the home page's top story,
latest stories, blocks per model and archive by month; numbered pagination; year and
month archives; drafts and future stories kept off all of them; the story page marking
the query of the search result it was opened from. One real Pelican build with the
site's settings of the site's content plus generated stories (tests/support/newsroom.py)
with a fixed "now" (SITE_BUILD_NOW), checked in its HTML and in Chromium at 360 and
1280 px, with axe-core."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from bs4 import BeautifulSoup

from sitebench.browser import serve_directory
from support import ROOT, run_pelican
from support.browser import AXE, axe_violations
from support.newsroom import (
    BUSY_COUNT,
    BUSY_MODEL,
    DRAFT_SLUG,
    DRAFT_WORD,
    FUTURE_SLUG,
    FUTURE_WORD,
    HIGHLIGHT_QUERY,
    HIGHLIGHT_SLUG,
    HIGHLIGHT_TITLE,
    NOW,
    TOP_SLUG,
    busy_dates,
    write_newsroom_content,
)

WIDTHS = (360, 1280)
PUBLISHED = BUSY_COUNT + 4 + 2 + 1 + 1  # busy model, two other models, highlight story, seed
MONTHS = {"01": "Tháng Một", "02": "Tháng Hai", "03": "Tháng Ba", "08": "Tháng Tám"}


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("newsroom")
    content = write_newsroom_content(base / "content")
    output = base / "output"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SITE_BUILD_NOW", NOW)
        result = run_pelican(
            content,
            output,
            extra={"SEARCH_INDEX_DIR": str(base / "index"), "CACHE_PATH": str(base / "cache")},
        )
    assert result.returncode == 0, result.stdout + result.stderr
    with serve_directory(output) as url:
        yield output, url


def soup(output: Path, path: str) -> BeautifulSoup:
    file = (
        output / path.strip("/") / "index.html"
        if not path.endswith(".html")
        else output / path.strip("/")
    )
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def card_slugs(section) -> list[str]:
    return [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in section.select(".card-title a")]


# ---------------------------------------------------------------------------
# The built HTML.


def test_home_page_has_top_story_latest_model_blocks_and_archive(newsroom) -> None:
    output, _ = newsroom
    home = soup(output, "/")
    top = home.select_one("section.home-top")
    assert card_slugs(top) == [TOP_SLUG]
    lead = top.select_one(".card--lead")
    assert lead.img is not None and lead.img.get("loading") is None  # the lead photo, not lazy
    assert (
        lead.select_one(".summary").get_text()
        == f"Sapo bài camera số {BUSY_COUNT}: người dân góp tiền lắp camera."
    )
    latest = home.select_one("section.home-latest")
    assert latest.h2.get_text() == "Tin mới nhất"
    dates = [t["datetime"] for t in home.select("main .card time")]
    assert len(dates) == 10 and dates == sorted(dates, reverse=True)
    # A block per model with stories: its name links to its model page, its 3 newest stories.
    blocks = home.select("section.home-models section.home-block")
    by_slug = {b["data-model"]: b for b in blocks}
    assert set(by_slug) == {
        "camera-an-ninh",
        "dong-ho-tu-quan",
        "ngay-chu-nhat-xanh",
        "ban-bao-ve-dan-pho",
        "dam-bao-antt-truoc-cong-truong-hoc",
        "diem-chua-chay-cong-cong",
        "giup-do-nguoi-chap-hanh-xong-an-phat-tu",
        "phong-chong-khai-thac-cat-san-trai-phep",
        "to-lien-gia-an-toan-phong-chay-chua-chay",
        "xich-lo-xe-tho-tu-quan",
    }
    busy = by_slug[BUSY_MODEL[0]]
    assert busy.h3.a.get_text() == BUSY_MODEL[1] and busy.h3.a["href"].endswith(
        "mo-hinh/camera-an-ninh/"
    )
    items = busy.select(".home-block-list li")
    assert [li.a.get_text() for li in items] == [
        f"Camera an ninh số {n} ở khu dân cư" for n in (11, 10, 9)
    ]
    assert (
        busy.select_one(".home-block-more")
        .get_text(" ", strip=True)
        .startswith(f"Xem cả {BUSY_COUNT + 1} bài")
    )
    block_dates = [b.select_one("time")["datetime"] for b in blocks]
    assert block_dates == sorted(block_dates, reverse=True)  # the most recently covered model first
    assert all(len(b.select(".home-block-list li")) <= 3 for b in blocks)
    # Archive by month, newest first, with Vietnamese month names, and the archive index.
    archive = home.select_one("section.home-archive")
    months = [a.get_text() for a in archive.select(".month-list a")]
    assert months == ["Tháng Ba 2026", "Tháng Hai 2026", "Tháng Một 2026", "Tháng Tám 2023"]
    assert archive.select(".month-list a")[0]["href"] == "./luu-tru/2026/03/"
    assert archive.find("a", string="Xem toàn bộ lưu trữ")["href"] == "./luu-tru/"
    assert home.select_one("footer.site-footer a[href='./luu-tru/']") is not None
    # Heading levels never skip: h1, then h2 sections, h3 stories and blocks.
    levels = [int(h.name[1]) for h in home.select("main h1, main h2, main h3")]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_home_template_has_the_place_block_hook() -> None:
    template = (ROOT / "theme" / "templates" / "index.html").read_text(encoding="utf-8")
    hook = '{% include "partials/home_places.html" ignore missing %}'
    assert template.count(hook) == 1
    # It sits among the first page's blocks: after the model blocks, before the archive.
    assert (
        template.index('class="home-models"')
        < template.index(hook)
        < template.index('class="home-archive"')
    )


def test_home_pages_are_numbered_with_prev_and_next(newsroom) -> None:
    output, _ = newsroom
    first, second = soup(output, "/"), soup(output, "/trang/2/")
    nav = first.select_one("nav.pagination[aria-label='Phân trang']")
    current = nav.select_one("[aria-current='page']")
    assert current.get_text() == "1" and current.name == "span"
    assert [a.get_text() for a in nav.select(".page-numbers a")] == ["2"]
    assert (
        nav.select_one("a[rel=next]")["href"] == "./trang/2/"
        and nav.select_one("a[rel=prev]") is None
    )
    assert nav.select_one("a[rel=next]").get_text() == "Trang sau →"
    assert first.select_one("head link[rel=next]")["href"] == "./trang/2/"
    nav2 = second.select_one("nav.pagination")
    assert nav2.select_one("[aria-current='page']").get_text() == "2"
    assert (
        nav2.select_one("a[rel=prev]")["href"] == "../../"
        and nav2.select_one("a[rel=prev]").get_text() == "← Trang trước"
    )
    assert second.select_one("head link[rel=prev]")["href"] == "../../"
    assert second.title.get_text().startswith("Trang 2 – ")
    # Page 2 is only the list; every published story is on one of the two pages, once.
    assert (
        second.select_one("section.home-models") is None
        and second.select_one("section.home-top") is None
    )
    slugs = card_slugs(first.select_one("main")) + card_slugs(second.select_one("main"))
    assert len(slugs) == len(set(slugs)) == PUBLISHED
    assert not (output / "trang" / "3").exists() and not (output / "index2.html").exists()


def test_month_and_year_archives(newsroom) -> None:
    output, _ = newsroom
    march = soup(output, "/luu-tru/2026/03/")
    assert march.h1.get_text() == "Tháng Ba năm 2026"
    assert march.title.get_text().startswith("Tháng Ba năm 2026 – Lưu trữ – ")
    want = sorted((d for d in busy_dates() if d.startswith("2026-03")), reverse=True)
    items = march.select("ol.archive-list li")
    assert [li.time.get_text() for li in items] == [f"{d[8:10]}/{d[5:7]}/{d[:4]}" for d in want]
    assert march.select_one(".meta").get_text() == f"{len(want)} bài viết"
    assert [a.get_text() for a in march.select(".breadcrumbs a")] == [
        "Trang chủ",
        "Lưu trữ",
        "Năm 2026",
    ]
    assert march.select_one("a[rel=prev]").get_text() == "← Tháng Hai 2026"
    assert march.select_one("a[rel=next]") is None  # no newer month
    february = soup(output, "/luu-tru/2026/02/")
    assert february.select_one("a[rel=next]")["href"].endswith("luu-tru/2026/03/")
    year = soup(output, "/luu-tru/2026/")
    assert year.h1.get_text() == "Năm 2026"
    assert [a.get_text() for a in year.select(".month-list a")] == [
        "Tháng Ba",
        "Tháng Hai",
        "Tháng Một",
    ]
    index = soup(output, "/luu-tru/")
    assert [h.a.get_text() for h in index.select(".archive h2")] == ["Năm 2026", "Năm 2023"]
    for link in index.select(".archive a"):
        path = link["href"].lstrip("./")
        assert (output / "luu-tru" / path.removeprefix("luu-tru/") / "index.html").is_file() or (
            output / path / "index.html"
        ).is_file(), link["href"]
    labels = {a["href"].rstrip("/")[-2:]: a.get_text() for a in index.select(".month-list a")}
    assert labels == MONTHS


def test_every_link_of_the_new_pages_resolves(newsroom) -> None:
    """Numbered pages of the home, category, tag and author lists, archives, blocks."""
    from support.pages import broken_links

    output, _ = newsroom
    assert (output / "chuyen-muc" / "tin-tuc" / "trang" / "2" / "index.html").is_file()
    assert broken_links(output) == []
    page2 = soup(output, "/chuyen-muc/tin-tuc/trang/2/")
    assert page2.title.get_text().startswith("Chuyên mục: Tin tức – trang 2 – ")
    assert (
        page2.select_one("nav.pagination a[rel=prev]")["href"] == "../../../../chuyen-muc/tin-tuc/"
    )


def test_drafts_and_future_stories_are_on_no_list(newsroom) -> None:
    output, _ = newsroom
    assert not (output / "luu-tru" / "2026" / "04").exists()  # the future story's month
    listings = [
        output / "index.html",
        output / "trang" / "2" / "index.html",
        *(output / "luu-tru").rglob("index.html"),
        output / "mo-hinh" / "camera-an-ninh" / "index.html",
    ]
    for file in listings:
        text = file.read_text(encoding="utf-8")
        assert DRAFT_WORD not in text and FUTURE_WORD not in text, file
        assert DRAFT_SLUG not in text and FUTURE_SLUG not in text, file
    # They exist only as the editor's marked previews (plugins/schedule, development build).
    assert (output / "drafts" / f"{DRAFT_SLUG}.html").is_file()


def test_story_loads_the_highlight_only_from_a_tiny_inline_loader(newsroom) -> None:
    output, _ = newsroom
    story = soup(output, f"/2026/{HIGHLIGHT_SLUG}/")
    loaders = [s for s in story.select("script[type=module]") if "tu-khoa" in s.get_text()]
    assert len(loaders) == 1 and not loaders[0].get("src")
    assert (
        'get("tu-khoa")' in loaders[0].get_text() and "story-highlight.js" in loaders[0].get_text()
    )
    assert len(loaders[0].get_text()) < 200
    assert story.select_one("article.story")["data-search-index"] == "../../search/"
    bundle = output / "theme" / "js" / "story-highlight.js"
    assert (
        "import" not in re.sub(r"\bimport\(", "", bundle.read_text(encoding="utf-8")).split("\n")[0]
    )
    assert bundle.stat().st_size < 16_000, bundle.stat().st_size  # one small file


# ---------------------------------------------------------------------------
# In Chromium.


def new_page(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    return context, page


@pytest.mark.parametrize("width", WIDTHS)
def test_home_and_archive_in_the_browser(browser, newsroom, artifacts_dir, width) -> None:
    _, url = newsroom
    axe = AXE.read_text(encoding="utf-8")
    context, page = new_page(browser, width)
    try:
        for path in ("/", "/trang/2/", "/luu-tru/", "/luu-tru/2026/03/", "/luu-tru/2026/"):
            page.goto(url + path, wait_until="load")
            overflow = page.evaluate("document.documentElement.scrollWidth > innerWidth")
            assert not overflow, f"{path} overflows at {width}px"
            assert axe_violations(page, axe) == [], (path, width)
        page.goto(url + "/", wait_until="load")
        page.screenshot(path=str(artifacts_dir / f"newsroom-home-{width}.png"), full_page=True)
        # Every model block shows its heading link and its stories; the pagination is reachable.
        assert page.locator(".home-block").count() == 10
        assert page.locator(".home-block").first.locator("h3 a").is_visible()
        # The top story's photo and sapo are shown above the fold on both widths.
        photo = page.locator(".home-top .card--lead img").bounding_box()
        assert photo and photo["y"] < 800 and photo["width"] > 200
        assert page.locator(".home-top .summary").is_visible()
        # A page number is a comfortable target and leads to that page.
        link = page.locator("nav.pagination .page-numbers a", has_text="2")
        box = link.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24
        link.click()
        page.wait_for_url("**/trang/2/")
        assert page.locator("nav.pagination [aria-current=page]").inner_text() == "2"
        page.locator("a.page-prev").click()
        page.wait_for_url(re.compile(r"/$"))
        # The month archive from the home page's archive block.
        page.locator(".home-archive a", has_text="Tháng Ba 2026").click()
        page.wait_for_url("**/luu-tru/2026/03/")
        assert page.locator("h1").inner_text() == "Tháng Ba năm 2026"
        assert page.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_model_with_12_stories_lists_all_newest_first(browser, newsroom, width) -> None:
    output, url = newsroom
    items = soup(output, "/mo-hinh/camera-an-ninh/").select(".model-articles li.model-article")
    assert len(items) == BUSY_COUNT + 1 == 12  # the generated stories and the seed story
    dates = [li.time["datetime"] for li in items]
    assert dates == sorted(dates, reverse=True) and all(li.time.get_text() for li in items)
    context, page = new_page(browser, width)
    try:
        page.goto(url + "/mo-hinh/camera-an-ninh/", wait_until="load")
        layout = page.evaluate("""() => {
            const lis = [...document.querySelectorAll('.model-story-list > li')];
            const rects = lis.map(li => li.getBoundingClientRect());
            return { count: lis.length, lefts: new Set(rects.map(r => Math.round(r.left))).size,
                     ordered: rects.every((r, i) => !i || r.top >= rects[i - 1].bottom - 1),
                     columns: getComputedStyle(lis[0].parentElement).columnCount };
        }""")
        assert layout == {"count": 12, "lefts": 1, "ordered": True, "columns": "auto"}, layout
    finally:
        context.close()


def marks(page) -> list[str]:
    return page.evaluate(
        "[...document.querySelectorAll('article.story mark')].map(m => m.textContent)"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_search_result_click_highlights_the_query_in_the_story(
    browser, newsroom, artifacts_dir, width
) -> None:
    _, url = newsroom
    context, page = new_page(browser, width)
    scripts = []
    page.on(
        "request",
        lambda request: scripts.append(request.url) if request.url.endswith(".js") else None,
    )
    try:
        page.goto(url + f"/2026/{HIGHLIGHT_SLUG}/", wait_until="load")
        assert not any(
            "highlight" in s for s in scripts
        )  # without the parameter, nothing is loaded
        assert marks(page) == []
        page.goto(url + "/search.html", wait_until="load")
        page.fill("#search-query", HIGHLIGHT_QUERY)
        page.press("#search-query", "Enter")
        result = page.locator("#search-results > li h3 a", has_text=HIGHLIGHT_TITLE)
        result.wait_for(timeout=30_000)
        href = result.get_attribute("href")
        assert parse_qs(urlsplit(href).query) == {"tu-khoa": [HIGHLIGHT_QUERY]}
        result.click()
        page.wait_for_url(f"**/2026/{HIGHLIGHT_SLUG}/?tu-khoa=*")
        page.wait_for_selector("article.story mark", timeout=15_000)
        found = marks(page)
        # Whole units: "thắp sáng" and "an ninh" are marked; "an" alone in "Công an xã" is not,
        # and a pair written across <strong> is one match split over two marks at most.
        assert "Thắp sáng" in found and "an ninh" in found, found
        body = page.evaluate("document.querySelector('.story-body').innerHTML")
        assert "Công an xã" in body and "Công <mark" not in body
        assert page.locator(".story-body strong mark").inner_text() == "thắp sáng"
        assert any("story-highlight" in s for s in scripts)
        assert (
            page.locator("mark").first.evaluate("m => getComputedStyle(m).backgroundColor")
            != "rgba(0, 0, 0, 0)"
        )
        page.screenshot(path=str(artifacts_dir / f"newsroom-highlight-{width}.png"))
        axe = AXE.read_text(encoding="utf-8")
        assert axe_violations(page, axe) == []
        page.emulate_media(color_scheme="dark")  # the marks keep their contrast in the dark scheme
        assert axe_violations(page, axe) == []
        assert page.errors == []
    finally:
        context.close()


def test_a_hostile_query_in_the_address_stays_text(browser, newsroom) -> None:
    _, url = newsroom
    context, page = new_page(browser, 1280)
    try:
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        query = '<img src=x onerror="alert(1)"> an ninh </mark><script>alert(2)</script>'
        page.goto(url + f"/2026/{HIGHLIGHT_SLUG}/?tu-khoa={quote(query)}", wait_until="load")
        page.wait_for_selector("article.story mark", timeout=15_000)
        assert set(marks(page)) == {"an ninh"}
        assert (
            page.locator("article.story img[src=x], article.story script:not([type])").count() == 0
        )
        page.wait_for_timeout(300)
        assert dialogs == [] and page.errors == []
    finally:
        context.close()


def test_month_names_are_the_solar_calendar_words() -> None:
    from vn_dates import vnmonth

    assert [vnmonth(n) for n in (1, 3, 4, 11, 12)] == [
        "tháng Một",
        "tháng Ba",
        "tháng Tư",
        "tháng Mười Một",
        "tháng Mười Hai",
    ]
    assert vnmonth("04") == "tháng Tư" and vnmonth(13) == "tháng 13"

"""The built site: links resolve, machine metadata is right, the seed story reads well."""

from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support import ROOT, run_pelican
from support.pages import (
    PHOTO_SIZE,
    broken_links,
    html_files,
    page_url,
    resolve,
    soup_of,
    write_photo,
)
from tdbvantq.markdown.header import parse_header

SEED_URL = "2023/bam-co-so-xay-dung-phong-trao/"
SEED_TITLE = "Bám cơ sở, xây dựng phong trào"
SEED_CAPTION = (
    "UVTV Tỉnh ủy, Chủ tịch UBMTTQ Việt Nam tỉnh - Nguyễn Nam Tiến (thứ 3, phải sang) "
    "khen thưởng các đơn vị Mặt trận thực hiện tốt chương trình giám sát, phản biện xã hội"
)
BOILERPLATE = [
    "ĐÁNH GIÁ",
    "Hãy trở thành người đầu tiên",
    "Ý kiến bình luận",
    "BẠN CÓ THỂ QUAN TÂM",
    "TIN MỚI",
    "Liên kết hữu ích",
    "Return to top",
    "leftcenterrightdel",
    "Clock",
]
PUBLISH_SITEURL = "https://mohinh.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def article_urls_from_content() -> list[str]:
    """Article URLs from the sources themselves (ARTICLE_URL = {date:%Y}/{slug}/)."""
    urls = []
    for source in sorted((ROOT / "content" / "articles").rglob("*.md")):
        fields = {f.key: f.value for f in parse_header(source.read_text(encoding="utf-8")).fields}
        if fields.get("status", "published") != "published":
            continue
        urls.append(f"{fields['date'][:4]}/{fields.get('slug') or source.stem}/")
    return urls


def json_ld(soup: BeautifulSoup) -> list[dict]:
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def news_article(soup: BeautifulSoup) -> dict:
    found = [d for d in json_ld(soup) if d.get("@type") == "NewsArticle"]
    assert len(found) == 1, "exactly one NewsArticle expected"
    return found[0]


@pytest.fixture(scope="module")
def output(built_site) -> Path:
    return built_site.output


@pytest.fixture(scope="module")
def seed_page(output: Path) -> BeautifulSoup:
    return soup_of(output / SEED_URL / "index.html")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built with publishconf.py (absolute URLs), as `make publish` does."""
    base = tmp_path_factory.mktemp("published")
    result = run_pelican(
        ROOT / "content",
        base / "output",
        settings="publishconf.py",
        extra={"SITEURL": PUBLISH_SITEURL, "SEARCH_INDEX_DIR": str(base / "index")},
        atomic=True,
    )
    assert result.returncode == 0, result.stderr
    return base / "output"


def test_every_internal_link_resolves(output: Path) -> None:
    assert html_files(output), "no pages were built"
    assert broken_links(output) == []


def test_every_internal_link_resolves_in_the_published_build(published: Path) -> None:
    assert broken_links(published, PUBLISH_SITEURL) == []


def test_feeds_parse_and_list_the_articles(published: Path) -> None:
    expected = {f"{PUBLISH_SITEURL}/{url}" for url in article_urls_from_content()}
    atom = ET.parse(published / "feeds" / "all.atom.xml").getroot()
    assert atom.tag == f"{ATOM}feed"
    assert {e.find(f"{ATOM}link").get("href") for e in atom.iter(f"{ATOM}entry")} == expected
    titles = [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")]
    assert SEED_TITLE in titles
    rss = ET.parse(published / "feeds" / "all.rss.xml").getroot()
    assert rss.tag == "rss"
    assert {i.findtext("link") for i in rss.iter("item")} == expected


def test_development_feeds_parse(output: Path) -> None:
    for name in ("all.atom.xml", "all.rss.xml"):
        root = ET.parse(output / "feeds" / name).getroot()
        assert len(list(root.iter(f"{ATOM}entry"))) + len(list(root.iter("item"))) == len(
            article_urls_from_content()
        )


def test_sitemap_lists_every_article(published: Path) -> None:
    root = ET.parse(published / "sitemap.xml").getroot()
    locs = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    for url in article_urls_from_content():
        assert f"{PUBLISH_SITEURL}/{url}" in locs
    assert all(loc.startswith(PUBLISH_SITEURL + "/") for loc in locs)
    assert not any(loc.endswith(("404.html", "search.html", "robots.txt")) for loc in locs)
    robots = (published / "robots.txt").read_text(encoding="utf-8")
    assert robots.startswith("User-agent: *")
    assert f"Sitemap: {PUBLISH_SITEURL}/sitemap.xml" in robots


def test_json_ld_news_article(seed_page: BeautifulSoup, output: Path) -> None:
    data = news_article(seed_page)
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == SEED_TITLE
    assert data["datePublished"] == "2023-08-03T08:57:00+07:00"
    assert data["dateModified"] == "2023-08-03T08:57:00+07:00"
    assert [a["@type"] for a in data["author"]] == ["Person"]
    assert [a["name"] for a in data["author"]] == ["Phong Anh"]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "Mô hình Toàn dân bảo vệ an ninh Tổ quốc"
    assert data["inLanguage"] == "vi"
    assert data["description"].startswith("Xác định công tác bảo vệ an ninh chính trị")
    canonical = seed_page.find("link", rel="canonical")["href"]
    assert data["mainEntityOfPage"]["@id"] == canonical
    base = "/" + SEED_URL + "index.html"
    for url in [*data["image"], data["publisher"]["logo"]["url"], canonical]:
        target = resolve(output, base, url)
        assert target is not None and target.is_file(), url


def test_published_metadata_uses_absolute_urls(published: Path) -> None:
    soup = soup_of(published / SEED_URL / "index.html")
    data = news_article(soup)
    canonical = f"{PUBLISH_SITEURL}/{SEED_URL}"
    assert soup.find("link", rel="canonical")["href"] == canonical
    assert data["mainEntityOfPage"]["@id"] == canonical
    assert data["image"][0].startswith(PUBLISH_SITEURL + "/")
    assert data["publisher"]["logo"]["url"].startswith(PUBLISH_SITEURL + "/")
    og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
    assert og["og:url"] == canonical
    assert og["og:type"] == "article"
    assert og["og:title"] == SEED_TITLE
    assert og["article:published_time"] == "2023-08-03T08:57:00+07:00"
    home = soup_of(published / "index.html")
    assert home.find("link", rel="canonical")["href"] == f"{PUBLISH_SITEURL}/"


def test_seed_article_page_reads_like_the_story(seed_page: BeautifulSoup) -> None:
    main = seed_page.find("main")
    text = " ".join(main.get_text(" ").split())
    assert main.find("h1").get_text(strip=True) == SEED_TITLE
    assert "Thứ Năm, 03/08/2023 08:57" in text
    assert main.find("time")["datetime"] == "2023-08-03T08:57:00+07:00"
    assert main.find("a", rel="author").get_text(strip=True) == "Phong Anh"
    headings = [h.get_text(strip=True) for h in main.find_all("h2")]
    assert "Từ những mô hình điển hình" in headings
    assert "Bám cơ sở, tăng cường phối hợp" in headings
    assert "Nguồn: Báo Thừa Thiên Huế" in text
    assert re.search(r"\d+ phút đọc", text)
    lede = main.find(class_="lede").get_text(" ", strip=True)
    assert lede.startswith("Xác định công tác bảo vệ an ninh chính trị")
    assert {a.get_text(strip=True) for a in main.find_all("a", rel="tag")} == {
        "Phong trào TDBVANTQ",
        "Thừa Thiên Huế",
    }


def test_seed_article_has_no_boilerplate(output: Path) -> None:
    html = (output / SEED_URL / "index.html").read_text(encoding="utf-8")
    assert [s for s in BOILERPLATE if s in html] == []


def test_caption_without_photo_is_not_shown_as_a_photo(seed_page: BeautifulSoup) -> None:
    """The seed story was copied as text: its photo's caption, without the photo, is shown
    nowhere (no photo box, no caption of nothing)."""
    main = seed_page.find("main")
    assert main.find("figure") is None and main.find("img") is None
    assert SEED_CAPTION not in main.get_text(" ")


def test_every_page_is_accessible_vietnamese_html(output: Path) -> None:
    for path in html_files(output):
        soup = soup_of(path)
        where = page_url(output, path)
        assert soup.html.get("lang") == "vi", where
        for landmark in ("header", "nav", "main", "footer"):
            assert soup.find(landmark), f"{where}: no <{landmark}>"
        skip = soup.find("a", class_="skip-link")
        assert skip and skip.get_text(strip=True) == "Bỏ qua đến nội dung chính", where
        assert soup.find(id=skip["href"][1:]).name == "main", where
        assert all(img.has_attr("alt") for img in soup.find_all("img")), where
        search = soup.find("form", role="search")
        assert search["method"] == "get" and search["action"].endswith("search.html"), where
        assert search.find("input", attrs={"name": "q"}), where
        text = soup.get_text()
        assert unicodedata.is_normalized("NFC", text), where


def test_site_pages_exist(output: Path) -> None:
    for path in (
        "404.html",
        "search.html",
        "robots.txt",
        "sitemap.xml",
        "luu-tru/index.html",
        "chuyen-muc/index.html",
        "chu-de/index.html",
        "tac-gia/index.html",
        "gioi-thieu/index.html",
        "tac-gia/phong-anh/index.html",
    ):
        assert (output / path).is_file(), path
    search = soup_of(output / "search.html")
    assert search.find("ol", id="search-results") is not None
    assert "Không tìm thấy trang" in soup_of(output / "404.html").get_text()


def test_theme_is_small_and_self_contained(output: Path) -> None:
    css = sorted((output / "theme" / "css").glob("*.css"))
    assert [p.name for p in css] == ["site.css"]
    text = css[0].read_text(encoding="utf-8")
    # With the self-hosted fonts' @font-face rules and the home page's blocks, numbered pages and
    # month archives (issue 23).
    assert len(text.encode()) < 15_000
    assert "@import" not in text and "url(http" not in text and "url(//" not in text
    # Fonts only from the build itself (plugins/web_fonts), never from a CDN.
    assert all(src.startswith("../fonts/") for src in re.findall(r"url\(([^)]*)\)", text))
    assert re.search(r"prefers-color-scheme: ?dark", text)  # minified at build (minify_assets)


def test_pages_carry_no_build_time(output: Path) -> None:
    """Reproducible output: nothing in the pages depends on when the build ran."""
    import datetime

    today = datetime.date.today()
    stamps = {today.isoformat(), today.strftime("%d/%m/%Y")}
    for path in [*html_files(output), output / "sitemap.xml"]:
        text = path.read_text(encoding="utf-8")
        assert not [s for s in stamps if s in text], page_url(output, path)


PHOTO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20">'
    '<rect width="30" height="20" fill="#369"/></svg>'
)


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve generated stories (two pages of the home list), one with a photo."""
    base = tmp_path_factory.mktemp("corpus")
    articles = base / "content" / "articles"
    articles.mkdir(parents=True)
    (base / "content" / "images").mkdir()
    (base / "content" / "images" / "anh-1.svg").write_text(PHOTO_SVG, encoding="utf-8")
    write_photo(base / "content" / "images" / "anh-2.jpg")
    for n in range(1, 13):
        image = (
            "Image: {static}/images/anh-1.svg\nImage_Caption: Ảnh minh họa số 1\n" if n == 1 else ""
        )
        if n == 2:
            image = "Image: {static}/images/anh-2.jpg\nImage_Caption: Ảnh chụp số 2\n"
        body = "\n![Ảnh trong bài]({static}/images/anh-2.jpg)\n" if n == 3 else ""
        (articles / f"bai-{n:02d}.md").write_text(
            f"Title: Bài thử số {n}\nDate: 2024-01-{n:02d} 08:00+07:00\nAuthor: Phóng viên {n % 2}\n"
            f"Category: {'Tin tức' if n % 2 else 'Kinh nghiệm'}\nTags: Thử nghiệm, Nhóm {n % 3}\n"
            f"Slug: bai-thu-{n}\nSummary: Tóm tắt bài số {n}.\n{image}\nNội dung bài số {n}.\n{body}",
            encoding="utf-8",
        )
    output = base / "output"
    extra = {"SEARCH_INDEX_DIR": str(base / "index"), "CACHE_PATH": str(base / "cache")}
    result = run_pelican(base / "content", output, extra=extra)
    assert result.returncode == 0, result.stderr
    return output


def test_corpus_links_resolve(corpus_site: Path) -> None:
    assert broken_links(corpus_site) == []


def test_home_is_paginated_newest_first(corpus_site: Path) -> None:
    """The top story and the latest on page 1, the rest on the numbered page 2 (trang/2/)."""
    first = soup_of(corpus_site / "index.html").select("main .card h3")
    second = soup_of(corpus_site / "trang" / "2" / "index.html").select("main .card h3")
    titles = [h.get_text(strip=True) for h in first + second]
    assert titles == [f"Bài thử số {n}" for n in range(12, 0, -1)]
    assert len(first) == 10
    home = soup_of(corpus_site / "index.html")
    assert (
        home.select_one("section.home-top .card--lead h3").get_text(strip=True) == "Bài thử số 12"
    )
    assert home.find("a", rel="next")["href"] == "./trang/2/"
    assert [a.get_text() for a in home.select("nav.pagination .page-numbers a")] == ["2"]


def test_article_neighbours_related_and_photo(corpus_site: Path) -> None:
    middle = soup_of(corpus_site / "2024" / "bai-thu-5" / "index.html")
    neighbours = {
        a["rel"][0]: a.get_text(" ", strip=True) for a in middle.select("nav.neighbors a")
    }
    assert neighbours == {"prev": "Bài trước Bài thử số 4", "next": "Bài sau Bài thử số 6"}
    related = middle.find("section", class_="related")
    assert related.find("h2").get_text(strip=True) == "Bài liên quan"
    assert related.find_all("li")
    photo = soup_of(corpus_site / "2024" / "bai-thu-1" / "index.html")
    figure = photo.find("figure")
    assert figure.img["alt"] == "Ảnh minh họa số 1"
    assert figure.figcaption.get_text(strip=True) == "Ảnh minh họa số 1"
    assert resolve(corpus_site, "/2024/bai-thu-1/index.html", figure.img["src"]).is_file()
    data = news_article(photo)
    og = {m["property"]: m["content"] for m in photo.find_all("meta", property=True)}
    assert og["og:image"].startswith("/share/") and og["og:image"].endswith(".png")
    assert data["image"] == ["/images/anh-1.svg", og["og:image"]]  # the photo, then the card


def test_photos_get_responsive_sizes(corpus_site: Path) -> None:
    from PIL import Image

    base = "/2024/bai-thu-2/index.html"
    img = soup_of(corpus_site / "2024" / "bai-thu-2" / "index.html").select_one("figure.photo img")
    assert (img["width"], img["height"]) == tuple(str(n) for n in PHOTO_SIZE)
    assert img.get("loading") is None  # the lead photo is above the fold
    assert img["sizes"]
    sources = [entry.rsplit(" ", 1) for entry in img["srcset"].split(", ")]
    assert [width for _, width in sources] == ["480w", "800w", "1200w", "1600w"]
    for url, width in sources:
        with Image.open(resolve(corpus_site, base, url)) as image:
            assert image.format == "JPEG" and image.width == int(width[:-1])
            assert image.height == round(int(width[:-1]) * PHOTO_SIZE[1] / PHOTO_SIZE[0])
    body = soup_of(corpus_site / "2024" / "bai-thu-3" / "index.html").select_one(".story-body img")
    assert (
        body["loading"] == "lazy"
        and body["width"] == str(PHOTO_SIZE[0])
        and "480w" in body["srcset"]
    )
    for url in [body["src"], *(entry.rsplit(" ", 1)[0] for entry in body["srcset"].split(", "))]:
        assert resolve(corpus_site, "/2024/bai-thu-3/index.html", url).is_file(), url
    cards = {}
    for n in (2, 4):  # with and without a photo
        page = soup_of(corpus_site / "2024" / f"bai-thu-{n}" / "index.html")
        url = page.find("meta", property="og:image")["content"]
        with Image.open(resolve(corpus_site, f"/2024/bai-thu-{n}/index.html", url)) as image:
            cards[n] = image.convert("RGB").getpixel((1000, 315))
            kind = page.find("meta", property="og:image:type")["content"]
            assert (image.format, kind) == (
                ("JPEG", "image/jpeg") if n == 2 else ("PNG", "image/png")
            )
    assert cards[4] == (139, 16, 20) and cards[2] != cards[4], "the photo is on the card"
    card = soup_of(corpus_site / "trang" / "2" / "index.html").select_one(
        ".card img[srcset]"
    )  # story 2 is on page 2
    assert card is not None and card["width"] == str(PHOTO_SIZE[0])


def test_date_filters_use_vietnam_time_without_locale() -> None:
    from datetime import UTC, datetime

    from vn_dates import dateline, isodate, vndate

    moment = datetime(2023, 8, 3, 1, 57, tzinfo=UTC)
    assert dateline(moment) == "Thứ Năm, 03/08/2023 08:57"
    assert vndate(moment) == "03/08/2023"
    assert isodate(moment) == "2023-08-03T08:57:00+07:00"
    assert dateline(datetime(2023, 8, 6, 23, 5)) == "Chủ Nhật, 06/08/2023 23:05"

"""The model catalogue in a real Pelican build: links both ways, model pages, directory.

One build of a copy of content/ plus a test model and a test story; one failing
build for a model file without a name.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from model_catalog.matcher import ModelMatcher
from support import ROOT, run_pelican

SEED_URL = "2023/bam-co-so-xay-dung-phong-trao/"
TEST_URL = "2024/bai-thu-nhan-dien-mo-hinh/"
SEED_SLUGS = [
    "camera-an-ninh",
    "dong-ho-tu-quan",
    "dam-bao-antt-truoc-cong-truong-hoc",
    "ngay-chu-nhat-xanh",
    "phong-chong-khai-thac-cat-san-trai-phep",
    "xich-lo-xe-tho-tu-quan",
    "giup-do-nguoi-chap-hanh-xong-an-phat-tu",
    "to-lien-gia-an-toan-phong-chay-chua-chay",
    "diem-chua-chay-cong-cong",
    "ban-bao-ve-dan-pho",
]

TEST_MODEL = """\
Name: Tổ hòa giải ở cơ sở
Aliases: Tổ hòa giải
Group: tự quản cộng đồng

Mô hình dùng cho kiểm thử.
"""

# The camera paragraph is written in NFD below; "hoà" is the old tone placement.
TEST_STORY = """\
Title: Bài thử nhận diện mô hình
Date: 2024-05-06 09:00+07:00
Author: Ban biên tập
Category: Tin tức
Slug: bai-thu-nhan-dien-mo-hinh
Summary: Bài dùng cho kiểm thử danh mục mô hình.
Models: Tổ hòa giải ở cơ sở

## Camera an ninh ở thị xã Hương Thủy

Xem [camera an ninh của PCCC](https://example.org/camera "ANTT") trước.

{camera}

Thị xã Hương Thủy duy trì mô hình “Dòng họ 3 kỷ cương”, bảo đảm ANTT và PCCC.

Phường Thủy Châu có 12 tổ hoà giải hoạt động hiệu quả.
"""
CAMERA = "Xã có 15 camera an ninh mới lắp đặt."


@dataclass
class Site:
    output: Path
    log: str

    def soup(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(
            (self.output / url / "index.html").read_text(encoding="utf-8"), "html.parser"
        )

    def target(self, page_url: str, href: str) -> str:
        """Site-relative URL a relative href on `page_url` points to."""
        return urljoin("http://site/" + page_url, href).removeprefix("http://site/")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    base = tmp_path_factory.mktemp("models-site")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "models" / "to-hoa-giai-o-co-so.md").write_text(TEST_MODEL, encoding="utf-8")
    story = TEST_STORY.replace("{camera}", unicodedata.normalize("NFD", CAMERA))
    (content / "articles" / "2024").mkdir(parents=True, exist_ok=True)
    (content / "articles" / "2024" / "bai-thu.md").write_text(story, encoding="utf-8")
    result = run_pelican(content, base / "output", extra={"SEARCH_INDEX_DIR": str(base / "index")})
    assert result.returncode == 0, result.stdout + result.stderr
    return Site(base / "output", result.stdout + result.stderr)


def model_links(site: Site, page_url: str, css: str = "a.model-link") -> dict[str, str]:
    return {
        a["data-model"]: site.target(page_url, a["href"]) for a in site.soup(page_url).select(css)
    }


def test_seed_story_links_every_model_it_names(site: Site) -> None:
    links = model_links(site, SEED_URL)
    badges = model_links(site, SEED_URL, "a.model-badge")
    assert set(links) == set(SEED_SLUGS)
    assert set(badges) == set(SEED_SLUGS)
    # Badges: the Models: metadata first, in its order, then the models found in the text.
    header = (ROOT / "content/articles/2023/bam-co-so-xay-dung-phong-trao.md").read_text(
        encoding="utf-8"
    )
    declared_line = re.search(r"^Models:(.*)$", header, re.MULTILINE).group(1)
    matcher = ModelMatcher.from_dir(ROOT / "content" / "models")
    declared = [matcher.resolve(name) for name in declared_line.split(";") if name.strip()]
    assert list(badges)[: len(declared)] == declared
    for slug in SEED_SLUGS:
        assert links[slug] == badges[slug] == f"mo-hinh/{slug}/"
        assert (site.output / links[slug] / "index.html").is_file()


def test_only_the_first_mention_is_linked_never_in_headings_or_links(site: Site) -> None:
    soup = site.soup(TEST_URL)
    body = soup.select_one(".story-body")
    camera = body.select('a.model-link[data-model="camera-an-ninh"]')
    assert len(camera) == 1
    assert unicodedata.normalize("NFC", camera[0].get_text()) == "camera an ninh"
    assert unicodedata.normalize("NFC", camera[0].find_parent("p").get_text()) == CAMERA
    assert not body.select("h2 a") and not body.select("a a") and not body.select("a abbr")
    seed_links = site.soup(SEED_URL).select(".story-body a.model-link")
    assert len(seed_links) == len({a["data-model"] for a in seed_links})


def test_alias_and_old_tone_spelling_are_matched(site: Site) -> None:
    links = model_links(site, TEST_URL)
    assert links["dong-ho-tu-quan"] == "mo-hinh/dong-ho-tu-quan/"
    assert (
        site.soup(TEST_URL).select_one('a[data-model="dong-ho-tu-quan"]').get_text()
        == "Dòng họ 3 kỷ cương"
    )
    hoa_giai = site.soup(TEST_URL).select_one('a.model-link[data-model="to-hoa-giai-o-co-so"]')
    assert hoa_giai.get_text() == "tổ hoà giải"
    page = site.soup("mo-hinh/to-hoa-giai-o-co-so/")
    stories = [
        site.target("mo-hinh/to-hoa-giai-o-co-so/", a["href"])
        for a in page.select(".model-articles a")
    ]
    assert stories == [TEST_URL]
    figures = [li.select_one(".figure-value").get_text() for li in page.select(".model-figure")]
    assert figures == ["12 tổ hòa giải"]  # quoted in the canonical spelling


def test_unknown_declared_model_stops_the_build(tmp_path: Path) -> None:
    """As `make check` does (tests/test_build_enforces_check.py): file:line, its words."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    story = TEST_STORY.replace(
        "Models: Tổ hòa giải ở cơ sở", "Models: Mô hình chưa có trong danh mục"
    )
    (content / "articles" / "2024").mkdir(parents=True, exist_ok=True)
    (content / "articles" / "2024" / "bai-thu.md").write_text(
        story.replace("{camera}", CAMERA), encoding="utf-8"
    )
    result = run_pelican(
        content, tmp_path / "output", extra={"SEARCH_INDEX_DIR": str(tmp_path / "i")}
    )
    assert result.returncode == 1
    log = " ".join(re.sub(r"\S+\.py:\d+", " ", result.stdout + result.stderr).split())
    assert (
        "bai-thu.md:7: Mô hình “Mô hình chưa có trong danh mục” không có trong danh mục mô hình"
        in log
    )


@pytest.mark.parametrize(
    ("slug", "figure", "sentence"),
    [
        (
            "camera-an-ninh",
            "28 mắt/24 điểm",
            "Điển hình là mô hình camera an ninh với 28 mắt/24 điểm trên toàn xã",
        ),
        (
            "to-lien-gia-an-toan-phong-chay-chua-chay",
            "543",
            "thành lập hơn 543 tổ liên gia an toàn về phòng cháy, chữa cháy",
        ),
        (
            "ban-bao-ve-dan-pho",
            "29 ban bảo vệ dân phố, 1.064 thành viên",
            "Đội ngũ cốt cán phong trào ở cơ sở của TP. Huế",
        ),
    ],
)
def test_model_page_lists_seed_story_and_figures(
    site: Site, slug: str, figure: str, sentence: str
) -> None:
    url = f"mo-hinh/{slug}/"
    page = site.soup(url)
    stories = [site.target(url, a["href"]) for a in page.select(".model-articles a")]
    assert SEED_URL in stories
    quoted = [
        (
            li.select_one(".figure-value").get_text(),
            li.select_one(".figure-sentence").get_text(),
            site.target(url, li.select_one("a.figure-source")["href"]),
        )
        for li in page.select(".model-figure")
    ]
    assert any(
        figure in value and sentence in said and link == SEED_URL for value, said, link in quoted
    ), quoted


def test_model_page_details_and_json_ld(site: Site) -> None:
    url = "mo-hinh/camera-an-ninh/"
    page = site.soup(url)
    assert page.select_one("h1").get_text() == "Camera an ninh"
    stories = [site.target(url, a["href"]) for a in page.select(".model-articles a")]
    assert stories == [TEST_URL, SEED_URL]  # newest first
    assert page.select_one("time.model-first")["datetime"].startswith("2023-08-03")
    assert page.select_one("time.model-latest")["datetime"].startswith("2024-05-06")
    # Places come from the sentences naming the model (plugins/places), each linked to
    # its place page and to the story: "Camera an ninh ở thị xã Hương Thủy" -> Huế.
    places = [li.get_text() for li in page.select(".model-localities li")]
    assert "thành phố Huế (bài viết ghi: thị xã Hương Thủy) — Bài thử nhận diện mô hình" in places
    assert not any("Phú Mỹ" in place for place in places)  # that one is dòng họ tự quản's
    first = page.select_one(".model-localities li a")
    assert site.target(url, first["href"]) == "dia-phuong/hue/"
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    term, collection = data["@graph"]
    assert term["@type"] == "DefinedTerm" and term["name"] == "Camera an ninh"
    assert collection["mainEntity"]["numberOfItems"] == 2
    assert [i["item"]["url"] for i in collection["mainEntity"]["itemListElement"]] == [
        "/" + TEST_URL,
        "/" + SEED_URL,
    ]
    aliases = site.soup("mo-hinh/dong-ho-tu-quan/").select(".model-alias")
    assert "Dòng họ 3 kỷ cương" in [a.get_text() for a in aliases]


def test_directory_counts_match_the_stories(site: Site) -> None:
    stories = [SEED_URL, TEST_URL]
    expected: dict[str, int] = {}
    for url in stories:
        for slug in model_links(site, url, "a.model-badge"):
            expected[slug] = expected.get(slug, 0) + 1
    directory = site.soup("mo-hinh/")
    counts = {
        entry["data-model"]: int(entry.select_one(".model-count")["data-count"])
        for entry in directory.select(".model-entry")
    }
    assert set(counts) == set(SEED_SLUGS) | {"to-hoa-giai-o-co-so"}
    assert counts == {slug: expected.get(slug, 0) for slug in counts}
    assert counts["camera-an-ninh"] == 2
    groups = {section["id"]: section for section in directory.select("section.model-group")}
    assert "nhom-phong-chay-chua-chay" in groups
    fire = groups["nhom-phong-chay-chua-chay"]
    assert {e["data-model"] for e in fire.select(".model-entry")} == {
        "to-lien-gia-an-toan-phong-chay-chua-chay",
        "diem-chua-chay-cong-cong",
    }
    for entry in directory.select(".model-entry a"):
        assert (site.output / site.target("mo-hinh/", entry["href"]) / "index.html").is_file()
    sitemap = (site.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "mo-hinh/camera-an-ninh/</loc>" in sitemap and "thuat-ngu/</loc>" in sitemap


def test_acronyms_get_abbr_once_never_in_links_or_attributes(site: Site) -> None:
    body = site.soup(TEST_URL).select_one(".story-body")
    abbrs = {a.get_text(): a["title"] for a in body.select("abbr")}
    assert abbrs["ANTT"] == "an ninh trật tự"
    assert abbrs["PCCC"].startswith("phòng cháy")
    assert len(body.select("abbr")) == len(abbrs)  # first occurrence only
    link = body.select_one('a[href="https://example.org/camera"]')
    assert link["title"] == "ANTT" and link.get_text() == "camera an ninh của PCCC"
    seed = site.soup(SEED_URL).select_one(".story-body")
    assert seed.select_one("abbr[title='an ninh trật tự']").get_text() == "ANTT"
    glossary = site.soup("thuat-ngu/")
    assert "an ninh trật tự" in [dd.get_text() for dd in glossary.select("dd")]


def test_model_file_without_name_fails_the_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "models" / "khong-ten.md").write_text(
        "Group: khác\n\nKhông có tên.\n", encoding="utf-8"
    )
    result = run_pelican(
        content, tmp_path / "output", extra={"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    )
    assert result.returncode != 0
    log = " ".join((result.stdout + result.stderr).split())
    assert "khong-ten.md: the model has no name" in log
    assert "Traceback" not in log

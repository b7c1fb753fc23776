"""Clutter, bylines, headlines, Markdown fidelity and site templates, each on a short
synthetic page (tests/fixtures/import/site/), imported over HTTP from a local server."""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown as python_markdown
import pytest
from bs4 import BeautifulSoup
from pelican.settings import DEFAULT_CONFIG

from support import ROOT, run_pelican
from support.import_server import TEST_SITES, import_server
from tdbvantq.check.runner import check_paths
from tdbvantq.importer import import_sources
from tdbvantq.importer.fetch import Fetcher
from tdbvantq.importer.htmlpage import extract_html_page
from tdbvantq.importer.sites import PROJECT_SITES, SiteRulesError, load_site_rules, parse_site_rules

# The story paragraphs every fixture page carries (see the pages), in order.
STORY = [
    "Sáng 10/5, Ủy ban nhân dân phường Tân Định",
    "Theo báo cáo, sau một năm triển khai",
    "Ông Nguyễn Văn Hải, tổ trưởng tổ tự quản số 5",
    "Kết thúc hội nghị, phường đã khen thưởng",
]
SAPO = "Một năm sau khi ra mắt, các tổ tự quản ở phường Tân Định đã góp phần giữ bình yên cho từng con hẻm."


def fetcher() -> Fetcher:
    return Fetcher(timeout=2, retries=1, backoff=0.01, delay=0)


def read(path: str) -> tuple[dict[str, str], str]:
    head, _, body = Path(path).read_text("utf-8").partition("\n\n")
    return dict(line.split(": ", 1) for line in head.splitlines()), body


def blocks(body: str) -> list[str]:
    return [b.strip() for b in body.split("\n\n") if b.strip()]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory):
    """Each fixture page imported alone into its own content folder: name -> (meta, body)."""
    names = [
        "clutter-links",
        "clutter-notices",
        "markdown-fidelity",
        "byline-compiled",
        "byline-credit",
        "byline-group",
        "byline-capitals",
        "byline-top",
        "byline-markup",
        "byline-lines",
    ]
    found = {}
    with import_server() as server:
        for name in names:
            content = tmp_path_factory.mktemp(name)
            [result] = import_sources(
                [f"{server.base}/site/{name}.html"], content, fetcher=fetcher(), publish=True
            )
            assert result.status == "created", (name, result.error)
            found[name] = read(result.path)
    return found


def assert_story_only(body: str) -> None:
    """The body is the four story paragraphs, in order, and nothing else."""
    texts = [b for b in blocks(body) if not b.startswith("#")]
    assert len(texts) == len(STORY), texts
    for text, start in zip(texts, STORY, strict=True):
        assert text.startswith(start), text


def test_boxes_of_links_are_dropped(imported) -> None:
    meta, body = imported["clutter-links"]
    assert_story_only(body)
    for clutter in (
        "Ra mắt tổ tự quản đầu tiên",
        "Hẻm an toàn",
        "tổ tự quản](",
        "Tân Định](",
        "Khởi công cầu vượt",
        "Giá vàng",
        "Trang chủ",
        "Thời sự",
        "Giấy phép",
    ):
        assert clutter not in body, clutter


def test_notices_widgets_and_trailing_items_are_dropped(imported) -> None:
    meta, body = imported["clutter-notices"]
    # The sapo element holds a paywall notice: the Summary comes from the page's description.
    assert meta["Summary"] == SAPO
    assert_story_only(body)
    for clutter in (
        "Tải ứng dụng",
        "iOS",
        "Đăng ký nhận bản tin",
        "Bạn vừa nạp",
        "Lấy link",
        "Chia sẻ",
        "Báo Ví Dụ",
        "Xem thêm",
        "Hóc Môn",
        "CÙNG CHUYÊN MỤC",
        "Công an quận 1",
        "khu phố không ma túy",
    ):
        assert clutter not in body, clutter


def test_printed_headline_and_markdown_fidelity(imported) -> None:
    meta, body = imported["markdown-fidelity"]
    # og:title words it differently; the printed h1 is the headline.
    assert meta["Title"] == "Phường Tân Định nhân rộng tổ tự quản sau một năm thí điểm"
    # Spaces around a link are kept.
    assert "tại [Thông tư 12/2024/TT-NHNN](https://vbpl.example/tt-12) của Ngân hàng" in body
    # Links that lead nowhere lose the link and keep the text.
    assert "Xem bản đồ các tổ và danh sách thành viên tại trụ sở phường." in body
    assert "javascript" not in body and "no_script" not in body
    # Subheadings stay where the page prints them; the data table stays a table.
    order = [b.splitlines()[0][:30] for b in blocks(body)]
    assert order == [
        STORY[0][:30],
        "Theo hướng dẫn tại [Thông tư 1",
        "## Mỗi hẻm một tổ tự quản",
        STORY[1][:30],
        "### Kết quả sau một năm",
        "| Khu phố | Số tổ | Tin báo |",
        STORY[2][:30],
        STORY[3][:30],
    ]
    settings = DEFAULT_CONFIG["MARKDOWN"]  # pelicanconf keeps Pelican's Markdown extensions
    html = python_markdown.Markdown(
        extensions=list(settings["extension_configs"]),
        extension_configs=settings["extension_configs"],
    ).convert(body)
    table = BeautifulSoup(html, "html.parser").find("table")
    rows = [
        [cell.get_text() for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")
    ]
    assert rows == [
        ["Khu phố", "Số tổ", "Tin báo"],
        ["Khu phố 1", "4", "12"],
        ["Khu phố 2", "6", "28"],
    ]


BYLINES = {
    "byline-compiled": ["Hà Thu"],  # "Hà Thu (tổng hợp)" at the end
    "byline-credit": ["Minh Châu", "Lan Anh"],  # "Theo Minh Châu - Lan Anh"
    "byline-group": ["Nhóm PV"],
    "byline-capitals": ["Nhật Xuân", "Nghi Vũ"],  # "NHẬT XUÂN - NGHI VŨ"
    "byline-top": ["Phương Anh"],  # "Bài và ảnh: PHƯƠNG ANH" before the first paragraph
    "byline-markup": ["Nhật Xuân", "Nghi Vũ"],  # two links in the author box: two people
    "byline-lines": ["Nhật Xuân", "Nghi Vũ"],  # two byline lines at the end: two people
}


@pytest.mark.parametrize("name", sorted(BYLINES))
def test_every_author_separately_and_the_byline_out_of_the_body(imported, name: str) -> None:
    meta, body = imported[name]
    authors = BYLINES[name]
    if len(authors) > 1:
        assert meta["Authors"] == ", ".join(authors) and "Author" not in meta
    else:
        assert meta["Author"] == authors[0] and "Authors" not in meta
    assert_story_only(body)
    for word in ("tổng hợp", "Theo Minh", "Nhóm PV", "NHẬT XUÂN", "PHƯƠNG ANH", "Bài và ảnh"):
        assert word not in body, word


def test_each_author_gets_an_author_page(imported, tmp_path: Path) -> None:
    meta, body = imported["byline-capitals"]
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    shutil.copytree(ROOT / "content" / "models", content / "models")
    header = "".join(f"{key}: {value}\n" for key, value in meta.items())
    (content / "articles" / "bai.md").write_text(f"{header}\n{body}", encoding="utf-8")
    # The content checker takes `Authors:` for the required Author field.
    missing = [
        p
        for p in check_paths([content / "articles"], content).problems
        if p.code == "missing-field"
    ]
    assert missing == []
    output = tmp_path / "output"
    result = run_pelican(content, output, extra={"SEARCH_INDEX_DIR": str(tmp_path / "index")})
    assert result.returncode == 0, result.stdout + result.stderr
    for slug in ("nhat-xuan", "nghi-vu"):
        page = output / "tac-gia" / slug / "index.html"
        assert page.exists(), slug
        assert meta["Title"] in page.read_text("utf-8")
    story = output / "2024" / meta["Slug"] / "index.html"  # ARTICLE_SAVE_AS
    links = BeautifulSoup(story.read_text("utf-8"), "html.parser").select('a[rel="author"]')
    assert [a.get_text() for a in links] == ["Nhật Xuân", "Nghi Vũ"]
    # Story cards (home page, lists) name every author too.
    card = BeautifulSoup((output / "index.html").read_text("utf-8"), "html.parser").select_one(
        ".card .meta span"
    )
    assert card.get_text() == "Nhật Xuân, Nghi Vũ"


# --- a site's template, learnt across its pages ---------------------------------------------

BANNER = "Mời quý độc giả gửi tin bài, hình ảnh về cho Ví Dụ Online"


def test_template_of_a_batch_is_dropped(tmp_path: Path) -> None:
    with import_server() as server:
        results = import_sources(
            [f"{server.base}/site/template-{n}.html" for n in (1, 2, 3)],
            tmp_path,
            fetcher=fetcher(),
        )
    assert [r.status for r in results] == ["created"] * 3
    for result in results:
        meta, body = read(result.path)
        assert BANNER not in body
        assert len(blocks(body)) >= 2  # the stories themselves are kept


def test_template_learnt_from_stories_already_in_content(tmp_path: Path) -> None:
    with import_server() as server:
        [first] = import_sources(
            [f"{server.base}/site/template-1.html"], tmp_path, fetcher=fetcher()
        )
        # One page alone gives no evidence: the banner stays.
        assert BANNER in read(first.path)[1]
        [second] = import_sources(
            [f"{server.base}/site/template-2.html"], tmp_path, fetcher=fetcher()
        )
    meta, body = read(second.path)
    assert BANNER not in body
    assert body.startswith("Đêm 11/5, Công an phường Đa Kao")
    assert "Đại diện công an phường cho biết" in body


# --- per-site rules: content/data/sites.toml --------------------------------------------------


def test_project_sites_file_is_valid() -> None:
    rules = load_site_rules(PROJECT_SITES)
    for host in ("vnexpress.net", "dantri.com.vn", "phapluatplus.vn"):
        assert rules.for_host(host) is not None, host
    assert rules.for_host("www.m.vnexpress.net").name == "VnExpress"  # subdomains match
    tests = load_site_rules(TEST_SITES)  # the rules of the synthetic pages' sites
    for host in (
        "baothuathienhue.vn",
        "cand.com.vn",
        "tuoitre.vn",
        "nhandan.vn",
        "baochinhphu.vn",
        "baodautu.vn",
        "cafef.vn",
        "nld.com.vn",
        "vietnamnet.vn",
    ):
        assert tests.for_host(host) is not None and rules.for_host(host) is None, host


def test_site_rules_drop_keep_title_and_authors(tmp_path: Path) -> None:
    rules = parse_site_rules(
        '[sites."vidu.example"]\n'
        'name = "Báo Ví Dụ Điện Tử"\n'
        'title = ["main h1"]\n'
        'body = ["div.article-body"]\n'
        'drop = ["div.box-x"]\n'
        'authors = ["div.author a"]\n',
        tmp_path / "sites.toml",
    )
    with import_server() as server:
        response = fetcher().get(f"{server.base}/site/byline-markup.html")
    article = extract_html_page(response.text(), response.url, "byline-markup", rules=rules)
    assert article.source_name == "Báo Ví Dụ Điện Tử"
    assert article.authors == ["Nhật Xuân", "Nghi Vũ"]
    assert [b.plain[:30] for b in article.blocks] == [s[:30] for s in STORY]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[sites."a.vn"]\ndrop = ["div..x"]\n',
            r"sites.toml:2: \[sites.\"a.vn\"\] drop: bộ chọn CSS không hợp lệ 'div..x'",
        ),
        (
            '# rules\n[sites."a.vn"]\nname = "A"\n\nbyline = "giữa"\n',
            r"sites.toml:5: \[sites.\"a.vn\"\] byline = 'giữa': chỉ nhận end, top, markup",
        ),
        (
            '[sites."a.vn"]\nname = "A"\nselectors = []\n',
            r"sites.toml:3: \[sites.\"a.vn\"\] khóa không biết: selectors",
        ),
        ('[sites."a.vn"]\nname = 3\n', r"sites.toml:2: \[sites.\"a.vn\"\] name: cần một chuỗi"),
        (
            '[sites."a.vn"\nname = "x"\n',
            r"sites.toml:1: không đọc được TOML: Expected '\]' .*\(cột 14\)",
        ),
        (
            '[sites."a.vn"]\nname = "x"\n\n[sites."b.vn"]\ntitle = = 1\n',
            r"sites.toml:5: không đọc được TOML",
        ),
    ],
)
def test_site_rules_errors_name_the_file_and_the_fix(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(SiteRulesError, match=message):
        parse_site_rules(text, tmp_path / "sites.toml")


def test_links_to_the_site_are_judged_as_their_resolved_address_would_be() -> None:
    # _site_links answers relative addresses from the base's host without resolving each.
    from tdbvantq.importer.clutter import _site_links, same_site
    from tdbvantq.importer.urls import join_url

    hrefs = [
        "", "/tin/a.html", "b.html", "?page=2", "#top", "//example.com/x", "//other.org/x",
        " //other.org/x", "/\t/other.org/x", "\n//other.org", "https://www.example.com/a",
        "HTTPS://news.example.com/a", "http://other.org/", "https://[x/", "javascript:void(0)",
        "mailto:a@example.com", "http:relative", "\x01//other.org",
    ]  # fmt: skip
    hosts = ("example.com", "www.example.com")
    for base in ("https://www.example.com/a/b.html", "http://example.com", "", "https://[x/"):
        to_site = _site_links(base, hosts)
        for href in hrefs:
            assert to_site(href) == same_site(join_url(base, href), hosts), (base, href)
    assert not _site_links("https://example.com/", hosts)("//other.org/x")
    assert _site_links("https://example.com/", hosts)("/x")

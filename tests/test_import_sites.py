"""Per-site rules, over HTTP on 127.0.0.1.

- Every entry of content/data/sites.toml against the pages saved from that site
  (../shared/benchmarks/pages and pages-vn): every selector matches on one of them, and the
  rules give the site's name, headline and lede where the page alone does not.
- A content folder's own data/sites.toml (`--content DIR`): the rules of
  tests/fixtures/import/sites.toml, written from known layouts of sites no page could be
  saved from, on pages written in those sites' markup shape (site/site-*.html; the other
  sites' pages are in test_import_pages.py), imported with those rules and without them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from support.import_server import (
    BENCH_PAGES,
    BENCH_VN_PAGES,
    TEST_SITES,
    import_server,
    with_test_site_rules,
)
from tdbvantq.importer import import_sources
from tdbvantq.importer.fetch import Fetcher
from tdbvantq.importer.markdown import strip_markdown
from tdbvantq.importer.sites import PROJECT_SITES, site_rules_file

# The saved pages of each entry of content/data/sites.toml, and what its rules give there.
SAVED = {
    "vnexpress.net": [
        (
            "bench/vnexpress-dau-bung-keo-dai-lymphoma.html",
            "Đau bụng kéo dài, phát hiện ung thư lymphoma ruột non",
            "Người đàn ông 63 tuổi đau bụng",
        ),
        (
            "bench-vn/vnexpress-bo-cong-an-giam-dinh-xe-khach-sa-pa.html",
            "Bộ Công an giám định kỹ thuật xe khách tai nạn ở Sa Pa",
            "Sáng nay, Tổ điều tra thuộc Bộ Công an",
        ),
    ],
    "dantri.com.vn": [
        (
            "bench/dantri-khoi-cong-nha-ga-t3.html",
            "Khởi công Nhà ga T3 sân bay Tân Sơn Nhất",
            "Công trình Nhà ga T3 khi hoàn thành",
        ),
        (
            "bench/dantri-top-10-ngoi-sao-tang-gia.html",
            "Top 10 ngôi sao tăng giá mạnh nhất sau World Cup 2022",
            "Sau World Cup 2022, chuyên trang Transfermarkt",
        ),
    ],
    "phapluatplus.vn": [
        (
            "bench-vn/phapluatplus-bai-thuoc-nam-chua-tri.html",
            "''Mổ xẻ'' bài thuốc nam chữa khỏi bệnh trĩ bằng Đông y ở Việt Nam",
            "Tại Hoài Đức, Hà Nội có vị lương y trẻ",
        ),
    ],
}
_FOLDERS = {"bench": BENCH_PAGES, "bench-vn": BENCH_VN_PAGES}


def saved_file(path: str) -> Path:
    folder, name = path.split("/")
    return _FOLDERS[folder] / name


def project_entries() -> dict:
    return tomllib.loads(PROJECT_SITES.read_text("utf-8"))["sites"]


def test_every_entry_of_the_project_sites_file_has_saved_pages() -> None:
    assert set(project_entries()) == set(SAVED)


@pytest.mark.shared_data
@pytest.mark.parametrize("host", sorted(SAVED))
def test_every_selector_of_an_entry_matches_a_saved_page_of_its_site(host: str) -> None:
    trees = [
        lxml_html.document_fromstring(saved_file(path).read_text("utf-8"))
        for path, *_ in SAVED[host]
    ]
    for key, value in project_entries()[host].items():
        if key in ("name", "byline"):
            continue
        for selector in value:
            assert any(CSSSelector(selector)(tree) for tree in trees), (
                f"{host} {key}: {selector} is untested"
            )


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("host", "page"),
    [(host, page) for host, pages in SAVED.items() for page in pages],
    ids=lambda value: value if isinstance(value, str) else value[0],
)
def test_entry_on_a_saved_page_of_its_site(
    host: str, page: tuple[str, str, str], tmp_path: Path
) -> None:
    path, title, summary = page
    ruled = tmp_path / "ruled"
    site_rules_file(ruled).parent.mkdir(parents=True)
    site_rules_file(ruled).write_bytes(PROJECT_SITES.read_bytes())
    with import_server() as server:
        [result] = import_sources([f"{server.base}/{path}"], ruled, fetcher=fetcher())
        [bare] = import_sources([f"{server.base}/{path}"], tmp_path / "bare", fetcher=fetcher())
    assert result.status == "created", result.error
    meta, body = read(result.path)
    assert meta["Source_Name"] == project_entries()[host]["name"]
    assert meta["Title"] == title and meta["Summary"].startswith(summary)
    # The body element's text is the story's: its first paragraph opens the body.
    kept = project_entries()[host].get("body")
    if kept:
        tree = lxml_html.document_fromstring(saved_file(path).read_text("utf-8"))
        element = next(e for selector in kept for e in CSSSelector(selector)(tree))
        first = next(p for p in element.iter("p") if len(p.text_content().split()) > 8)
        assert " ".join(first.text_content().split())[:40] in strip_markdown(body)
    assert bare.status == "created", bare.error


# Per page: what the rules give, and what the page gives without them.
SITES = {
    "baochinhphu": {
        "host": "baochinhphu.vn",
        "Title": "Hà Giang nhân rộng tổ an ninh tự quản ở vùng biên",
        "Source_Name": "Báo Điện tử Chính phủ",
        "Author": "Hoàng Giang",
        "summary_start": "Các tổ an ninh tự quản ở những xã vùng biên",
        "dropped": ["Trước đó, nhiều địa phương khác"],
        "outside_body": "Mời bạn đọc gửi ý kiến",
    },
    "baodautu": {
        "host": "baodautu.vn",
        "Title": "Doanh nghiệp khu công nghiệp góp sức giữ an ninh trật tự",
        "Source_Name": "Báo Đầu tư",
        "Author": "Thanh Tâm",
        "summary_start": "Các doanh nghiệp trong khu công nghiệp cùng công an xã",
        "dropped": ["Trong số trước, Báo Đầu tư đã phản ánh"],
        "outside_body": "Đặt mua Báo Đầu tư bản in",
    },
    "cafef": {
        "host": "cafef.vn",
        "Title": "Chợ đầu mối lập tổ tự quản, tiểu thương yên tâm buôn bán đêm",
        "Source_Name": "CafeF",
        "Author": "Minh Châu",
        "summary_start": "Tổ tự quản của chợ đầu mối gồm tiểu thương",
        "dropped": ["Bạn thấy bài viết này hữu ích không?"],
        "outside_body": "Theo dõi CafeF trên các nền tảng",
    },
    "nld": {
        "host": "nld.com.vn",
        "Title": "Công nhân nhà trọ cùng giữ bình yên khu phố",
        "Source_Name": "Báo Người Lao Động",
        "Author": "Ngọc Ánh",
        "summary_start": "Ở các dãy nhà trọ đông công nhân",
        "dropped": ["Người Lao Động từng có loạt bài"],
        "outside_body": "Mời bạn đọc tham gia bình chọn",
    },
    "vietnamnet": {
        "host": "vietnamnet.vn",
        "Title": "Khu dân cư lắp chuông báo động liên gia chống trộm",
        "Source_Name": "VietNamNet",
        "Authors": "Phương Linh, Đức Huy",
        "summary_start": "Mỗi nhóm mười hộ dùng chung một hệ thống chuông",
        "dropped": ["Đăng ký nhận bản tin buổi sáng"],
        "outside_body": "Khu dân cư Tân Mai hiện có hơn ba nghìn hộ",
        "extraction_keeps_to_body": True,  # trafilatura knows div.maincontent by itself
    },
    "thanhnien": {
        "host": "thanhnien.vn",
        "Title": "Nhóm thanh niên tình nguyện tuần tra đêm trên tuyến đê",
        "Source_Name": "Báo Thanh Niên",
        "Author": "Bảo Ngọc",
        "summary_start": "Mỗi tối cuối tuần, nhóm thanh niên tình nguyện",
        "dropped": ["Mùa mưa năm ngoái, đoạn đê này"],
        "outside_body": "Đọc báo Thanh Niên bản in mỗi sáng",
    },
}

# Entries that only name the source (Source_Name), checked on a story served as that host.
NAMES = {
    "huetoday.vn": "Báo Thừa Thiên Huế",
    "chinhphu.vn": "Cổng Thông tin điện tử Chính phủ",
    "hanoimoi.vn": "Báo Hà Nội Mới",
    "sggp.org.vn": "Báo Sài Gòn Giải Phóng",
    "qdnd.vn": "Báo Quân đội nhân dân",
    "plo.vn": "Báo Pháp Luật TP.HCM",
    "vov.vn": "Đài Tiếng nói Việt Nam",
    "baotintuc.vn": "Thông tấn xã Việt Nam",
    "vietnamplus.vn": "Thông tấn xã Việt Nam",
    "anninhthudo.vn": "Báo An ninh Thủ đô",
}

# Entries whose rules are exercised by the fixtures of test_import_pages.py.
ELSEWHERE = {"baothuathienhue.vn", "cand.com.vn", "tuoitre.vn", "nhandan.vn"}


def fetcher() -> Fetcher:
    return Fetcher(timeout=2, retries=1, backoff=0.01, delay=0)


def read(path: str) -> tuple[dict[str, str], str]:
    head, _, body = Path(path).read_text("utf-8").partition("\n\n")
    return dict(line.split(": ", 1) for line in head.splitlines()), body


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory):
    """page -> ((meta, body) with the test rules, (meta, body) without any)."""
    ruled = with_test_site_rules(tmp_path_factory.mktemp("ruled"))
    bare = tmp_path_factory.mktemp("bare")  # no data/sites.toml: no per-site rules
    found = {}
    with import_server() as server:
        for name in SITES:
            pair = []
            for content in (ruled, bare):
                [result] = import_sources(
                    [f"{server.base}/site/site-{name}.html"], content, fetcher=fetcher()
                )
                assert result.status == "created", (name, result.error)
                pair.append(read(result.path))
            found[name] = tuple(pair)
    return found


def test_every_entry_of_the_test_sites_file_is_tested() -> None:
    hosts = set(tomllib.loads(TEST_SITES.read_text("utf-8"))["sites"])
    tested = {spec["host"] for spec in SITES.values()} | set(NAMES) | ELSEWHERE
    assert hosts == tested


@pytest.mark.parametrize("name", sorted(SITES))
def test_site_rules_on_a_page_of_that_site(imported, name: str) -> None:
    expected = SITES[name]
    (meta, body), (bare_meta, bare_body) = imported[name]
    for field in ("Title", "Source_Name", "Author", "Authors"):
        if field in expected:
            assert meta.get(field) == expected[field], field
    assert meta["Summary"].startswith(expected["summary_start"])  # the sapo, without "(NLĐO) - "
    assert body.startswith("Từ đầu năm,") and body.rstrip().endswith(
        "tập huấn kỹ năng cho tổ trưởng."
    )
    for text in expected["dropped"]:  # `drop`
        assert text not in body
    assert expected["outside_body"] not in body  # `body`: nothing outside the body element
    # Without the rules: the page's own site name, and the text outside the body element.
    assert bare_meta["Source_Name"] != expected["Source_Name"]
    assert (expected["outside_body"] in bare_body) != expected.get(
        "extraction_keeps_to_body", False
    )


@pytest.mark.parametrize("host", sorted(NAMES))
def test_source_names_of_name_only_entries(host: str, tmp_path: Path) -> None:
    content = with_test_site_rules(tmp_path / "content")
    with import_server() as server:
        [result] = import_sources([f"{server.base}/on-host/www.{host}"], content, fetcher=fetcher())
        [bare] = import_sources(
            [f"{server.base}/on-host/www.{host}"], tmp_path / "bare", fetcher=fetcher()
        )
    assert result.status == "created", result.error
    assert read(result.path)[0]["Source_Name"] == NAMES[host]
    assert read(bare.path)[0]["Source_Name"] == "Trang tin điện tử"  # the page's og:site_name

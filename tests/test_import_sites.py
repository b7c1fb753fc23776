"""Every entry of content/data/sites.toml, exercised over HTTP on 127.0.0.1: each site's rule
kinds (name, title, sapo, body, drop, authors) on a page written in that site's markup shape
(tests/fixtures/import/site/site-*.html; the other sites' pages are in test_import_pages.py),
imported with the project's rules and, to show the rules do the work, without them."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from newsimport import import_sources
from newsimport.fetch import Fetcher
from newsimport.sites import PROJECT_SITES
from support.import_server import import_server, with_project_site_rules

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

# Entries whose rules are exercised elsewhere: fixtures of test_import_pages.py (the first
# four) and the saved real pages of ../shared/benchmarks (test_import_pages.py, the seed test).
ELSEWHERE = {"baothuathienhue.vn", "cand.com.vn", "tuoitre.vn", "nhandan.vn", "vnexpress.net",
             "dantri.com.vn", "phapluatplus.vn"}


def fetcher() -> Fetcher:
    return Fetcher(timeout=2, retries=1, backoff=0.01, delay=0)


def read(path: str) -> tuple[dict[str, str], str]:
    head, _, body = Path(path).read_text("utf-8").partition("\n\n")
    return dict(line.split(": ", 1) for line in head.splitlines()), body


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory):
    """page -> ((meta, body) with the project's rules, (meta, body) without any)."""
    ruled = with_project_site_rules(tmp_path_factory.mktemp("ruled"))
    bare = tmp_path_factory.mktemp("bare")  # no data/sites.toml: no per-site rules
    found = {}
    with import_server() as server:
        for name in SITES:
            pair = []
            for content in (ruled, bare):
                [result] = import_sources([f"{server.base}/site/site-{name}.html"], content, fetcher=fetcher())
                assert result.status == "created", (name, result.error)
                pair.append(read(result.path))
            found[name] = tuple(pair)
    return found


def test_every_entry_of_the_sites_file_is_tested() -> None:
    hosts = set(tomllib.loads(PROJECT_SITES.read_text("utf-8"))["sites"])
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
    assert body.startswith("Từ đầu năm,") and body.rstrip().endswith("tập huấn kỹ năng cho tổ trưởng.")
    for text in expected["dropped"]:  # `drop`
        assert text not in body
    assert expected["outside_body"] not in body  # `body`: nothing outside the body element
    # Without the rules: the page's own site name, and the text outside the body element.
    assert bare_meta["Source_Name"] != expected["Source_Name"]
    assert (expected["outside_body"] in bare_body) != expected.get("extraction_keeps_to_body", False)


@pytest.mark.parametrize("host", sorted(NAMES))
def test_source_names_of_name_only_entries(host: str, tmp_path: Path) -> None:
    content = with_project_site_rules(tmp_path / "content")
    with import_server() as server:
        [result] = import_sources([f"{server.base}/on-host/www.{host}"], content, fetcher=fetcher())
        [bare] = import_sources([f"{server.base}/on-host/www.{host}"], tmp_path / "bare", fetcher=fetcher())
    assert result.status == "created", result.error
    assert read(result.path)[0]["Source_Name"] == NAMES[host]
    assert read(bare.path)[0]["Source_Name"] == "Trang tin điện tử"  # the page's og:site_name

"""The importer over real HTTP: feeds, sitemaps, retries, timeouts, bad sources, charsets,
re-import of a URL. The server runs on 127.0.0.1 and is started by the tests."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import ROOT, run_pelican
from support.import_server import FIXTURES, STORIES, TEST_SITES, ServerState, import_server
from tdbvantq.importer import import_sources
from tdbvantq.importer.fetch import USER_AGENT, Fetcher


@pytest.fixture(scope="module")
def server():
    with import_server() as state:
        yield state


def fast_fetcher(**overrides) -> Fetcher:
    settings = {"timeout": 0.5, "retries": 2, "backoff": 0.01, "delay": 0.0}
    settings.update(overrides)
    return Fetcher(**settings)


def statuses(results) -> list[str]:
    return [result.status for result in results]


def run_import(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "import_news.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_rss_feed_imports_every_article_with_progress_and_summary(
    server: ServerState, tmp_path: Path
) -> None:
    result = run_import(f"{server.base}/feeds/rss.xml", "--content", str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["status"] for r in records] == ["created"] * 3
    assert [r["source"] for r in records] == [
        f"{server.base}/site/baothuathienhue.html",
        f"{server.base}/site/cand.html",
        f"{server.base}/site/tuoitre.html",
    ]
    assert set(records[0]) >= {
        "source",
        "status",
        "path",
        "title",
        "date",
        "author",
        "models",
        "error",
    }
    assert all(Path(r["path"]).is_file() for r in records)
    assert [line for line in result.stderr.splitlines() if line.startswith("[")] == [
        f"[1/3] đã tạo: {records[0]['path']}",
        f"[2/3] đã tạo: {records[1]['path']}",
        f"[3/3] đã tạo: {records[2]['path']}",
    ]
    assert result.stderr.rstrip().endswith("3 bài: 3 đã tạo, 0 đã cập nhật, 0 không đổi, 0 lỗi")


def test_atom_feed(server: ServerState, tmp_path: Path) -> None:
    results = import_sources([f"{server.base}/feeds/atom.xml"], tmp_path, fetcher=fast_fetcher())
    assert statuses(results) == ["created", "created"]
    assert [r.title for r in results] == [
        "Phát huy vai trò quần chúng trong phòng, chống tội phạm",
        "Tổ bảo vệ dân phố 'gác' khu phố đêm",
    ]


def test_sitemap_and_sitemap_index_one_failure_does_not_stop_the_batch(
    server: ServerState, tmp_path: Path
) -> None:
    for feed in ("sitemap.xml", "sitemap-index.xml"):
        results = import_sources([f"{server.base}/feeds/{feed}"], tmp_path, fetcher=fast_fetcher())
        assert [r.source.rsplit("/", 1)[-1] for r in results] == [
            "cand.html",
            "nhandan.html",
            "404",
        ]
        assert results[2].status == "failed" and "HTTP 404" in results[2].error
        assert statuses(results)[:2] == (
            ["created"] * 2 if feed == "sitemap.xml" else ["unchanged"] * 2
        )


def test_feed_file_on_disk(server: ServerState, tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        (FIXTURES / "feeds" / "rss.xml").read_text("utf-8").replace("{BASE}", server.base), "utf-8"
    )
    results = import_sources([str(feed)], tmp_path / "content", fetcher=fast_fetcher())
    assert statuses(results) == ["created"] * 3


def test_reimport_of_the_same_url_in_another_form_is_unchanged(
    server: ServerState, tmp_path: Path
) -> None:
    fetcher = fast_fetcher()
    [first] = import_sources([f"{server.base}/site/nhandan.html"], tmp_path, fetcher=fetcher)
    assert first.status == "created"
    before = Path(first.path).read_bytes()
    variants = [
        f"{server.base}/site/nhandan.html?utm_source=facebook&utm_campaign=x&fbclid=abc",
        f"{server.base}/site/nhandan.html/",
    ]
    for variant in variants:
        [again] = import_sources([variant], tmp_path, fetcher=fetcher)
        assert (again.status, again.path) == ("unchanged", first.path)
    assert Path(first.path).read_bytes() == before
    assert len(list((tmp_path / "articles").rglob("*.md"))) == 1


def test_changed_source_updates_the_same_file(server: ServerState, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    original = (FIXTURES / "site" / "cand.html").read_text("utf-8")
    page.write_text(original, "utf-8")
    content = tmp_path / "content"
    [first] = import_sources([str(page)], content, fetcher=fast_fetcher())
    assert first.status == "created"
    page.write_text(
        original.replace("không để xảy ra điểm nóng", "không để xảy ra điểm nóng nào"), "utf-8"
    )
    [second] = import_sources([str(page)], content, fetcher=fast_fetcher())
    assert (second.status, second.path) == ("updated", first.path)
    assert "điểm nóng nào" in Path(first.path).read_text("utf-8")


def test_saved_html_page_takes_its_url_from_canonical(tmp_path: Path) -> None:
    [result] = import_sources(
        [str(FIXTURES / "site" / "tuoitre.html")], tmp_path, fetcher=fast_fetcher(retries=0)
    )
    assert result.status == "created"
    text = Path(result.path).read_text("utf-8")
    assert (
        "Source: https://tuoitre.vn/to-bao-ve-dan-pho-gac-khu-pho-dem-20240315060500123.htm" in text
    )


def test_retries_on_5xx_and_dropped_connections(server: ServerState, tmp_path: Path) -> None:
    fetcher = fast_fetcher(retries=2)
    results = import_sources(
        [
            f"{server.base}/flaky/2/a/site/cand.html",  # two 503s, then the page
            f"{server.base}/drop-once/b/site/tuoitre.html",  # connection dropped once
        ],
        tmp_path,
        fetcher=fetcher,
    )
    assert statuses(results) == ["created", "created"]
    assert server.counters["flaky/a"] == 3 and server.counters["drop/b"] == 2


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("status/500", "máy chủ trả lời HTTP 500 (bỏ cuộc sau 3 lần thử)"),
        ("drop", "mất kết nối"),
        ("slow/3/site/cand.html", "hết thời gian chờ"),
        ("status/404", "máy chủ trả lời HTTP 404"),
        ("img/photo.png", "không phải trang HTML (image/png)"),
        ("files/bao-cao.pdf", "không phải trang HTML (application/pdf)"),
        ("site/home.html", "không phải trang bài viết"),
        ("feeds/../nothing-here", "máy chủ trả lời HTTP 404"),
    ],
)
def test_bad_urls_fail_with_a_reason_and_write_nothing(
    server: ServerState, tmp_path: Path, path: str, reason: str
) -> None:
    url = f"{server.base}/{path}"
    [result] = import_sources([url], tmp_path, fetcher=fast_fetcher(timeout=0.3))
    assert result.status == "failed"
    assert result.error.startswith(url.split("/../")[0]) and reason in result.error
    assert "\n" not in result.error
    assert not (tmp_path / "articles").exists()


def test_cli_bad_sources_exit_1_with_one_line_each(server: ServerState, tmp_path: Path) -> None:
    bad = [
        f"{server.base}/status/404",
        f"{server.base}/img/photo.png",
        f"{server.base}/site/home.html",
    ]
    result = run_import(*bad, "--content", str(tmp_path))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("lỗi:")]
    assert len(errors) == 3
    for url, line in zip(bad, errors, strict=True):
        assert url in line
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "articles").exists()


@pytest.mark.parametrize("where", ["header", "meta"])
def test_charset_from_header_or_meta(server: ServerState, tmp_path: Path, where: str) -> None:
    [result] = import_sources([f"{server.base}/charset/{where}"], tmp_path, fetcher=fast_fetcher())
    assert result.status == "created", result.error
    assert result.title == "Tổ bảo vệ dân phố 'gác' khu phố đêm"
    text = Path(result.path).read_text("utf-8")
    assert "Họ chia nhau trực từ 22h đến 2h sáng" in text  # decoded and back in NFC


def test_honest_user_agent_and_per_host_limit(server: ServerState, tmp_path: Path) -> None:
    server.user_agents.clear()
    feed = tmp_path / "slow-feed.xml"
    items = "".join(
        f"<item><link>{server.base}/slow/0.25/site/{name}.html?n={n}</link></item>"
        for n, name in enumerate(["cand", "tuoitre", "nhandan", "baothuathienhue"])
    )
    feed.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>', "utf-8"
    )
    results = import_sources(
        [str(feed)], tmp_path / "content", fetcher=fast_fetcher(per_host=2, timeout=2)
    )
    assert statuses(results) == ["created"] * 4
    assert server.max_in_flight["0.25"] <= 2
    assert server.user_agents and all(agent == USER_AGENT for agent in server.user_agents)
    assert USER_AGENT.startswith("mohinh-tdbvantq-importer/")


def test_dry_run_over_http_writes_nothing(server: ServerState, tmp_path: Path) -> None:
    content = tmp_path / "content"
    results = import_sources(
        [f"{server.base}/feeds/rss.xml"], content, dry_run=True, fetcher=fast_fetcher()
    )
    assert statuses(results) == ["created"] * 3
    assert not content.exists()


# --- never refuse a real article, dates as published, safety ------------------------------------


def header_of(path: str) -> dict[str, str]:
    meta = {}
    for line in Path(path).read_text("utf-8").split("\n\n", 1)[0].splitlines():
        name, _, value = line.partition(": ")
        meta[name] = value
    return meta


def test_page_without_a_date_becomes_a_draft_with_a_warning(
    server: ServerState, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    result = run_import(f"{server.base}/story/no-date", "--content", str(content), "--json")
    assert result.returncode == 0, result.stderr
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["status"] == "created" and record["date"] is None
    meta = header_of(record["path"])
    assert meta["Status"] == "draft" and "Date" not in meta
    assert "cảnh báo: " in result.stderr and "không tìm thấy ngày đăng bài" in result.stderr
    assert (
        "Status: draft" in result.stderr and "Date:" in result.stderr
    )  # what was done, what to do
    # The site still builds: the draft goes to drafts/, not to the stories.
    built = run_pelican(
        content, tmp_path / "output", extra={"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert list((tmp_path / "output" / "drafts").glob("*.html"))


def test_two_different_stories_with_the_same_slug_are_both_kept(
    server: ServerState, tmp_path: Path
) -> None:
    # Saved pages without canonical URL or og:url, then the same two over HTTP.
    saved = []
    for name in ("same-title-1", "same-title-2"):
        page = tmp_path / f"{name}.html"
        page.write_text(STORIES[name], "utf-8")
        saved.append(str(page))
    for sources, folder in (
        (saved, "from-files"),
        (
            [f"{server.base}/story/same-title-1", f"{server.base}/story/same-title-2"],
            "over-http",
        ),
    ):
        content = tmp_path / folder
        first = run_import(sources[0], "--content", str(content), "--json")
        second = run_import(sources[1], "--content", str(content), "--json")
        assert first.returncode == 0 and second.returncode == 0, second.stderr
        one, two = (json.loads(r.stdout) for r in (first, second))
        assert (one["status"], two["status"]) == ("created", "created")
        assert Path(one["path"]).name == "to-tu-quan-giu-binh-yen-khu-pho.md"
        assert Path(two["path"]).name == "to-tu-quan-giu-binh-yen-khu-pho-2.md"
        assert header_of(two["path"])["Slug"] == "to-tu-quan-giu-binh-yen-khu-pho-2"
        assert "2024-03-01" in header_of(one["path"])["Date"]  # the first story is intact
        assert "già làng" in Path(two["path"]).read_text("utf-8")
        if folder == "from-files":
            assert "đã chứa một bài khác cùng slug" in second.stderr
            again = run_import(sources[1], "--content", str(content), "--json")
            assert (json.loads(again.stdout)["status"], json.loads(again.stdout)["path"]) == (
                "unchanged",
                two["path"],
            )


def test_a_server_that_drips_bytes_fails_within_the_deadline(
    server: ServerState, tmp_path: Path
) -> None:
    # 0.05 s a byte: each read succeeds, but the page would take minutes to arrive.
    url = f"{server.base}/drip/0.05/cand.html"
    start = time.monotonic()
    [result] = import_sources([url], tmp_path, fetcher=fast_fetcher(timeout=0.5, deadline=1.0))
    elapsed = time.monotonic() - start
    assert result.status == "failed"
    assert result.error == f"{url}: quá thời hạn 1 giây cho cả trang (máy chủ trả lời quá chậm)"
    # Without the deadline the page would take over 2 minutes; the margin is for a busy machine.
    assert elapsed < 10, f"took {elapsed:.1f} s with a deadline of 1 s"
    cli = run_import(url, "--content", str(tmp_path), "--deadline", "1")
    assert cli.returncode == 1
    assert f"lỗi: {url}: quá thời hạn 1 giây" in cli.stderr
    assert not (tmp_path / "articles").exists()


def test_an_oversized_local_file_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "huge.html"
    with page.open("wb") as file:
        file.truncate(26_000_000)  # sparse: 26 MB without writing them
    result = run_import(str(page), "--content", str(tmp_path / "content"))
    assert result.returncode == 1
    assert f"lỗi: {page}: tệp lớn 26.000.000 byte, quá giới hạn 25.000.000 byte" in result.stderr
    small = tmp_path / "page.html"
    small.write_text(STORIES["short"], "utf-8")
    [refused] = import_sources([str(small)], tmp_path / "content", max_file_bytes=100)
    assert refused.status == "failed" and "quá giới hạn 100 byte" in refused.error


def test_a_feed_above_the_limit_says_what_it_left_out(server: ServerState, tmp_path: Path) -> None:
    feed = f"{server.base}/feeds/rss.xml"
    result = run_import(feed, "--content", str(tmp_path), "--limit", "2", "--json")
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["status"] for r in records] == ["created", "created", "failed"]
    assert records[2]["source"] == feed
    message = (
        f"{feed}: nguồn tin có 3 bài, chỉ nhập 2 bài đầu, bỏ qua 1 bài — thêm --limit 3 để nhập hết"
    )
    assert records[2]["error"] == message
    assert f"lỗi: {message}" in result.stderr
    assert run_import(feed, "--content", str(tmp_path), "--limit", "3").returncode == 0


def test_dates_keep_the_page_offset_and_a_day_alone_keeps_its_day(
    server: ServerState, tmp_path: Path
) -> None:
    results = import_sources(
        [f"{server.base}/story/offset", f"{server.base}/story/day-only"],
        tmp_path,
        fetcher=fast_fetcher(),
    )
    assert [r.status for r in results] == ["created", "created"], [r.error for r in results]
    # 21:15 in New York is already 4 August in Vietnam: the page's own day and offset are kept.
    assert header_of(results[0].path)["Date"] == "2023-08-03 21:15-04:00"
    assert header_of(results[1].path)["Date"] == "2023-08-03 00:00+07:00"
    assert any("không có giờ" in w for w in results[1].warnings)
    assert results[0].path.endswith(
        "/2023/kieu-bao-gop-suc-giu-an-ninh-khu-pho.md"
    )  # og:type website


def test_short_article_is_imported_with_a_warning(server: ServerState, tmp_path: Path) -> None:
    [result] = import_sources([f"{server.base}/story/short"], tmp_path, fetcher=fast_fetcher())
    assert result.status == "created", result.error
    assert any(w.startswith("bài rất ngắn") for w in result.warnings)
    assert header_of(result.path)["Date"] == "2023-08-02 00:00+07:00"  # from the text, by htmldate


@pytest.mark.parametrize("encoding", ["utf-8", "windows-1258", "iso-8859-1"])
def test_pages_with_an_xml_declaration_in_any_encoding(
    server: ServerState, tmp_path: Path, encoding: str
) -> None:
    if encoding == "iso-8859-1":
        page = tmp_path / "latin.xhtml"
        page.write_bytes(
            b'<?xml version="1.0" encoding="iso-8859-1"?>\n<html><head><title>Caf\xe9 du commerce</title>'
            b'<meta property="article:published_time" content="2024-01-05T07:30:00+01:00"></head>'
            b"<body><article><h1>Caf\xe9 du commerce</h1><p>"
            + b"Le caf\xe9 du village a rouvert. " * 12
            + b"</p></article></body></html>"
        )
        [result] = import_sources([str(page)], tmp_path / "content")
        assert (result.status, result.title) == ("created", "Café du commerce"), result.error
        assert header_of(result.path)["Date"] == "2024-01-05 07:30+01:00"
        return
    [result] = import_sources(
        [f"{server.base}/xml-declared/{encoding}"], tmp_path, fetcher=fast_fetcher()
    )
    assert (result.status, result.title) == ("created", "Tổ tự quản giữ gìn an ninh ở làng chài"), (
        result.error
    )
    assert "không để xảy ra vụ trộm cắp nào" in Path(result.path).read_text("utf-8")


def test_page_without_a_headline_gets_a_stand_in_title(server: ServerState, tmp_path: Path) -> None:
    [result] = import_sources([f"{server.base}/story/no-title"], tmp_path, fetcher=fast_fetcher())
    assert result.status == "created", result.error
    assert result.title == "Tổ an ninh tự quản của khu phố họp mỗi tháng một…"
    assert any(w.startswith("trang không có tiêu đề: tạm lấy “Tổ an ninh") for w in result.warnings)
    assert Path(result.path).name == "to-an-ninh-tu-quan-cua-khu-pho-hop-moi-thang-mot.md"


def test_related_stories_after_an_article_do_not_make_it_a_list_page(
    server: ServerState, tmp_path: Path
) -> None:
    [story] = import_sources(
        [f"{server.base}/story/with-related"], tmp_path, fetcher=fast_fetcher()
    )
    assert story.status == "created", story.error
    assert story.title == "Tuần tra đêm ở khu phố 5"
    [home] = import_sources([f"{server.base}/site/home.html"], tmp_path, fetcher=fast_fetcher())
    assert home.status == "failed"
    assert "không phải trang bài viết: trang liệt kê 3 tin (tiêu đề kèm liên kết)" in home.error


def test_link_roundup_post_is_one_article(server: ServerState, tmp_path: Path) -> None:
    # A post that gathers other sites' stories, each a headline link: those are its
    # sources, not teasers of the site's own pages (home.html's teasers still are).
    [result] = import_sources(
        [f"{server.base}/site/roundup.html"], tmp_path, fetcher=fast_fetcher()
    )
    assert result.status == "created", result.error
    assert result.title == "Điểm tin an ninh cơ sở tuần 32"
    assert header_of(result.path)["Date"] == "2023-08-11 20:05+07:00"
    body = Path(result.path).read_text("utf-8").split("\n\n", 1)[1]
    assert (
        "- [Giữ bình yên từ tổ tự quản ở phường Hương Sơ](https://baokhac.example/tin/to-tu-quan-huong-so.html) qua Báo Khác"
        in body
    )
    assert body.count("\n- ") + body.startswith("- ") == 5
    assert "Bài mới" not in body and "Điểm tin tuần 31" not in body


def test_sidebar_box_taken_for_the_story_leaves_a_draft(
    server: ServerState, tmp_path: Path
) -> None:
    # A post of a few words (a file to download) beside a sidebar of another site's news:
    # extraction takes the sidebar box; its text is dropped, and the post is kept as a draft.
    [result] = import_sources(
        [f"{server.base}/site/sidebar-only.html"], tmp_path, fetcher=fast_fetcher()
    )
    assert result.status == "created", result.error
    assert result.title == "Mẫu biên bản họp tổ"  # not the blog's name in its linked <h1>
    meta = header_of(result.path)
    assert (meta["Status"], meta["Date"]) == ("draft", "2023-07-02 09:15+07:00")
    text = Path(result.path).read_text("utf-8")
    for sidebar in ("Tổ liên gia gồm mười hộ", "Hơn hai mươi hộ dân", "Tin từ báo tỉnh"):
        assert sidebar not in text
    [warning] = result.warnings
    assert (
        warning.startswith("không tìm thấy nội dung bài trên trang") and "Status: draft" in warning
    )


def test_page_without_text_but_with_headline_and_date_becomes_a_draft(
    server: ServerState, tmp_path: Path
) -> None:
    # A page whose text is loaded by JavaScript: the headline, date and description are
    # kept as a draft to complete; the site still builds (drafts/, off the lists).
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    result = run_import(
        f"{server.base}/site/empty-shell.html",
        f"{server.base}/story/blank",
        "--content",
        str(content),
        "--json",
    )
    assert result.returncode == 1, result.stderr  # the blank page is refused
    shell, blank = [json.loads(line) for line in result.stdout.splitlines()]
    assert shell["status"] == "created" and shell["date"] == "2024-02-14T06:30:00+07:00"
    meta = header_of(shell["path"])
    assert meta["Status"] == "draft" and meta["Date"] == "2024-02-14 06:30+07:00"
    assert meta["Title"] == "Tổ tự quản bến xe giúp khách tìm lại hành lý"
    assert meta["Summary"].startswith("Chỉ trong ba tháng, tổ tự quản ở bến xe phía Nam")
    assert (
        f"cảnh báo: {server.base}/site/empty-shell.html: không tìm thấy nội dung bài trên trang"
        in result.stderr
    )
    assert "chép nội dung từ trang gốc vào rồi xóa dòng Status" in result.stderr
    # Nothing to keep: no headline, no date, no text.
    assert blank["status"] == "failed"
    assert blank["error"] == f"{server.base}/story/blank: không tìm thấy nội dung bài trên trang"
    built = run_pelican(
        content, tmp_path / "output", extra={"SEARCH_INDEX_DIR": str(tmp_path / "index")}
    )
    assert built.returncode == 0, built.stdout + built.stderr
    drafts = (tmp_path / "output" / "drafts").glob("*.html")
    assert [p.name for p in drafts if p.name != "index.html"] == [
        "to-tu-quan-ben-xe-giup-khach-tim-lai-hanh-ly.html"
    ]


def test_address_day_well_before_the_stated_time_is_the_publication_day(
    server: ServerState, tmp_path: Path
) -> None:
    # The address (/2017/7/12/) was made when the story first appeared; the metadata and
    # the page give a re-publication two years later.
    [moved] = import_sources(
        [f"{server.base}/site/republished.html"], tmp_path, fetcher=fast_fetcher()
    )
    assert moved.status == "created", moved.error
    assert header_of(moved.path)["Date"] == "2017-07-12 00:00+07:00"
    assert any(w.startswith("trang chỉ ghi ngày đăng, không có giờ") for w in moved.warnings)
    # A day apart is a story published after midnight: the stated time stands.
    [late] = import_sources(
        [f"{server.base}/story/past-midnight"], tmp_path, fetcher=fast_fetcher()
    )
    assert header_of(late.path)["Date"] == "2023-08-03 00:30+07:00"


# --- per-site rules of the content folder: DIR/data/sites.toml ----------------------------------


def test_cli_reads_the_site_rules_of_its_content_folder(
    server: ServerState, tmp_path: Path
) -> None:
    url = f"{server.base}/site/cand.html"
    names = {}
    # cand.com.vn is not in the project's rules (no saved page to test it on, issue 22): the
    # test rules of tests/fixtures/import/sites.toml have it, as a content folder's own file.
    for case, rules in [
        ("tests", TEST_SITES.read_text("utf-8")),
        ("own", '[sites."cand.com.vn"]\nname = "Báo CAND (bản thử)"\n'),
        ("project", (ROOT / "content" / "data" / "sites.toml").read_text("utf-8")),
        ("none", None),
    ]:
        content = tmp_path / case
        if rules is not None:
            (content / "data").mkdir(parents=True)
            (content / "data" / "sites.toml").write_text(rules, "utf-8")
        result = run_import(url, "--content", str(content), "--json")
        assert result.returncode == 0, result.stderr
        [record] = [json.loads(line) for line in result.stdout.splitlines()]
        names[case] = header_of(record["path"])["Source_Name"]
    assert names == {
        "tests": "Báo Công an nhân dân",
        "own": "Báo CAND (bản thử)",
        "project": "Báo Công an Nhân dân điện tử",  # no rule for this site: og:site_name
        "none": "Báo Công an Nhân dân điện tử",  # no rules: the page's og:site_name
    }


@pytest.mark.parametrize(
    ("rules", "line", "reason"),
    [
        (
            '[sites."a.vn"]\nname = "A"\n\n[sites."cand.com.vn"]\ndrop = ["div..x"]\n',
            5,
            "[sites.\"cand.com.vn\"] drop: bộ chọn CSS không hợp lệ 'div..x'",
        ),
        (
            '[sites."cand.com.vn"]\nname = "A"\nbyline = "cuối"\n',
            3,
            "[sites.\"cand.com.vn\"] byline = 'cuối': chỉ nhận end, top, markup",
        ),
        (
            '[sites."a.vn"]\nname = "A"\nname = "B"\n',
            3,
            "không đọc được TOML: Cannot overwrite a value",
        ),
    ],
)
def test_cli_invalid_site_rules_one_line_naming_file_and_line(
    server: ServerState, tmp_path: Path, rules: str, line: int, reason: str
) -> None:
    content = tmp_path / "content"
    (content / "data").mkdir(parents=True)
    rules_file = content / "data" / "sites.toml"
    rules_file.write_text(rules, "utf-8")
    result = run_import(f"{server.base}/site/cand.html", "--content", str(content))
    assert result.returncode == 1
    [message] = result.stderr.splitlines()  # one line, nothing fetched or written
    assert message.startswith(f"lỗi: {rules_file}:{line}: {reason}")
    assert "Traceback" not in result.stderr
    assert not (content / "articles").exists()


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (
            "ftp://example.org/bai.html",
            "chỉ nhập được địa chỉ http:// hoặc https://, không nhận ftp://",
        ),
        ("http://", "địa chỉ không có tên máy chủ"),
        ("https:///bai-viet.html", "địa chỉ không có tên máy chủ"),
    ],
)
def test_malformed_addresses_fail_at_once_with_a_reason(
    tmp_path: Path, source: str, reason: str
) -> None:
    [result] = import_sources([source], tmp_path, fetcher=fast_fetcher(timeout=0.3))
    assert result.status == "failed"
    assert result.error.startswith(f"{source}: {reason}")
    assert "lần thử" not in result.error  # nothing to retry
    assert not (tmp_path / "articles").exists()


def test_scheme_in_capitals_is_an_address(server: ServerState, tmp_path: Path) -> None:
    url = f"{server.base}/site/cand.html".replace("http://", "HTTP://")
    [result] = import_sources([url], tmp_path, fetcher=fast_fetcher(timeout=2))
    assert result.status == "created", result.error


def test_invisible_characters_inside_words_are_dropped(server: ServerState, tmp_path: Path) -> None:
    """A soft hyphen or zero-width space is invisible on the page: the article, its slug and
    its search text read the words as the reader sees them (vntext.normalize drops them)."""
    [result] = import_sources([f"{server.base}/story/invisibles"], tmp_path, fetcher=fast_fetcher())
    assert result.status == "created", result.error
    assert result.title == "Camera an ninh ở phường Hòa Khánh"
    assert Path(result.path).name == "camera-an-ninh-o-phuong-hoa-khanh.md"
    text = Path(result.path).read_text("utf-8")
    assert "cũng như tổ tự quản" in text and "khu dân cư giữ bình yên" in text
    assert not any(char in text for char in "\u00ad\u200b\u2060\ufeff")


def test_imported_stories_are_drafts_until_an_editor_publishes_them(
    server: ServerState, tmp_path: Path
) -> None:
    """Issue 21: `make import` writes `Status: draft` unless --publish; deleting that line
    publishes the story, and a re-import keeps it published."""
    url = f"{server.base}/story/offset"
    content, output = tmp_path / "content", tmp_path / "output"
    result = run_import(url, "--content", str(content), "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    path = Path(record["path"])
    text = path.read_text("utf-8")
    assert record["draft"] is True and "\nStatus: draft\n" in text
    assert "1 bài lưu thành bản nháp (Status: draft)" in result.stderr
    built = run_pelican(content, output, extra={"SEARCH_INDEX_DIR": str(tmp_path / "index")})
    assert built.returncode == 0, built.stdout + built.stderr
    assert (output / "drafts" / f"{path.stem}.html").is_file()
    assert path.stem not in (output / "index.html").read_text("utf-8")

    published = text.replace("Status: draft\n", "")  # what the editor does
    path.write_text(published, "utf-8")
    again = run_import(url, "--content", str(content), "--json")
    assert (
        json.loads(again.stdout)["status"] == "unchanged" and path.read_text("utf-8") == published
    )
    # The page changes: the update keeps the story published, and is not a hand edit.
    page = tmp_path / "page.html"
    page.write_text(
        STORIES["offset"]
        .replace("<head>", f'<head><link rel="canonical" href="{url}">', 1)
        .replace("trông xe", "giữ xe"),
        "utf-8",
    )
    updated = run_import(str(page), "--content", str(content), "--json")
    assert json.loads(updated.stdout)["status"] == "updated", updated.stderr
    assert "giữ xe" in path.read_text("utf-8") and "Status:" not in path.read_text("utf-8")

    fresh = run_import(url, "--content", str(tmp_path / "other"), "--json", "--publish")
    record = json.loads(fresh.stdout)
    assert record["draft"] is False and "Status:" not in Path(record["path"]).read_text("utf-8")

"""The editors' desk end to end: real Chromium on /admin/ of the built site, a real
decap-server on 127.0.0.1, in a temporary copy of content/ (the repository's content/
is never written). Requests leaving 127.0.0.1 are blocked and recorded."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from PIL import Image

from editor_desk.localserver import decap_server, free_port
from sitebench.browser import serve_directory
from support import ARTIFACTS, ROOT, run_pelican

FIXTURES = ROOT / "tests" / "fixtures" / "desk"
UNUSUAL = "articles/2023/bai-dau-la.md"


@dataclass
class Desk:
    repo: Path
    content: Path
    output: Path
    url: str
    api: str
    outside: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    base = tmp_path_factory.mktemp("desk")
    repo = base / "repo"
    content = repo / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(FIXTURES, content, dirs_exist_ok=True)
    port = free_port()
    api = f"http://127.0.0.1:{port}/api/v1"
    output = base / "output"
    built = run_pelican(
        content, output, extra={"SEARCH_INDEX_DIR": str(base / "index"), "DESK_LOCAL_BACKEND": api}
    )
    assert built.returncode == 0, built.stdout + built.stderr
    with decap_server(repo, port, log=base / "decap-server.log"), serve_directory(output) as url:
        yield Desk(repo, content, output, url, api)


@pytest.fixture
def desk_page(browser, desk: Desk):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    desk.outside.clear()

    def route(request_route) -> None:
        address = request_route.request.url
        if address.startswith(("http://127.0.0.1", "data:", "blob:")):
            request_route.continue_()
        else:
            desk.outside.append(address)
            request_route.abort()

    page.route("**/*", route)
    page.goto(desk.url + "/admin/")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Bài viết").first.wait_for()
    yield page
    context.close()


def field(page, name: str):
    return page.locator(f'[id^="{name}-field-"]').first


def choose(page, name: str, option: str) -> None:
    """Pick an option of a react-select widget (Decap's select)."""
    field(page, name).click()
    page.get_by_text(option, exact=True).last.click()


def body(page):
    """The Markdown editor of the body (raw mode: Decap's plain-text editor)."""
    return (
        page.locator('[aria-label="desk-body field"]')
        .locator('textarea, [contenteditable="true"]')
        .first
    )


def publish(page) -> None:
    page.get_by_role("button", name="Công bố").click()
    try:
        page.get_by_text("Công bố ngay", exact=True).click(timeout=10000)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "desk-publish-failed.png"))
        raise


def test_desk_page_is_offline_vietnamese_and_hidden(desk: Desk, desk_page) -> None:
    page = desk_page
    assert desk.outside == []
    assert page.evaluate("document.documentElement.lang") == "vi"
    html = (desk.output / "admin" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "http" not in html  # no script or style from another host
    assert "Disallow: /admin/" in (desk.output / "robots.txt").read_text(encoding="utf-8")
    assert "/admin/" not in (desk.output / "sitemap.xml").read_text(encoding="utf-8")
    for page_file in desk.output.rglob("*.html"):
        if "admin" not in page_file.parts:
            assert 'href="admin' not in page_file.read_text(encoding="utf-8"), page_file
    config = json.loads(
        (desk.output / "admin" / "config.yml").read_text(encoding="utf-8").split("\n", 1)[1]
    )
    assert config["locale"] == "vi" and config["local_backend"]["url"] == desk.api
    assert page.errors == []


def test_create_story_with_photo(desk: Desk, desk_page, tmp_path: Path) -> None:
    page = desk_page
    photo = tmp_path / "anh-hoi-nghi.jpg"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(photo, "JPEG")
    page.goto(desk.url + "/admin/#/collections/articles/new")
    field(page, "title").fill("Tổ hòa giải ở phường Thủy Xuân")
    field(page, "slug").fill("to-hoa-giai-thuy-xuan")
    field(page, "date").fill("2024-05-06T09:30")
    choose(page, "status", "Đăng")
    field(page, "authors").fill("Nguyễn Thị Hằng, Lê Văn Đức")
    field(page, "category").fill("Tin tức")
    field(page, "summary").fill(
        "Tổ hòa giải ở phường Thủy Xuân giúp bà con giữ gìn an ninh trật tự, "
        "lắp thêm camera an ninh ở các ngõ."
    )
    page.get_by_role("button", name="Chọn một hình").click()
    page.locator('input[type="file"]').set_input_files(str(photo))
    page.get_by_text("anh-hoi-nghi.jpg").first.wait_for()
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    field(page, "image_caption").fill("Hội nghị tổ hòa giải phường Thủy Xuân")
    choose(page, "models", "Camera an ninh")
    field(page, "locality").fill("phường Thủy Xuân")
    field(page, "tags").fill("Hòa giải, Huế")
    body(page).fill("Bài viết có **chữ đậm**.\n\nCamera an ninh đã được lắp.")
    publish(page)
    written = desk.content / "articles" / "2024" / "to-hoa-giai-thuy-xuan.md"
    page.wait_for_timeout(500)
    for _ in range(100):
        if written.exists():
            break
        page.wait_for_timeout(100)
    text = written.read_text(encoding="utf-8")
    assert text.startswith(
        "Title: Tổ hòa giải ở phường Thủy Xuân\n"
        "Slug: to-hoa-giai-thuy-xuan\n"
        "Date: 2024-05-06 09:30+07:00\n"
        "Status: published\n"
        "Authors: Nguyễn Thị Hằng, Lê Văn Đức\n"
        "Category: Tin tức\n"
    ), text
    assert "Image: {static}/images/to-hoa-giai-thuy-xuan/anh-hoi-nghi.jpg\n" in text
    assert "Image_Caption: Hội nghị tổ hòa giải phường Thủy Xuân\n" in text
    assert "Models: Camera an ninh\n" in text and "Locality: phường Thủy Xuân\n" in text
    assert "Tags: Hòa giải, Huế\n" in text
    assert text.endswith("\n\nBài viết có **chữ đậm**.\n\nCamera an ninh đã được lắp.\n")
    assert (desk.content / "images" / "to-hoa-giai-thuy-xuan" / "anh-hoi-nghi.jpg").is_file()
    assert desk.outside == [] and page.errors == []

    # A photo in the body, with its caption, through the body's own button; saved again.
    second = tmp_path / "anh-to-hoa-giai.jpg"
    Image.new("RGB", (64, 48), (30, 120, 60)).save(second, "JPEG")
    page.get_by_text("Mục đã được lưu", exact=False).first.wait_for()
    page.wait_for_timeout(1000)
    before = written.stat().st_mtime_ns
    page.once("dialog", lambda dialog: dialog.accept("Tổ hòa giải họp ở nhà văn hóa"))
    page.locator("[data-desk-photo]").click()
    page.locator('input[type="file"]').set_input_files(str(second))
    page.get_by_text("anh-to-hoa-giai.jpg").first.wait_for()
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    page.wait_for_timeout(500)
    publish(page)
    wait_for_write(written, before, page)
    text = written.read_text(encoding="utf-8")
    assert text.endswith(
        "Camera an ninh đã được lắp.\n\n<figure>\n"
        '<img src="{static}/images/to-hoa-giai-thuy-xuan/anh-to-hoa-giai.jpg" alt="Tổ hòa giải họp ở nhà văn hóa">\n'
        "<figcaption>Tổ hòa giải họp ở nhà văn hóa</figcaption>\n</figure>\n"
    ), text
    assert (desk.content / "images" / "to-hoa-giai-thuy-xuan" / "anh-to-hoa-giai.jpg").is_file()

    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_content.py"), str(written)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    output, index = desk.repo / "out2", desk.repo / "index2"
    built = run_pelican(desk.content, output, extra={"SEARCH_INDEX_DIR": str(index)})
    assert built.returncode == 0, built.stdout + built.stderr
    story = (output / "2024" / "to-hoa-giai-thuy-xuan" / "index.html").read_text(encoding="utf-8")
    assert "Nguyễn Thị Hằng" in story and "Lê Văn Đức" in story
    assert "<figcaption>Tổ hòa giải họp ở nhà văn hóa</figcaption>" in story
    found = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "search.py"),
            "--index",
            str(index),
            "--json",
            "to hoa giai thuy xuan",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert found.returncode == 0, found.stderr
    urls = [hit["url"] for hit in json.loads(found.stdout)["results"]]
    assert any("to-hoa-giai-thuy-xuan" in url for url in urls), urls
    with serve_directory(output) as site:  # and by the site's search page, in the browser
        page.goto(f"{site}/search.html?q={quote('to hoa giai thuy xuan')}")
        page.locator('#search-results a[href*="to-hoa-giai-thuy-xuan"]').first.wait_for()


def wait_for_write(path: Path, before: float, page) -> None:
    """Wait until `path` was written and its write has finished: decap-server writes in
    place (Node's fs.writeFile truncates, then writes), so a read just after the new
    mtime can meet an empty or partial file."""
    seen = None
    for _ in range(100):
        if path.stat().st_mtime_ns != before:
            now = path.read_bytes()
            if now and now == seen:
                return
            seen = now
        page.wait_for_timeout(100)
    raise AssertionError(f"{path} was not written")


def test_hand_edited_file_keeps_its_bytes(desk: Desk, desk_page) -> None:
    """Decap saves only a changed entry: add a field, save, take it out, save. The first
    save changes one line only; after the second the file is byte for byte the original
    (odd spacing, `---` markers, an unknown field, a continuation line, key spellings)."""
    page = desk_page
    path = desk.content / UNUSUAL
    original = path.read_bytes()
    page.goto(desk.url + "/admin/#/collections/articles/entries/2023/bai-dau-la")
    field(page, "title").wait_for()
    assert field(page, "title").input_value() == "Bài có phần đầu   lạ"
    before = path.stat().st_mtime_ns
    field(page, "locality").fill("phường Thuận Hòa")
    publish(page)
    wait_for_write(path, before, page)
    header, marker, body = original.decode("utf-8").rpartition("\n---\n")
    assert (
        path.read_text(encoding="utf-8") == header + "\nLocality: phường Thuận Hòa" + marker + body
    )
    before = path.stat().st_mtime_ns
    # Decap reloads the saved entry into the form after its "published" notice.
    # Decap reloads the saved entry into a new form after its "saved" notice.
    page.get_by_text("Mục đã được lưu", exact=False).first.wait_for()
    page.wait_for_timeout(1000)
    locality = field(page, "locality")
    locality.click()
    locality.press("Control+a")
    locality.press("Backspace")
    page.wait_for_timeout(300)
    assert field(page, "locality").input_value() == ""
    publish(page)
    wait_for_write(path, before, page)
    assert path.read_bytes() == original
    assert page.errors == [] and desk.outside == []


def test_edit_model_page(desk: Desk, desk_page) -> None:
    page = desk_page
    path = desk.content / "models" / "camera-an-ninh.md"
    original = path.read_text(encoding="utf-8")
    before = path.stat().st_mtime_ns
    page.goto(desk.url + "/admin/#/collections/models/entries/camera-an-ninh")
    field(page, "aliases").wait_for()
    field(page, "aliases").fill("Camera giám sát an ninh")
    publish(page)
    wait_for_write(path, before, page)
    text = path.read_text(encoding="utf-8")
    header, _, body = original.partition("\n\n")
    assert text == header + "\nAliases: Camera giám sát an ninh\n\n" + body
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_content.py"), str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert check.returncode == 0, check.stdout


REFUSED = """Title: Bài bị từ chối
Date: 03/08/2023
Author: Hà Thu
Category: Tin tức
Slug: bai-bi-tu-choi
Summary: Một bài có ngày viết sai, một mô hình không có trong danh mục và một thẻ script.
Models: Mô hình không có thật

Nội dung.

<script>alert(1)</script>
"""


def test_form_refuses_what_make_check_refuses(desk: Desk, desk_page) -> None:
    page = desk_page
    path = desk.content / "articles" / "2023" / "bai-bi-tu-choi.md"
    path.write_text(REFUSED, encoding="utf-8")
    before = path.stat().st_mtime_ns
    page.goto(desk.url + "/admin/#/collections/articles/entries/2023/bai-bi-tu-choi")
    field(page, "title").wait_for()
    field(page, "category").fill("Thời sự")
    publish(page)
    for message in (
        "Date không đúng dạng NĂM-THÁNG-NGÀY GIỜ:PHÚT: “03/08/2023”",
        "Mô hình “Mô hình không có thật” không có trong danh mục mô hình",
        "Có thẻ HTML <script> (chạy mã hoặc nhúng trang khác)",
    ):
        page.get_by_text(message, exact=False).first.wait_for(timeout=10000)
    page.wait_for_timeout(1000)
    assert path.stat().st_mtime_ns == before and path.read_text(encoding="utf-8") == REFUSED
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_content.py"), str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    for message in (
        "Date không đúng dạng",
        "Mô hình “Mô hình không có thật”",
        "Có thẻ HTML <script>",
    ):
        assert message in check.stdout  # the same words as `make check`
    path.unlink()


def test_new_story_with_script_is_not_written(desk: Desk, desk_page) -> None:
    page = desk_page
    page.goto(desk.url + "/admin/#/collections/articles/new")
    field(page, "title").fill("Bài có mã độc")
    field(page, "slug").fill("bai-co-ma-doc")
    field(page, "date").fill("2024-05-06T09:30")
    field(page, "authors").fill("Hà Thu")
    field(page, "category").fill("Tin tức")
    field(page, "summary").fill(
        "Một bài có thẻ script trong nội dung, bàn biên tập phải từ chối lưu."
    )
    body(page).fill('Ảnh <img src="x" onerror="alert(1)">\n\n[bấm](javascript:alert(1))')
    publish(page)
    page.get_by_text("Có thuộc tính sự kiện onerror=… trong thẻ HTML", exact=False).first.wait_for(
        timeout=10000
    )
    page.get_by_text("Có đường dẫn javascript:", exact=False).first.wait_for()
    page.wait_for_timeout(1000)
    assert not list(desk.content.rglob("bai-co-ma-doc.md"))


def test_preview_is_laid_out_like_a_story_with_the_site_css(desk: Desk, desk_page) -> None:
    page = desk_page
    page.goto(desk.url + "/admin/#/collections/articles/entries/2023/bam-co-so-xay-dung-phong-trao")
    frame = page.frame_locator("iframe").first
    frame.locator("article.story h1").wait_for()
    assert frame.locator("article.story h1").inner_text() == "Bám cơ sở, xây dựng phong trào"
    assert frame.locator("p.meta time").inner_text() == "Thứ Năm, 03/08/2023 08:57"
    assert frame.locator("div.lede").inner_text().startswith("Xác định công tác bảo vệ an ninh")
    badges = frame.locator("a.model-badge")
    assert (
        badges.count() == 10 and badges.first.get_attribute("href") == "../mo-hinh/camera-an-ninh/"
    )
    assert frame.locator(".story-body h2").first.inner_text() == "Từ những mô hình điển hình"
    # The site's own stylesheet, applied: the body text uses the site's font stack.
    sheets = frame.locator("link[rel=stylesheet]").evaluate_all("links => links.map(l => l.href)")
    assert any(href.endswith("/theme/css/site.css") for href in sheets), sheets
    site_css = (desk.output / "theme" / "css" / "site.css").read_text(encoding="utf-8")
    family = frame.locator("article.story h1").evaluate("e => getComputedStyle(e).fontFamily")
    # The heading face the site's CSS declares (its stack goes through CSS variables).
    first = family.split(",")[0].strip()
    assert first == '"Be Vietnam Pro Web"' and first in site_css, family
    live = page.get_by_role("link", name="Xem bản hoàn chỉnh").get_attribute("href")
    assert live == desk.url + "/2023/bam-co-so-xay-dung-phong-trao/"  # ARTICLE_URL, for the site
    field(page, "title").fill("Tiêu đề đổi ngay trong khung xem trước")
    frame.get_by_text("Tiêu đề đổi ngay trong khung xem trước").wait_for(timeout=2000)  # no build
    # Co-authors share one byline, as on the site ("Tác giả: A, B"), not one per author.
    field(page, "authors").fill("Bá Đô, Quỳnh Trang")
    frame.get_by_text("Tác giả: Bá Đô, Quỳnh Trang").wait_for(timeout=2000)
    assert frame.locator("p.meta .byline").count() == 1
    assert desk.outside == [] and page.errors == []


def test_servers_listen_on_loopback_only(desk: Desk) -> None:
    import socket

    port = int(desk.api.split(":")[2].split("/")[0])
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent: this only picks an address
            address = probe.getsockname()[0]
        except OSError:
            address = "127.0.0.1"
    if address.startswith("127."):
        pytest.skip("this machine has no address but the loopback")
    with pytest.raises(OSError), socket.create_connection((address, port), timeout=2):
        pass


def test_make_edit_refuses_a_public_address() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "edit.py"), "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 2
    assert "chỉ chạy trên 127.0.0.1" in done.stderr and "Traceback" not in done.stderr


CUT_SHORT = """Title: Phần đầu bị cắt
Date: 2023-08-03 08:57+07:00
Tags Phong trào
Author: Hà Thu

Nội dung.
"""


def test_file_with_a_broken_header_opens_with_its_line_and_is_not_saved(
    desk: Desk, desk_page
) -> None:
    page = desk_page
    path = desk.content / "articles" / "2023" / "phan-dau-bi-cat.md"
    path.write_text(CUT_SHORT, encoding="utf-8")
    page.goto(desk.url + "/admin/#/collections/articles/entries/2023/phan-dau-bi-cat")
    notice = page.locator("[data-desk-notice]")
    notice.wait_for()
    assert notice.inner_text().startswith(
        "Dòng 3: “Tags Phong trào” không phải dạng “Tên: giá trị”"
    )
    assert field(page, "title").input_value() == "Phần đầu bị cắt"
    assert body(page).inner_text().startswith("Tags Phong trào\nAuthor: Hà Thu")  # nothing dropped
    field(page, "category").fill("Tin tức")
    field(page, "slug").fill("phan-dau-bi-cat")
    field(page, "summary").fill("Phần đầu của tệp này bị cắt ngang bởi một dòng không đúng dạng.")
    publish(page)
    page.get_by_text("Không thể giữ lại mục", exact=False).first.wait_for(timeout=10000)
    assert (
        page.get_by_text("Dòng 3: “Tags Phong trào”", exact=False).count() == 2
    )  # notice, refusal
    page.wait_for_timeout(1000)
    assert path.read_text(encoding="utf-8") == CUT_SHORT
    path.unlink()

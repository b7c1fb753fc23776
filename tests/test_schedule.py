"""Drafts and scheduled stories (plugins/schedule), through real builds with the site's
settings and a fixed "now" (SITE_BUILD_NOW): a publish build leaves no trace of a draft or
of a story dated after "now" anywhere in the output or the search index; once "now" passes
the story's date it is published; a development build shows both as marked previews."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from support import ROOT
from support.search import search_urls as search

NOW_BEFORE = "2026-03-01 08:00+07:00"  # the future story is still future
NOW_AFTER = "2026-03-10 08:00+07:00"  # it has gone live
DRAFT_WORD, FUTURE_WORD, PAGE_WORD = "quaxinhap", "quaxitlai", "quaxitrang"

DRAFT = f"""\
Title: Bản nháp {DRAFT_WORD} chưa duyệt
Date: 2026-02-01 08:00+07:00
Author: Người viết {DRAFT_WORD}
Authors: Người viết {DRAFT_WORD}
Category: Chuyên mục {DRAFT_WORD}
Slug: ban-nhap-{DRAFT_WORD}
Status: draft
Summary: Sapo của bản nháp {DRAFT_WORD}, chưa ai duyệt, không được lên trang công khai.
Image: {{static}}/images/ban-nhap-{DRAFT_WORD}/anh.jpg
Image_Caption: Ảnh của bản nháp {DRAFT_WORD}
Models: Camera an ninh
Tags: Thẻ {DRAFT_WORD}

Xã Phú Mỹ lắp 12 mắt camera an ninh. Nội dung nháp {DRAFT_WORD} ở phường Phú Hội.

![Ảnh thân bài {DRAFT_WORD}]({{static}}/images/ban-nhap-{DRAFT_WORD}/anh.jpg)
"""

FUTURE = f"""\
Title: Tin hẹn giờ {FUTURE_WORD}
Date: 2026-03-05 07:30+07:00
Author: Phóng viên {FUTURE_WORD}
Category: Chuyên mục {FUTURE_WORD}
Slug: hen-gio-{FUTURE_WORD}
Summary: Sapo của tin hẹn giờ {FUTURE_WORD}, chỉ lên trang sau ngày 05/03/2026.
Image: {{static}}/images/hen-gio-{FUTURE_WORD}/anh.jpg
Image_Caption: Ảnh tin hẹn giờ {FUTURE_WORD}
Models: Camera an ninh; Dòng họ tự quản
Tags: Thẻ {FUTURE_WORD}, Phong trào TDBVANTQ

Xã Hương Trà có 30 dòng họ tự quản. Nội dung hẹn giờ {FUTURE_WORD} ở xã Hương Vinh.

![Ảnh thân bài {FUTURE_WORD}]({{static}}/images/hen-gio-{FUTURE_WORD}/anh.jpg)
"""

DRAFT_PAGE = f"""\
Title: Trang nháp {PAGE_WORD}
Slug: trang-nhap-{PAGE_WORD}
Status: draft

Nội dung trang nháp {PAGE_WORD}.
"""


def make_content(folder: Path) -> Path:
    """The site's own content plus a draft, a future story and a draft page, with photos."""
    shutil.copytree(ROOT / "content", folder)
    articles = folder / "articles" / "2026"
    articles.mkdir(parents=True)
    (articles / f"ban-nhap-{DRAFT_WORD}.md").write_text(DRAFT, encoding="utf-8")
    (articles / f"hen-gio-{FUTURE_WORD}.md").write_text(FUTURE, encoding="utf-8")
    (folder / "pages" / f"trang-nhap-{PAGE_WORD}.md").write_text(DRAFT_PAGE, encoding="utf-8")
    # An imported story without a date is saved as a draft without Date:.
    (articles / f"khong-ngay-{DRAFT_WORD}.md").write_text(
        f"Title: Nháp không ngày {DRAFT_WORD}\nStatus: draft\nSlug: khong-ngay-{DRAFT_WORD}\n\n"
        f"Nội dung {DRAFT_WORD}.\n",
        encoding="utf-8",
    )
    for slug in (f"ban-nhap-{DRAFT_WORD}", f"hen-gio-{FUTURE_WORD}"):
        photos = folder / "images" / slug
        photos.mkdir(parents=True)
        Image.new("RGB", (900, 600), (30, 90, 160)).save(photos / "anh.jpg", quality=80)
    return folder


def build(content: Path, base: Path, settings: str, now: str) -> tuple[Path, Path]:
    """Build `content` like `make publish`/`make html` with SITE_BUILD_NOW=`now`."""
    output, index = base / "output", base / "index"
    overrides = {
        "SEARCH_INDEX_DIR": str(index),
        "CACHE_PATH": str(base / "cache"),
        "SEARCH_INDEX_BACKGROUND": False,
    }
    cmd = [
        sys.executable,
        str(ROOT / "scripts" / "build.py"),
        str(content),
        "-o",
        str(output),
        "-s",
        str(ROOT / settings),
        "-e",
        *(f"{k}={json.dumps(v)}" for k, v in overrides.items()),
    ]
    env = {**os.environ, "SITE_BUILD_NOW": now, "SITEURL": "https://example.org"}
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-4000:]
    return output, index


def traces(folder: Path, word: str) -> list[str]:
    """Every file under `folder` whose name or (gunzipped) bytes hold `word`."""
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if word in path.as_posix() or word.encode() in data:
            found.append(path.relative_to(folder).as_posix())
    return found


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_content(tmp_path_factory.mktemp("schedule") / "content")


@pytest.fixture(scope="module")
def published_before(content: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build(content, tmp_path_factory.mktemp("before"), "publishconf.py", NOW_BEFORE)


def test_publish_build_leaves_no_trace_of_drafts_and_future_stories(published_before) -> None:
    output, index = published_before
    # The build worked and the published story is everywhere (the checks below can fail).
    assert (output / "2023" / "bam-co-so-xay-dung-phong-trao" / "index.html").is_file()
    assert "bam-co-so-xay-dung-phong-trao" in (output / "sitemap.xml").read_text(encoding="utf-8")
    assert search(index, "bám cơ sở xây dựng phong trào")
    for word in (DRAFT_WORD, FUTURE_WORD, PAGE_WORD):
        assert traces(output, word) == [], f"{word} leaked into the published site"
        assert traces(index, word) == [], f"{word} leaked into the search index"
        assert search(index, word) == []
    assert not (output / "drafts").exists()
    # Share cards are named by a hash: each one drawn must be one a published page shows.
    pages = "".join(path.read_text(encoding="utf-8") for path in output.rglob("*.html"))
    cards = sorted((output / "share").iterdir())
    assert cards and all(f"share/{card.name}" in pages for card in cards)


def test_future_story_goes_live_once_now_passes_its_date(content, tmp_path) -> None:
    output, index = build(content, tmp_path, "publishconf.py", NOW_AFTER)
    page = output / "2026" / f"hen-gio-{FUTURE_WORD}" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert f"Tin hẹn giờ {FUTURE_WORD}" in html and "chưa xuất bản" not in html
    assert "noindex" not in html
    home = (output / "index.html").read_text(encoding="utf-8")
    assert f"hen-gio-{FUTURE_WORD}" in home
    for listing in (
        "sitemap.xml",
        "feeds/all.atom.xml",
        f"chu-de/the-{FUTURE_WORD}/index.html",
        "mo-hinh/camera-an-ninh/index.html",
        f"tac-gia/phong-vien-{FUTURE_WORD}/index.html",
        f"images/hen-gio-{FUTURE_WORD}/anh.jpg",
    ):
        assert (output / listing).is_file(), listing
    assert f"hen-gio-{FUTURE_WORD}" in (output / "sitemap.xml").read_text(encoding="utf-8")
    assert f"hen-gio-{FUTURE_WORD}" in (output / "mo-hinh/camera-an-ninh/index.html").read_text(
        encoding="utf-8"
    )
    assert search(index, FUTURE_WORD) == [f"2026/hen-gio-{FUTURE_WORD}/"]
    # The draft stays out, whatever the time.
    assert traces(output, DRAFT_WORD) == [] and traces(output, PAGE_WORD) == []


def test_development_build_previews_them_marked(content, tmp_path) -> None:
    output, index = build(content, tmp_path, "pelicanconf.py", NOW_BEFORE)
    draft = (output / "drafts" / f"ban-nhap-{DRAFT_WORD}.html").read_text(encoding="utf-8")
    future = (output / "drafts" / f"hen-gio-{FUTURE_WORD}.html").read_text(encoding="utf-8")
    page = (output / "drafts" / "pages" / f"trang-nhap-{PAGE_WORD}.html").read_text(
        encoding="utf-8"
    )
    assert "Bản nháp — chưa xuất bản" in draft and "Bản nháp — chưa xuất bản" in page
    assert 'Hẹn giờ đăng: <time datetime="2026-03-05T07:30:00+07:00">' in future
    # The editor finds them all on one page, linked to their previews.
    listing = (output / "drafts" / "index.html").read_text(encoding="utf-8")
    assert "Bài chưa xuất bản" in listing and 'content="noindex, nofollow"' in listing
    for href in (
        f"ban-nhap-{DRAFT_WORD}.html",
        f"hen-gio-{FUTURE_WORD}.html",
        f"khong-ngay-{DRAFT_WORD}.html",
        f"pages/trang-nhap-{PAGE_WORD}.html",
    ):
        assert f'href="../drafts/{href}"' in listing, href
    assert "Hẹn giờ đăng: <time" in listing
    undated = (output / "drafts" / f"khong-ngay-{DRAFT_WORD}.html").read_text(encoding="utf-8")
    assert "Bản nháp — chưa xuất bản" in undated and "Chưa có ngày đăng" in undated
    assert "31/12/9999" not in undated and "9999-" not in undated  # JSON-LD, OpenGraph too
    for html in (draft, future, page, undated):
        assert '<meta name="robots" content="noindex, nofollow">' in html
    # Out of the lists, the feeds, the sitemap and the search: the site as readers will see it.
    for listing in (
        "index.html",
        "feeds/all.atom.xml",
        "sitemap.xml",
        "luu-tru/index.html",
        "mo-hinh/camera-an-ninh/index.html",
        "2023/bam-co-so-xay-dung-phong-trao/index.html",
    ):
        text = (output / listing).read_text(encoding="utf-8")
        assert DRAFT_WORD not in text and FUTURE_WORD not in text, listing
    assert search(index, FUTURE_WORD) == [] and search(index, DRAFT_WORD) == []
    published = (output / "2023" / "bam-co-so-xay-dung-phong-trao" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "chưa xuất bản" not in published and "noindex" not in published


def test_a_bad_now_stops_the_build_with_one_line(content, tmp_path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-o",
        str(tmp_path / "out"),
        "-s",
        str(ROOT / "publishconf.py"),
        "-e",
        f'SEARCH_INDEX_DIR="{tmp_path / "index"}"',
    ]
    env = {**os.environ, "SITE_BUILD_NOW": "05/03/2026", "COLUMNS": "500"}
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode != 0
    log = done.stdout + done.stderr
    assert "SITE_BUILD_NOW '05/03/2026' is not an ISO 8601 date" in log
    assert "Traceback" not in log


def test_a_published_link_to_a_draft_stops_the_publish_build(content, tmp_path) -> None:
    """Pelican would publish it as a literal `{filename}/…` address, naming the draft."""
    linking = tmp_path / "content"
    shutil.copytree(content, linking)
    story = linking / "articles" / "2026" / "dan-link.md"
    story.write_text(
        "Title: Tin có liên kết\nDate: 2026-02-02 08:00+07:00\nSlug: dan-link\n\n"
        f"Xem [bài kia]({{filename}}/articles/2026/ban-nhap-{DRAFT_WORD}.md).\n",
        encoding="utf-8",
    )
    cmd = [
        sys.executable,
        str(ROOT / "scripts" / "build.py"),
        str(linking),
        "-o",
        str(tmp_path / "out"),
        "-s",
        str(ROOT / "publishconf.py"),
        "-e",
        f'SEARCH_INDEX_DIR="{tmp_path / "index"}"',
        f'CACHE_PATH="{tmp_path / "cache"}"',
    ]
    env = {**os.environ, "SITE_BUILD_NOW": NOW_BEFORE}
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 1
    assert (
        f"ERROR: {story}:5: Bài hoặc trang được dẫn tới chưa xuất bản (bản nháp hoặc hẹn giờ"
        f" đăng): {{filename}}/articles/2026/ban-nhap-{DRAFT_WORD}.md — "
    ) in done.stderr
    assert "Traceback" not in done.stderr
    # make check reports it in the same words (contentcheck.link_rules.links_to_unpublished).
    checked = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_content.py"), str(story)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 1
    line = next(line for line in checked.stdout.splitlines() if line.startswith(f"{story}:5:"))
    assert f"ERROR: {line}" in done.stderr.splitlines()
    # The development build previews the link, to the draft's preview.
    output, _ = build(linking, tmp_path / "dev", "pelicanconf.py", NOW_BEFORE)
    html = (output / "2026" / "dan-link" / "index.html").read_text(encoding="utf-8")
    assert f"drafts/ban-nhap-{DRAFT_WORD}.html" in html

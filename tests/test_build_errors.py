"""Build behaviour: broken metadata stops the build, output/ is replaced only on
success, and Pelican's own command line works on any content folder."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT, run_pelican
from support.pausable_build import wait_for_removals

GOOD_ARTICLE = """\
Title: Tin thử nghiệm
Date: 2024-05-06 07:30+07:00
Author: Ban biên tập
Category: Tin tức
Slug: tin-thu-nghiem
Summary: Một bài ngắn để kiểm tra việc dựng trang.

Nội dung bài thử nghiệm.
"""

# name -> (file text, what the error message must say besides the file name)
BROKEN = {
    "bad-date": (
        "Title: Ngày sai\nDate: 2023-13-45 08:57\n\nNội dung.\n",
        "Date không đúng dạng NĂM-THÁNG-NGÀY GIỜ:PHÚT: “2023-13-45 08:57”",
    ),
    "day-first-date": (
        "Title: Ngày kiểu cũ\nDate: 03/08/2023\n\nNội dung.\n",
        "Date không đúng dạng NĂM-THÁNG-NGÀY GIỜ:PHÚT: “03/08/2023”",
    ),
    "empty-title": ("Title:\nDate: 2023-08-03 08:57\n\nNội dung.\n", "Title is empty"),
    "missing-title": ("Date: 2023-08-03 08:57\nAuthor: Phong Anh\n\nNội dung.\n", "missing Title"),
    "unparseable-header": (
        "Title: Dòng tiêu đề hỏng\nDate 2023-08-03 08:57\nAuthor: Phong Anh\n\nNội dung.\n",
        "header line is not 'Key: value'",
    ),
    # Pelican alone builds this one, silently moving "Tags ..." and "Summary: ..." into the body.
    "header-cut-short": (
        "Title: Thẻ hỏng\nDate: 2023-08-03 08:57\nTags Phong trào\nSummary: Tóm tắt.\n\nNội dung.\n",
        "header line is not 'Key: value': 'Tags Phong trào'",
    ),
    "missing-image": (
        "Title: Ảnh thiếu\nDate: 2023-08-03 08:57\nImage: {static}/images/khong-co.jpg\n\nNội dung.\n",
        "Ảnh hoặc tệp được dẫn tới không tồn tại: {static}/images/khong-co.jpg",  # make check's words
    ),
}


def make_content(folder: Path, broken: str | None = None) -> Path:
    articles = folder / "articles" / "2024"
    articles.mkdir(parents=True)
    (articles / "tin-thu-nghiem.md").write_text(GOOD_ARTICLE, encoding="utf-8")
    if broken:
        (articles / f"{broken}.md").write_text(BROKEN[broken][0], encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file under `folder` with its mtime and content hash."""
    return {
        path.relative_to(folder).as_posix(): (
            path.stat().st_mtime_ns,
            hashlib.sha256(path.read_bytes()).hexdigest(),
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def previous_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A successful build of the small good content: the output a failed build must keep."""
    base = tmp_path_factory.mktemp("previous")
    content = make_content(base / "content")
    output = base / "site" / "output"
    result = run_pelican(
        content, output, extra={"SEARCH_INDEX_DIR": str(base / "index")}, atomic=True
    )
    assert result.returncode == 0, result.stderr
    assert (output / "2024" / "tin-thu-nghiem" / "index.html").is_file()
    return output


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_article_fails_the_build_and_keeps_output(
    kind: str, previous_build: Path, tmp_path: Path
) -> None:
    content = make_content(tmp_path / "content", broken=kind)
    before = snapshot(previous_build)
    result = run_pelican(
        content, previous_build, extra={"SEARCH_INDEX_DIR": str(tmp_path / "index")}, atomic=True
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0
    error_lines = [line for line in result.stderr.splitlines() if f"{kind}.md" in line]
    assert any(BROKEN[kind][1] in line for line in error_lines), result.stderr
    assert "Traceback" not in log
    assert snapshot(previous_build) == before
    leftovers = [p.name for p in previous_build.parent.iterdir() if p.name != "output"]
    assert leftovers == []


def test_failed_publish_build_keeps_output(previous_build: Path, tmp_path: Path) -> None:
    """publishconf.py sets DELETE_OUTPUT_DIRECTORY; the staging folder protects output/."""
    content = make_content(tmp_path / "content", broken="bad-date")
    before = snapshot(previous_build)
    result = run_pelican(
        content,
        previous_build,
        settings="publishconf.py",
        extra={"SEARCH_INDEX_DIR": str(tmp_path / "index")},
        atomic=True,
    )
    assert result.returncode != 0
    assert "bad-date.md" in result.stderr
    assert snapshot(previous_build) == before


def test_plain_pelican_fails_on_broken_article(tmp_path: Path) -> None:
    """The strict_content plugin alone makes `pelican` exit non-zero, naming the file."""
    content = make_content(tmp_path / "content", broken="missing-title")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(content),
            "-o",
            str(tmp_path / "out"),
            "-s",
            str(ROOT / "pelicanconf.py"),
            "--log-handler",
            "plain",
            "-e",
            f'SEARCH_INDEX_DIR="{tmp_path / "index"}"',
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert any("missing-title.md" in line and "missing Title" in line for line in log.splitlines())
    assert "Traceback" not in log


def test_plain_pelican_builds_any_content_folder(tmp_path: Path) -> None:
    """`pelican SOMEDIR -s pelicanconf.py -o OUTDIR`, as the benchmarks build corpora."""
    content = make_content(tmp_path / "corpus")
    output = tmp_path / "out"
    result = run_pelican(content, output, extra={"SEARCH_INDEX_DIR": str(tmp_path / "index")})
    assert result.returncode == 0, result.stderr
    page = (output / "2024" / "tin-thu-nghiem" / "index.html").read_text(encoding="utf-8")
    assert "Tin thử nghiệm" in page
    assert "Thứ Hai, 06/05/2024 07:30" in page
    assert (tmp_path / "index").is_dir()
    assert not (ROOT / "content" / "articles" / "2024" / "tin-thu-nghiem.md").exists()


def test_extra_settings_override_through_build_script(tmp_path: Path) -> None:
    content = make_content(tmp_path / "content")
    output = tmp_path / "output"
    result = run_pelican(
        content,
        output,
        extra={
            "SITENAME": "Trang thử cấu hình",
            "SITEURL": "https://thu.example.org",
            "RELATIVE_URLS": False,
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        },
        atomic=True,
    )
    assert result.returncode == 0, result.stderr
    home = (output / "index.html").read_text(encoding="utf-8")
    assert "<title>Trang thử cấu hình</title>" in home
    assert 'href="https://thu.example.org/2024/tin-thu-nghiem/"' in home


def test_successful_build_replaces_output(previous_build: Path, tmp_path: Path) -> None:
    output = tmp_path / "site" / "output"
    shutil.copytree(previous_build, output)
    (output / "stale.html").write_text("old", encoding="utf-8")
    content = make_content(tmp_path / "content")
    (content / "articles" / "2024" / "tin-thu-nghiem.md").write_text(
        GOOD_ARTICLE.replace("Tin thử nghiệm", "Tin đã sửa"), encoding="utf-8"
    )
    result = run_pelican(
        content, output, extra={"SEARCH_INDEX_DIR": str(tmp_path / "index")}, atomic=True
    )
    assert result.returncode == 0, result.stderr
    assert not (output / "stale.html").exists()
    assert "Tin đã sửa" in (output / "2024" / "tin-thu-nghiem" / "index.html").read_text("utf-8")
    wait_for_removals(output)  # the replaced site, removed in the background
    assert [p.name for p in output.parent.iterdir()] == ["output"]


def test_build_script_refuses_server_flags(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "build.py"),
            "content",
            "-o",
            str(tmp_path / "o"),
            "--autoreload",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "make serve" in result.stderr
    assert not (tmp_path / "o").exists()


def test_draft_without_date_still_builds(tmp_path: Path) -> None:
    """Pelican allows drafts without a date; the strict checks must not refuse them."""
    content = make_content(tmp_path / "content")
    (content / "articles" / "nhap.md").write_text(
        "Title: Bản nháp\nStatus: draft\n\nNội dung nháp.\n", encoding="utf-8"
    )
    result = run_pelican(
        content,
        tmp_path / "output",
        extra={"SEARCH_INDEX_DIR": str(tmp_path / "index")},
        atomic=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output" / "drafts" / "nhap.html").is_file()


@pytest.mark.parametrize("background", [True, False])
def test_unwritable_search_index_folder_is_one_line_naming_it(
    tmp_path: Path, background: bool
) -> None:
    """The index's folder is a file: one line naming it, in the background process or not."""
    content = make_content(tmp_path / "content")
    blocker = tmp_path / "search-index"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run_pelican(
        content,
        tmp_path / "output",
        atomic=True,
        extra={
            "SEARCH_INDEX_DIR": str(blocker),
            "SEARCH_INDEX_BACKGROUND": background,
        },
    )
    assert result.returncode == 1
    assert f"search index: [Errno 17] File exists: '{blocker}'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("flag", "shown"), [("-v", True), (None, False)])
def test_build_script_verbosity_reaches_plugins(
    tmp_path: Path, flag: str | None, shown: bool
) -> None:
    """`make html PELICANOPTS=-v` shows what the plugins report, as `pelican -v` does."""
    content = make_content(tmp_path / "content")
    cmd = [
        sys.executable,
        str(ROOT / "scripts" / "build.py"),
        str(content),
        "-o",
        str(tmp_path / "o"),
        "-s",
        str(ROOT / "pelicanconf.py"),
        "-e",
        f'SEARCH_INDEX_DIR="{tmp_path / "index"}"',
    ]
    result = subprocess.run(
        cmd + ([flag] if flag else []), cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    reports = {"INFO: search index " + str(tmp_path / "index"), "INFO: static search "}
    plugin_lines = [line for line in result.stderr.splitlines() if line.startswith(tuple(reports))]
    assert len(plugin_lines) == (2 if shown else 0), result.stderr
    assert ("INFO:" in result.stderr) == shown

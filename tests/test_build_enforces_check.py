"""The build stops on what `make check` stops on, in its words: a broken internal link, an
unknown model name, a photo that does not exist and active markup make `make html` (and
`make publish`) exit 1 with the very `path:line: problem — fix` line the checker prints,
and no traceback (plugins/strict_content runs contentcheck's own rules)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT

HEADER = """\
Title: Bài có lỗi
Date: 2024-05-06 07:30+07:00
Author: Ban biên tập
Category: Tin tức
Slug: bai-co-loi
Summary: Một bài ngắn để kiểm tra rằng việc dựng trang dừng lại như make check.
"""
# case -> (extra header lines, body)
CASES = {
    "broken-link": ("", "Xem thêm [bài khác]({filename}/articles/2023/khong-co.md).\n"),
    "unknown-model": ("Models: Camera an nih\n", "Nội dung.\n"),
    "missing-body-photo": (
        "",
        "Nội dung.\n\n![Ảnh trong bài]({static}/images/bai-co-loi/khong-co.jpg)\n",
    ),
    "missing-lead-photo": (
        "Image: {static}/images/bai-co-loi/khong-co.jpg\nImage_Caption: Ảnh\n",
        "Nội dung.\n",
    ),
    "active-markup": ("", "Nội dung.\n\n<script>alert(1)</script>\n"),
    "bad-date": ("Modified: 2024-13-45 08:00+07:00\n", "Nội dung.\n"),
}


def make_content(folder: Path, case: str) -> Path:
    shutil.copytree(ROOT / "content" / "models", folder / "models")
    shutil.copytree(ROOT / "content" / "data", folder / "data")
    articles = folder / "articles" / "2024"
    articles.mkdir(parents=True)
    extra, body = CASES[case]
    (articles / "bai-co-loi.md").write_text(HEADER + extra + "\n" + body, encoding="utf-8")
    return folder


def build(
    content: Path, base: Path, settings: str = "pelicanconf.py"
) -> subprocess.CompletedProcess:
    """scripts/build.py as `make html` / `make publish` run it."""
    overrides = {"SEARCH_INDEX_DIR": str(base / "index"), "CACHE_PATH": str(base / "cache")}
    cmd = [
        sys.executable,
        str(ROOT / "scripts" / "build.py"),
        str(content),
        "-o",
        str(base / "out"),
        "-s",
        str(ROOT / settings),
        "-e",
        *(f"{k}={json.dumps(v)}" for k, v in overrides.items()),
    ]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


def check(content: Path) -> list[str]:
    """The error lines `make check` prints for the content folder."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_content.py"), str(content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout
    errors = done.stdout.split("CẢNH BÁO")[0]
    return [line for line in errors.splitlines() if "bai-co-loi.md:" in line]


@pytest.mark.parametrize("case", sorted(CASES))
def test_make_html_fails_with_make_checks_message(tmp_path: Path, case: str) -> None:
    content = make_content(tmp_path / "content", case)
    expected = check(content)
    assert len(expected) == 1, expected
    done = build(content, tmp_path)
    assert done.returncode == 1, done.stderr
    assert f"ERROR: {expected[0]}" in done.stderr.splitlines(), done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "out").exists()


def test_make_publish_fails_the_same_way(tmp_path: Path) -> None:
    content = make_content(tmp_path / "content", "missing-body-photo")
    expected = check(content)
    done = build(content, tmp_path, "publishconf.py")
    assert done.returncode == 1
    assert f"ERROR: {expected[0]}" in done.stderr.splitlines(), done.stderr
    assert "Traceback" not in done.stderr

"""safe_html does not sanitize again a text a build found clean, with the same policy
and code: real builds of the site's content sharing one cache folder."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from support import ROOT
from support.site import build_with_caches

STORY = """Title: Camera an ninh ở tổ dân phố
Date: 2026-11-02 08:00+07:00
Author: Phong Anh
Category: Tin tức
Slug: camera-an-ninh-to-dan-pho

Tổ dân phố lắp thêm camera an ninh.

<iframe src="https://www.youtube-nocookie.com/embed/abc" allowfullscreen=""></iframe>
"""
STORY_PATH = Path("articles") / "2026" / "camera-an-ninh-to-dan-pho.md"
TRUSTED = 'STRICT_CONTENT_IFRAME_HOSTS=["www.youtube-nocookie.com"]'


def site(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "content" / STORY_PATH).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "content" / STORY_PATH).write_text(STORY, encoding="utf-8")
    return tmp_path


def counts(stderr: str) -> tuple[int, int]:
    found = re.search(r"safe_html: (\d+) texts known clean, (\d+) sanitized", stderr)
    assert found, stderr
    return int(found[1]), int(found[2])


def test_a_rebuild_sanitizes_only_changed_texts_and_a_new_policy_sanitizes_all(
    tmp_path: Path,
) -> None:
    root = site(tmp_path)
    cold = build_with_caches(root, "one", "-e", TRUSTED)
    assert cold.returncode == 0, cold.stderr
    known, sanitized = counts(cold.stderr)
    assert known == 0 and sanitized >= 2  # the new story and the site's own
    page = (root / "one" / "2026" / "camera-an-ninh-to-dan-pho" / "index.html").read_text()
    assert "youtube-nocookie.com/embed/abc" in page

    story = root / "content" / STORY_PATH
    story.write_text(STORY.replace("thêm", "thêm hai"), encoding="utf-8")
    again = build_with_caches(root, "two", "-e", TRUSTED)
    assert again.returncode == 0, again.stderr
    assert counts(again.stderr) == (sanitized - 1, 1)

    # The same texts, a stricter policy: the iframe found clean before is removed now.
    strict = build_with_caches(root, "three")
    assert strict.returncode != 0
    assert re.search(r"camera-an-ninh-to-dan-pho\.md:\d+:.*iframe", strict.stderr), strict.stderr


def test_a_text_the_sanitizer_changed_is_reported_at_every_build(tmp_path: Path) -> None:
    root = site(tmp_path)
    story = root / "content" / STORY_PATH
    story.write_text(STORY.replace("</iframe>", "</iframe>\n\n<script>x()</script>"), "utf-8")
    for name in ("one", "two"):
        result = build_with_caches(root, name, "-e", TRUSTED, "STRICT_CONTENT=false")
        assert result.returncode == 0, result.stderr
        assert re.search(r"camera-an-ninh-to-dan-pho\.md:\d+:.*script", result.stderr)
        page = (root / name / "2026" / "camera-an-ninh-to-dan-pho" / "index.html").read_text()
        assert "<script>x()" not in page

"""plugins/render_cache/split.py: the story pages written by two processes (the build's
and a forked copy) give the same site, byte for byte, as one process writing them; the
pages are keyed the same whether the copy was forked or not; a copy that fails leaves
its pages to the build, which then raises the error Pelican's loop raises."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from support import ROOT, assert_same_pages, build_with_caches, run_pelican
from support.newsroom import NOW, edit_story, write_newsroom_content

SPLIT = "RENDER_CACHE_SPLIT=2"  # the fixture's ~20 stories are split (the default: 200)
ONE_WRITER = "RENDER_CACHE_SPLIT=0"
FORKED = re.compile(r"render cache: (\d+) story pages here, (\d+) by a copy")
COUNTS = re.compile(r"render cache: (\d+) rendered, (\d+) from the cache")

# Communes of one province: each commune's place page points to its province's, whose
# communes point back (a cycle the page keys walk).
PLACES = ("phường Phong Thái, thành phố Huế", "phường Thủy Xuân, thành phố Huế")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    content = write_newsroom_content(tmp_path / "content")
    for number, story in enumerate(sorted((content / "articles" / "2026").glob("*.md"))):
        text = story.read_text("utf-8")
        place = PLACES[number % len(PLACES)]
        story.write_text(text.replace("\n\n", f"\nLocality: {place}\n\n", 1), "utf-8")
    return tmp_path


def build(site: Path, name: str, cache: str, *extra: str) -> tuple[tuple[int, int], bool, Path]:
    """Build with scripts/build.py: ((pages rendered, from the cache), whether a copy
    was forked, output)."""
    result = build_with_caches(site, name, *extra, cache=cache, now=NOW)
    assert result.returncode == 0, result.stderr
    counts = COUNTS.search(result.stderr)
    assert counts, result.stderr
    return (int(counts[1]), int(counts[2])), bool(FORKED.search(result.stderr)), site / name


def test_split_builds_write_the_site_one_writer_writes(site: Path) -> None:
    (rendered, carried), forked, _ = build(site, "one", "cache", SPLIT)
    assert forked and rendered > 40 and carried == 0
    edit_story(
        site, "Title: Camera an ninh số 5 ở khu dân cư", "Title: Camera an ninh số năm, đã sửa"
    )
    (again, carried), forked, rebuilt = build(site, "two", "cache", SPLIT)
    assert forked and 0 < again < rendered / 2 and carried == rendered - again
    # One writer, cold: every page rendered by Pelican's own loop.
    _, forked, cold = build(site, "cold", "other-cache", ONE_WRITER)
    assert not forked
    assert_same_pages(rebuilt, cold)


def unforked(site: Path, name: str) -> tuple[int, int]:
    """Build with `python -m pelican`, whose spinner thread keeps the build from forking:
    (pages rendered, from the cache)."""
    settings = {
        "RENDER_CACHE_SPLIT": 2,
        "SEARCH_INDEX_DIR": str(site / "cache-index"),
        "CACHE_PATH": str(site / "cache"),
    }
    result = run_pelican(site / "content", site / name, extra=settings, verbose=True)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert not FORKED.search(log)
    counts = COUNTS.search(log)
    assert counts, log
    return int(counts[1]), int(counts[2])


def test_the_pages_have_the_same_keys_whether_the_copy_is_forked_or_not(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the build cannot fork, it writes both parts itself, keyed as a copy keys its
    part: a build finds every page the other kind stored, and writes the same bytes."""
    monkeypatch.setenv("SITE_BUILD_NOW", NOW)
    (rendered, _), forked, split = build(site, "one", "cache", SPLIT)
    assert forked
    assert unforked(site, "unsplit") == (0, rendered)
    assert_same_pages(site / "unsplit", split)
    edit_story(site, "Bài thứ 5 về mô hình", "Bài thứ năm, viết lại, về mô hình")
    again, carried = unforked(site, "unsplit-two")
    assert 0 < again < carried
    (again, carried), forked, rebuilt = build(site, "two", "cache", SPLIT)
    # Every page of the forked build was stored by the unforked one (same keys).
    assert forked and (again, carried) == (0, rendered)
    assert_same_pages(rebuilt, site / "unsplit-two")


def test_an_error_in_the_copys_part_stops_the_build_as_with_one_writer(site: Path) -> None:
    theme = site / "theme"
    shutil.copytree(ROOT / "theme", theme)
    # Breaks at render time only: the template loads (the copy is forked), the page fails.
    (theme / "templates" / "broken.html").write_text(
        '{% extends "article.html" %}{% block content %}{{ 1 // (article.title|length - article.title|length) }}{% endblock %}',
        "utf-8",
    )
    # The oldest story: the last page of Pelican's loop (newest first), in the copy's part.
    stories = sorted((site / "content" / "articles").rglob("*.md"))
    oldest = min(stories, key=lambda path: re.search(r"Date: (.*)", path.read_text("utf-8"))[1])
    oldest.write_text(
        oldest.read_text("utf-8").replace("\n\n", "\nTemplate: broken\n\n", 1), "utf-8"
    )
    errors = []
    for name, setting in (("split", SPLIT), ("one", ONE_WRITER)):
        result = build_with_caches(
            site, name, f'THEME="{theme}"', setting, cache=f"{name}-cache", now=NOW
        )
        assert result.returncode != 0
        assert not (site / name).exists()  # nothing swapped in
        assert bool(FORKED.search(result.stderr)) == (setting == SPLIT)
        errors.append(re.findall(r"CRITICAL: .*", result.stderr))
    assert errors[0] == errors[1] and "ZeroDivisionError" in errors[0][0], errors


def test_a_build_over_the_memory_limit_writes_both_parts_itself(site: Path) -> None:
    """RENDER_CACHE_SPLIT_MEMORY: a build whose process is larger forks no copy (it could
    come to double the build's memory) and writes the pages a split build writes."""
    _, forked, split = build(site, "one", "cache", SPLIT)
    assert forked
    capped = "RENDER_CACHE_SPLIT_MEMORY=1"  # MiB: smaller than any Python process
    (rendered, carried), forked, whole = build(site, "two", "other-cache", SPLIT, capped)
    assert not forked and rendered > 40 and carried == 0
    assert_same_pages(whole, split)
    (again, carried), forked, _ = build(site, "three", "other-cache", SPLIT, capped)
    assert not forked and (again, carried) == (0, rendered)

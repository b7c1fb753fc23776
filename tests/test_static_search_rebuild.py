"""static_search in a real rebuild (scripts/build.py, the site's settings): after an edit
that changes a story's words, the browser index patched from the cache is byte for byte
the export of the same index without a cache, and the browser finds the new words and no
longer the removed ones."""

from __future__ import annotations

import re
from pathlib import Path

from static_search.export import export_static_index
from support import build_with_caches, tree_bytes
from support.newsroom import NOW, write_newsroom_content
from support.search import run_node

STORY = Path("articles") / "2026" / "camera-an-ninh-05.md"
URL = "2026/camera-an-ninh-05/"


def build(site: Path, name: str) -> tuple[Path, str]:
    result = build_with_caches(site, name, now=NOW)
    assert result.returncode == 0, result.stderr
    found = re.search(r"static search .*, (full export|\d+ shards patched) \(", result.stderr)
    assert found, result.stderr
    return site / name, found[1]


def urls(static_dir: Path, query: str) -> list[str]:
    (answer,) = run_node(static_dir, [{"query": query, "limit": 10}])
    return [result["url"] for result in answer["results"]]


def test_an_edit_is_patched_into_the_browser_index_as_a_full_export_would_write_it(tmp_path):
    write_newsroom_content(tmp_path / "content")
    first, how = build(tmp_path, "one")
    assert how == "full export"
    assert URL in urls(first / "search", "do người dân đóng góp")
    assert URL not in urls(first / "search", "khinh khí cầu ngũ sắc")

    story = tmp_path / "content" / STORY
    text = story.read_text("utf-8")
    old = "do người dân đóng góp"
    assert old in text
    story.write_text(text.replace(old, "nhờ khinh khí cầu ngũ sắc", 1), encoding="utf-8")
    second, how = build(tmp_path, "two")
    assert how.endswith("shards patched") and int(how.split()[0]) > 0

    plain = tmp_path / "plain"
    export_static_index(tmp_path / "cache-index", plain)  # the settings' shard and chunk sizes
    assert tree_bytes(second / "search", "*.gz") == tree_bytes(plain, "*.gz")
    assert urls(second / "search", "khinh khí cầu ngũ sắc")[0] == URL
    assert URL not in urls(second / "search", "do người dân đóng góp")

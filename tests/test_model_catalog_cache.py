"""model_catalog keeps what each story gave (its models, linked mentions, figures) between
builds: an unchanged rebuild takes every story from the cache, and a new alias in the
catalogue links the stories that say it, as a cold build of the same content does."""

from __future__ import annotations

import re
from pathlib import Path

from support import build_with_caches, tree_bytes
from support.newsroom import HIGHLIGHT_SLUG, NOW, write_newsroom_content

MODEL = Path("models") / "dong-ho-tu-quan.md"
PAGE = f"2026/{HIGHLIGHT_SLUG}/index.html"


def build(site: Path, name: str, cache: str) -> tuple[Path, int]:
    result = build_with_caches(site, name, "SEARCH_INDEX_ENABLED=false", cache=cache, now=NOW)
    assert result.returncode == 0, result.stderr
    found = re.search(r"model catalogue: (\d+) stories from the cache", result.stderr)
    assert found, result.stderr
    return site / name, int(found[1])


def test_stories_come_from_the_cache_until_the_catalogue_changes(tmp_path):
    write_newsroom_content(tmp_path / "content")
    first, hits = build(tmp_path, "one", "cache")
    assert hits == 0
    second, hits = build(tmp_path, "two", "cache")
    assert hits > 20 and tree_bytes(second, "*.html") == tree_bytes(first, "*.html")

    model = tmp_path / "content" / MODEL
    text = model.read_text("utf-8")
    model.write_text(
        re.sub(r"^(Aliases: .*)$", r"\1; thắp sáng đường quê", text, count=1, flags=re.M),
        encoding="utf-8",
    )
    assert model.read_text("utf-8") != text
    rebuilt, hits = build(tmp_path, "three", "cache")
    assert hits == 0  # the catalogue is part of every story's key
    cold, _ = build(tmp_path, "cold", "empty-cache")
    assert tree_bytes(rebuilt, "*.html") == tree_bytes(cold, "*.html")
    assert tree_bytes(cold, "*.html")[PAGE] != tree_bytes(first, "*.html")[PAGE]

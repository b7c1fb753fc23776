"""model_catalog keeps what each story gave (its models, linked mentions, figures) between
builds: an unchanged rebuild takes every story from the cache, and a new alias in the
catalogue links the stories that say it, as a cold build of the same content does."""

from __future__ import annotations

import re
from pathlib import Path

from support import build_with_caches
from support.newsroom import HIGHLIGHT_SLUG, NOW, write_newsroom_content

MODEL = Path("models") / "dong-ho-tu-quan.md"
PAGE = f"2026/{HIGHLIGHT_SLUG}/index.html"


def build(site: Path, name: str, cache: str) -> tuple[Path, int]:
    result = build_with_caches(site, name, "SEARCH_INDEX_ENABLED=false", cache=cache, now=NOW)
    assert result.returncode == 0, result.stderr
    found = re.search(r"model catalogue: (\d+) stories from the cache", result.stderr)
    assert found, result.stderr
    return site / name, int(found[1])


def site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.html")}


def test_stories_come_from_the_cache_until_the_catalogue_changes(tmp_path):
    write_newsroom_content(tmp_path / "content")
    first, hits = build(tmp_path, "one", "cache")
    assert hits == 0
    second, hits = build(tmp_path, "two", "cache")
    assert hits > 20 and site_files(second) == site_files(first)

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
    assert site_files(rebuilt) == site_files(cold)
    assert site_files(cold)[PAGE] != site_files(first)[PAGE]

"""plugins/template_cache: compiled templates kept in <CACHE_PATH>/templates are used
by the next build, replaced when a template changes, and change nothing rendered."""

from __future__ import annotations

import shutil
from pathlib import Path

from support import ROOT, run_pelican, tree_bytes

NOW = "2026-03-05 07:30+07:00"
MARK = "<!-- mau-moi-cua-trang -->"


def build(tmp_path: Path, name: str, cache: Path, **settings: object) -> Path:
    output = tmp_path / name
    extra = {
        "SEARCH_INDEX_DIR": str(tmp_path / f"index-{name}"),
        "CACHE_PATH": str(cache),
        "SITE_BUILD_NOW": NOW,
        **settings,
    }
    result = run_pelican(ROOT / "content", output, extra=extra)
    assert result.returncode == 0, result.stderr
    return output


def entries(cache: Path) -> dict[str, tuple[int, int]]:
    """Each compiled template's file -> (inode, mtime): a rewritten entry changes both."""
    return {
        p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted((cache / "templates").iterdir())
    }


def test_same_site_with_and_without_the_cache(tmp_path: Path) -> None:
    cached = build(tmp_path, "cached", tmp_path / "cache")
    compiled = entries(tmp_path / "cache")
    assert len(compiled) >= 10, compiled  # the theme's templates, each compiled once
    assert not any(name.endswith(".tmp") for name in compiled)
    again = build(tmp_path, "again", tmp_path / "cache")
    assert entries(tmp_path / "cache") == compiled  # loaded, not compiled and written again
    plain = build(tmp_path, "plain", tmp_path / "cache-off", TEMPLATE_CACHE=False)
    assert not (tmp_path / "cache-off" / "templates").exists()
    assert tree_bytes(cached) == tree_bytes(plain) == tree_bytes(again)


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    cache = tmp_path / "cache"
    before = build(tmp_path, "before", cache, THEME=str(theme))
    assert MARK not in (before / "index.html").read_text(encoding="utf-8")
    compiled = entries(cache)
    base = theme / "templates" / "base.html"
    base.write_text(
        base.read_text(encoding="utf-8").replace("</body>", f"{MARK}\n</body>", 1),
        encoding="utf-8",
    )
    after = build(tmp_path, "after", cache, THEME=str(theme))
    assert MARK in (after / "index.html").read_text(encoding="utf-8")
    changed = {name for name, stat in entries(cache).items() if compiled.get(name) != stat}
    assert len(changed) == 1, changed  # base.html's entry, and only it

"""plugins/reader_cache: a rebuild takes unchanged Markdown files from the cache and
writes the same site; an edit, a reading setting or a damaged entry reads again."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT, build_with_caches, tree_bytes

SEED = Path("articles") / "2023" / "bam-co-so-xay-dung-phong-trao.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


def build(site: Path, name: str, *extra: str) -> tuple[int, int, Path, str]:
    """Build `site`'s content; (files read, files from the cache, output, log)."""
    result = build_with_caches(site, name, *extra)
    assert result.returncode == 0, result.stderr
    found = re.search(r"reader cache: (\d+) read, (\d+) from the cache", result.stderr)
    assert found, result.stderr
    return int(found[1]), int(found[2]), site / name, result.stderr


def test_rebuild_reads_nothing_and_writes_the_same_site(site: Path) -> None:
    read, cached, first, _ = build(site, "one")
    # Articles and pages (model files are read by plugins/model_catalog, not by Pelican).
    sources = sum(
        1 for kind in ("articles", "pages") for _ in (site / "content" / kind).rglob("*.md")
    )
    assert (read, cached) == (sources, 0)
    read, cached, second, _ = build(site, "two")
    assert (read, cached) == (0, sources)
    assert tree_bytes(second) == tree_bytes(first)


def test_an_edited_file_is_read_again(site: Path) -> None:
    read, cached, _, _ = build(site, "one")
    story = site / "content" / SEED
    story.write_text(
        story.read_text("utf-8").replace("Tags:", "Tags: Bài đã sửa,", 1)
        + "\nĐoạn viết thêm sau khi sửa.\n",
        encoding="utf-8",
    )
    read_again, cached_again, output, _ = build(site, "two")
    assert (read_again, cached_again) == (1, read - 1)
    page = (output / "2023" / "bam-co-so-xay-dung-phong-trao" / "index.html").read_text("utf-8")
    assert "Đoạn viết thêm sau khi sửa." in page and "Bài đã sửa" in page


def test_a_reading_setting_changed_reads_every_file_again(site: Path) -> None:
    read, _, _, _ = build(site, "one")
    assert build(site, "two", 'FORMATTED_FIELDS=["summary", "description"]')[:2] == (read, 0)
    # A setting reading does not depend on (here the search index folder) keeps the cache.
    assert build(site, "three", f'SEARCH_INDEX_DIR="{site / "other-index"}"')[:2] == (0, read)


def test_damaged_entries_are_read_again_and_rewritten(site: Path) -> None:
    read, _, first, _ = build(site, "one")
    entries = sorted((site / "cache" / "readers").glob("*.pickle"))
    assert len(entries) == read
    for number, entry in enumerate(entries):  # killed mid-write by hand, or garbage
        entry.write_bytes(entry.read_bytes()[: 10 * number] if number % 2 else b"not a pickle")
    assert build(site, "two")[:2] == (read, 0)
    assert build(site, "three")[:2] == (0, read)
    assert tree_bytes(site / "three") == tree_bytes(first)


def test_a_file_from_the_cache_logs_what_reading_it_logged(site: Path) -> None:
    story = site / "content" / SEED
    story.write_text(
        story.read_text("utf-8").replace("Category:", "Category: Chuyên mục thứ hai\nCategory:", 1),
        encoding="utf-8",
    )
    warning = "Duplicate definition of `category`"
    read, cached, _, log = build(site, "one")
    assert read and not cached and warning in log
    read, cached, _, log = build(site, "two")
    assert not read and cached and warning in log


def test_turned_off_it_writes_no_entry(site: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "pelican",
        str(site / "content"),
        "-o",
        str(site / "out"),
        "-s",
        str(ROOT / "pelicanconf.py"),
        "-e",
        f'SEARCH_INDEX_DIR="{site / "index"}"',
        f'CACHE_PATH="{site / "cache"}"',
        "READER_CACHE=false",
    ]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (site / "out" / "index.html").is_file()
    assert not (site / "cache" / "readers").exists()


LEAKY = {
    # What one file defines (a link reference, a footnote, an abbreviation) must not
    # reach the next: with a Markdown instance not reset, "b.md" links and marks.
    "a.md": "Title: A\nDate: 2024-01-02 08:00+07:00\n\nXem [trang][ref] và ANTT[^1].\n\n"
    "[ref]: https://example.org/a\n[^1]: Chú thích.\n*[ANTT]: An ninh trật tự\n",
    "b.md": "Title: B\nDate: 2024-01-03 08:00+07:00\n\nXem [trang][ref] và ANTT[^1].\n",
}


def test_one_markdown_instance_reads_as_a_new_one_a_file(tmp_path: Path) -> None:
    """A cache miss converts with the reader's one Markdown instance, reset between
    files: every file of the site and of the hostile corpus (footnotes, abbreviations,
    attribute lists, raw HTML, broken metadata) reads as with a new instance a file,
    in one run, so nothing one file leaves behind reaches the next."""
    from pelican.readers import MarkdownReader
    from pelican.settings import read_settings

    from reader_cache.plugin import _read_uncached, caching_class

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    plain, reused = MarkdownReader(settings), caching_class(MarkdownReader)(settings)
    folders = [ROOT / "content", ROOT / "tests" / "fixtures" / "hostile" / "content"]
    for name, text in LEAKY.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    paths = [p for folder in folders for p in sorted(folder.rglob("*.md")) if p.is_file()]
    assert len(paths) > 20
    paths += [tmp_path / name for name in LEAKY]
    instances = set()
    for path in paths + paths[:3]:
        try:
            expected = plain.read(str(path))
        except Exception as error:  # noqa: BLE001 - a file Pelican cannot read fails alike
            with pytest.raises(type(error)):
                _read_uncached(reused, str(path))
            continue
        assert _read_uncached(reused, str(path)) == expected, path
        instances.add(id(reused._md))
    assert len(instances) == 1


def test_plugin_code_is_read_once_per_build(tmp_path, monkeypatch):
    """The plugin files every cache keys on are found and read once per build, and again
    when the next build starts (`make serve` runs many builds in one process)."""
    import importlib

    from reader_cache import plugin as reader_cache

    package = tmp_path / "code_once_plugin"
    package.mkdir()
    (package / "__init__.py").write_text("X = 1\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("code_once_plugin")
    monkeypatch.setitem(sys.modules, "code_once_plugin", sys.modules["code_once_plugin"])
    settings = {"PLUGINS": ["code_once_plugin"]}
    reader_cache.start(None)
    first = reader_cache.build_key(settings)
    assert reader_cache.plugin_sources(settings) == [package / "__init__.py"]
    (package / "__init__.py").write_text("X = 2\n", "utf-8")
    (package / "more.py").write_text("Y = 1\n", "utf-8")
    assert reader_cache.build_key(settings) == first  # the same build: read once
    reader_cache.start(None)
    assert reader_cache.plugin_sources(settings) == [package / "__init__.py", package / "more.py"]
    assert reader_cache.code_bytes(package / "__init__.py") == b"X = 2\n"
    assert reader_cache.build_key(settings) != first
    reader_cache.start(None)

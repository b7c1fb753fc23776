"""plugins/render_cache: a rebuild carries unchanged pages over from the cache, and writes
byte for byte what a cold build of the same content writes: after a title edit (shown on
the lists and in the neighbours' previous/next links) and after a body-only edit; a
changed setting or a damaged entry renders again."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import ROOT, assert_same_pages, build_with_caches, site_pages
from support.newsroom import NOW, edit_story, write_newsroom_content

EDITED_PAGE = "2026/camera-an-ninh-05/index.html"
NEIGHBOURS = ("2026/camera-an-ninh-04/index.html", "2026/camera-an-ninh-06/index.html")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_newsroom_content(tmp_path / "content")
    return tmp_path


def build(site: Path, name: str, cache: str, *extra: str) -> tuple[int, int, Path]:
    """Build `site`'s content into `name` with the cache folder `cache`: (pages rendered,
    pages from the cache, output)."""
    result = build_with_caches(site, name, *extra, cache=cache, now=NOW)
    assert result.returncode == 0, result.stderr
    found = re.search(r"render cache: (\d+) rendered, (\d+) from the cache", result.stderr)
    assert found, result.stderr
    return int(found[1]), int(found[2]), site / name


def test_a_rebuild_renders_nothing_and_writes_the_same_site(site: Path) -> None:
    rendered, carried, first = build(site, "one", "cache")
    assert rendered > 40 and carried == 0
    rendered_again, carried_again, second = build(site, "two", "cache")
    assert (rendered_again, carried_again) == (0, rendered)
    assert_same_pages(second, first)


def test_a_new_title_shows_on_lists_and_neighbours_as_in_a_cold_build(site: Path) -> None:
    rendered, _, before = build(site, "one", "cache")
    edit_story(
        site, "Title: Camera an ninh số 5 ở khu dân cư", "Title: Camera an ninh số năm, đã sửa"
    )
    rendered_again, carried, rebuilt = build(site, "two", "cache")
    _, _, cold = build(site, "cold", "empty-cache")
    assert_same_pages(rebuilt, cold)
    # Only the pages that show the story were rendered again: the story, its neighbours,
    # its list, model and archive pages, each now with the new title.
    assert 0 < rendered_again < rendered / 2 and carried == rendered - rendered_again
    old, new = site_pages(before), site_pages(rebuilt)
    showing = [name for name, data in old.items() if "Camera an ninh số 5 ở".encode() in data]
    assert {EDITED_PAGE, *NEIGHBOURS, "mo-hinh/camera-an-ninh/index.html"} <= set(showing)
    for page in showing:
        assert "Camera an ninh số năm, đã sửa" in new[page].decode("utf-8"), page


def test_a_body_edit_renders_its_page_again_as_in_a_cold_build(site: Path) -> None:
    build(site, "one", "cache")
    edit_story(site, "Bài thứ 5 về mô hình", "Bài thứ năm, viết lại, về mô hình")
    rendered, carried, rebuilt = build(site, "two", "cache")
    _, _, cold = build(site, "cold", "empty-cache")
    assert_same_pages(rebuilt, cold)
    assert "Bài thứ năm, viết lại" in site_pages(rebuilt)[EDITED_PAGE].decode("utf-8")
    assert 0 < rendered < carried


def test_a_changed_setting_renders_every_page_again(site: Path) -> None:
    rendered, _, _ = build(site, "one", "cache")
    again, carried, output = build(site, "two", "cache", 'SITESUBTITLE="Phụ đề mới"')
    assert (again, carried) == (rendered, 0)
    assert "Phụ đề mới" in site_pages(output)[EDITED_PAGE].decode("utf-8")


def test_a_changed_template_renders_every_page_again(site: Path) -> None:
    theme = site / "theme"
    shutil.copytree(ROOT / "theme", theme)
    rendered, _, _ = build(site, "one", "cache", f'THEME="{theme}"')
    base = theme / "templates" / "base.html"
    base.write_text(
        base.read_text("utf-8").replace("</body>", "<!-- mẫu đã sửa --></body>"), "utf-8"
    )
    again, carried, output = build(site, "two", "cache", f'THEME="{theme}"')
    assert (again, carried) == (rendered, 0)
    assert "<!-- mẫu đã sửa -->" in site_pages(output)[EDITED_PAGE].decode("utf-8")


def test_damaged_entries_are_rendered_again(site: Path) -> None:
    """An entry whose bytes are not those the names index's checksum was made of (cut
    short, or garbage of the same length) is rendered again, never published."""
    rendered, _, first = build(site, "one", "cache")
    before = site_pages(first)  # the pages are the entries' files: damaged with them
    entries = sorted((site / "cache" / "pages").glob("*.html"))
    assert len(entries) == rendered
    damaged = {}
    for number, entry in enumerate(entries):
        data = entry.read_bytes()
        damaged[entry] = data[: len(data) // 2] if number % 2 else b"x" * len(data)
        entry.write_bytes(damaged[entry])
    assert build(site, "two", "cache")[:2] == (rendered, 0)
    assert site_pages(site / "two") == before
    for entry, data in damaged.items():  # stored again as new files: the old ones left be
        assert entry.read_bytes() != data
    assert build(site, "three", "cache")[:2] == (0, rendered)
    assert site_pages(site / "three") == before


def page_files(output: Path) -> dict[str, os.stat_result]:
    """The files of a built site (but its search index), by name: their status."""
    return {
        path.relative_to(output).as_posix(): path.stat()
        for path in output.rglob("*")
        if path.is_file() and not path.relative_to(output).as_posix().startswith("search/")
    }


def test_pages_are_the_entries_files_linked_into_the_output(site: Path) -> None:
    """Every page written from an entry, or stored as one, is a hard link to the entry:
    its bytes are written once. A rebuild links the same files."""
    rendered, _, first = build(site, "one", "cache")
    entries = {entry.stat().st_ino for entry in (site / "cache" / "pages").glob("*.html")}
    pages = page_files(first)
    linked = {name for name, status in pages.items() if status.st_ino in entries}
    assert len(linked) == rendered == len(entries)
    assert build(site, "two", "cache")[:2] == (0, rendered)
    again = page_files(site / "two")
    assert {name: again[name].st_ino for name in linked} == {
        name: pages[name].st_ino for name in linked
    }
    assert_same_pages(site / "two", first)


def test_a_following_build_into_the_same_folder_changes_no_entry_in_place(site: Path) -> None:
    """Pelican run straight into the folder of an earlier build (no staging folder, as
    `pelican` does): every page is rendered again (a changed setting), and each is put
    in place as a new file; the entries the old pages were linked from keep their bytes,
    and the next build still finds them whole."""
    rendered, _, first = build(site, "one", "cache")
    folder = site / "cache" / "pages"
    entries = {entry: entry.read_bytes() for entry in folder.glob("*.html")}
    old = page_files(first)
    command = [sys.executable, "-m", "pelican", str(site / "content"), "-o", str(first)]
    command += ["-s", str(ROOT / "pelicanconf.py"), "-e", 'SITESUBTITLE="Phụ đề mới"']
    command += [f'SEARCH_INDEX_DIR="{site / "cache-index"}"', f'CACHE_PATH="{site / "cache"}"']
    done = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SITE_BUILD_NOW": NOW},
    )
    assert done.returncode == 0, done.stderr
    new = page_files(first)
    assert "Phụ đề mới" in (first / EDITED_PAGE).read_text("utf-8")
    for entry, data in entries.items():
        assert entry.read_bytes() == data, entry
    changed = [name for name in old if new[name].st_ino != old[name].st_ino]
    assert len(changed) >= rendered
    # The old entries are still whole: the old settings' build carries every page over.
    assert build(site, "two", "cache")[:2] == (0, rendered)
    for entry, data in entries.items():
        assert entry.read_bytes() == data, entry


def test_a_damaged_names_index_renders_every_page_once(site: Path) -> None:
    """The names of every page are one entry: damaged, every page is rendered again
    (none carried over on a wrong key), the same bytes as before, and the entry is
    written again whole."""
    rendered, _, first = build(site, "one", "cache")
    index = site / "cache" / "pages" / "names-index.json"
    assert not list((site / "cache" / "pages").glob("*.names"))  # one entry, not one a page
    data = index.read_bytes()
    index.write_bytes(data[:40] + b"x" + data[41:])
    assert build(site, "two", "cache")[:2] == (rendered, 0)
    assert build(site, "three", "cache")[:2] == (0, rendered)
    assert_same_pages(site / "three", first)


def test_sites_sharing_a_cache_folder_keep_each_others_pages(site: Path) -> None:
    """Two sites' builds merge their pages into the one names index: after both have
    built, each rebuilds from the cache alone."""
    other = site / "other"
    write_newsroom_content(other / "content")
    edit_story(site, "Title: Camera an ninh số 5 ở khu dân cư", "Title: Camera an ninh số năm")
    rendered, _, _ = build(site, "one", "cache")
    # The same cache folder under another name: the search indexes stay apart.
    (other / "shared").symlink_to(site / "cache", target_is_directory=True)
    result = build_with_caches(other, "one", cache="shared", now=NOW)
    assert result.returncode == 0, result.stderr
    assert re.search(r"render cache: [1-9]\d* rendered, 0 from the cache", result.stderr)
    assert build(site, "two", "cache")[:2] == (0, rendered)
    again = build_with_caches(other, "two", cache="shared", now=NOW)
    assert re.search(r"render cache: 0 rendered, \d+ from the cache", again.stderr), again.stderr


def test_a_rebuild_marks_and_scans_entries_at_most_once_a_day(site: Path) -> None:
    """A carried-over entry's mtime is set again only once it is a day old, and the
    folder is scanned for old entries once a day: a rebuild does not touch every page's
    entry. An entry unused for RENDER_CACHE_DAYS still goes."""
    rendered, _, _ = build(site, "one", "cache")
    folder = site / "cache" / "pages"
    entries = sorted(folder.glob("*.html"))
    day_old, fresh = time.time() - 2 * 86400, time.time() - 3600
    for number, entry in enumerate(entries):
        os.utime(entry, (fresh, fresh) if number % 2 else (day_old, day_old))
    stale = folder / "0123456789abcdef0123456789abcdef01234567.html"
    stale.write_bytes(b"old")
    os.utime(stale, (time.time() - 40 * 86400,) * 2)
    assert build(site, "two", "cache")[:2] == (0, rendered)
    for number, entry in enumerate(entries):
        if number % 2:
            assert entry.stat().st_mtime == pytest.approx(fresh), entry  # left as it was
        else:
            assert entry.stat().st_mtime > time.time() - 600, entry  # marked as used
    assert stale.exists()  # scanned today already (the first build)
    os.utime(folder / "last-pruned", (day_old, day_old))
    build(site, "three", "cache")
    assert not stale.exists()


def test_a_page_written_over_a_linked_file_is_a_new_file(tmp_path: Path) -> None:
    """The writer never opens a file with other links for writing in place: a page it
    renders (here one it cannot key: its templates' loader cannot list them) over a
    name linked from an entry replaces the name; the entry keeps its bytes."""
    import jinja2
    from pelican.settings import DEFAULT_CONFIG

    from render_cache.plugin import CachingWriter

    entry = tmp_path / "entry.html"
    entry.write_bytes(b"<p>cached</p>")
    page = tmp_path / "out" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    os.link(entry, page)
    settings = {**DEFAULT_CONFIG, "CACHE_PATH": str(tmp_path / "cache")}
    writer = CachingWriter(str(tmp_path / "out"), settings=settings)
    env = jinja2.Environment(loader=jinja2.FunctionLoader(lambda _name: "<p>new {{ x }}</p>"))
    writer.write_file("a/index.html", env.get_template("page.html"), {"x": 1})
    assert page.read_text("utf-8") == "<p>new 1</p>"
    assert entry.read_bytes() == b"<p>cached</p>"
    assert entry.stat().st_nlink == 1


def test_pages_are_written_where_the_cache_is_on_another_file_system(site: Path) -> None:
    """Where the entries cannot be linked into the output (another file system), the
    pages are written from the entries' checked bytes: the same site."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == site.stat().st_dev:
        pytest.skip("needs a second file system (/dev/shm)")
    folder = shm / f"render-cache-{os.getpid()}-{site.name}"
    try:
        setting = f'RENDER_CACHE_DIR="{folder}"'
        rendered, _, first = build(site, "one", "cache", setting)
        assert build(site, "two", "cache", setting)[:2] == (0, rendered)
        assert_same_pages(site / "two", first)
        # Written, not linked: every story and list page is a file of its own.
        pages = page_files(site / "two")
        stories = [name for name in pages if name.startswith(("2026/", "chu-de/", "tac-gia/"))]
        assert len(stories) > 20 and all(pages[name].st_nlink == 1 for name in stories)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

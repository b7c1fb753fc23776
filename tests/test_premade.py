"""tdbvantq.writes.premade and scripts/build.py's use of it: the last site's folders, and
an empty file for each of its pages, made ahead by a helper process while the content is
read, give the site a cold build gives (the same files and bytes, no folder a cold build
would not have), whatever the helper managed to make before it was stopped."""

from __future__ import annotations

import copy
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from support import assert_same_pages, build_with_caches
from support.newsroom import EDITED_STORY, NOW, edit_story, write_newsroom_content
from tdbvantq.writes.premade import Premade

MADE_AHEAD = re.compile(r"made ahead: (\d+) folders, (\d+) files for pages")
SPLIT = "RENDER_CACHE_SPLIT=2"  # the fixture's ~20 stories written by two processes


def last_site(root: Path) -> Path:
    """A small 'last site': pages, a feed, a stylesheet, an empty folder, a symlink."""
    old = root / "old"
    for name in ("a/b/index.html", "a/c/feed.xml", "a/c/style.css", "e/index.html"):
        (old / name).parent.mkdir(parents=True, exist_ok=True)
        (old / name).write_text("x", "utf-8")
    (old / "d").mkdir()
    (old / "link").symlink_to(old / "a", target_is_directory=True)
    return old


def finished(old: Path, new: Path) -> Premade:
    """A helper left to make everything, then stopped (its report taken)."""
    new.mkdir()
    premade = Premade.start(old, new)
    assert premade is not None
    premade._process.wait(timeout=60)  # the whole tree, not stopped early
    premade.stop()
    return premade


def empty_folders(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_dir() and not any(path.iterdir())]


def gone(path: Path) -> bool:
    """Whether `path` disappears within 10 s (a background removal)."""
    for _ in range(100):
        if not path.exists():
            return True
        time.sleep(0.1)
    return False


def test_the_helper_makes_the_last_sites_folders_and_a_spare_per_page(tmp_path: Path) -> None:
    premade = finished(last_site(tmp_path), tmp_path / "new")
    new = tmp_path / "new"
    # Folders, parents first; a symlink is not followed. Spares: .html and .xml files.
    assert sorted(premade.folders) == ["a", "a/b", "a/c", "d", "e"]
    assert premade.made() == (5, 3)
    assert sorted(p.name for p in new.iterdir()) == ["a", "d", "e"]
    page = new / "a" / "b" / "index.html"
    assert premade.use_spare(str(page))
    umask = os.umask(0)
    os.umask(umask)
    assert page.read_bytes() == b"" and page.stat().st_mode & 0o777 == 0o666 & ~umask
    assert premade.spares_left() == 2
    page.write_text("trang", "utf-8")
    premade.tidy()
    # Only the folders a page went into are left: what a cold build would have made.
    assert sorted(p.relative_to(new).as_posix() for p in new.rglob("*")) == [
        "a",
        "a/b",
        "a/b/index.html",
    ]
    assert gone(premade.spare_folder or tmp_path / "new-spares")
    assert premade.use_spare(str(new / "a" / "x.html")) is False  # tidied: none left


def test_a_file_where_the_last_site_had_a_folder_takes_its_place(tmp_path: Path) -> None:
    old = last_site(tmp_path)
    (old / "a" / "b" / "index.html").unlink()
    (old / "a" / "b" / "index.html").mkdir()  # a folder then, a page now
    (old / "a" / "b" / "index.html" / "note.txt").write_text("x", "utf-8")
    premade = finished(old, tmp_path / "new")
    page = tmp_path / "new" / "a" / "b" / "index.html"
    assert page.is_dir()
    assert premade.use_spare(str(page)) and page.is_file()
    # Without a spare left, the empty premade folder is still taken away.
    other = copy.copy(premade)
    other.give_last(other.spares_left())
    os.rmdir(tmp_path / "new" / "d")
    (tmp_path / "new" / "d").mkdir()
    assert "d" in other.folders
    assert other.use_spare(str(tmp_path / "new" / "d")) is False
    assert not (tmp_path / "new" / "d").exists()


def test_the_build_and_its_copy_use_different_spares(tmp_path: Path) -> None:
    premade = finished(last_site(tmp_path), tmp_path / "new")
    copy_ = copy.copy(premade)
    premade.give_last(1)
    copy_.keep_last(1)
    assert premade.spares_left() == 2 and copy_.spares_left() == 1
    new = tmp_path / "new"
    assert premade.use_spare(str(new / "1.html")) and premade.use_spare(str(new / "2.html"))
    assert copy_.use_spare(str(new / "3.html"))
    assert not premade.use_spare(str(new / "4.html")) and not copy_.use_spare(str(new / "5.html"))
    assert sorted(p.name for p in new.glob("*.html")) == ["1.html", "2.html", "3.html"]


def test_a_helper_stopped_early_reports_exactly_what_it_made(tmp_path: Path) -> None:
    old = tmp_path / "old"
    for number in range(300):
        (old / "2026" / f"tin-{number}").mkdir(parents=True)
        (old / "2026" / f"tin-{number}" / "index.html").write_text("x", "utf-8")
    new = tmp_path / "new"
    new.mkdir()
    premade = Premade.start(old, new)
    assert premade is not None
    premade.stop()  # at once: whatever it made by then
    folders, spares = premade.made()
    made = sorted(p.relative_to(new).as_posix() for p in new.rglob("*"))
    assert made == sorted(premade.folders)
    assert len(list((tmp_path / "new-spares").iterdir())) == spares
    premade.tidy()
    assert list(new.iterdir()) == []


def test_no_helper_without_a_last_site(tmp_path: Path) -> None:
    assert Premade.start(tmp_path / "missing", tmp_path) is None


# --- end to end: scripts/build.py rebuilding into the same output folder ---------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_newsroom_content(tmp_path / "content")
    return tmp_path


def build(site: Path, name: str, cache: str, *extra: str) -> str:
    result = build_with_caches(site, name, *extra, cache=cache, now=NOW)
    assert result.returncode == 0, result.stderr
    return result.stderr


def assert_like_a_cold_build(site: Path, output: Path) -> None:
    build(site, "cold", "cold-cache")
    assert_same_pages(output, site / "cold")
    assert empty_folders(output) == []
    # The spare files' folder is removed in the background, as the replaced site is.
    assert all(gone(path) for path in site.glob("out.staging-*"))


def test_a_rebuild_on_folders_and_files_made_ahead_is_a_cold_build(site: Path) -> None:
    log = build(site, "out", "cache", SPLIT)
    assert not MADE_AHEAD.search(log)  # no last site: nothing made ahead
    edit_story(
        site, "Title: Camera an ninh số 5 ở khu dân cư", "Title: Camera an ninh số năm, đã sửa"
    )
    log = build(site, "out", "cache", SPLIT)
    made = MADE_AHEAD.search(log)
    assert made and int(made[1]) > 30 and int(made[2]) > 40, log
    assert "by a copy" in log  # the copy used its share of the spares
    assert_like_a_cold_build(site, site / "out")


def test_a_story_removed_leaves_no_folder_of_it(site: Path) -> None:
    build(site, "out", "cache")
    story = site / "content" / EDITED_STORY
    slug = story.stem
    assert any((site / "out").rglob(slug))
    story.unlink()
    build(site, "out", "cache")
    assert not any((site / "out").rglob(slug))  # its premade folder was removed
    assert_like_a_cold_build(site, site / "out")


def test_a_page_where_the_last_site_had_a_folder(site: Path) -> None:
    build(site, "out", "cache")
    page = next((site / "out").rglob("camera-an-ninh-05/index.html"))
    page.unlink()
    page.mkdir()
    (page / "note.txt").write_text("x", "utf-8")
    edit_story(site, "Title: Camera an ninh số 5 ở khu dân cư", "Title: Camera an ninh số 5")
    build(site, "out", "cache")
    assert_like_a_cold_build(site, site / "out")


def test_delete_output_directory_stops_the_helper_before_pelican_empties_the_folder(
    site: Path,
) -> None:
    build(site, "out", "cache")
    log = build(site, "out", "cache", "DELETE_OUTPUT_DIRECTORY=true")
    assert not MADE_AHEAD.search(log) and "Unable to delete" not in log, log
    assert_like_a_cold_build(site, site / "out")


def test_no_spare_folder_is_left_by_a_failed_build(site: Path) -> None:
    build(site, "out", "cache")
    theme = site / "theme"
    shutil.copytree(Path(__file__).parents[1] / "theme", theme)
    (theme / "templates" / "article.html").write_text("{{ 1 // 0 }}", "utf-8")
    result = build_with_caches(site, "out", f'THEME="{theme}"', cache="cache", now=NOW)
    assert result.returncode != 0
    assert all(gone(path) for path in site.glob("out.staging-*"))
    assert (site / "out" / "index.html").exists()  # the last site, untouched

"""strict_content keeps each Markdown file's problems between builds: a rebuild checks only
what changed, reports a broken file's problems again from the cache, and checks again
every file whose result could change (a link's target appearing)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from support import build_with_caches
from support.newsroom import NOW, write_newsroom_content

BROKEN = Path("articles") / "2026" / "lien-ket-hong.md"
STORY = """Title: Liên kết hỏng
Date: 2026-03-02 08:00+07:00
Category: Tin tức

Xem [bài sắp viết]({filename}/articles/2026/bai-sap-viet.md).
"""


def build(site: Path, name: str) -> subprocess.CompletedProcess:
    return build_with_caches(site, name, "SEARCH_INDEX_ENABLED=false", now=NOW)


def counts(result: subprocess.CompletedProcess) -> tuple[int, int]:
    found = re.search(r"strict content: (\d+) files checked, (\d+) from the cache", result.stderr)
    assert found, result.stderr
    return int(found[1]), int(found[2])


def test_rebuilds_take_unchanged_files_results_from_the_cache(tmp_path):
    write_newsroom_content(tmp_path / "content")
    first = build(tmp_path, "one")
    assert first.returncode == 0, first.stderr
    checked, cached = counts(first)
    assert checked > 10 and cached == 0
    second = build(tmp_path, "two")
    assert second.returncode == 0 and counts(second) == (0, checked)

    broken = tmp_path / "content" / BROKEN
    broken.write_text(STORY, encoding="utf-8")
    line = f"{BROKEN.as_posix()}:5: "
    for name in ("three", "four"):  # checked, then from the cache: the same error
        failed = build(tmp_path, name)
        assert failed.returncode != 0
        assert line in failed.stderr and "bai-sap-viet.md" in failed.stderr
    # A new file in the content folder: every result may change, every file is checked.
    target = tmp_path / "content" / "articles" / "2026" / "bai-sap-viet.md"
    target.write_text(STORY.replace("Liên kết hỏng", "Bài đã viết").split("Xem")[0], "utf-8")
    fixed = build(tmp_path, "five")
    assert fixed.returncode == 0, fixed.stderr
    assert counts(fixed)[1] == 0


def test_a_files_answer_is_kept_for_one_build_only(tmp_path: Path) -> None:
    """strict_content.files.file_problem answers each file once per build (the guard asks
    about every file once per generator); a new build (`forget_folders`, on Pelican's
    `initialized` and when the content folder is scanned) looks at the file again."""
    from strict_content.files import file_problem, forget_folders

    root = tmp_path / "content"
    story = root / "articles" / "tin.md"
    story.parent.mkdir(parents=True)
    story.write_text("Title: Tin\n\nĐoạn.\n", "utf-8")
    forget_folders()
    assert file_problem(story, root) is None
    story.unlink()
    os.mkfifo(story)  # a FIFO where the story was: never read
    assert file_problem(str(story), str(root)) is None  # the same build: the same answer
    forget_folders()
    assert "FIFO" in (file_problem(story, root) or "")


SLUGGED = Path("articles") / "2026" / "slug-la.md"


def slugged(slug: str, before: str = "") -> str:
    return (
        f"Title: Slug lạ\nDate: 2026-03-02 08:00+07:00\nCategory: Tin tức\n{before}"
        f"Slug: {slug}\n\nĐoạn.\n"
    )


def test_path_rules_use_the_header_kept_with_each_result(tmp_path: Path) -> None:
    """The Slug/Save_as/URL fields the path rules read are kept with each file's result
    (not read again at every build): a cached file's Slug is reported at its line, and a
    changed file's fields are read again with its new bytes."""
    write_newsroom_content(tmp_path / "content")
    story = tmp_path / "content" / SLUGGED
    story.write_text(slugged("tin/la"), encoding="utf-8")
    for name in ("one", "two"):  # checked, then from the cache: the same line
        failed = build(tmp_path, name)
        assert failed.returncode != 0
        assert f"{SLUGGED.as_posix()}:4: Slug “tin/la”" in failed.stderr, failed.stderr
    assert counts(failed)[0] == 0
    story.write_text(slugged("tin/moi", before="Tags: thời sự\n"), encoding="utf-8")
    failed = build(tmp_path, "three")
    assert failed.returncode != 0 and counts(failed)[0] == 1
    assert f"{SLUGGED.as_posix()}:5: Slug “tin/moi”" in failed.stderr, failed.stderr
    assert "tin/la" not in failed.stderr


def test_a_file_saved_after_the_reader_read_it_is_keyed_on_its_new_bytes(
    tmp_path: Path,
) -> None:
    """A result is keyed on the bytes the build's reader read (not read again), except a
    miss, keyed on the bytes the checks read: a file saved in between is not stored
    under its old bytes."""
    import hashlib

    from reader_cache import plugin as reader_cache
    from strict_content.result_cache import ResultCache

    source = tmp_path / "tin.md"
    source.write_text("Title: Tin\n\nĐoạn.\n", "utf-8")
    cache = ResultCache(tmp_path, b"key")
    unread = cache.entry(source, ("title",))
    reader_cache.start(None)
    reader_cache._SOURCE_DIGESTS[str(source)] = hashlib.sha256(source.read_bytes()).digest()
    try:
        assert cache.entry(source, ("title",)) == unread
        source.write_text("Title: Tin mới\n\nĐoạn.\n", "utf-8")  # saved after the read
        assert cache.entry(source, ("title",)) == unread  # the bytes the reader read
        fresh = cache.entry(source, ("title",), fresh=True)
        assert fresh != unread
        reader_cache.start(None)  # the next build reads the new bytes
        assert cache.entry(source, ("title",)) == fresh
    finally:
        reader_cache.start(None)

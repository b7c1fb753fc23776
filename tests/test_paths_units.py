"""Issue 20: the rule functions behind the build and `make check` for slugs, overrides,
SVGs and control characters (the end-to-end runs are in test_paths_hostile.py)."""

from __future__ import annotations

import os

import pytest

from strict_content.controls import find_control_characters, remove_control_characters
from strict_content.files import find_svg_problem
from strict_content.urls import override_problem, slug_problem
from tdbvantq.paths import real_path
from tdbvantq.text import (
    SLUG_MAX_BYTES,
    fallback_slug,
    safe_slug,
    shorten_slug,
    slugify,
    usable_slug,
)

ARTICLE = "2023/bai-viet/index.html"


def test_long_slugs_are_cut_between_words_with_a_hash() -> None:
    title = " ".join(["Tổ tự quản an ninh trật tự khu dân cư"] * 10)
    slug = safe_slug(title)
    assert len(slug.encode()) <= SLUG_MAX_BYTES
    head, _, digest = slug.rpartition("-")
    assert len(digest) == 6 and slugify(title).startswith(head + "-")
    assert head.split("-")[-1] in slugify(title).split("-")  # a whole word
    # Two titles sharing their first 120 bytes keep two slugs.
    assert safe_slug(title + " một") != safe_slug(title + " hai")
    assert shorten_slug("bam-co-so") == "bam-co-so"


def test_names_without_letters_get_a_stable_fallback() -> None:
    assert safe_slug("???", "the") == fallback_slug("???", "the") == safe_slug("???", "the")
    assert safe_slug("???", "the") != safe_slug("🎉", "the")
    assert safe_slug("???", "the").startswith("the-")
    assert usable_slug("../gioi-thieu") == "gioi-thieu" and usable_slug("bai-viet") == "bai-viet"


@pytest.mark.parametrize("slug", ["../gioi-thieu", "a/b", "..", ".an", "a\\b", "x" * 121, "", " "])
def test_refused_slugs(slug: str) -> None:
    assert slug_problem(slug)


@pytest.mark.parametrize(
    "key, value",
    [
        ("save_as", "index.html"),
        ("save_as", "feeds/all.atom.xml"),
        ("save_as", "/2023/bai-viet/x.html"),
        ("save_as", "2023/bai-viet/../../search.html"),
        ("save_as", "2023/bai-viet"),
        ("save_as", "2023/bai-vietx/index.html"),
        ("url", "https://other.example/2023/bai-viet/"),
        ("url", "//other.example/x"),
        ("url", "javascript:alert(1)"),
        ("url", "2023/bai-viet /"),
        ("url", "chu-de/"),
        ("url", ""),
    ],
)
def test_refused_overrides(key: str, value: str) -> None:
    assert override_problem(key, value, ARTICLE)


@pytest.mark.parametrize(
    "key, value",
    [
        ("save_as", "2023/bai-viet/index.html"),
        ("save_as", "2023/bai-viet/in.html"),
        ("save_as", ""),
        ("url", "2023/bai-viet/"),
        ("url", "2023/bai-viet/in.html"),
    ],
)
def test_allowed_overrides(key: str, value: str) -> None:
    assert override_problem(key, value, ARTICLE) is None


PLAIN = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 9 9">
<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>
<g transform="scale(2)"><rect width="4" height="4" fill="url(#g)" style="opacity:.5"/></g>
<use xlink:href="#g"/><text x="1" y="5" font-family="sans-serif">Chữ</text></svg>""".encode()


@pytest.mark.parametrize(
    "svg, line",
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script></svg>', 2),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="x()"/></svg>', 1),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"/></svg>', 1),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><use href="data:image/svg+xml,x"/></svg>', 1),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(http://e.invalid/x)"/></svg>',
            1,
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(//e.invalid/x)"/></svg>',
            1,
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import "x"</style></svg>', 1),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><image href="#x"/></svg>', 1),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><animate attributeName="href"/></svg>', 1),
        (b'<?xml-stylesheet href="x.xsl"?><svg xmlns="http://www.w3.org/2000/svg"/>', 1),
        (
            b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
            1,
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect', 1),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>', 1),
    ],
)
def test_svgs_with_anything_active_are_refused_at_their_line(svg: bytes, line: int) -> None:
    found = find_svg_problem(svg)
    assert found is not None and found[0] == line


def test_plain_svgs_pass() -> None:
    assert find_svg_problem(PLAIN) is None


def test_control_characters_are_found_by_line_and_removed() -> None:
    text = "Title: a\n\nmột\x0bhai\r\nba\x00\x1b[2J\rbốn\x85\n\tnăm\n"
    assert [line for line, _ in find_control_characters(text)] == [3, 4, 5]
    assert remove_control_characters("một\x0bhai\x00") == ("một hai", 2)
    assert list(find_control_characters("tab\tand CRLF\r\n")) == []


def test_a_model_slug_too_long_for_a_folder_is_refused() -> None:
    from model_catalog.catalog import ModelFileError, parse_model_text

    with pytest.raises(ModelFileError, match="shorten it"):
        parse_model_text(f"Name: Mô hình\nSlug: {'a-b' * 100}\n\nMô tả.\n", "m.md")


def test_reserved_names_come_from_the_sites_settings() -> None:
    from pelican.settings import DEFAULT_CONFIG, get_settings_from_file

    from strict_content.urls import reserved_names
    from support import ROOT

    settings = {**DEFAULT_CONFIG, **get_settings_from_file(str(ROOT / "pelicanconf.py"))}
    names = reserved_names(settings)
    assert {
        "chu-de",
        "chuyen-muc",
        "tac-gia",
        "luu-tru",
        "mo-hinh",
        "thuat-ngu",
        "feeds",
        "index.html",
        "search.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "images",
        "theme",
        "search",
        "trang",
    } <= names  # trang/2/: the home page's page 2
    assert "gioi-thieu" not in names and "2023" not in names


def test_the_importer_never_opens_a_fifo_among_the_stories(tmp_path) -> None:
    """The importer reads content/articles to find a story already imported: a FIFO named
    like a story would block it forever (run in a child process, with a deadline)."""
    import os
    import subprocess
    import sys

    articles = tmp_path / "articles" / "2024"
    articles.mkdir(parents=True)
    (articles / "bai.md").write_text(
        "Title: Bài\nSource: https://a.vn/x\n\nNội dung.\n", encoding="utf-8"
    )
    os.mkfifo(articles / "ong.md")
    code = (
        "import sys; from pathlib import Path\n"
        "from tdbvantq.importer.writer import index_by_source\n"
        "from tdbvantq.importer.templates import SiteTemplates\n"
        "root = Path(sys.argv[1])\n"
        "print(sorted(index_by_source(root)))\n"
        "SiteTemplates().learn_content(root, {'a.vn'})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "a.vn/x" in done.stdout


def test_real_path_with_remembered_folders_equals_realpath(tmp_path) -> None:
    (tmp_path / "content" / "news").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "b.md").write_text("x", encoding="utf-8")
    (tmp_path / "content" / "news" / "a.md").write_text("x", encoding="utf-8")
    (tmp_path / "content" / "linked").symlink_to(tmp_path / "outside")
    (tmp_path / "content" / "news" / "c.md").symlink_to(tmp_path / "outside" / "b.md")
    folders: dict[str, str] = {}
    for relative in (
        "content/news/a.md",
        "content/linked/b.md",  # a linked folder
        "content/news/c.md",  # a linked file
        "content/linked/../news/a.md",  # ".." after a link: realpath's own order
        "content/news/missing.md",
    ):
        path = str(tmp_path / relative)
        assert real_path(path, folders) == os.path.realpath(path), relative
    assert real_path(str(tmp_path / "content/news/a.md"), folders) == os.path.realpath(
        tmp_path / "content/news/a.md"
    )  # answered from the remembered folder
    assert str(tmp_path / "content" / "news") in folders


def _walked_scan(root, ignore_hidden: bool = True) -> list[tuple[str, str]]:
    """What `scan_content` reported when it walked with `os.walk` and asked
    `file_problem` (an lstat and a resolved path) about every file: the reference."""
    from pathlib import Path

    from strict_content.files import file_problem, forget_folders, inside

    forget_folders()
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        if ignore_hidden:
            dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in sorted(dirs):
            candidate = Path(folder) / name
            if candidate.is_symlink() and not inside(candidate, root):
                found.append((str(candidate), "dir"))
        for name in sorted(files):
            if ignore_hidden and name.startswith("."):
                continue
            reason = file_problem(Path(folder) / name, root)
            if reason:
                found.append((str(Path(folder) / name), reason))
    return found


def test_the_content_scan_reads_kinds_from_the_listing_and_finds_the_same(tmp_path) -> None:
    """`scan_content` takes each entry's kind from the folder's listing (no lstat a
    regular file): the same problems, in the same order, and the same answers for
    `file_problem` afterwards, as the walk that asked about every file."""
    from strict_content import files

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("x", "utf-8")
    root = tmp_path / "content"
    (root / "articles" / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / ".hidden" / "a.md").write_text("x", "utf-8")
    (root / "articles" / "a.md").write_text("x", "utf-8")
    (root / "articles" / ".b.md").write_text("x", "utf-8")
    (root / "articles" / "sub" / "c.md").write_text("x", "utf-8")
    os.mkfifo(root / "articles" / "fifo.md")
    (root / "articles" / "out.md").symlink_to(outside / "secret.md")
    (root / "articles" / "in.md").symlink_to(root / "articles" / "a.md")
    (root / "articles" / "broken.md").symlink_to(root / "nope.md")
    (root / "articles" / "outdir").symlink_to(outside)
    (root / "articles" / "indir").symlink_to(root / "articles" / "sub")
    for ignore_hidden in (True, False):
        expected = _walked_scan(root, ignore_hidden)
        answers = dict(files._FILE_PROBLEMS)
        scanned = [
            (str(found.path), "dir" if found.path.name.endswith("dir") else found.message)
            for found in files.scan_content(root, ignore_hidden)
        ]
        assert scanned == expected
        assert len(expected) == 4  # the FIFO, the broken link, the links out (file, folder)
        assert files._FILE_PROBLEMS == answers
        assert files._FILE_PROBLEMS[(str(root / "articles" / "a.md"), str(root))] is None

"""Issue 20, files and addresses: the "paths" cases of the hostile corpus
(tests/fixtures/hostile: `paths-*` files, expected/paths.json, runtime_paths.py).

Through the real build (scripts/build.py with pelicanconf.py, as `make html`) and the
real checker (scripts/check_content.py, as `make check`):
- the strict build fails without a traceback and reports exactly the expected file:line;
- `make check` reports the same (file, line) set;
- the non-strict build (STRICT_CONTENT = False) finishes (no FIFO hangs it), publishes none of
  the refused files, ignores refused overrides, and gives slug-less tags a fallback page;
- `make fix` removes the control characters, after which neither tool reports them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
SETTINGS = ROOT / "pelicanconf.py"
LOCATION = re.compile(
    r"(?:^|(?<=[\s/'\"“(]))content/(?P<path>[^:\s]+?)(?::(?P<line>\d+))?:(?=\s|$)"
)
Location = tuple[str, int]


def paths_expected(content: Path) -> dict[Location, None]:
    expected = {}
    entries = json.loads((HOSTILE / "expected" / "paths.json").read_text(encoding="utf-8"))
    spec = importlib.util.spec_from_file_location("runtime_paths", HOSTILE / "runtime_paths.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    entries.update(module.create(content))
    # Not in the shared corpus (its harness expects a page for every model file).
    os.mkfifo(content / "models" / "paths-fifo.md")
    entries["models/paths-fifo.md"] = [0]
    for relative, lines in entries.items():
        assert lines, relative
        expected.update({(relative, line): None for line in lines})
    return expected


def copy_corpus(base: Path) -> Path:
    """The `paths-*` cases only (other areas' cases are other tests' business), with the
    settings file beside the content folder, as the site has it."""
    content = base / "content"
    for source in sorted((HOSTILE / "content").rglob("paths-*")):
        target = content / source.relative_to(HOSTILE / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    shutil.copy2(SETTINGS, base / "pelicanconf.py")
    return content


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "500"},
        encoding="utf-8",
        errors="backslashreplace",
    )


def build(base: Path, output: str, strict: bool = True) -> subprocess.CompletedProcess:
    extra = {
        "SEARCH_INDEX_DIR": str(base / f"{output}.index"),
        "CACHE_PATH": str(base / f"{output}.cache"),
    }
    if not strict:
        extra["STRICT_CONTENT"] = False
    return run(
        [
            sys.executable,
            str(ROOT / "scripts" / "build.py"),
            "content",
            "-o",
            str(base / output),
            "-s",
            str(SETTINGS),
            "-e",
            *(f"{k}={json.dumps(v)}" for k, v in extra.items()),
        ],
        base,
    )


def check(base: Path, *args: str) -> subprocess.CompletedProcess:
    return run([sys.executable, str(ROOT / "scripts" / "check_content.py"), *args, "content"], base)


def where(line: str) -> Location | None:
    match = LOCATION.search(line)
    return (match["path"], int(match["line"] or 0)) if match else None


def build_errors(log: str) -> set[Location]:
    return {
        found
        for line in log.splitlines()
        if re.match(r"^(ERROR|CRITICAL)\b", line) and (found := where(line))
    }


def check_errors(stdout: str) -> set[Location]:
    found, in_errors = set(), False
    for line in stdout.splitlines():
        if line.startswith("LỖI ("):
            in_errors = True
        elif not line.strip() or line.startswith("CẢNH BÁO ("):
            in_errors = False
        elif in_errors and (location := where(line)):
            found.add(location)
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[Location]]:
    base = tmp_path_factory.mktemp("paths-corpus")
    content = copy_corpus(base)
    return base, set(paths_expected(content))


def test_build_and_check_report_every_case_at_the_same_lines(corpus) -> None:
    base, expected = corpus
    built = build(base, "output")
    assert built.returncode == 1, built.stderr
    assert "Traceback" not in built.stderr
    checked = check(base)
    assert checked.returncode == 1
    assert "Traceback" not in checked.stderr
    from_build, from_check = build_errors(built.stderr), check_errors(checked.stdout)
    assert from_build == expected, sorted(from_build ^ expected)
    assert from_check == expected, sorted(from_check ^ expected)
    assert not (base / "output").exists()  # nothing published


def test_non_strict_build_publishes_nothing_refused(corpus) -> None:
    base, _ = corpus
    built = build(base, "lenient", strict=False)
    assert built.returncode == 0, built.stderr[-3000:]
    out = base / "lenient"
    images = sorted(p.name for p in (out / "images").iterdir())
    # Only the plain SVG and the link to it inside the content folder.
    assert images == ["paths-inside-link.svg", "paths-plain.svg"], images
    assert not list(out.rglob("*environ*")) and not (out / "images" / "paths-etc").exists()
    assert not list(out.rglob("hostname"))  # the {static} link climbing out of content/
    assert not list(out.rglob("paths-hidden.svg"))  # an SVG with a script linked from pages/
    # Overrides refused: the default places are used and the site's own pages are intact.
    assert (out / "2023" / "paths-save-as-index" / "index.html").is_file()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "Ghi đè trang chủ" in home and "<title>Ghi đè trang chủ" not in home
    assert "<feed" in (out / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "User-agent" in (out / "robots.txt").read_text(encoding="utf-8")
    story = (out / "2023" / "paths-url-external" / "index.html").read_text(encoding="utf-8")
    assert "other.example" not in story
    # Slug "../paths-gioi-thieu" stays in its folder; the page it aimed at is the page.
    assert "Giới thiệu (bản thử)" in (out / "paths-gioi-thieu" / "index.html").read_text(
        encoding="utf-8"
    )
    assert (out / "2023" / "paths-gioi-thieu" / "index.html").is_file()
    # An empty Slug: the file name's slug, not the year folder's index.
    assert (out / "2023" / "paths-slug-empty" / "index.html").is_file()
    assert not (out / "2023" / "index.html").exists()
    # A page may not take the tag index's place.
    assert "Trang chiếm chỗ chủ đề" not in (out / "chu-de" / "index.html").read_text(
        encoding="utf-8"
    )
    # The long slug is cut, the control characters are gone from the published story.
    assert [p for p in (out / "2023").iterdir() if len(p.name) > 120] == []
    control = (out / "2023" / "paths-control-chars" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", control)


def test_tags_and_authors_without_letters_get_their_own_pages(corpus) -> None:
    base, _ = corpus
    out = base / "lenient"
    if not out.exists():
        assert build(base, "lenient", strict=False).returncode == 0
    tags = sorted(p.name for p in (out / "chu-de").iterdir() if p.is_dir())
    fallbacks = [name for name in tags if re.fullmatch(r"the-[0-9a-f]{8}", name)]
    assert len(fallbacks) == 2, tags  # "???" and "🎉🎉": one page each
    index = (out / "chu-de" / "index.html").read_text(encoding="utf-8")
    assert "???" in index and 'href="' in index  # the tag index itself is still the index
    assert "<h1" in index and "Thẻ không có chữ" not in index.split("<h1", 1)[1].split("</h1>")[0]
    assert any(re.fullmatch(r"tac-gia-[0-9a-f]{8}", p.name) for p in (out / "tac-gia").iterdir())
    # A 300-character tag: its page exists, under a name every file system takes.
    long = [name for name in tags if name.startswith("to-tu-quan-an-ninh")]
    assert len(long) == 1 and len(long[0]) <= 120 and re.search(r"-[0-9a-f]{6}$", long[0])


def test_make_fix_removes_control_characters(tmp_path: Path) -> None:
    content = copy_corpus(tmp_path)
    paths_expected(content)
    story = content / "articles" / "paths-control-chars.md"
    for other in content.rglob("*"):  # only the control characters' story
        if other.is_symlink() or (other.exists() and not other.is_dir() and not other.is_file()):
            other.unlink()
    fixed = check(tmp_path, "--fix")
    assert "xóa 1 ký tự điều khiển" in fixed.stdout and "xóa 2 ký tự điều khiển" in fixed.stdout
    text = story.read_bytes().decode("utf-8")
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text)
    assert "Ngắt dòng của Word ngay giữa câu." in text  # U+000B became a space
    assert text.endswith("Windows.\r\n")  # CRLF kept
    left = {
        loc
        for loc in check_errors(check(tmp_path).stdout)
        if loc[0].endswith("paths-control-chars.md")
    }
    assert left == {("articles/paths-control-chars.md", 14)}  # only the link out remains

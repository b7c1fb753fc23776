"""Issue 11: a build, failed, killed or run twice at once, never loses or damages
the site or the search index, and every user mistake gets one line naming the file.

Every test runs the real build (scripts/build.py over Pelican with the site's
settings) on a copy of content/ in a temporary folder, and searches with the
real scripts/search.py.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from support import ROOT
from support.locks import wait_until_blocked
from support.pausable_build import NEW_URL, Site
from tdbvantq.writes import exclusive_lock


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def wait_for(path: Path, child: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if child.poll() is not None:
            raise AssertionError(f"build ended early: {child.stderr.read().decode()}")
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    built = Site(tmp_path)
    result = built.build()
    assert result.returncode == 0, result.stderr
    return built


def test_failed_build_changes_neither_output_nor_index(site: Site) -> None:
    """Two articles with one Slug: the build fails, and search does not find them
    at an address that does not exist."""
    before = snapshot(site.output)
    site.add("chim-hong-hac", 1, name="mot")
    site.add("chim-hong-hac", 2, name="hai")
    result = site.build()
    assert result.returncode != 0
    assert "left unchanged" in result.stderr and "Traceback" not in result.stderr
    assert any(
        ".md:5: written to the same file as" in line and "mot.md" in line and "hai.md" in line
        for line in result.stderr.splitlines()
    )
    assert snapshot(site.output) == before
    assert NEW_URL not in site.search("chim hồng hạc")
    assert site.leftovers() == []

    (site.content / "articles" / "2024" / "hai.md").unlink()
    assert site.build().returncode == 0
    assert site.search("chim hồng hạc")[0] == NEW_URL
    assert (site.output / NEW_URL / "index.html").is_file()
    # The browser index exported by the same build is the new generation's.
    fragments = b"".join(
        gzip.decompress(p.read_bytes()) for p in (site.output / "search" / "f").iterdir()
    )
    assert NEW_URL.encode() in fragments


@pytest.mark.parametrize("moment", ["index-written", "site-written"])
def test_build_failing_after_the_index_was_written_changes_nothing(site: Site, moment: str) -> None:
    before = snapshot(site.output)
    current = (site.index / "CURRENT").read_text(encoding="utf-8")
    site.add("chim-hong-hac")
    result = subprocess.run(
        site.command(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "FAIL_AT": moment},
    )
    assert result.returncode != 0 and "failing on purpose" in result.stderr
    assert len(list(site.index.glob("gen-*[0-9]"))) == 2  # written, never made current
    assert (site.index / "CURRENT").read_text(encoding="utf-8") == current
    assert snapshot(site.output) == before
    assert NEW_URL not in site.search("chim hồng hạc")
    assert site.build().returncode == 0
    assert site.search("chim hồng hạc")[0] == NEW_URL


@pytest.mark.parametrize("moment", ["articles-read", "index-written", "site-written"])
def test_killed_build_changes_nothing_and_the_next_build_cleans_up(site: Site, moment: str) -> None:
    before = snapshot(site.output)
    current = (site.index / "CURRENT").read_text(encoding="utf-8")
    site.add("chim-hong-hac")
    child, mark = site.start(moment)
    try:
        wait_for(mark, child)
        if moment == "index-written":  # the new generation exists, but is not current
            assert len(list(site.index.glob("gen-*[0-9]"))) == 2
        if moment == "site-written":  # the whole new site is written, search export too
            assert list(site.output.parent.glob("output.staging-*/search/manifest.json.gz"))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
        child.stderr.close()
    assert snapshot(site.output) == before
    assert (site.index / "CURRENT").read_text(encoding="utf-8") == current
    assert NEW_URL not in site.search("chim hồng hạc")
    assert any(name.startswith("output.staging-") for name in site.leftovers())

    result = site.build()
    assert result.returncode == 0, result.stderr
    assert "left by a build that was killed" in result.stderr
    assert site.leftovers() == []
    assert site.search("chim hồng hạc")[0] == NEW_URL
    assert (site.output / NEW_URL / "index.html").is_file()


def test_leftovers_of_a_running_build_are_never_removed(site: Site) -> None:
    """While another build holds the lock, a build waits and touches nothing."""
    running = site.output.parent / "output.staging-running"
    (running / "2024").mkdir(parents=True)
    with exclusive_lock(site.output.parent):
        child = subprocess.Popen(
            site.command(), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        first = child.stderr.readline()  # its first words: the lock is taken, it will wait
        assert "another build" in first, first
        # Blocked in flock() on the output's folder, or past it (ended, or started staging).
        wait_until_blocked(
            site.output.parent, lambda: child.poll() is not None or len(site.leftovers()) > 1
        )
        assert running.is_dir()
        assert site.leftovers() == [running.name]  # no staging folder of its own yet
    out, err = child.communicate(timeout=300)
    err = first + err
    assert child.returncode == 0, err
    assert "another build" in err
    assert not running.exists()  # its owner is gone now: removed
    assert site.leftovers() == []


def test_two_builds_at_once_both_succeed_and_lose_nothing(site: Site) -> None:
    site.add("chim-hong-hac")
    children = [
        subprocess.Popen(site.command(), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for child in children:
        child.communicate(timeout=300)
        assert child.returncode == 0
    assert site.leftovers() == []
    assert (site.output / NEW_URL / "index.html").is_file()
    assert (site.output / "search" / "manifest.json.gz").is_file()
    assert site.search("chim hồng hạc")[0] == NEW_URL


def test_damaged_segment_is_rebuilt_with_a_warning_naming_it(site: Site) -> None:
    generation = site.index / json.loads((site.index / "CURRENT").read_text())["generation"]
    segment = next(generation.glob("*.seg"))
    segment.write_bytes(os.urandom(segment.stat().st_size))  # same size: only a checksum sees it

    searched = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "search.py"),
            "--index",
            str(site.index),
            "dong ho",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert searched.returncode == 1
    assert "Traceback" not in searched.stderr
    assert len(searched.stderr.strip().splitlines()) == 1
    assert "chỉ mục tìm kiếm bị hỏng" in searched.stderr and "make html" in searched.stderr

    result = site.build()
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warning = [line for line in result.stderr.splitlines() if "damaged search index" in line]
    assert warning and segment.name in warning[0] and "checksum" in warning[0]
    assert "dong-ho-tu-quan" in site.search("dong ho tu quan")[0]


# --- user mistakes: one line naming the file, no traceback -------------------------------

BAD_FILES = {
    "unreal-offset": (
        "Date: 2023-05-01 08:00+99:00",
        ":2: Date có múi giờ không có thật hoặc ngày giờ không có thật: “2023-05-01 08:00+99:00”",
    ),
    "date-without-time": (
        "Date: 2023-01-01",
        ":2: Date không đúng dạng NĂM-THÁNG-NGÀY GIỜ:PHÚT: “2023-01-01”",
    ),
    "script": (
        "Date: 2023-05-01 08:00+07:00\n\n<script>alert(1)</script>",
        ":4: Có thẻ HTML <script>",
    ),
    "event-attribute": (
        "Date: 2023-05-01 08:00+07:00\n\n<img src=x onerror=alert(1)>",
        ":4: Có thuộc tính sự kiện onerror=…",
    ),
    "javascript-link": (
        "Date: 2023-05-01 08:00+07:00\n\n[bấm](javascript:alert(1))",
        ":4: Có đường dẫn javascript:",
    ),
    "iframe": (
        'Date: 2023-05-01 08:00+07:00\n\n<iframe src="https://evil.example/x"></iframe>',
        ":4: Có thẻ HTML <iframe>",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_article_gives_one_line_naming_the_file(site: Site, name: str) -> None:
    header, expected = BAD_FILES[name]
    path = site.content / "articles" / "2024" / f"{name}.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"Title: Bài hỏng\n{header}\n\nNội dung.\n", encoding="utf-8")
    before = snapshot(site.output)
    result = site.build()
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = [
        line
        for line in result.stderr.splitlines()
        if line.startswith("ERROR:") and f"{name}.md:" in line
    ]
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert snapshot(site.output) == before

    if name in ("script", "iframe", "event-attribute", "javascript-link"):
        # The content checker says the same thing, in the same words.
        checked = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "check_content.py"), str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert expected.split(": ", 1)[1] in checked.stdout


def test_markup_in_code_and_trusted_iframes_build(site: Site) -> None:
    path = site.content / "articles" / "2024" / "nhung-video.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        "Title: Nhúng video\nDate: 2024-05-01 08:00+02:00\n\n"
        'Viết `<script>` trong mã thì không sao.\n\n    <iframe src="x"></iframe>\n\n'
        '<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>\n',
        encoding="utf-8",
    )
    refused = site.build()
    assert refused.returncode == 1 and "nhung-video.md:8:" in refused.stderr
    hosts = json.dumps(["www.youtube-nocookie.com"])
    result = site.build("-e", f"STRICT_CONTENT_IFRAME_HOSTS={hosts}")
    assert result.returncode == 0, result.stderr
    page = (site.output / "2024" / "nhung-video" / "index.html").read_text(encoding="utf-8")
    assert "youtube-nocookie.com/embed/abc" in page and "<code>&lt;script&gt;</code>" in page


def test_any_real_utc_offset_is_accepted(site: Site) -> None:
    for n, offset in enumerate(["+02:00", "-05:00", "Z", "+05:45"], 1):
        path = site.content / "articles" / "2024" / f"mui-gio-{n}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(
            f"Title: Múi giờ {n}\nDate: 2024-05-0{n} 08:00{offset}\n\nNội dung.\n", encoding="utf-8"
        )
    result = site.build()
    assert result.returncode == 0, result.stderr


def test_model_without_name_fails_the_build_in_one_line(site: Site) -> None:
    broken = site.content / "models" / "khong-ten.md"
    shutil.copy(ROOT / "tests" / "fixtures" / "bad_models" / "models" / "khong-ten.md", broken)
    result = site.build()
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert any("khong-ten.md" in line for line in result.stderr.splitlines() if "CRITICAL" in line)


def test_serve_survives_a_broken_model_file_and_rebuilds_after_the_fix(site: Site) -> None:
    """`make serve` (scripts/serve.py): a plugin's error must not end it."""
    broken = site.content / "models" / "khong-ten.md"
    server = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "scripts" / "serve.py"),
            str(site.content),
            "-o",
            str(site.base / "serve"),
            "-s",
            str(ROOT / "pelicanconf.py"),
            "--port",
            "0",
            "-e",
            f"SEARCH_INDEX_DIR={json.dumps(str(site.index))}",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    everything: list[str] = []
    threading.Thread(
        target=lambda: [(lines.put(line), everything.append(line)) for line in server.stdout],
        daemon=True,
    ).start()
    try:
        wait_for_line(lines, "Done:")
        shutil.copy(ROOT / "tests" / "fixtures" / "bad_models" / "models" / "khong-ten.md", broken)
        seen = wait_for_line(lines, "the model has no name")
        assert "khong-ten.md" in seen
        time.sleep(3)
        assert server.poll() is None  # still serving
        broken.unlink()
        wait_for_line(lines, "Done:")
        assert server.poll() is None
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    assert "Traceback" not in "".join(everything)


def wait_for_line(lines: queue.Queue[str], text: str, seconds: float = 120) -> str:
    """The first line holding `text`, and every line before it read."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        if text in line:
            return line
    raise AssertionError(f"no line with {text!r} within {seconds} s")


def test_search_piped_into_head_exits_quietly(site: Site) -> None:
    for query in ("dong ho", "-"):
        result = subprocess.run(
            f"{sys.executable} {ROOT / 'scripts' / 'search.py'} --index {site.index} {query!r}"
            " | head -c 10",
            shell=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            input="dong ho\n" * 2000,
            executable="/bin/bash",
        )
        assert result.stderr == "", result.stderr
        assert len(result.stdout) <= 10


def test_search_head_exit_status(site: Site) -> None:
    """The searcher itself exits 0 when its reader goes away."""
    result = subprocess.run(
        [
            "/bin/bash",
            "-c",
            f"{sys.executable} {ROOT / 'scripts' / 'search.py'} --index {site.index} - "
            "| head -n 1 >/dev/null; echo ${PIPESTATUS[0]}",
        ],
        input="dong ho\n" * 5000,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "0" and result.stderr == ""

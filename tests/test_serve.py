"""`make serve` (scripts/serve.py) on a temporary content folder, over real HTTP: a broken
file is reported once and the server then waits idle (no rebuild loop, no CPU); fixing it
rebuilds the site; a file saved while a build runs triggers one more build."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from support import ROOT

GOOD = """\
Title: {title}
Date: {date}
Author: Ban biên tập
Category: Tin tức
Slug: {slug}
Summary: Một bài ngắn để kiểm tra việc dựng lại trang khi tệp thay đổi.

Nội dung bài {slug}.
"""
BAD_DATE = "Title: Ngày sai\nDate: 2023-13-45 08:57\n\nNội dung.\n"


def article(slug: str, date: str = "2023-12-05 08:57+07:00", title: str = "Tin thử") -> str:
    return GOOD.format(title=title, date=date, slug=slug)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and of the children it has waited for (the builds)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


class Server:
    def __init__(self, process: subprocess.Popen, log: Path, output: Path, port: int) -> None:
        self.process, self.log_file, self.output, self.port = process, log, output, port

    @property
    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace")

    def count(self, text: str) -> int:
        return self.log.count(text)

    def get(self, path: str) -> int:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=10) as answer:
            return answer.status


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    content = tmp_path / "content"
    (content / "articles" / "2023").mkdir(parents=True)
    (content / "articles" / "2023" / "a.md").write_text(article("a"), encoding="utf-8")
    output, log, port = tmp_path / "output", tmp_path / "serve.log", free_port()
    overrides = {"SEARCH_INDEX_DIR": str(tmp_path / "index"), "CACHE_PATH": str(tmp_path / "cache")}
    cmd = [
        sys.executable,
        str(ROOT / "scripts" / "serve.py"),
        str(content),
        "-o",
        str(output),
        "-s",
        str(ROOT / "pelicanconf.py"),
        "--port",
        str(port),
        "-e",
        *(f"{k}={json.dumps(v)}" for k, v in overrides.items()),
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            cmd, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    running = Server(process, log, output, port)
    try:
        wait_for(lambda: "đang phục vụ" in running.log, "the first build")
        yield running, content
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_a_broken_file_is_reported_once_then_the_server_waits_idle(server) -> None:
    running, content = server
    assert running.get("2023/a/") == 200
    built = running.count("đã dựng xong")
    (content / "articles" / "2023" / "bad.md").write_text(BAD_DATE, encoding="utf-8")
    wait_for(lambda: "dựng trang lỗi" in running.log, "the failed build")
    before_log, before_cpu = running.log, cpu_seconds(running.process.pid)
    time.sleep(4)
    # Nothing more: no second build, no new line, no CPU spent.
    assert running.log == before_log
    assert cpu_seconds(running.process.pid) - before_cpu < 0.3
    errors = [
        line
        for line in before_log.splitlines()
        if line.startswith("ERROR:")
        and "bad.md:2: Date không đúng dạng NĂM-THÁNG-NGÀY GIỜ:PHÚT: “2023-13-45 08:57”" in line
    ]
    assert len(errors) == 1, before_log
    assert "Traceback" not in before_log
    assert running.count("đang dựng lại") == 1
    # The last good site is still served; the fix rebuilds it.
    assert running.get("2023/a/") == 200
    (content / "articles" / "2023" / "bad.md").write_text(article("bad"), encoding="utf-8")
    wait_for(lambda: running.count("đã dựng xong") == built + 1, "the rebuild after the fix")
    assert running.get("2023/bad/") == 200


def test_a_save_during_a_build_triggers_one_more_build(server) -> None:
    running, content = server
    built = running.count("đã dựng xong")
    (content / "articles" / "2023" / "a.md").write_text(
        article("a", title="Tin đã sửa"), encoding="utf-8"
    )
    wait_for(lambda: running.count("đang dựng lại") == 1, "the rebuild to start")
    # Saved while that build runs (a build takes more than a second).
    (content / "articles" / "2023" / "b.md").write_text(article("b"), encoding="utf-8")
    assert running.count("đã dựng xong") == built
    wait_for(lambda: (running.output / "2023" / "b" / "index.html").is_file(), "b.md's page")
    wait_for(lambda: running.count("đã dựng xong") == built + 2, "the second build to finish")
    assert running.count("đang dựng lại") == 2
    assert running.get("2023/b/") == 200
    assert "Tin đã sửa" in (running.output / "2023" / "a" / "index.html").read_text(
        encoding="utf-8"
    )

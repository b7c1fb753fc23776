"""Issue 20: the terminal search never prints a control character raw, whether it comes
from the query or from the index (a title holding an escape sequence)."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from search_index.plugin import collect_documents
from sitebench.search_corpus import ACRONYMS, articles, models
from support import ROOT
from tdbvantq.search import SearchDocument, build_index

SCRIPT = str(ROOT / "scripts" / "search.py")
ESC_TITLE = "Camera an ninh \x1b]0;pwned\x07\x1b[2J tổ dân phố \x9b31m đỏ \x00 hết"
HOSTILE = SearchDocument(
    id="article:2024/camera-escape/",
    kind="article",
    url="2024/camera-escape/",
    title=ESC_TITLE,
    body="Tổ dân phố lắp camera an ninh \x1b[31mđỏ\x1b[0m &#27;[5m ở đầu ngõ.",
    date="2024-07-01T09:00:00+07:00",
)
# What a terminal would act on: ESC, BEL, NUL, and the one-character CSI.
RAW = ("\x1b[2J", "\x1b]", "\x07", "\x9b", "\x00", "\x1b[31m", "\x1b[5m")


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("escape") / "index"
    build_index(path, [*collect_documents(articles(), models()), HOSTILE], ACRONYMS)
    return path


def on_terminal(*args: str) -> str:
    """Run search.py with its stdout on a real pseudo-terminal; what the terminal got."""
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, SCRIPT, *args], stdout=follower, stderr=follower, cwd=ROOT
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    child.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_title_and_query_escapes_are_shown_not_run_on_a_terminal(index_dir) -> None:
    shown = on_terminal("--index", str(index_dir), "camera an ninh \x1b[2J\x9b")
    assert "camera-escape" in shown
    # The only escape sequences are the highlight's own bold-yellow and reset.
    without_highlight = shown.replace("\x1b[1;33m", "").replace("\x1b[0m", "")
    for raw in RAW:
        assert raw not in without_highlight
    assert "\\x1b[2J" in shown and "\\x9b" in shown  # the query as typed, made visible
    assert "\\x1b]0;pwned\\x07" in shown  # the title's, made visible
    assert "\x1b[1;33m" in shown  # highlights still work


def test_pipes_and_json_never_carry_raw_controls(index_dir) -> None:
    plain = subprocess.run(
        [sys.executable, SCRIPT, "--index", str(index_dir), "camera an ninh \x1b[2J"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert plain.returncode == 0
    assert not any(raw in plain.stdout for raw in RAW) and "\x1b" not in plain.stdout
    for args in (["--json", "camera \x1b[2J \x9b"], ["-"]):
        result = subprocess.run(
            [sys.executable, SCRIPT, "--index", str(index_dir), *args],
            input="camera \x1b[2J \x9b\n",
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert not any(raw in result.stdout for raw in RAW)
        data = json.loads(result.stdout.splitlines()[0] if args == ["-"] else result.stdout)
        assert data["query"] == "camera \x1b[2J \x9b"  # escaped in JSON, not changed
        assert any(hit["title"] == ESC_TITLE for hit in data["results"])


def test_unknown_model_error_is_escaped(index_dir) -> None:
    result = subprocess.run(
        [sys.executable, SCRIPT, "--index", str(index_dir), "--model", "x\x1b[2J\x9b", "camera"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\x9b" not in result.stderr

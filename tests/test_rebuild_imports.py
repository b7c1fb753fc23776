"""What a rebuild's own process imports (issue 24): after one edit, with every other
story's page cached, the build's process leaves the search engine (Whoosh, numpy) to
search_index's background process, which indexes the edit; importing it there cost the
rebuild's critical path ~0.12 s of CPU at 1,000 stories. And a model description
without Markdown syntax is read without bs4 (soupsieve's patterns: ~0.06 s)."""

from __future__ import annotations

import json
import subprocess
import sys

from bs4 import BeautifulSoup

from model_catalog.catalog import markdown_to_html, markdown_to_text
from support import build_with_caches
from support.newsroom import NOW, write_newsroom_content

# Runs scripts/build.py (sys.argv[1]) in this process and, when the build's process ends
# (not a forked one: they end with os._exit, and the pid is checked), writes which of
# these modules it imported.
REPORT = """
import atexit, json, os, runpy, sys
WATCHED = ("numpy", "whoosh", "tdbvantq.search.store", "bs4", "soupsieve")
pid, report = os.getpid(), os.environ["IMPORTS_REPORT"]
def done():
    if os.getpid() == pid:
        with open(report, "w") as f:
            json.dump(sorted(m for m in WATCHED if m in sys.modules), f)
atexit.register(done)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_a_rebuild_with_every_story_cached_imports_no_search_engine(tmp_path, monkeypatch):
    write_newsroom_content(tmp_path / "content")
    cold = build_with_caches(tmp_path, "out", now=NOW)
    assert cold.returncode == 0, cold.stderr
    story = next((tmp_path / "content" / "articles" / "2026").glob("*.md"))
    story.write_text(
        story.read_text("utf-8") + "\nMột đoạn bổ sung sau khi đăng.\n", encoding="utf-8"
    )
    report = tmp_path / "imports.json"
    monkeypatch.setenv("IMPORTS_REPORT", str(report))
    rebuild = build_with_caches(tmp_path, "out", now=NOW, python_args=["-c", REPORT])
    assert rebuild.returncode == 0, rebuild.stderr
    # The rebuild did index the edit, in the background process.
    assert "search index" in rebuild.stderr and "1 changed" in rebuild.stderr, rebuild.stderr
    assert json.loads(report.read_text()) == []


def test_plain_model_descriptions_are_read_without_bs4_and_as_bs4_reads_them():
    code = """
import json, sys
from model_catalog.catalog import markdown_to_text
text = markdown_to_text("Tổ tự quản (khu dân cư): camera an ninh, 24/7.\\n\\nMô hình mới  \\nở phường")
print(json.dumps([text, "bs4" in sys.modules]))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    text, imported = json.loads(done.stdout)
    assert text == "Tổ tự quản (khu dân cư): camera an ninh, 24/7. Mô hình mới ở phường"
    assert not imported


def test_markdown_to_text_gives_the_parsers_text_for_plain_and_marked_up_descriptions():
    def parsed(text: str) -> str:
        soup = BeautifulSoup(markdown_to_html(text), "html.parser")
        for block in soup.find_all(["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"]):
            block.append(" ")
        return " ".join(soup.get_text().split())

    cases = [
        "Một đoạn.\n\nĐoạn hai, có (ngoặc) và 50% số hộ.",
        "Dòng một  \nxuống dòng",
        "1986. Năm đổi mới",  # an ordered list: the number is not text
        "Tiêu đề\n===\nthân",  # a heading underlined
        "- mục một\n- mục hai",
        "> trích dẫn",
        "    mã lệnh",
        "**đậm** và _nghiêng_",
        "A &amp; B <b>c</b>",
        "[liên kết](https://example.org)",
        "Chữ\x02lạ",
        "Ô\n\n---\n\nkẻ ngang",
    ]
    for case in cases:
        assert markdown_to_text(case) == parsed(case), case

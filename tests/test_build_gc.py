"""scripts/build.py freezes the site for the garbage collector once it is read (issue 24,
`rebuild9`): full collections of the build's process no longer walk the ~1.5 million
objects of a 10,000-story site. The site stays frozen while the pages are written, also
after render_cache forks its copy for the story pages, and to the end of the command's
process (its last collection skips it); `build()` called in a longer-lived process thaws
it when Pelican returns. The site built is the same (the render cache tests compare
bytes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from support import ROOT, build_with_caches
from support.newsroom import NOW, write_newsroom_content

# Runs scripts/build.py (sys.argv[1]) in this process and writes how many objects were
# frozen when the story pages started, when the list pages were written (after the copy
# was forked) and when the build's process ended.
REPORT = """
import atexit, gc, json, os, runpy, sys
from pelican.plugins import signals
pid, seen = os.getpid(), {}
def note(name):
    def receiver(*args, **kwargs):
        if os.getpid() == pid:
            seen.setdefault(name, gc.get_freeze_count())
    return receiver
signals.article_generator_write_article.connect(note("story pages"), weak=False)
signals.article_writer_finalized.connect(note("list pages written"), weak=False)
def done():
    if os.getpid() == pid:
        seen["end"] = gc.get_freeze_count()
        with open(os.environ["FROZEN_REPORT"], "w") as f:
            json.dump(seen, f)
atexit.register(done)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_the_site_is_frozen_once_read_and_thawed_after(tmp_path: Path, monkeypatch) -> None:
    write_newsroom_content(tmp_path / "content")
    report = tmp_path / "frozen.json"
    monkeypatch.setenv("FROZEN_REPORT", str(report))
    for name in ("cold", "rebuild"):
        result = build_with_caches(
            tmp_path, "out", "RENDER_CACHE_SPLIT=2", now=NOW, python_args=["-c", REPORT]
        )
        assert result.returncode == 0, result.stderr
        assert "by a copy" in result.stderr  # the copy was forked: its freeze is undone
        frozen = json.loads(report.read_text())
        # Every story and page, its metadata and what plugins added: far more than the
        # interpreter's own objects frozen by nobody else (none, before the build).
        assert frozen["story pages"] > 50_000, (name, frozen)
        # Still frozen after the fork (frozen objects that died since are gone from it).
        assert frozen["list pages written"] > 0.9 * frozen["story pages"], (name, frozen)
        assert frozen["end"] > 0.9 * frozen["story pages"], (name, frozen)


def test_build_called_in_a_longer_lived_process_thaws_the_site(tmp_path: Path) -> None:
    write_newsroom_content(tmp_path / "content")
    code = f"""
import gc, json, sys
sys.path.insert(0, {str(ROOT / "scripts")!r})
from build import build
build(__import__("pathlib").Path({str(tmp_path / "out")!r}),
      [{str(tmp_path / "content")!r}, "-s", {str(ROOT / "pelicanconf.py")!r}, "-e",
       'CACHE_PATH="{tmp_path / "cache"}"', 'SEARCH_INDEX_DIR="{tmp_path / "index"}"'])
print(json.dumps(gc.get_freeze_count()))
"""
    env = {**os.environ, "SITE_BUILD_NOW": NOW}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == 0
    assert (tmp_path / "out" / "index.html").exists()

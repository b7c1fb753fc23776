"""A copy of content/ built by scripts/build.py as `make html` does, with a plugin that
makes the build pause or fail at a chosen moment, so a test can kill it there."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from pelican.settings import get_settings_from_file

from support.search import search_urls
from support.site import ROOT

NEW_URL = "2024/chim-hong-hac/"


def wait_for_removals(output: Path, timeout: float = 60.0) -> None:
    """Wait until the replaced sites scripts/build.py handed to a background removal
    (`<output>.trash-*`, tdbvantq.writes.remove_in_background) are removed."""
    deadline = time.monotonic() + timeout
    while any(output.parent.glob(f"{output.name}.trash-*")) and time.monotonic() < deadline:
        time.sleep(0.05)


NEW_ARTICLE = """\
Title: Tổ tự quản nuôi chim hồng hạc
Date: 2024-03-05 08:00+07:00
Author: Ban biên tập
Category: Tin tức
Slug: {slug}
Summary: Một tổ tự quản ở cơ sở nuôi chim hồng hạc để giữ gìn an ninh trật tự.

Tổ tự quản nuôi chim hồng hạc {n} họp mỗi tuần.
"""

# A plugin that makes the build wait (or fail) at one moment, so a test can kill it there.
PAUSE_PLUGIN = """
import os, pathlib, time
from pelican import signals
from search_index import plugin as search_index

def _pause(moment):
    def handler(*args, **kwargs):
        if moment == "site-written":  # the search work, done in the background, is part of it
            search_index.finish_index(None)
        if os.environ.get("FAIL_AT") == moment:
            raise RuntimeError("failing on purpose at " + moment)
        if os.environ.get("PAUSE_AT") == moment:
            pathlib.Path(os.environ["PAUSE_MARK"]).write_text(moment)
            time.sleep(120)
    return handler

def pause_at_index_written(generation):
    _pause("index-written")()

def index_written(settings):
    return pause_at_index_written

def register():
    # weak=False: blinker would otherwise drop these closures at once
    signals.article_generator_finalized.connect(_pause("articles-read"), weak=False)
    # In search_index's background process, right after the new generation is written.
    search_index.after_index.connect(index_written, weak=False)
    signals.finalized.connect(_pause("site-written"), weak=False)
"""


class Site:
    """A copy of content/ with its own output/ and search index, built as `make html` does."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.content = base / "content"
        self.output = base / "site" / "output"
        self.index = base / "search-index"
        shutil.copytree(ROOT / "content", self.content)
        self.plugins = base / "plugins"
        self.plugins.mkdir()
        (self.plugins / "pause_build.py").write_text(PAUSE_PLUGIN, encoding="utf-8")

    def command(self, *extra: str) -> list[str]:
        plugins = get_settings_from_file(str(ROOT / "pelicanconf.py"))["PLUGINS"]
        return [
            sys.executable,
            str(ROOT / "scripts" / "build.py"),
            str(self.content),
            "-o",
            str(self.output),
            "-s",
            str(ROOT / "pelicanconf.py"),
            "-e",
            f"SEARCH_INDEX_DIR={json.dumps(str(self.index))}",
            f"PLUGIN_PATHS={json.dumps([str(self.plugins)])}",
            f"PLUGINS={json.dumps([*plugins, 'pause_build'])}",
            *extra,
        ]

    def build(self, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.command(*extra), cwd=ROOT, capture_output=True, text=True, timeout=300
        )

    def start(self, pause_at: str) -> tuple[subprocess.Popen, Path]:
        mark = self.base / f"paused-{pause_at}"
        env = {**os.environ, "PAUSE_AT": pause_at, "PAUSE_MARK": str(mark)}
        child = subprocess.Popen(
            self.command(), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        return child, mark

    def add(self, slug: str, n: int = 1, name: str | None = None) -> Path:
        path = self.content / "articles" / "2024" / f"{name or slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(NEW_ARTICLE.format(slug=slug, n=n), encoding="utf-8")
        return path

    def search(self, query: str) -> list[str]:
        return search_urls(self.index, query)

    def leftovers(self, settled: bool = True) -> list[str]:
        """What lies beside the site; `settled`: once the replaced sites the builds
        handed to the background removal are gone."""
        if settled:
            wait_for_removals(self.output)
        return sorted(p.name for p in self.output.parent.iterdir() if p.name != "output")

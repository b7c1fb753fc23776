"""Shared fixtures: building the site, serving files over HTTP, a real browser.

Every test module may use these; none of them mocks Pelican, the network
stack or the browser.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from devtools.browser import CHROMIUM, CHROMIUM_ARGS, serve_directory
from vnsearch.schema import TERMS

ROOT = Path(__file__).resolve().parents[1]
# SHARED_DIR points elsewhere (a git worktree beside the clone has no ../shared of its own).
SHARED = Path(os.environ.get("SHARED_DIR") or ROOT.parent / "shared")
ARTIFACTS = ROOT / "test-artifacts"  # git-ignored: screenshots for people to look at



def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `shared_data` read ../shared (seeds, saved pages, XQuAD).

    This project's CI always has it; a fork's CI (GitHub Actions) does not, and
    there those tests are skipped with a reason instead of failing.
    """
    if SHARED.is_dir():
        return
    skip = pytest.mark.skip(reason=f"needs the benchmark data in {SHARED}")
    for item in items:
        if item.get_closest_marker("shared_data"):
            item.add_marker(skip)


def whoosh_matcher_postings(engine, term: str) -> list[tuple[int, int]]:
    """A term's (docnum, q) through Whoosh's own matcher API, one posting at a time
    (slow, obviously right): what the engine's fast postings reader must equal."""
    if (TERMS, term) not in engine.reader:
        return []
    matcher = engine.searcher.postings(TERMS, term)
    items = []
    while matcher.is_active():
        items.append((matcher.id(), int(matcher.weight())))
        matcher.next()
    return items


def run_pelican(
    content: Path | str,
    output: Path | str,
    *,
    settings: str = "pelicanconf.py",
    extra: dict | None = None,
    atomic: bool = False,
) -> subprocess.CompletedProcess:
    """Build `content` into `output` in a subprocess, as `make html` does.

    `extra` becomes Pelican's `-e KEY=JSON` overrides. With `atomic`, the build
    goes through scripts/build.py (build aside, then swap), as the Makefile does.
    """
    if atomic:
        cmd = [sys.executable, str(ROOT / "scripts" / "build.py")]
    else:
        cmd = [sys.executable, "-m", "pelican"]
    cmd += [str(content), "-o", str(output), "-s", str(ROOT / settings)]
    if extra:
        cmd.append("-e")
        cmd += [f"{key}={json.dumps(value)}" for key, value in extra.items()]
    # Pelican's rich log handler wraps lines at the terminal's width, which for a
    # captured run is 80 columns: a wide one keeps each message on one line.
    env = {**os.environ, "COLUMNS": "500"}
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)


@dataclass
class BuiltSite:
    output: Path
    index_dir: Path
    log: str


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The real site, built once per session from content/ into a temporary folder."""
    base = tmp_path_factory.mktemp("site")
    output, index_dir = base / "output", base / "search-index"
    result = run_pelican(ROOT / "content", output, extra={"SEARCH_INDEX_DIR": str(index_dir)})
    assert result.returncode == 0, f"site build failed:\n{result.stdout}\n{result.stderr}"
    return BuiltSite(output=output, index_dir=index_dir, log=result.stdout + result.stderr)


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    """Base URL of the built site served by a plain static HTTP server."""
    with serve_directory(built_site.output) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (no downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page; console errors and page errors are collected in `page.errors`."""
    context = browser.new_context(locale="vi-VN")
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda msg: tab.errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    yield tab
    context.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

"""Shared fixtures: building the site, serving files over HTTP, a real browser.

Every test module may use these; none of them mocks Pelican, the network
stack or the browser. Fixtures and hooks only: what a test imports is in
tests/support/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sitebench.browser import CHROMIUM, CHROMIUM_ARGS, serve_directory
from support import ARTIFACTS, ROOT, SHARED, BuiltSite, run_pelican
from support.browser import AXE


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


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    return AXE.read_text(encoding="utf-8")

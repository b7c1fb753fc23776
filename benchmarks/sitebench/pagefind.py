"""Pagefind (PyPI `pagefind[bin]`, requirements-bench.txt), the engine a user would
pick instead, run on a built site and queried through its real browser API in
headless Chromium.

Pagefind indexes article and model pages only (`<main>` as root), the pages
this project's search indexes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from sitebench.sitebuild import BenchError, Timing, run_timed

RESULTS_SHOWN = 10  # both search pages render the first 10 hits with their excerpts
PAGE_GLOB = "{[0-9][0-9][0-9][0-9],mo-hinh}/**/*.html"
SEARCH_PAGE = "pagefind-search.html"


def available() -> bool:
    try:
        import pagefind  # noqa: F401, PLC0415 - benchmark-only dependency
    except ImportError:
        return False
    return True


def index_site(site: Path, nice: bool = False, cap: int | None = None) -> Timing:
    """Index a built site into site/pagefind/ and write its search page; time taken.
    `cap`: kill Pagefind over this many resident bytes (sitebuild.run_timed)."""
    timing = run_timed(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(site),
            "--root-selector",
            "main",
            "--glob",
            PAGE_GLOB,
            "--quiet",
        ],
        f"pagefind on {site}",
        nice,
        cap,
    )
    write_search_page(site)
    return timing


def index_plain_site(site: Path, nice: bool = False, cap: int | None = None) -> Timing:
    """Pagefind with its defaults (every HTML page, whole body) over a site built
    with Pelican's own theme, which has no `main` and no search page; time taken."""
    return run_timed(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--quiet"],
        f"pagefind on {site}",
        nice,
        cap,
    )


# The site's search.html with Pagefind's JS API in place of the project's script:
# same page, same markup, the first RESULTS_SHOWN hits with their excerpts.
SEARCH_SCRIPT = """<script type="module">
const form = document.getElementById("search-form");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const results = document.getElementById("search-results");
const pagefind = await import("./pagefind/pagefind.js");
window.pagefind = pagefind;
async function run(q) {
  const search = await pagefind.search(q);
  const data = await Promise.all(search.results.slice(0, RESULTS_SHOWN).map((r) => r.data()));
  results.replaceChildren(...data.map((d) => {
    const li = document.createElement("li");
    const h = document.createElement("h2");
    const a = document.createElement("a");
    a.href = d.url; a.textContent = d.meta.title || d.url;
    h.append(a);
    const p = document.createElement("p");
    p.innerHTML = d.excerpt;
    li.append(h, p);
    return li;
  }));
  status.textContent = search.results.length
    ? `Tìm thấy ${search.results.length} kết quả cho “${q}”`
    : `Không tìm thấy kết quả nào cho “${q}”`;
}
form.addEventListener("submit", (e) => { e.preventDefault(); run(input.value); });
const q = new URLSearchParams(location.search).get("q");
if (q) { input.value = q; run(q); }
window.pagefindReady = true;
</script>""".replace("RESULTS_SHOWN", str(RESULTS_SHOWN))

_PROJECT_SCRIPT = re.compile(r'<script type="module" src="[^"]*search\.js"></script>')


def write_search_page(site: Path) -> Path:
    page = (site / "search.html").read_text(encoding="utf-8")
    replaced, count = _PROJECT_SCRIPT.subn(SEARCH_SCRIPT, page)
    if count != 1:
        raise BenchError(f"{site / 'search.html'}: the search script tag was not found")
    target = site / SEARCH_PAGE
    target.write_text(replaced, encoding="utf-8")
    return target


# Many queries on one warm page: `pagefind.search()` and each hit's `data()`, as the page does.
_BATCH = """async (queries) => {
  const out = [];
  for (const q of queries) {
    const search = await window.pagefind.search(q);
    const data = await Promise.all(search.results.slice(0, LIMIT).map((r) => r.data()));
    out.push(data.map((d) => d.url));
  }
  return out;
}""".replace("LIMIT", str(RESULTS_SHOWN))


def site_url(url: str) -> str:
    """Pagefind's `/2017/slug/` (or `…/index.html`) as the site's relative `2017/slug/`."""
    path = url.split("#", 1)[0].lstrip("/")
    return path.removesuffix("index.html")


class PagefindBrowser:
    """Pagefind's search page open in headless Chromium, for many queries in a row."""

    def __init__(self, browser, base_url: str) -> None:
        self.context = browser.new_context(locale="vi-VN")
        self.page = self.context.new_page()
        self.page.goto(f"{base_url}/{SEARCH_PAGE}")
        self.page.wait_for_function("window.pagefindReady === true", timeout=60000)

    def search_many(self, queries: list[str], batch: int = 50) -> list[list[str]]:
        """Site URLs of the top hits of each query, best first."""
        found: list[list[str]] = []
        for i in range(0, len(queries), batch):
            answers = self.page.evaluate(_BATCH, queries[i : i + batch])
            found += [[site_url(u) for u in urls] for urls in answers]
        return found

    def close(self) -> None:
        self.context.close()

"""Benchmark: what a reader's browser meets, built with and without minify_assets.

    python benchmarks/bench_reader.py [--content DIR] [--runs N]

Builds the site twice in the same run (MINIFY_ASSETS on, and off as the baseline) and
measures in headless Chromium: the search page's JavaScript and the CSS (bytes as
served, and gzipped), the header's height at 360 px, layout shift (CLS) on the search
page while results arrive over a throttled connection, and the story's printed pages.
Prints one line per figure and the ratio minified/baseline (target: search JS ≤ 10 KB
gzipped, CLS ≤ 0.05, header ≤ 160 px).
"""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from sitebench.browser import CHROMIUM, CHROMIUM_ARGS, serve_directory

ROOT = Path(__file__).resolve().parents[1]
QUERY = "an ninh"
THROTTLE = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 200_000,
    "uploadThroughput": 200_000,
}
CLS_INIT = """window.__cls = 0; new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
}).observe({ type: "layout-shift", buffered: true });"""


def build(content: Path, output: Path, minify: bool) -> None:
    cmd = [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-o",
        str(output),
        "-s",
        str(ROOT / "pelicanconf.py"),
        "-e",
        f'SEARCH_INDEX_DIR="{output.parent / (output.name + "-index")}"',
        f"MINIFY_ASSETS={'true' if minify else 'false'}",
    ]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def first_article(output: Path) -> str:
    found = sorted(output.glob("[0-9][0-9][0-9][0-9]/*/index.html"))
    if not found:
        raise SystemExit(f"no article in {output}")
    return "/" + found[0].parent.relative_to(output).as_posix() + "/"


def search_page(browser, url: str, width: int) -> dict:
    """Scripts and styles loaded by the search page, and its CLS while results arrive."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", THROTTLE)
    page.add_init_script(CLS_INIT)
    bodies: dict[str, dict[str, bytes]] = {"script": {}, "stylesheet": {}}

    def keep(response) -> None:
        kind = response.request.resource_type
        if kind in bodies:
            bodies[kind][response.url] = response.body()

    page.on("response", keep)
    page.goto(f"{url}/search.html?q={quote(QUERY)}")
    page.wait_for_function(
        "document.querySelectorAll('#search-results > li').length > 0", timeout=60_000
    )
    page.wait_for_timeout(500)
    cls = page.evaluate("window.__cls")
    context.close()
    sizes = {
        kind: (
            sum(map(len, found.values())),
            sum(len(gzip.compress(body, 9)) for body in found.values()),
        )
        for kind, found in bodies.items()
    }
    return {"cls": cls, **sizes}


def story(browser, url: str, path: str) -> tuple[float, int]:
    """Header height at 360 px, and the number of A4 pages the story prints on."""
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(url + path)
    header = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    page.emulate_media(media="print")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="A4")))
    page.close()
    return header, pages


def measure(output: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    with serve_directory(output) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        figures = {"header": story(browser, url, first_article(output))}
        for width in (360, 1280):
            samples = [search_page(browser, url, width) for _ in range(runs)]
            figures[width] = {**samples[0], "cls": max(s["cls"] for s in samples)}
        browser.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--runs", type=int, default=3, help="search page loads per width")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-reader-") as temp:
        results = {}
        for label, minify in (("baseline (sources)", False), ("minified", True)):
            output = Path(temp) / ("min" if minify else "src")
            build(args.content, output, minify)
            results[label] = measure(output, args.runs)
    base, mini = results["baseline (sources)"], results["minified"]
    for label, fig in results.items():
        header, pages = fig["header"]
        print(f"{label}: header at 360 px {header:.0f} px; story prints on {pages} A4 pages")
        for width in (360, 1280):
            f = fig[width]
            print(
                f"  {width} px: search JS {f['script'][0]} B ({f['script'][1]} B gzip), "
                f"CSS {f['stylesheet'][0]} B ({f['stylesheet'][1]} B gzip), "
                f"CLS max of {args.runs} {f['cls']:.3f}"
            )
    js_ratio = mini[360]["script"][1] / base[360]["script"][1]
    css_ratio = mini[360]["stylesheet"][1] / base[360]["stylesheet"][1]
    print(f"ratio minified/baseline, gzipped: search JS {js_ratio:.2f}x, CSS {css_ratio:.2f}x")
    ok = (
        mini[360]["script"][1] <= 10 * 1024
        and mini["header"][0] <= 160
        and max(mini[360]["cls"], mini[1280]["cls"]) <= 0.05
    )
    print("targets (JS <= 10 KB gzip, header <= 160 px, CLS <= 0.05):", "met" if ok else "MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())

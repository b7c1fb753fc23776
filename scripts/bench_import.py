"""Benchmark: the importer's full pipeline vs trafilatura's bare extract() on the saved pages.

    python scripts/bench_import.py [--rounds N] [--pages DIR]

Both run single-process on the same pages in the same run, several rounds each; the full
pipeline is extraction, metadata, cleaning, sanitizing, Markdown, model detection and
tags (no network, no file writes). Prints pages/s for both and the ratio (target >= 0.5).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import trafilatura

from newsimport.finish import finish
from newsimport.htmlpage import extract_html_page
from newsimport.writer import article_slug, render

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_PAGES = ROOT.parent / "shared" / "benchmarks" / "pages"
TARGET_RATIO = 0.5


def full_import(html: str, name: str, content_dir: Path) -> str:
    article = finish(extract_html_page(html, None, name), content_dir, name)
    return render(article, article_slug(article))


def bare_extract(html: str, name: str, content_dir: Path) -> str:
    return trafilatura.extract(html) or ""


def pages_per_second(function, pages: dict[str, str], rounds: int, content_dir: Path) -> float:
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for name, html in pages.items():
            function(html, name, content_dir)
        rates.append(len(pages) / (time.perf_counter() - start))
    return statistics.median(rates)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    args = parser.parse_args(argv)
    pages = {p.name: p.read_text(encoding="utf-8") for p in sorted(args.pages.glob("*.html"))}
    if not pages:
        print(f"error: no .html pages in {args.pages}", file=sys.stderr)
        return 2
    content_dir = ROOT / "content"
    for function in (full_import, bare_extract):  # warm-up: imports, caches
        for name, html in pages.items():
            function(html, name, content_dir)
    # Interleave the two so that machine load affects both alike.
    ours, bare = [], []
    for _ in range(args.rounds):
        ours.append(pages_per_second(full_import, pages, 1, content_dir))
        bare.append(pages_per_second(bare_extract, pages, 1, content_dir))
    ours_rate, bare_rate = statistics.median(ours), statistics.median(bare)
    ratio = ours_rate / bare_rate
    print(f"pages: {len(pages)} from {args.pages}, rounds: {args.rounds} (median)")
    print(f"trafilatura extract():  {bare_rate:8.1f} pages/s")
    print(f"full import pipeline:   {ours_rate:8.1f} pages/s")
    print(f"ratio: {ratio:.2f}x of bare trafilatura (target >= {TARGET_RATIO}x): "
          f"{'OK' if ratio >= TARGET_RATIO else 'BELOW TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

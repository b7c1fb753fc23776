"""Known-item search on real news: a reader remembers four words of a story and
types them, with or without diacritics; does the story come first?

    python benchmarks/bench_known_item.py [--articles 5000] [--queries 500] [--seed 2017]
                                       [--no-pagefind] [--workdir DIR] [--json FILE]

N stories of the news corpus (../shared/benchmarks/news-corpus/, benchmark data
only) are written as articles into a copy of the site's content and built by
the real build with the site's settings. Queries are generated with a fixed
seed: four consecutive words of a title or of a body sentence that no other
story holds (diacritics ignored), typed lowercase as in the story and folded
without diacritics (vntext.fold). In the same run, the same queries go to:

- the project: scripts/search.py's batch mode on the built index;
- Pagefind (requirements-bench.txt) indexing the same built site, queried through
  its browser API (`pagefind.search()`, each hit's `data()`) in headless Chromium;
- plain Whoosh (vnsearch.baseline.PlainIndex: StandardAnalyzer, BM25F, OR) on
  the same pages' text.

Reported: MRR@10 per column and noise@10, the share of top-10 results that
hold at most half of the query's syllables (diacritics ignored).
Targets: ahead of Pagefind in every column, noise@10 below Pagefind's.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sitebench.newscorpus import NEWS_CORPUS, load_stories, write_stories
from sitebench.rankeval import (
    COLUMNS,
    EngineScores,
    column_queries,
    known_item_queries,
    score,
    syllables,
)
from sitebench.sitebuild import (
    CliSearch,
    build_site,
    copy_site_content,
    run_in_workdir,
    site_pages,
)


def timed(search_all: Callable[[], list[list[str]]]) -> tuple[list[list[str]], float]:
    started = time.perf_counter()
    answers = search_all()
    return answers, time.perf_counter() - started


def search_pagefind(site: Path, queries: list[str]) -> list[list[str]]:
    from playwright.sync_api import sync_playwright

    from sitebench.browser import CHROMIUM, CHROMIUM_ARGS, serve_directory
    from sitebench.pagefind import PagefindBrowser

    with sync_playwright() as playwright, serve_directory(site) as base_url:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            engine = PagefindBrowser(browser, base_url)
            return engine.search_many(queries)
        finally:
            browser.close()


def search_plain(pages: dict, work: Path, queries: list[str]) -> list[list[str]]:
    from sitebench.baseline import PlainIndex

    plain = PlainIndex(work / "plain", [(p.url, p.title, p.body) for p in pages.values()])
    try:
        return [plain.search(q, limit=10) for q in queries]
    finally:
        plain.close()


def run(
    articles: int,
    per_source: int,
    seed: int,
    pagefind: bool,
    work: Path,
    corpus: Path = NEWS_CORPUS,
) -> list[EngineScores]:
    content, output = work / "content", work / "output"
    copy_site_content(content)
    stories = write_stories(load_stories(corpus, articles), content / "articles" / "news")
    build_s = build_site(content, output, work / "index")
    pages = site_pages(content)
    page_syllables = {url: syllables(page.text) for url, page in pages.items()}
    triples = [(url, s.title, s.body) for url, s in stories.items()]
    queries = [
        q
        for source in ("title", "body")
        for q in known_item_queries(triples, source, per_source, seed)
    ]
    rows = column_queries(queries)
    texts = [query for _, query, _ in rows]
    print(
        f"known-item: {len(stories)} news stories + the site's content ({len(pages)} pages), "
        f"built in {build_s:.1f} s; {len(queries)} phrases, {len(rows)} queries "
        f"(seed {seed})",
        flush=True,
    )

    engines = []

    def scored(name: str, search_all: Callable[[], list[list[str]]]) -> None:
        answers, seconds = timed(search_all)
        engines.append(score(name, answers, rows, page_syllables, seconds))
        mrr = " / ".join(f"{engines[-1].ranks[c].mrr10:.3f}" for c, _, _ in COLUMNS)
        print(
            f"{name}: MRR@10 {mrr}, noise@10 {engines[-1].total_noise:.1%} ({seconds:.0f} s)",
            flush=True,
        )

    with CliSearch(work / "index") as cli:
        scored("project (scripts/search.py)", lambda: [cli.search(q) for q in texts])
    if pagefind:
        from sitebench.pagefind import index_site

        index_s = index_site(output).wall
        print(f"Pagefind indexed the built site in {index_s:.1f} s", flush=True)
        scored("Pagefind (Chromium)", lambda: search_pagefind(output, texts))
    scored("plain Whoosh", lambda: search_plain(pages, work, texts))
    print_report(engines, len(rows))
    return engines


def print_report(engines: list[EngineScores], queries: int) -> None:
    columns = [c for c, _, _ in COLUMNS]
    print()
    print("MRR@10 by column; noise@10 over all queries")
    print("| engine | " + " | ".join(columns) + " | noise@10 | ms/query |")
    print("|---" * (len(columns) + 3) + "|")
    for e in engines:
        cells = " | ".join(f"{e.ranks[c].mrr10:.3f}" for c in columns)
        print(f"| {e.name} | {cells} | {e.total_noise:.1%} | {e.seconds * 1000 / queries:.1f} |")
    print()
    print("| engine, hit@1 / recall@10 / noise@10 | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for e in engines:
        cells = " | ".join(
            f"{e.ranks[c].hit1:.2f} / {e.ranks[c].recall10:.2f} / {e.noise[c].share:.0%}"
            for c in columns
        )
        print(f"| {e.name} | {cells} |")
    by_name = {e.name.split(" (")[0]: e for e in engines}
    ours, theirs = by_name["project"], by_name.get("Pagefind")
    if theirs:
        ahead = [c for c in columns if ours.ranks[c].mrr10 > theirs.ranks[c].mrr10]
        print()
        print(
            f"ahead of Pagefind in {len(ahead)}/{len(columns)} columns "
            f"({'meets' if len(ahead) == len(columns) else 'MISSES'} target: all); "
            f"noise@10 {ours.total_noise:.1%} vs {theirs.total_noise:.1%} "
            f"({'meets' if ours.total_noise < theirs.total_noise else 'MISSES'} target: below)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles", type=int, default=5000, help="stories built (default 5000, all)"
    )
    parser.add_argument(
        "--queries",
        type=int,
        default=500,
        help="phrases per source, titles and bodies (default 500)",
    )
    parser.add_argument("--seed", type=int, default=2017, help="query generation seed")
    parser.add_argument("--corpus", type=Path, default=NEWS_CORPUS, help="news corpus .jsonl.gz")
    parser.add_argument("--no-pagefind", action="store_true", help="skip Pagefind")
    parser.add_argument(
        "--workdir", type=Path, help="keep the built site here (default: temporary)"
    )
    parser.add_argument("--json", type=Path, help="also write the scores to this JSON file")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.queries < 1:
        parser.error("--articles and --queries must be at least 1")
    pagefind = not args.no_pagefind
    if pagefind:
        from sitebench.pagefind import available

        if not available():
            print(
                "bench_known_item: pagefind is not installed: make bench-deps (or --no-pagefind)",
                file=sys.stderr,
            )
            return 2

    def job(work: Path) -> None:
        engines = run(args.articles, args.queries, args.seed, pagefind, work, args.corpus)
        if args.json:
            args.json.write_text(
                json.dumps([e.to_json() for e in engines], indent=1), encoding="utf-8"
            )

    return run_in_workdir("bench_known_item", args.workdir, job)


if __name__ == "__main__":
    sys.exit(main())

"""Build time and first-query cost at scale, against Pelican + Pagefind on the same content.

    python benchmarks/bench_scale.py [--articles 1000 10000] [--rounds 1] [--queries 300]
                                  [--browser-queries 8] [--workdir DIR] [--lean]

For each size N, N stories of the real news corpus (../shared/benchmarks/
news-corpus/; past its 5,000 stories, its stories again as new versions) are
written as articles into a copy of the site's content, then, in one run, the
site's own builds first and the anchors last (a run stopped midway, as at 100,000
articles on a shared machine, still has the figures that matter most; each figure
is printed, flushed, as soon as it is measured, and the tables follow at the end):

- the site's full build with search, cold (empty output, index and caches):
  target <= 2x plain Pelican + Pagefind and <= 1.5x search off;
- the same build again after editing one article: target <= 0.25x the cold build;
- scripts/search.py query latency (batch mode round trip) p50/p95: target
  p50 <= 20 ms at 10,000 articles, <= 50 ms from 100,000;
- first query in headless Chromium, fresh context each time, served by a local
  server that gzips text files as static hosts do: bytes on the wire (target
  <= 1/4 of Pagefind's; <= 1/10 from 100,000 articles) and time to first
  results (target: below Pagefind's);
- the site's build with search off (SEARCH_INDEX_ENABLED, STATIC_SEARCH_ENABLED False);
- the site's full build with search, cold, with the search in the build's own
  process (SEARCH_INDEX_BACKGROUND False): what the second process saves;
- the site without search + Pagefind, the earlier anchor: the same build without
  the project's search, model catalogue and content checks (the pelican-plugins
  and the plugins the theme renders with stay), then Pagefind over it, and
  Pagefind's first queries on the same pages as ours;
- plain Pelican + Pagefind, the anchor of the targets: the same content built
  with Pelican's default theme and no plugins at all, then Pagefind
  (requirements-bench.txt) over its output;
- peak memory of each build: the highest sum of the resident memory of the
  build and every process under it (search's background process, share card
  workers), sampled every 0.2 s: target <= 8 GB. A build over BUILD_CAP (16 GB)
  or Pagefind over PAGEFIND_CAP (12 GB) is killed and the run stops, naming it;
- sizes after the cold build: the Whoosh index, the browser index, the whole
  output folder, Pagefind's bundle.

--lean leaves out the builds with search off and with the search in the
build's own process (for 100,000 articles: about a third of the time).

Every build goes through scripts/build.py with pelicanconf.py, as `make html` does.
With --rounds R the builds above run R times in turn, each round from empty
outputs, indexes and caches, and each figure is the median of its R timings
(wall and CPU apart): on a shared machine one round's ratios move by 15%.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sitebench.newscorpus import NEWS_CORPUS, scaled_stories, write_stories
from sitebench.rankeval import known_item_queries, percentile
from sitebench.sitebuild import (
    SEARCH_OFF,
    CliSearch,
    Timing,
    copy_site_content,
    run_in_workdir,
    site_plugins,
    timed_build,
)

# What Pelican + Pagefind leaves out: the project's search, model catalogue and
# content checks. The rest (pelican-plugins, the filters and tags the theme
# renders with) stays, so both builds write the same pages.
PROJECT_PLUGINS = (
    "search_index",
    "static_search",
    "model_catalog",
    # Places are the catalogue's too: it files each place under the models its sentence
    # names, and fails without model_catalog (a story's Models: stays a string).
    "places",
    "strict_content",
    "reader_cache",
    "render_cache",
    "template_cache",
)

# Plain Pelican: its default theme and no plugins. The site's DIRECT_TEMPLATES
# name templates of the site's theme (search, 404, robots): Pelican's defaults here.
PLAIN_DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives"]


def plain_pelican_settings() -> dict:
    from pelican.settings import DEFAULT_THEME

    return {"PLUGINS": [], "THEME": DEFAULT_THEME, "DIRECT_TEMPLATES": PLAIN_DIRECT_TEMPLATES}


def theme_only_plugins() -> list[str]:
    """The site's PLUGINS without the project's search, catalogue and checks."""
    return [p for p in site_plugins() if p not in PROJECT_PLUGINS]


def folder_bytes(folder: Path) -> int:
    """Bytes on disk under `folder`, each hard-linked file once."""
    sizes = {}
    for path in folder.rglob("*"):
        if path.is_file():
            stat = path.stat()
            sizes[stat.st_ino] = stat.st_size
    return sum(sizes.values())


@dataclass
class Builds:
    bare: Timing  # Pelican, default theme, no plugins
    bare_pagefind: Timing
    plain: Timing  # the site's theme and its plugins, no search, catalogue or checks
    pagefind: Timing
    search_off: Timing | None
    inline: (
        Timing | None
    )  # with search, in the build's own process (SEARCH_INDEX_BACKGROUND = False)
    cold: Timing
    edited: Timing
    index_bytes: int  # after the cold build: the Whoosh index, the browser index, Pagefind's
    static_bytes: int
    pagefind_bytes: int
    output_bytes: int = 0  # the whole output folder after the cold build
    bare_output_bytes: int = 0

    def anchor(self, kind: str) -> float:
        """The site without search + Pagefind (the earlier anchor)."""
        return getattr(self.plain, kind) + getattr(self.pagefind, kind)

    def bare_anchor(self, kind: str) -> float:
        """Plain Pelican (default theme, no plugins) + Pagefind: the target's anchor."""
        return getattr(self.bare, kind) + getattr(self.bare_pagefind, kind)


TIMED = ("bare", "bare_pagefind", "plain", "pagefind", "search_off", "inline", "cold", "edited")

GB = 1024**3
# Memory caps: a build or Pagefind over its cap is killed (MemoryCapError) before it
# takes a shared machine's memory. Pagefind took 3.7 GB at 10,000 articles.
BUILD_CAP = 16 * GB
PAGEFIND_CAP = 12 * GB

# Called after a phase of the first round (by TIMED name): the measures that need
# its output run as soon as it exists, so a run stopped later still has them.
Hooks = dict[str, Callable[[], None]]


def time_builds(
    content: Path,
    work: Path,
    edit: Path,
    rounds: int = 1,
    lean: bool = False,
    hooks: Hooks | None = None,
) -> Builds:
    """Every build of the bench, `rounds` times in turn; the median timing of each
    (and the highest peak memory). `hooks` run in the first round only."""
    runs = [
        build_round(content, work, edit, lean, hooks if r == 0 else None) for r in range(rounds)
    ]

    def median(kind: str) -> Timing | None:
        timings = [getattr(run, kind) for run in runs]
        if any(t is None for t in timings):
            return None
        return Timing(
            statistics.median(t.wall for t in timings),
            statistics.median(t.cpu for t in timings),
            max(t.peak_rss for t in timings),
        )

    last = runs[-1]
    return Builds(
        *(median(kind) for kind in TIMED),
        last.index_bytes,
        last.static_bytes,
        last.pagefind_bytes,
        last.output_bytes,
        last.bare_output_bytes,
    )


def progress(line: str) -> None:
    """One figure as soon as it is measured (a stopped run keeps what it printed)."""
    print(f"- {line}", flush=True)


def phase(name: str, timing: Timing, hooks: Hooks | None = None, key: str = "") -> Timing:
    progress(
        f"{name}: {timing.wall:.1f} s wall, {timing.cpu:.1f} s CPU, "
        f"peak {timing.peak_rss / GB:.2f} GB"
    )
    if hooks and key in hooks:
        hooks[key]()
    return timing


def build_round(
    content: Path, work: Path, edit: Path, lean: bool = False, hooks: Hooks | None = None
) -> Builds:
    """One round, the site's own builds first (cold, then the edit), the anchors last."""
    from sitebench.pagefind import index_plain_site, index_site

    for name in (
        "out-bare",
        "out-plain",
        "out-off",
        "out-inline",
        "out-search",
        "idx-unused",
        "idx-inline",
        "idx",
    ):
        for folder in (work / name, work / f"{name}.cache"):  # cold: no output, index or cache
            shutil.rmtree(folder, ignore_errors=True)
    cold = phase(
        "site build with search, cold",
        timed_build(content, work / "out-search", work / "idx", cap=BUILD_CAP),
    )
    index_bytes = folder_bytes(work / "idx")
    static_bytes = folder_bytes(work / "out-search" / "search")
    output_bytes = folder_bytes(work / "out-search")
    progress(
        f"after the cold build: Whoosh index {index_bytes / 1e6:.1f} MB, browser index "
        f"{static_bytes / 1e6:.1f} MB, output folder {output_bytes / 1e6:.1f} MB"
    )
    edit.write_text(
        edit.read_text(encoding="utf-8") + "\nMột đoạn bổ sung sau khi đăng.\n", encoding="utf-8"
    )
    edited = phase(
        "rebuild after editing one article",
        timed_build(content, work / "out-search", work / "idx", cap=BUILD_CAP),
        hooks,
        "edited",
    )
    off = inline = None
    if not lean:
        off = phase(
            "site build, search off",
            timed_build(content, work / "out-off", work / "idx-unused", SEARCH_OFF, cap=BUILD_CAP),
        )
        inline = phase(
            "site build with search in the build's process, cold",
            timed_build(
                content,
                work / "out-inline",
                work / "idx-inline",
                {"SEARCH_INDEX_BACKGROUND": False},
                cap=BUILD_CAP,
            ),
        )
    plain = phase(
        "site without search (theme's plugins only)",
        timed_build(
            content,
            work / "out-plain",
            work / "idx-unused",
            {"PLUGINS": theme_only_plugins()},
            cap=BUILD_CAP,
        ),
    )
    bare = phase(
        "Pelican, default theme, no plugins",
        timed_build(
            content, work / "out-bare", work / "idx-unused", plain_pelican_settings(), cap=BUILD_CAP
        ),
    )
    bare_output_bytes = folder_bytes(work / "out-bare")
    pagefind = phase(
        "Pagefind over the site without search",
        index_site(work / "out-plain", cap=PAGEFIND_CAP),
        hooks,
        "pagefind",
    )
    pagefind_bytes = folder_bytes(work / "out-plain" / "pagefind")
    progress(f"Pagefind bundle: {pagefind_bytes / 1e6:.1f} MB")
    bare_pagefind = phase(
        "Pagefind over plain Pelican's output",
        index_plain_site(work / "out-bare", cap=PAGEFIND_CAP),
    )
    return Builds(
        bare,
        bare_pagefind,
        plain,
        pagefind,
        off,
        inline,
        cold,
        edited,
        index_bytes,
        static_bytes,
        pagefind_bytes,
        output_bytes,
        bare_output_bytes,
    )


@dataclass
class Browser:
    ours_bytes: float
    ours_ms: float
    theirs_bytes: float
    theirs_ms: float
    queries: int


def first_queries(site: Path, page: str, queries: list[str]) -> tuple[float, float]:
    """Median first-query bytes (gzip server) and time to results, on localhost, of the
    search page `page` of `site`: one fresh Chromium context a query."""
    from playwright.sync_api import sync_playwright

    from sitebench.browser import CHROMIUM, CHROMIUM_ARGS, serve
    from sitebench.firstquery import measure_query

    with sync_playwright() as playwright, serve(site, compress=True) as url:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            measured = [measure_query(browser, f"{url}/{page}?q={quote(q)}") for q in queries]
        finally:
            browser.close()
    return (
        statistics.median(m.bytes for m in measured),
        statistics.median(m.ms for m in measured),
    )


def cli_latency(index: Path, queries: list[str]) -> tuple[list[float], float | None]:
    """Round-trip times (ms) of each query, and the search process's mean CPU ms a query."""
    latencies = []
    with CliSearch(index) as cli:
        cli.search("khởi động")  # the first query opens the index
        cpu_before = cli.cpu_seconds()
        for query in queries:
            cli.search(query)
            latencies.append(cli.last_ms)
        cpu_after = cli.cpu_seconds()
    if cpu_before is None or cpu_after is None:
        return latencies, None
    return latencies, (cpu_after - cpu_before) * 1000 / len(queries)


def sample_queries(stories: list, count: int) -> list[str]:
    """Phrases of 2-4 words from titles and bodies, half typed and half without diacritics."""
    triples = [(s.slug, s.title, s.body) for s in stories]
    queries = []
    per_kind = max(1, count // 6)
    for size in (2, 3, 4):
        for source in ("title", "body"):
            for i, q in enumerate(
                known_item_queries(triples, source, per_kind, seed=size, size=size, unique=False)
            ):
                queries.append(q.typed if i % 2 else q.folded)
    return queries[:count]


def run_size(
    articles: int,
    queries: int,
    browser_queries: int,
    work: Path,
    rounds: int = 1,
    lean: bool = False,
    corpus: Path = NEWS_CORPUS,
) -> None:
    from sitebench.pagefind import SEARCH_PAGE

    content = work / "content"
    copy_site_content(content)
    stories = scaled_stories(articles, corpus)
    paths = write_stories(stories, content / "articles" / "news")
    markdown_mb = sum(p.stat().st_size for p in (content / "articles" / "news").glob("*.md")) / 1e6
    print(
        f"\n## {articles} articles ({markdown_mb:.1f} MB of Markdown from the news corpus)",
        flush=True,
    )
    edit = content / "articles" / "news" / f"{stories[len(paths) // 3].slug}.md"
    query_texts = sample_queries(stories, queries)
    picked = query_texts[:: max(1, len(query_texts) // browser_queries)][:browser_queries]
    measured: dict[str, object] = {}

    def ours() -> None:
        latencies, cpu_ms = cli_latency(work / "idx", query_texts)
        measured["cli"] = latencies, cpu_ms
        cpu = f", CPU {cpu_ms:.1f} ms a query (mean)" if cpu_ms is not None else ""
        progress(
            f"scripts/search.py p50 / p95 ({len(latencies)} queries, round trip): "
            f"{percentile(latencies, 0.5):.1f} / {percentile(latencies, 0.95):.1f} ms{cpu}"
        )
        measured["ours"] = first_queries(work / "out-search", "search.html", picked)
        progress(first_query_line("ours", *measured["ours"], len(picked)))

    def theirs() -> None:
        # Pagefind over the site's own pages (the earlier anchor's output): the same
        # pages as ours, so the bytes compare engines, not themes.
        measured["theirs"] = first_queries(work / "out-plain", SEARCH_PAGE, picked)
        progress(first_query_line("Pagefind", *measured["theirs"], len(picked)))

    builds = time_builds(content, work, edit, rounds, lean, {"edited": ours, "pagefind": theirs})
    if rounds > 1:
        print(f"build figures: median of {rounds} rounds", flush=True)
    browser = Browser(*measured["ours"], *measured["theirs"], len(picked))
    report(articles, builds, browser, *measured["cli"])
    print(
        f"| postings per document in the Whoosh index (every indexed field) | "
        f"{postings_per_document(work / 'idx'):.0f} | about a third of format vnsearch-2's 692 |"
    )


def first_query_line(engine: str, size: float, ms: float, queries: int) -> str:
    return (
        f"first query, {engine} (median of {queries}, gzip on the wire): "
        f"{size / 1024:.1f} KB, {ms:.0f} ms to first results"
    )


def postings_per_document(index: Path) -> float:
    """Postings of every indexed field of the built Whoosh index, per document."""
    from tdbvantq.search import SearchEngine  # noqa: PLC0415 - the bench reads the index only here

    with SearchEngine(index) as engine:
        reader = engine.reader
        total = sum(
            reader.doc_frequency(name, term)
            for name in reader.indexed_field_names()
            for term in reader.lexicon(name)
        )
        return total / max(1, reader.doc_count())


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def report(
    articles: int, b: Builds, br: Browser, latencies: list[float], cpu_ms: float | None
) -> None:
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    bytes_ratio, ms_ratio = br.ours_bytes / br.theirs_bytes, br.ours_ms / br.theirs_ms
    big = articles >= 100000

    print(f"Site without search: plugins {', '.join(theme_only_plugins())}")
    print(
        f"load average after the builds: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores, shared)"
    )
    print()
    print("| measure | wall | CPU | peak memory | target (on wall time) |")
    print("|---|---|---|---|---|")

    def row(name: str, t: Timing | None, extra: str = "") -> None:
        if t is None:
            return
        print(f"| {name} | {t.wall:.1f} s | {t.cpu:.1f} s | {t.peak_rss / GB:.2f} GB | {extra} |")

    def ratio_row(name: str, wall: float, cpu: float, target: float) -> None:
        print(
            f"| {name} | {wall:.2f}x | {cpu:.2f}x | | <= {target:g}x: {verdict(wall <= target)} |"
        )

    row("Pelican, default theme, no plugins", b.bare)
    row("Pagefind over its output", b.bare_pagefind)
    print(
        f"| plain Pelican + Pagefind | {b.bare_anchor('wall'):.1f} s | {b.bare_anchor('cpu'):.1f} s | | anchor |"
    )
    row("site without search (theme's plugins only)", b.plain)
    row("Pagefind over its output", b.pagefind)
    print(
        f"| site without search + Pagefind | {b.anchor('wall'):.1f} s | {b.anchor('cpu'):.1f} s | | earlier anchor |"
    )
    row("site build, search off", b.search_off)
    if b.inline is not None and b.search_off is not None:
        row(
            "site build with search in the build's process, cold",
            b.inline,
            f"{b.inline.wall / b.search_off.wall:.2f}x / {b.inline.cpu / b.search_off.cpu:.2f}x search off",
        )
    extra = f"search's own CPU: {b.cold.cpu - b.search_off.cpu:.1f} s" if b.search_off else ""
    row("site build with search, cold", b.cold, extra)
    ratio_row(
        "… vs plain Pelican + Pagefind",
        b.cold.wall / b.bare_anchor("wall"),
        b.cold.cpu / b.bare_anchor("cpu"),
        2,
    )
    print(
        f"| … vs site without search + Pagefind | {b.cold.wall / b.anchor('wall'):.2f}x | "
        f"{b.cold.cpu / b.anchor('cpu'):.2f}x | | |"
    )
    if b.search_off is not None:
        ratio_row(
            "… vs search off", b.cold.wall / b.search_off.wall, b.cold.cpu / b.search_off.cpu, 1.5
        )
    row("rebuild after editing one article", b.edited)
    ratio_row("… vs cold build", b.edited.wall / b.cold.wall, b.edited.cpu / b.cold.cpu, 0.25)
    peak = max(b.cold.peak_rss, b.edited.peak_rss)
    print()
    print("| measure | value | target |")
    print("|---|---|---|")
    print(
        f"| peak memory of the site's build (cold, with its background processes) | {peak / GB:.2f} GB | "
        f"<= 8 GB: {verdict(peak <= 8 * GB)} |"
    )
    bytes_target = 0.1 if big else 0.25
    print(
        f"| first-query bytes, gzip on the wire (median of {br.queries}): ours / Pagefind | "
        f"{br.ours_bytes / 1024:.1f} KB / {br.theirs_bytes / 1024:.1f} KB ({bytes_ratio:.2f}x) | "
        f"<= {bytes_target}x: {verdict(bytes_ratio <= bytes_target)} |"
    )
    print(
        f"| time to first results, Chromium, localhost: ours / Pagefind | "
        f"{br.ours_ms:.0f} ms / {br.theirs_ms:.0f} ms ({ms_ratio:.2f}x) | < 1x: {verdict(ms_ratio < 1)} |"
    )
    if big:
        target = f"p50 <= 50 ms: {verdict(p50 <= 50)}"
    elif articles >= 10000:
        target = f"p50 <= 20 ms: {verdict(p50 <= 20)}"
    else:
        target = "p50 <= 20 ms at 10,000"
    cpu = f"; CPU {cpu_ms:.1f} ms a query (mean)" if cpu_ms is not None else ""
    print(
        f"| scripts/search.py query p50 / p95 ({len(latencies)} queries, round trip) | "
        f"{p50:.1f} / {p95:.1f} ms{cpu} | {target} |"
    )
    print(
        f"| after the cold build: Whoosh index / browser index (output/search) / Pagefind bundle | "
        f"{b.index_bytes / 1e6:.1f} MB / {b.static_bytes / 1e6:.1f} MB / {b.pagefind_bytes / 1e6:.1f} MB | |"
    )
    print(
        f"| output folder: the site / plain Pelican's | {b.output_bytes / 1e6:.1f} MB / "
        f"{b.bare_output_bytes / 1e6:.1f} MB | |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles",
        type=int,
        nargs="+",
        default=[1000, 10000],
        help="corpus sizes (default: 1000 10000)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the builds this many times in turn and report medians (default 1)",
    )
    parser.add_argument("--queries", type=int, default=300, help="CLI queries timed (default 300)")
    parser.add_argument(
        "--browser-queries",
        type=int,
        default=8,
        help="first queries measured in Chromium per engine (default 8)",
    )
    parser.add_argument("--workdir", type=Path, help="keep the builds here (default: temporary)")
    parser.add_argument(
        "--corpus", type=Path, default=NEWS_CORPUS, help=f"the news corpus (default: {NEWS_CORPUS})"
    )
    parser.add_argument(
        "--lean",
        action="store_true",
        help="skip the builds with search off and with search in the build's process",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be 1 or more, not {args.rounds}")
    from sitebench.pagefind import available

    if not available():
        print("bench_scale: pagefind is not installed: make bench-deps", file=sys.stderr)
        return 2

    def job(root: Path) -> None:
        for articles in args.articles:
            run_size(
                articles,
                args.queries,
                args.browser_queries,
                root / f"n{articles}",
                args.rounds,
                args.lean,
                args.corpus,
            )

    return run_in_workdir("bench_scale", args.workdir, job)


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the importer: speed, Vietnamese answer keys, and two public test sets.

    python scripts/bench_import.py [--rounds N] [--pages DIR] [--vn-pages DIR ...]
                                   [--trafilatura-eval DIR] [--htmldate-eval DIR] [--sample N]

- speed: the full import of each saved page in --pages (reading, extraction, metadata,
  cleaning, sanitizing, Markdown, model detection, tags; nothing written) against
  trafilatura's bare extract() on the same bytes, interleaved rounds (target >= 0.5x);
- Vietnamese pages: every folder of --vn-pages holding an answer key (expected.json),
  field by field;
- --trafilatura-eval DIR (adbar/trafilatura's tests/): precision, recall and F1 of the
  story's text against bare trafilatura.extract in the same run, refusals counted as
  misses, and the share of pages refused (targets: F1 >= bare, refused <= 1%);
- --htmldate-eval DIR (adbar/htmldate's tests/): date accuracy against htmldate.find_date
  in the same run (target: >= find_date).

The importer is called as import_news.py calls it for a saved page (newsimport.Importer).
--sample N takes every Nth page of the public sets, for quick runs while developing.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import htmldate
import trafilatura

import vntext
from devtools import importeval
from newsimport.writer import article_slug, render

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "benchmarks"
TARGET_RATIO = 0.5
MAX_REFUSED = 0.01
HTMLDATE_SETS = ("eval_default.json", "eval_mediacloud_2020.json")


def bare_extract(path: Path) -> str:
    """trafilatura as its own evaluation runs it (tests/eval_common.py, "fallback")."""
    return trafilatura.extract(path.read_bytes(), fast=False, include_comments=False,
                               include_tables=True, include_formatting=False) or ""


def speed(pages: list[Path], rounds: int, extract: importeval.Extractor) -> None:
    def full_import(path: Path) -> None:
        # Each round imports the same pages: forget the texts folded before, so a round
        # measures what a new page costs, not a page whose paragraphs are remembered.
        vntext.fold_cached.cache_clear()
        article = extract(path)
        if not isinstance(article, str):
            render(article, article_slug(article))

    def rate(function) -> float:
        start = time.perf_counter()
        for path in pages:
            function(path)
        return len(pages) / (time.perf_counter() - start)

    for path in pages:  # warm-up: imports, caches
        full_import(path)
        bare_extract(path)
    ours, bare = [], []
    for _ in range(rounds):  # interleaved, so that machine load affects both alike
        ours.append(rate(full_import))
        bare.append(rate(bare_extract))
    ours_rate, bare_rate = statistics.median(ours), statistics.median(bare)
    ratio = ours_rate / bare_rate
    print(f"== speed: {len(pages)} pages, {rounds} rounds (median)")
    print(f"trafilatura extract():  {bare_rate:8.1f} pages/s")
    print(f"full import pipeline:   {ours_rate:8.1f} pages/s")
    print(f"ratio: {ratio:.2f}x of bare trafilatura (target >= {TARGET_RATIO}x): "
          f"{'OK' if ratio >= TARGET_RATIO else 'BELOW TARGET'}")


def vietnamese_pages(folders: list[Path], extract: importeval.Extractor) -> None:
    import json

    right = total = 0
    for folder in folders:
        key_file = folder / "expected.json"
        if not key_file.is_file():
            continue
        for key in json.loads(key_file.read_text(encoding="utf-8")):
            page = folder / key["file"]
            in_p = importeval.captions_printed_as_paragraphs(page.read_bytes(), key)
            scores = importeval.score_page(extract(page), key, in_p)
            right += sum(scores.values())
            total += len(scores)
            wrong = [name for name, ok in scores.items() if not ok]
            print(f"{key['file']}: {sum(scores.values())}/{len(scores)} fields right"
                  + (f"; wrong: {', '.join(wrong)}" if wrong else ""))
    if total:
        print(f"== Vietnamese answer keys: {right}/{total} fields right")


def trafilatura_set(folder: Path, sample: int, extract: importeval.Extractor) -> None:
    items = list(importeval.trafilatura_items(folder))[::sample]
    ours, bare = importeval.Confusion(), importeval.Confusion()
    ours_kept, bare_kept = importeval.Confusion(), importeval.Confusion()
    refusals: Counter[str] = Counter()
    refused_pages: list[str] = []
    times = {"ours": 0.0, "bare": 0.0}
    for _url, item, path in items:
        start = time.perf_counter()
        article = extract(path)
        times["ours"] += time.perf_counter() - start
        start = time.perf_counter()
        baseline = bare_extract(path)
        times["bare"] += time.perf_counter() - start
        text = None if isinstance(article, str) else importeval.article_text(article)
        ours.add(importeval.count_item(item, text))
        bare.add(importeval.count_item(item, baseline))
        if text is None:
            refusals[article.split(": ", 1)[-1][:70]] += 1
            refused_pages.append(path.name)
        else:
            ours_kept.add(importeval.count_item(item, text))
            bare_kept.add(importeval.count_item(item, baseline))
    refused = sum(refusals.values()) / len(items)
    print(f"== trafilatura evaluation set: {len(items)} pages from {folder}")
    print(f"{'':28} precision  recall     F1   seconds")
    for name, matrix, seconds in (("bare trafilatura.extract", bare, times["bare"]),
                                  ("importer (refused = miss)", ours, times["ours"])):
        print(f"{name:28} {matrix.precision():8.3f} {matrix.recall():7.3f} {matrix.f1():6.3f} "
              f"{seconds:8.1f}")
    print(f"on the {len(items) - sum(refusals.values())} pages imported: importer F1 "
          f"{ours_kept.f1():.3f}, bare {bare_kept.f1():.3f}")
    print(f"refused: {sum(refusals.values())} pages ({refused:.1%}; target <= {MAX_REFUSED:.0%})")
    for reason, count in refusals.most_common(5):
        print(f"  {count:4} {reason}")
    if refused_pages:
        print(f"  refused pages: {', '.join(refused_pages[:20])}")
    met = ours.f1() >= bare.f1() and refused <= MAX_REFUSED
    print(f"target F1 >= bare and refused <= {MAX_REFUSED:.0%}: {'OK' if met else 'MISSED'}")


def htmldate_sets(folder: Path, sample: int, extract: importeval.Extractor) -> None:
    print(f"== htmldate evaluation sets from {folder}")
    print(f"{'':34} pages  accuracy  find_date  seconds (ours / find_date)")
    both = importeval.Confusion(), importeval.Confusion()
    only: dict[str, list[str]] = {"importer": [], "find_date": []}  # pages only one gets right
    for name in HTMLDATE_SETS:
        if not (folder / name).is_file():
            continue
        ours, baseline = importeval.Confusion(), importeval.Confusion()
        times = [0.0, 0.0]
        items = list(importeval.htmldate_items(folder, (name,)))[::sample]
        for _url, item, path in items:
            start = time.perf_counter()
            day = importeval.published_day(extract(path))
            times[0] += time.perf_counter() - start
            start = time.perf_counter()
            found = htmldate.find_date(importeval.read_like_htmldate(path), original_date=True,
                                       extensive_search=True)
            times[1] += time.perf_counter() - start
            outcomes = importeval.date_outcome(day, item["date"]), importeval.date_outcome(found, item["date"])
            ours.add(outcomes[0])
            baseline.add(outcomes[1])
            right = [outcome[0] + outcome[3] > 0 for outcome in outcomes]
            if right[0] != right[1]:
                only["importer" if right[0] else "find_date"].append(
                    f"{path.name} (key {item['date']}, importer {day}, find_date {found})")
        for total, part in zip(both, (ours, baseline), strict=True):
            total.add((part.tp, part.fp, part.fn, part.tn))
        print(f"{name:34} {len(items):5} {ours.accuracy():9.3f} {baseline.accuracy():10.3f}"
              f"   {times[0]:6.1f} / {times[1]:.1f}")
    print(f"{'both sets':34} {'':5} {both[0].accuracy():9.3f} {both[1].accuracy():10.3f}")
    for who, pages in only.items():
        print(f"right only with {who}: {len(pages)}")
        for page in pages:
            print(f"  {page}")
    met = both[0].accuracy() >= both[1].accuracy()
    print(f"target accuracy >= find_date: {'OK' if met else 'MISSED'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--pages", type=Path, default=SHARED / "pages", metavar="DIR")
    parser.add_argument("--vn-pages", type=Path, nargs="*", metavar="DIR",
                        default=[SHARED / "pages", SHARED / "pages-vn"])
    parser.add_argument("--trafilatura-eval", type=Path, metavar="DIR")
    parser.add_argument("--htmldate-eval", type=Path, metavar="DIR")
    parser.add_argument("--sample", type=int, default=1, metavar="N")
    args = parser.parse_args(argv)
    for folder in [args.pages, args.trafilatura_eval, args.htmldate_eval]:
        if folder is not None and not folder.is_dir():
            print(f"error: {folder}: not a folder", file=sys.stderr)
            return 2
    for name in ("trafilatura", "htmldate", "newsimport"):  # per-page notes, not results
        logging.getLogger(name).setLevel(logging.CRITICAL)
    extract = importeval.importer_extractor(ROOT / "content")
    pages = sorted(args.pages.glob("*.html"))
    if pages:
        speed(pages, args.rounds, extract)
    vietnamese_pages([folder for folder in args.vn_pages if folder.is_dir()], extract)
    if args.trafilatura_eval:
        trafilatura_set(args.trafilatura_eval, args.sample, extract)
    if args.htmldate_eval:
        htmldate_sets(args.htmldate_eval, args.sample, extract)
    return 0


if __name__ == "__main__":
    sys.exit(main())

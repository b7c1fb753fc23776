"""Relevance on XQuAD-vi, end to end: every paragraph an article in a copy of the
site's content (model pages, seed story and pages present), built by the real
build with the site's settings (Pelican's summaries, the model catalogue, the
search index), then every question asked through scripts/search.py as typed
and with all diacritics removed; a plain Whoosh index (StandardAnalyzer, BM25F,
OR of the words) over the same pages is measured in the same run.

    python scripts/bench_relevance.py [--xquad PATH] [--workdir DIR]

Targets: MRR@10 >= 0.97 as typed and without diacritics.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import vntext
from devtools.rankeval import RankScores
from devtools.sitebuild import (
    CliSearch,
    build_site,
    copy_site_content,
    run_in_workdir,
    site_pages,
)
from devtools.xquad import XQUAD, write_xquad_articles
from vnsearch.baseline import PlainIndex

TARGET_MRR = 0.97


def evaluate(search: Callable[[str], list[str]], questions: list[tuple[str, str]]) -> RankScores:
    scores = RankScores()
    for question, expected in questions:
        scores.add(search(question), expected)
    return scores


def run(xquad: Path, work: Path) -> dict[str, RankScores]:
    copy_site_content(work / "content")
    questions = write_xquad_articles(work / "content" / "articles" / "xquad", xquad)
    paragraphs = sum(1 for _ in (work / "content" / "articles" / "xquad").glob("*.md"))
    folded = [(vntext.fold(q), url) for q, url in questions]
    build_s = build_site(work / "content", work / "output", work / "index")
    pages = site_pages(work / "content")
    print(f"XQuAD-vi end to end: {len(pages)} pages built in {build_s:.1f} s "
          f""
          f"({paragraphs} XQuAD paragraphs + the site's content), {len(questions)} questions")
    results: dict[str, RankScores] = {}
    started = time.perf_counter()
    with CliSearch(work / "index") as cli:
        results["project (scripts/search.py), as typed"] = evaluate(cli.search, questions)
        results["project (scripts/search.py), no diacritics"] = evaluate(cli.search, folded)
    cli_ms = (time.perf_counter() - started) * 1000 / (2 * len(questions))
    plain = PlainIndex(work / "plain", [(p.url, p.title, p.body) for p in pages.values()])
    try:
        results["plain Whoosh, as typed"] = evaluate(plain.search, questions)
        results["plain Whoosh, no diacritics"] = evaluate(plain.search, folded)
    finally:
        plain.close()
    print(f"project: {cli_ms:.1f} ms a query through the command's batch mode\n")
    print("| run | hit@1 | MRR@10 | recall@10 |")
    print("|---|---|---|---|")
    for name, s in results.items():
        print(f"| {name} | {s.hit1:.3f} | {s.mrr10:.3f} | {s.recall10:.3f} |")
    print()
    for mode in ("as typed", "no diacritics"):
        ours = results[f"project (scripts/search.py), {mode}"].mrr10
        base = results[f"plain Whoosh, {mode}"].mrr10
        verdict = "meets" if ours >= TARGET_MRR else "MISSES"
        print(f"MRR@10 {mode}: {ours:.3f} ({ours / base:.2f}x plain Whoosh), "
              f"{verdict} target {TARGET_MRR}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--xquad", type=Path, default=XQUAD, help="xquad.vi.json")
    parser.add_argument("--workdir", type=Path, help="keep the built site here (default: temporary)")
    args = parser.parse_args(argv)
    if not args.xquad.is_file():
        print(f"bench_relevance: {args.xquad}: not found", file=sys.stderr)
        return 1
    return run_in_workdir("bench_relevance", args.workdir, lambda work: run(args.xquad, work))

if __name__ == "__main__":
    sys.exit(main())

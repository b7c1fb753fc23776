"""Relevance on XQuAD-vi: every paragraph an article, every question asked as
typed and with all diacritics removed; vnsearch beside a plain Whoosh
StandardAnalyzer index, measured in the same run.

    python scripts/bench_relevance.py [--xquad PATH]

Targets: MRR@10 >= 0.95 with and without diacritics.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import vntext
from devtools.xquad import XQUAD, load_xquad
from vnsearch import SearchEngine, build_index
from vnsearch.baseline import PlainIndex

TARGET_MRR = 0.95


@dataclass
class Scores:
    hit1: float
    mrr10: float
    recall10: float
    ms_per_query: float


def evaluate(search: Callable[[str], list[str]], questions: list[tuple[str, str]]) -> Scores:
    hit1 = mrr = recall = 0.0
    started = time.perf_counter()
    for question, expected in questions:
        found = search(question)[:10]
        if expected in found:
            rank = found.index(expected) + 1
            hit1 += rank == 1
            mrr += 1 / rank
            recall += 1
    n = len(questions)
    return Scores(hit1 / n, mrr / n, recall / n, (time.perf_counter() - started) * 1000 / n)


def run(xquad: Path) -> dict[str, Scores]:
    documents, questions = load_xquad(xquad)
    folded = [(vntext.fold(q), d) for q, d in questions]
    results: dict[str, Scores] = {}
    with tempfile.TemporaryDirectory() as tmp:
        build_index(Path(tmp) / "vnsearch", documents)
        with SearchEngine(Path(tmp) / "vnsearch") as engine:

            def ours(q: str) -> list[str]:
                return [r.id for r in engine.search(q, limit=10).results]

            results["vnsearch, as typed"] = evaluate(ours, questions)
            results["vnsearch, no diacritics"] = evaluate(ours, folded)
        plain = PlainIndex(Path(tmp) / "plain", [(d.id, d.title, d.body) for d in documents])
        try:
            results["plain Whoosh, as typed"] = evaluate(plain.search, questions)
            results["plain Whoosh, no diacritics"] = evaluate(plain.search, folded)
        finally:
            plain.close()
    print(f"XQuAD-vi: {len(documents)} paragraphs, {len(questions)} questions\n")
    print("| run | hit@1 | MRR@10 | recall@10 | ms/query |")
    print("|---|---|---|---|---|")
    for name, s in results.items():
        print(
            f"| {name} | {s.hit1:.3f} | {s.mrr10:.3f} | {s.recall10:.3f} | {s.ms_per_query:.1f} |"
        )
    for mode in ("as typed", "no diacritics"):
        ours_mrr = results[f"vnsearch, {mode}"].mrr10
        base_mrr = results[f"plain Whoosh, {mode}"].mrr10
        verdict = "meets" if ours_mrr >= TARGET_MRR else "MISSES"
        print(
            f"MRR@10 {mode}: {ours_mrr:.3f} ({ours_mrr / base_mrr:.2f}x baseline), "
            f"{verdict} target {TARGET_MRR}"
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--xquad", type=Path, default=XQUAD, help="xquad.vi.json")
    args = parser.parse_args(argv)
    if not args.xquad.exists():
        print(f"bench_relevance: {args.xquad}: not found", file=sys.stderr)
        return 1
    run(args.xquad)
    return 0


if __name__ == "__main__":
    sys.exit(main())

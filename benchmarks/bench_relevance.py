"""Relevance on XQuAD-vi, end to end: every paragraph an article in a copy of the
site's content (model pages, seed story and pages present), built by the real
build with the site's settings (Pelican's summaries, the model catalogue, the
search index), then every question asked through scripts/search.py as typed
and with all diacritics removed; a plain Whoosh index (StandardAnalyzer, BM25F,
OR of the words) over the same pages is measured in the same run.

    python benchmarks/bench_relevance.py [--xquad PATH] [--workdir DIR]

Guard (issue 24): MRR@10 >= 0.955 as typed and >= 0.945 without diacritics, today's level;
the rest are paraphrases, served by the editors' synonyms (content/data/synonyms.txt).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Collection
from pathlib import Path

from sitebench.baseline import PlainIndex
from sitebench.rankeval import RankScores
from sitebench.sitebuild import (
    CliSearch,
    build_site,
    copy_site_content,
    run_in_workdir,
    site_pages,
)
from sitebench.xquad import XQUAD, write_xquad_articles
from tdbvantq import text as vntext
from tdbvantq.search.schema import idf
from tdbvantq.search.searcher import SearchEngine

GUARD_MRR = {"as typed": 0.955, "no diacritics": 0.945}


def evaluate(
    search: Callable[[str], list[str]],
    questions: list[tuple[str, str]],
    answers: list[tuple[str, int | None]] | None = None,
) -> RankScores:
    """Scores of `search` on the questions; `answers`, when given, receives each
    question's first URL and the rank of the expected one."""
    scores = RankScores()
    for question, expected in questions:
        found = search(question)
        rank = scores.add(found, expected)
        if answers is not None:
            answers.append((found[0] if found else "", rank))
    return scores


def _share(units: list[tuple[Collection[int], float]], doc: int | None) -> float:
    """The idf-weighted share of the query's units (their documents, weight) that `doc` holds."""
    total = sum(weight for _docs, weight in units) or 1.0
    return sum(weight for docs, weight in units if doc in docs) / total


def coordination_ceiling(
    index_dir: Path, questions: list[tuple[str, str]], answers: list[tuple[str, int | None]]
) -> tuple[float, int, int]:
    """What word matching can still reach: (MRR@10 if every missed question whose
    paragraph holds at least the first result's idf-weighted share of the
    question's units were answered first, those misses, the other misses).

    The other misses are paragraphs that say less of the question than the
    document ranked first (paraphrases: "chết" for "qua đời"); ranking them
    first means ranking a document that matches less of the query above one
    that matches more, against the ranking's rule that a document matching all
    the query's syllables beats one matching most of them.
    """
    reciprocal_ranks = 0.0
    lexical = paraphrase = 0
    with SearchEngine(index_dir) as engine:
        docnum = {
            engine.searcher.stored_fields(d).get("url"): d
            for d in range(engine.reader.doc_count_all())
        }
        for (question, expected), (top, rank) in zip(questions, answers, strict=True):
            if rank == 1:
                reciprocal_ranks += 1.0
                continue
            plan = engine.plan(question)
            unit_docs = [engine.unit_postings(u).docs() for u in engine.scored_units(plan)]
            units = [(docs, idf(engine.postings.n_live, len(docs))) for docs in unit_docs]
            expected_share = _share(units, docnum.get(expected))
            if top and expected_share < _share(units, docnum.get(top)) - 1e-9:
                paraphrase += 1
                reciprocal_ranks += 1 / rank if rank else 0.0
            else:
                lexical += 1
                reciprocal_ranks += 1.0
    return reciprocal_ranks / len(questions), lexical, paraphrase


def run(xquad: Path, work: Path) -> dict[str, RankScores]:
    copy_site_content(work / "content")
    questions = write_xquad_articles(work / "content" / "articles" / "xquad", xquad)
    paragraphs = sum(1 for _ in (work / "content" / "articles" / "xquad").glob("*.md"))
    folded = [(vntext.fold(q), url) for q, url in questions]
    build_s = build_site(work / "content", work / "output", work / "index")
    pages = site_pages(work / "content")
    print(
        f"XQuAD-vi end to end: {len(pages)} pages built in {build_s:.1f} s "
        f""
        f"({paragraphs} XQuAD paragraphs + the site's content), {len(questions)} questions"
    )
    results: dict[str, RankScores] = {}
    started = time.perf_counter()
    answers: dict[str, list[tuple[str, int | None]]] = {"as typed": [], "no diacritics": []}
    with CliSearch(work / "index") as cli:
        results["project (scripts/search.py), as typed"] = evaluate(
            cli.search, questions, answers["as typed"]
        )
        results["project (scripts/search.py), no diacritics"] = evaluate(
            cli.search, folded, answers["no diacritics"]
        )
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
        verdict = "holds" if ours >= GUARD_MRR[mode] else "BREAKS"
        print(
            f"MRR@10 {mode}: {ours:.3f} ({ours / base:.2f}x plain Whoosh), "
            f"{verdict} the guard {GUARD_MRR[mode]}"
        )
    print()
    for mode, asked in (("as typed", questions), ("no diacritics", folded)):
        ceiling, lexical, paraphrase = coordination_ceiling(work / "index", asked, answers[mode])
        print(
            f"{mode}: of the questions whose paragraph is not first, {lexical} have a paragraph"
            f" holding at least the first result's share of the question, {paraphrase} a smaller"
            f" share (paraphrases); MRR@10 with all {lexical} answered first: {ceiling:.3f}"
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--xquad", type=Path, default=XQUAD, help="xquad.vi.json")
    parser.add_argument(
        "--workdir", type=Path, help="keep the built site here (default: temporary)"
    )
    args = parser.parse_args(argv)
    if not args.xquad.is_file():
        print(f"bench_relevance: {args.xquad}: not found", file=sys.stderr)
        return 1
    return run_in_workdir("bench_relevance", args.workdir, lambda work: run(args.xquad, work))


if __name__ == "__main__":
    sys.exit(main())

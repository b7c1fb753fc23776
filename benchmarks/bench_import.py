"""Benchmark the importer: speed, Vietnamese answer keys, and three public test sets.

    python benchmarks/bench_import.py [--rounds N] [--pages DIR] [--vn-pages DIR ...]
                                   [--heldout-vn DIR [--heldout-key FILE]]
                                   [--trafilatura-eval DIR] [--htmldate-eval DIR]
                                   [--daniel DIR] [--scrapinghub DIR] [--readability DIR]
                                   [--wcxb DIR [--wcxb-split test|dev]]
                                   [--sample N] [--ablation] [--authors-out FILE]
                                   [--steps default|all] [--no-speed | --speed-only]

- speed: the full import of each saved page in --pages (reading, extraction, metadata,
  cleaning, sanitizing, Markdown, model detection, tags; nothing written) against
  trafilatura's bare extract() on the same bytes: CPU time, both warm, interleaved page by
  page; the ratio of the sums and the median of the per-page ratios (target >= 0.5x);
  --speed-only measures that on the public sets too, and scores nothing;
- Vietnamese pages: every folder of --vn-pages holding an answer key (expected.json),
  field by field;
- --heldout-vn DIR: Vietnamese pages the importer was never tuned on (kept outside the
  repository; how to fetch them: benchmarks/heldout-vn/README.md), scored against the answer
  key benchmarks/heldout-vn/expected.json: pages with every field right, and each field;
- --trafilatura-eval DIR (adbar/trafilatura's tests/): precision, recall and F1 of the
  story's text against bare trafilatura.extract in the same run, refusals counted as
  misses, and the share of pages refused (targets: F1 and precision >= bare, refused <= 1%);
  each set's importer - bare difference of F1 and precision comes with the interval that
  2,000 resamples of its pages give (importeval.paired_difference): how much of a margin,
  or of a miss, another sample of pages could change;
- --daniel DIR (rundimeco/waddle's corpora/Corpus_daniel_v2.1: English, Chinese, Russian,
  Greek and Polish news pages with reference text): the same, words of the reference
  against words extracted (importeval.count_words), and per language;
- --scrapinghub DIR (scrapinghub/article-extraction-benchmark: html/<id>.html.gz and
  ground-truth.json's articleBody) and --readability DIR (mozilla/readability's
  test/test-pages: source.html, expected.html's text, expected-metadata.json's title and
  byline): sets the importer was never built against, scored as DAnIEL is (words of the
  reference against words extracted); the importer's text is its body and a summary the page
  prints, not its title (the references, like bare trafilatura, leave the headline out);
  scrapinghub also with its own evaluate.py scoring (4-word shingles, mean over pages);
- --wcxb DIR (Murrough-Foley/web-content-extraction-benchmark, WCXB: ground-truth/<id>.json
  and html/<id>.html.gz of a split; given the benchmark's root, its held-out test/ split, or
  with --wcxb-split dev its development split, dev/, whose pages may be read):
  scored as scrapinghub is (main_content's words; title, author and publish_date keys), and
  per page type (article, forum, product…);
- --htmldate-eval DIR (adbar/htmldate's tests/): date accuracy against htmldate.find_date
  in the same run (target: >= find_date);
- a per-field table on every set: title, authors and date right (where the set has a key;
  "—" where it has none) and body precision/recall/F1, importer and bare trafilatura
  (its extract_metadata for the fields) side by side;
- --authors-out FILE: every scored page's published authors and author key, one page a
  line, for judging the names by hand and comparing two runs;
- --ablation: the importer again on trafilatura's set and DAnIEL with each of its steps
  switched off (newsimport.steps), printing the change of F1, precision, recall and authors;
  --steps all runs every step on pages of every language (as before the ablation's verdict).

The importer is called as import_news.py calls it for a saved page (newsimport.Importer).
--sample N takes every Nth page of the public sets, for quick runs while developing.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import htmldate
import trafilatura

from sitebench import SHARED, importeval
from tdbvantq import text as vntext
from tdbvantq.importer.article import Article
from tdbvantq.importer.steps import ALL_STEPS, DEFAULT_STEPS, ImportSteps, step_names
from tdbvantq.importer.writer import article_slug, render

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 0.5
MAX_REFUSED = 0.01
HTMLDATE_SETS = ("eval_default.json", "eval_mediacloud_2020.json")
HELDOUT_KEY = ROOT / "benchmarks" / "heldout-vn" / "expected.json"


def bare_extract(path: Path) -> str:
    """trafilatura as its own evaluation runs it (tests/eval_common.py, "fallback")."""
    return (
        trafilatura.extract(
            path.read_bytes(),
            fast=False,
            include_comments=False,
            include_tables=True,
            include_formatting=False,
        )
        or ""
    )


def speed(name: str, pages: list[Path], rounds: int, extract: importeval.Extractor) -> None:
    """CPU time of the full import against bare trafilatura, page by page.

    Both are warm (a pass over every page first: imports, caches, dateparser's locales) and
    interleaved page by page, so that the machine's load and the process's state weigh on
    both alike; which of the two runs first alternates from page to page. CPU time of this
    process, not wall-clock time: on a shared machine that counts the other jobs too."""

    def full_import(path: Path) -> None:
        # Forget the texts folded before, so that a page costs what a new page costs, not a
        # page whose paragraphs are remembered from the warm-up.
        vntext.fold_cached.cache_clear()
        article = extract(path)
        if not isinstance(article, str):
            render(article, article_slug(article))

    def cpu(function: Callable[[Path], object], path: Path) -> float:
        start = time.process_time()
        function(path)
        return time.process_time() - start

    for path in pages:
        full_import(path)
        bare_extract(path)
    ours, bare = [0.0] * len(pages), [0.0] * len(pages)
    for turn in range(rounds):
        for index, path in enumerate(pages):
            if (index + turn) % 2:
                bare[index] += cpu(bare_extract, path)
                ours[index] += cpu(full_import, path)
            else:
                ours[index] += cpu(full_import, path)
                bare[index] += cpu(bare_extract, path)
    print_speed(name, rounds, ours, bare)


def print_speed(name: str, rounds: int, ours: list[float], bare: list[float]) -> None:
    size = len(ours) * rounds
    ratio = sum(bare) / max(sum(ours), 1e-9)
    median = statistics.median(b / o for o, b in zip(ours, bare, strict=True) if o)
    print(f"== speed, {name}: {len(ours)} pages x {rounds} rounds, CPU, interleaved, warm")
    print(f"trafilatura extract():  {1000 * sum(bare) / size:8.1f} ms/page")
    print(f"full import pipeline:   {1000 * sum(ours) / size:8.1f} ms/page")
    print(
        f"ratio of sums: {ratio:.3f}x, median of per-page ratios: {median:.3f}x of bare "
        f"trafilatura (target >= {TARGET_RATIO}x): "
        f"{'OK' if min(ratio, median) >= TARGET_RATIO else 'BELOW TARGET'}"
    )


def missing_pages(folder: Path, key_file: Path) -> list[str]:
    """The file names an answer key lists that `folder` does not hold."""
    keys = json.loads(key_file.read_text(encoding="utf-8"))
    return [key["file"] for key in keys if not (folder / key["file"]).is_file()]


def vietnamese_pages(
    folders: list[Path], extract: importeval.Extractor, key_file: Path | None = None
) -> None:
    """Each folder's pages against its answer key (its expected.json, or `key_file`)."""
    right = total = whole = pages = 0
    wrong_fields: Counter[str] = Counter()
    ours, bare = Outcome(), Outcome()
    for folder in folders:
        keys = key_file or folder / "expected.json"
        if not keys.is_file():
            continue
        for key in json.loads(keys.read_text(encoding="utf-8")):
            page = folder / key["file"]
            in_p = importeval.captions_printed_as_paragraphs(page.read_bytes(), key)
            article = extract(page)
            scores = importeval.score_page(article, key, in_p)
            keyed = BenchPage(
                page,
                lambda _text: (0, 0, 0, 0),
                {"title": key["title"], "authors": key["authors"], "date": key["published"][:10]},
            )
            ours.add(keyed, None, importeval.article_fields(article))
            bare.add(keyed, None, bare_fields(page))
            right += sum(scores.values())
            total += len(scores)
            wrong = [name for name, ok in scores.items() if not ok]
            wrong_fields.update(wrong)
            pages += 1
            whole += not wrong
            print(
                f"{key['file']}: {sum(scores.values())}/{len(scores)} fields right"
                + (f"; wrong: {', '.join(wrong)}" if wrong else "")
            )
    if total:
        print(f"== Vietnamese answer keys: {right}/{total} fields right")
        print(f"== pages with every field right: {whole}/{pages}")
        fields = ", ".join(f"{name} {pages - wrong_fields[name]}/{pages}" for name in scores)
        print(f"== right per field: {fields}")
        field_table(
            "Vietnamese answer keys",
            [("importer", ours), ("bare trafilatura", bare)],
            has_body=False,
        )


@dataclass
class BenchPage:
    """One page of a scored set: its file, how its body is scored, its field keys."""

    path: Path
    score_body: Callable[[str | None], tuple[int, int, int, int]]
    keys: dict[str, str | list[str] | None]
    group: str = ""  # the page's language, where the set says
    # The importer's text that is scored: title, summary and body (default), or as the set's
    # key counts the story (importeval.story_text: no title, as bare trafilatura gives it).
    text_of: Callable[[Article], str] = importeval.article_text
    # The set's own scoring where it differs (scrapinghub's shingles): (tp, fp, fn) a page.
    own_score: Callable[[str | None], tuple[float, float, float]] | None = None
    # Also scored: the body alone (no Summary), where the key leaves the story's dek out
    # (schema.org's articleBody, readability's content beside its excerpt).
    body_only: bool = False


@dataclass
class Outcome:
    """One extractor on one set."""

    body: importeval.Confusion = field(default_factory=importeval.Confusion)
    pages: list[importeval.Counts] = field(default_factory=list)  # the body's, page by page
    kept: importeval.Confusion = field(default_factory=importeval.Confusion)  # pages not refused
    fields: importeval.FieldScore = field(default_factory=importeval.FieldScore)
    groups: dict[str, importeval.Confusion] = field(default_factory=dict)
    refused: Counter[str] = field(default_factory=Counter)
    refused_pages: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu: float = 0.0  # CPU seconds of this process: the work, whatever else the machine runs
    own: list[tuple[float, float, float]] = field(default_factory=list)  # the set's own score
    body_only: importeval.Confusion = field(default_factory=importeval.Confusion)
    # The body's text without its photos' captions (keys such as WCXB's leave captions out).
    text_only: importeval.Confusion = field(default_factory=importeval.Confusion)
    # Per page: its file, the authors published and the key's (for --authors-out).
    published: list[tuple[str, list[str], object]] = field(default_factory=list)

    def add(self, page: BenchPage, text: str | None, found: dict) -> None:
        counts = page.score_body(text)
        if page.own_score is not None:
            self.own.append(page.own_score(text))
        self.body.add(counts)
        self.pages.append(counts)
        self.groups.setdefault(page.group, importeval.Confusion()).add(counts)
        for name in importeval.FIELDS:
            self.fields.add(
                name, importeval.field_right(name, found.get(name), page.keys.get(name))
            )


def bare_fields(path: Path) -> dict:
    """trafilatura's own metadata of a page (extract_metadata), as its evaluation reads it."""
    try:
        document = trafilatura.extract_metadata(path.read_bytes())
    except Exception:  # noqa: BLE001 — a crash is a miss, as trafilatura's evaluation counts it
        document = None
    if document is None:
        return {}
    return {"title": document.title, "authors": document.author, "date": document.date}


def run_importer(pages: list[BenchPage], extract: importeval.Extractor) -> Outcome:
    outcome = Outcome()
    for page in pages:
        start, cpu = time.perf_counter(), time.process_time()
        article = extract(page.path)
        outcome.seconds += time.perf_counter() - start
        outcome.cpu += time.process_time() - cpu
        text = None if isinstance(article, str) else page.text_of(article)
        if page.body_only:
            blocks = [] if isinstance(article, str) else article.blocks
            plain = "\n".join(b.plain for b in blocks if b.plain)
            outcome.body_only.add(page.score_body(plain if text is not None else None))
            words = "\n".join(b.plain for b in blocks if b.plain and b.kind != "figure")
            outcome.text_only.add(page.score_body(words if text is not None else None))
        found = importeval.article_fields(article)
        outcome.add(page, text, found)
        outcome.published.append((str(page.path), found["authors"] or [], page.keys.get("authors")))
        if text is None:
            outcome.refused[article.split(": ", 1)[-1][:70]] += 1
            outcome.refused_pages.append(str(page.path))
        else:
            outcome.kept.add(page.score_body(text))
    return outcome


def run_bare(pages: list[BenchPage], refused: set[str]) -> Outcome:
    outcome = Outcome()
    for page in pages:
        start, cpu = time.perf_counter(), time.process_time()
        text = bare_extract(page.path)
        outcome.seconds += time.perf_counter() - start
        outcome.cpu += time.process_time() - cpu
        outcome.add(page, text, bare_fields(page.path) if page.keys else {})
        if str(page.path) not in refused:
            outcome.kept.add(page.score_body(text))
    return outcome


def _cell(value: float | None) -> str:
    return f"{value:6.3f}" if value is not None else f"{'—':>6}"


def field_table(name: str, rows: list[tuple[str, Outcome]], has_body: bool = True) -> None:
    """Title, authors and date (share of the pages with a key right; "—": the set has no key),
    then body precision, recall and F1."""
    print(
        f"-- per field, {name} (pages with a key: "
        + ", ".join(f"{f} {rows[0][1].fields.keyed[f]}" for f in importeval.FIELDS)
        + ")"
    )
    print(f"{'':26} {'title':>6} {'authors':>7} {'date':>6} {'body P':>6} {'body R':>6} {'F1':>6}")
    for label, outcome in rows:
        body = (
            [outcome.body.precision(), outcome.body.recall(), outcome.body.f1()]
            if has_body
            else [None] * 3
        )
        shares = [outcome.fields.share(f) for f in importeval.FIELDS]
        print(
            f"{label:26} {_cell(shares[0])} {_cell(shares[1]):>7} {_cell(shares[2])} "
            + " ".join(_cell(v) for v in body)
        )


def body_table(name: str, size: int, ours: Outcome, bare: Outcome) -> None:
    refused = sum(ours.refused.values())
    print(f"== {name}: {size} pages")
    print(f"{'':28} precision  recall     F1   seconds  CPU s")
    for label, matrix, outcome in (
        ("bare trafilatura.extract", bare.body, bare),
        ("importer (refused = miss)", ours.body, ours),
    ):
        print(
            f"{label:28} {matrix.precision():8.3f} {matrix.recall():7.3f} {matrix.f1():6.3f} "
            f"{outcome.seconds:8.1f} {outcome.cpu:6.1f}"
        )
    if ours.body_only.tp:
        matrix = ours.body_only
        print(
            f"{'importer, body w/o Summary':28} {matrix.precision():8.3f} {matrix.recall():7.3f} "
            f"{matrix.f1():6.3f}"
        )
        # Not the target's figure: the product keeps photos with their captions; this line
        # shows what they weigh against a key that leaves captions out.
        matrix = ours.text_only
        print(
            f"{'  … and w/o photo captions':28} {matrix.precision():8.3f} {matrix.recall():7.3f} "
            f"{matrix.f1():6.3f}"
        )
    # Speed as CPU time: the wall-clock seconds of a shared machine also count the other
    # jobs, which differ between the importer's pass and trafilatura's.
    ratio = bare.cpu / ours.cpu if ours.cpu else 0.0
    print(
        f"speed: {ratio:.2f}x of bare trafilatura (CPU; wall-clock "
        f"{bare.seconds / max(ours.seconds, 1e-9):.2f}x; target >= {TARGET_RATIO}x): "
        f"{'OK' if ratio >= TARGET_RATIO else 'BELOW TARGET'}"
    )
    for score, label in ((importeval.Confusion.f1, "F1"), (importeval.Confusion.precision, "P")):
        paired = importeval.paired_difference(ours.pages, bare.pages, score)
        print(
            f"importer - bare, {label}: {paired.difference:+.4f} ({paired.level:.0%} of "
            f"{paired.rounds} resamples of the pages: {paired.low:+.4f} to {paired.high:+.4f})"
        )
    print(
        f"on the {size - refused} pages imported: importer F1 {ours.kept.f1():.3f}, "
        f"bare {bare.kept.f1():.3f}"
    )
    print(f"refused: {refused} pages ({refused / max(size, 1):.1%}; target <= {MAX_REFUSED:.0%})")
    for reason, count in ours.refused.most_common(5):
        print(f"  {count:4} {reason}")
    if ours.refused_pages:
        # The folder too: readability's pages are all named source.html.
        names = ["/".join(Path(path).parts[-2:]) for path in ours.refused_pages[:20]]
        print(f"  refused pages: {', '.join(names)}")
    met = (
        ours.body.f1() >= bare.body.f1()
        and ours.body.precision() >= bare.body.precision()
        and refused <= MAX_REFUSED * size
    )
    print(
        f"target F1 and precision >= bare, refused <= {MAX_REFUSED:.0%}: {'OK' if met else 'MISSED'}"
    )


def trafilatura_pages(folder: Path, sample: int) -> list[BenchPage]:
    return [
        BenchPage(
            path,
            lambda text, item=item: importeval.count_item(item, text),
            {"title": item.get("title"), "authors": item.get("author"), "date": item.get("date")},
        )
        for _url, item, path in list(importeval.trafilatura_items(folder))[::sample]
    ]


def daniel_pages(folder: Path, sample: int) -> list[BenchPage]:
    pages = []
    for item in list(importeval.daniel_items(folder))[::sample]:
        reference = importeval.words(item.reference)
        pages.append(
            BenchPage(
                item.path,
                lambda text, ref=reference: importeval.count_words(ref, text),
                {},
                item.language,
            )
        )
    return pages


def reference_pages(items: list[importeval.ReferencePage], own: bool = False) -> list[BenchPage]:
    """Pages keyed by the story's text (scrapinghub, readability): its words against the
    extraction's, as DAnIEL is scored (importeval.count_words); `own`: also the set's own
    shingle scoring (scrapinghub's evaluate.py)."""
    pages = []
    for item in items:
        reference = importeval.words(item.reference)
        page_text = importeval.norm(importeval.html_text(item.path.read_bytes()))
        pages.append(
            BenchPage(
                item.path,
                lambda text, ref=reference: importeval.count_words(ref, text),
                {name: value for name, value in item.keys.items() if value},
                item.group,
                text_of=lambda article, seen=page_text: importeval.story_text(article, seen),
                own_score=(
                    (lambda text, ref=item.reference: importeval.shingle_counts(ref, text))
                    if own
                    else None
                ),
                body_only=True,
            )
        )
    return pages


def scored_set(
    name: str, pages: list[BenchPage], extract: importeval.Extractor, by: str = "language"
) -> Outcome:
    """Score the importer and bare trafilatura (same run) on one set; print both tables
    (and one line per group of pages where the set sorts them: `by` names the grouping)."""
    ours = run_importer(pages, extract)
    bare = run_bare(pages, set(ours.refused_pages))
    body_table(name, len(pages), ours, bare)
    if len(ours.groups) > 1:
        print(f"{'by ' + by:14} pages  importer P / R / F1     bare P / R / F1")
        for group in sorted(ours.groups):
            size = sum(1 for page in pages if page.group == group)
            a, b = ours.groups[group], bare.groups[group]
            print(
                f"{group:14} {size:5}  {a.precision():.3f} / {a.recall():.3f} / {a.f1():.3f}"
                f"    {b.precision():.3f} / {b.recall():.3f} / {b.f1():.3f}"
            )
    if ours.own:
        print("the set's own scoring (evaluate.py: 4-word shingles, mean over pages):")
        for label, outcome in (("importer", ours), ("bare trafilatura", bare)):
            precision, recall, f1 = importeval.shingle_scores(outcome.own)
            print(f"  {label:24} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}")
    field_table(name, [("importer", ours), ("bare trafilatura", bare)])
    return ours


def htmldate_sets(folder: Path, sample: int, extract: importeval.Extractor) -> None:
    print(f"== htmldate evaluation sets from {folder}")
    print(f"{'':34} pages  accuracy  find_date  seconds (ours / find_date)")
    both = importeval.Confusion(), importeval.Confusion()
    only: dict[str, list[str]] = {"importer": [], "find_date": []}  # pages only one gets right
    fields = Outcome(), Outcome()  # importer, bare trafilatura's metadata: the date only
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
            found = htmldate.find_date(
                importeval.read_like_htmldate(path), original_date=True, extensive_search=True
            )
            times[1] += time.perf_counter() - start
            outcomes = (
                importeval.date_outcome(day, item["date"]),
                importeval.date_outcome(found, item["date"]),
            )
            keyed = BenchPage(path, lambda _text: (0, 0, 0, 0), {"date": item["date"]})
            fields[0].add(keyed, None, {"date": day})
            fields[1].add(keyed, None, {"date": bare_fields(path).get("date")})
            ours.add(outcomes[0])
            baseline.add(outcomes[1])
            right = [outcome[0] + outcome[3] > 0 for outcome in outcomes]
            if right[0] != right[1]:
                only["importer" if right[0] else "find_date"].append(
                    f"{path.name} (key {item['date']}, importer {day}, find_date {found})"
                )
        for total, part in zip(both, (ours, baseline), strict=True):
            total.add((part.tp, part.fp, part.fn, part.tn))
        print(
            f"{name:34} {len(items):5} {ours.accuracy():9.3f} {baseline.accuracy():10.3f}"
            f"   {times[0]:6.1f} / {times[1]:.1f}"
        )
    print(f"{'both sets':34} {'':5} {both[0].accuracy():9.3f} {both[1].accuracy():10.3f}")
    for who, pages in only.items():
        print(f"right only with {who}: {len(pages)}")
        for page in pages:
            print(f"  {page}")
    met = both[0].accuracy() >= both[1].accuracy()
    print(f"target accuracy >= find_date: {'OK' if met else 'MISSED'}")
    field_table(
        "htmldate sets (pages with a reference date)",
        [("importer", fields[0]), ("bare trafilatura", fields[1])],
        has_body=False,
    )


def ablation(
    sets: dict[str, list[BenchPage]], baseline: dict[str, Outcome], steps: ImportSteps
) -> None:
    """Each step switched off in turn: the importer's scores on every set, and their change
    from the run with `steps` (a positive delta: the importer does better without the step)."""
    print(f"== ablation: each step switched off (deltas against {describe(steps)})")
    print(
        f"{'step off':16} {'set':12} {'F1':>6} {'dF1':>7} {'P':>6} {'dP':>7} {'R':>6} {'dR':>7} "
        f"{'authors':>7} {'dAuth':>7}"
    )
    switchable = [name for name in step_names() if getattr(steps, name) and name != "templates"]
    for name in switchable:
        extract = importeval.importer_extractor(ROOT / "content", steps.without(name))
        for set_name, pages in sets.items():
            outcome, base = run_importer(pages, extract), baseline[set_name]
            authors, base_authors = outcome.fields.share("authors"), base.fields.share("authors")
            print(
                f"{name:16} {set_name:12} {outcome.body.f1():6.3f} "
                f"{outcome.body.f1() - base.body.f1():+7.3f} {outcome.body.precision():6.3f} "
                f"{outcome.body.precision() - base.body.precision():+7.3f} "
                f"{outcome.body.recall():6.3f} {outcome.body.recall() - base.body.recall():+7.3f} "
                + (
                    f"{authors:7.3f} {authors - base_authors:+7.3f}"
                    if authors is not None and base_authors is not None
                    else f"{'—':>7} {'—':>7}"
                )
            )
    print("(templates: learnt across the pages of one batch import, so not measured page by page)")


def describe(steps: ImportSteps) -> str:
    off = [name for name in step_names() if not getattr(steps, name)]
    only = sorted(steps.vietnamese_only)
    return (
        "all steps"
        + (f" but {', '.join(off)}" if off else "")
        + (f"; Vietnamese pages only: {', '.join(only)}" if only else "")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--pages", type=Path, default=SHARED / "pages", metavar="DIR")
    parser.add_argument(
        "--vn-pages",
        type=Path,
        nargs="*",
        metavar="DIR",
        default=[SHARED / "pages", SHARED / "pages-vn"],
    )
    parser.add_argument(
        "--heldout-vn",
        type=Path,
        metavar="DIR",
        help=f"held-out Vietnamese pages, scored against {HELDOUT_KEY.relative_to(ROOT)}",
    )
    parser.add_argument(
        "--heldout-key",
        type=Path,
        metavar="FILE",
        default=HELDOUT_KEY,
        help="the answer key of --heldout-vn (default: %(default)s)",
    )
    parser.add_argument("--trafilatura-eval", type=Path, metavar="DIR")
    parser.add_argument("--htmldate-eval", type=Path, metavar="DIR")
    parser.add_argument(
        "--daniel",
        type=Path,
        metavar="DIR",
        help="the DAnIEL corpus (waddle's corpora/Corpus_daniel_v2.1)",
    )
    parser.add_argument(
        "--scrapinghub",
        type=Path,
        metavar="DIR",
        help="scrapinghub/article-extraction-benchmark (html/*.html.gz, ground-truth.json)",
    )
    parser.add_argument(
        "--readability",
        type=Path,
        metavar="DIR",
        help="mozilla/readability's test pages (test/ or test/test-pages/)",
    )
    parser.add_argument(
        "--wcxb",
        type=Path,
        metavar="DIR",
        help="WCXB (Murrough-Foley/web-content-extraction-benchmark): its root (the test/ "
        "split is scored) or a split folder (ground-truth/, html/)",
    )
    parser.add_argument(
        "--wcxb-split",
        choices=("test", "dev"),
        default="test",
        help="the split of --wcxb's root to score: test (held out; the default) or dev "
        "(the development split, for reading pages)",
    )
    parser.add_argument("--sample", type=int, default=1, metavar="N")
    parser.add_argument(
        "--authors-out",
        type=Path,
        metavar="FILE",
        help="write every scored page's published authors (and its key) to FILE",
    )
    parser.add_argument(
        "--ablation",
        action="store_true",
        help="also score the importer with each of its steps switched off",
    )
    parser.add_argument(
        "--steps",
        choices=("default", "all"),
        default="default",
        help="the importer's steps: as it runs them (default), or every step "
        "on pages of every language (all: the state before the ablation)",
    )
    parser.add_argument("--no-speed", action="store_true", help="skip the speed comparison")
    parser.add_argument(
        "--speed-only",
        action="store_true",
        help="only the speed, page by page: --pages (--rounds rounds), then each public set "
        "given (--trafilatura-eval, --daniel; one round, every --sample-th page); no scores",
    )
    args = parser.parse_args(argv)
    if args.sample < 1:
        print("error: --sample must be 1 or more", file=sys.stderr)
        return 2
    for folder in [
        args.pages,
        args.heldout_vn,
        args.trafilatura_eval,
        args.htmldate_eval,
        args.daniel,
        args.scrapinghub,
        args.readability,
        args.wcxb,
    ]:
        if folder is not None and not folder.is_dir():
            print(f"error: {folder}: not a folder", file=sys.stderr)
            return 2
    for name in ("trafilatura", "htmldate", "tdbvantq.importer"):  # per-page notes, not results
        logging.getLogger(name).setLevel(logging.CRITICAL)
    steps = ALL_STEPS if args.steps == "all" else DEFAULT_STEPS
    print(f"importer steps: {describe(steps)}")
    extract = importeval.importer_extractor(ROOT / "content", steps)
    pages = sorted(args.pages.glob("*.html"))
    if pages and not args.no_speed:
        speed(f"{args.pages}", pages, args.rounds, extract)
    if not args.speed_only:
        vietnamese_pages([folder for folder in args.vn_pages if folder.is_dir()], extract)
    if args.heldout_vn and not args.speed_only:
        print(f"== held-out Vietnamese pages from {args.heldout_vn}")
        if not args.heldout_key.is_file():
            print(f"error: {args.heldout_key}: no such answer key", file=sys.stderr)
            return 2
        missing = missing_pages(args.heldout_vn, args.heldout_key)
        if missing:
            print(
                f"error: {args.heldout_vn}: {len(missing)} page(s) of {args.heldout_key} not "
                f"found, first {missing[0]} (the pages are not in the repository: "
                f"{HELDOUT_KEY.parent.relative_to(ROOT)}/README.md says where they are)",
                file=sys.stderr,
            )
            return 2
        vietnamese_pages([args.heldout_vn], extract, args.heldout_key)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as unpacked:
        sets = public_sets(args, Path(unpacked))
        if sets is None:
            return 2
        if args.speed_only:
            for name, bench_pages in sets.items():
                speed(f"{name} (every {args.sample})", [p.path for p in bench_pages], 1, extract)
            return 0
        return scored_sets(args, sets, extract, steps)


def public_sets(args: argparse.Namespace, unpacked: Path) -> dict[str, list[BenchPage]] | None:
    """The scored public sets named on the command line (None, with the error printed, when
    one cannot be read); scrapinghub's packed pages are unpacked into `unpacked`."""
    sets: dict[str, list[BenchPage]] = {}
    try:
        if args.trafilatura_eval:
            sets["trafilatura"] = trafilatura_pages(args.trafilatura_eval, args.sample)
        if args.daniel:
            sets["DAnIEL"] = daniel_pages(args.daniel, args.sample)
        if args.scrapinghub:
            items = list(importeval.scrapinghub_items(args.scrapinghub, unpacked))
            sets["scrapinghub"] = reference_pages(items[:: args.sample], own=True)
        if args.readability:
            items = list(importeval.readability_items(args.readability))
            sets["readability"] = reference_pages(items[:: args.sample])
        if args.wcxb:
            items = list(importeval.wcxb_items(args.wcxb, unpacked, args.wcxb_split))
            sets["WCXB"] = reference_pages(items[:: args.sample])
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return None
    return sets


def scored_sets(
    args: argparse.Namespace,
    sets: dict[str, list[BenchPage]],
    extract: importeval.Extractor,
    steps: ImportSteps,
) -> int:
    titles = {
        "trafilatura": f"trafilatura evaluation set from {args.trafilatura_eval}",
        "DAnIEL": f"DAnIEL corpus from {args.daniel}",
        "scrapinghub": f"scrapinghub article-extraction-benchmark from {args.scrapinghub}",
        "readability": f"readability test pages from {args.readability}",
        "WCXB": f"WCXB web content extraction benchmark from {args.wcxb} "
        f"({args.wcxb_split} split unless a split folder was given)",
    }
    baseline = {
        name: scored_set(
            titles[name], pages, extract, "page type" if name == "WCXB" else "language"
        )
        for name, pages in sets.items()
    }
    if args.htmldate_eval:
        htmldate_sets(args.htmldate_eval, args.sample, extract)
    if args.authors_out:
        write_authors(args.authors_out, baseline)
    if args.ablation and sets:
        ablation(sets, baseline, steps)
    return 0


def write_authors(path: Path, outcomes: dict[str, Outcome]) -> None:
    """Every page's published authors, one page a line (set, page, authors, key), so that
    the names of two runs can be compared and judged by hand."""
    lines = [
        "\t".join((name, page, "; ".join(authors), str(key or "")))
        for name, outcome in outcomes.items()
        for page, authors, key in outcome.published
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

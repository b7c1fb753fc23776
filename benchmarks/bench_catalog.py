"""Cost of the model catalogue per article, through real Pelican builds of real news text.

    python benchmarks/bench_catalog.py [--corpus FILE] [--articles 1000] [--dense 300]
                                    [--rounds 3] [--baseline REV]

Writes N stories of the news corpus (../shared/benchmarks/news-corpus, never
published) as Markdown articles next to a copy of content/models, then builds
them with the site's pelicanconf.py three ways, in interleaved rounds:

- without model_catalog;
- with model_catalog (this tree);
- with model_catalog as it was at REV (default caec613, before the one-pass
  matcher), loaded from `git show` into a temporary plugin folder.

General news rarely names a model; the same is then done with copies of the
seed story (`--dense`), which names all ten, with figures and places: the
catalogue's worst case, and what the site's own stories are like.

Two figures per implementation: the catalogue's own time inside the build (two
timing plugins around it on `article_generator_finalized`, where it does all
its per-article work, loading the catalogue included) and the whole build's
extra time over the build without it, both per article, best of the rounds.
Times are CPU seconds (user + system) of the build process, which a busy
shared machine disturbs much less than wall-clock time. The search plugins are left out of
every build: their cost is measured by bench_scale.py and would only add noise.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pelican.settings import get_settings_from_file

from sitebench import SHARED

ROOT = Path(__file__).resolve().parents[1]
CORPUS = SHARED / "news-corpus" / "baomoi-2017-5000.jsonl.gz"
SEED = ROOT / "content" / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md"
TARGET_MS = 1.0
SENTENCES_PER_PARAGRAPH = 4
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[^\W\d_])")

# Two tiny plugins put around model_catalog in PLUGINS: Pelican connects
# receivers in plugin order, so they run just before and just after it.
TIMER_MODULE = """
import os, time
from pelican import signals
started = []

def start(generator):
    started.append(time.process_time())

def stop(generator):
    with open(os.environ["CATALOG_TIMER_FILE"], "w") as out:
        out.write(str(time.process_time() - started.pop()))
"""
TIMER_START = "from pelican import signals\nfrom bench_catalog_timer import start\n\ndef register():\n    signals.article_generator_finalized.connect(start)\n"
TIMER_STOP = "from pelican import signals\nfrom bench_catalog_timer import stop\n\ndef register():\n    signals.article_generator_finalized.connect(stop)\n"


def paragraphs_of(body: str) -> list[str]:
    """The corpus lost paragraph breaks: rebuild paragraphs of a few sentences."""
    sentences = _SENTENCE_END.split(" ".join(body.split()))
    return [
        " ".join(sentences[i : i + SENTENCES_PER_PARAGRAPH])
        for i in range(0, len(sentences), SENTENCES_PER_PARAGRAPH)
    ]


def write_corpus(corpus: Path, content: Path, count: int) -> int:
    """Write `count` stories as content/articles/*.md plus content/models; returns bytes written."""
    folder = content / "articles"
    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "content" / "models", content / "models")
    written = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        for i, line in zip(range(count), lines, strict=False):
            story = json.loads(line)
            title = " ".join(story["title"].split()).replace(":", ",")
            lede = " ".join(story["lede"].split())
            header = [
                f"Title: {title}",
                f"Date: 2017-{i % 12 + 1:02d}-{i % 28 + 1:02d} 08:00+07:00",
                f"Slug: bai-{i:05d}",
                f"Summary: {lede}",
            ]
            text = "\n".join(header) + "\n\n" + "\n\n".join(paragraphs_of(story["body"])) + "\n"
            (folder / f"bai-{i:05d}.md").write_text(text, encoding="utf-8")
            written += len(text.encode("utf-8"))
    if written == 0:
        raise SystemExit(f"bench_catalog: no stories in {corpus}")
    return written


def baseline_plugin(revision: str, plugins_dir: Path) -> str | None:
    """model_catalog at `revision`, renamed so both can be imported; None without git."""
    name = "model_catalog_" + re.sub(r"\W", "_", revision)
    package = plugins_dir / name
    package.mkdir(parents=True)
    listing = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{revision}:plugins/model_catalog"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if listing.returncode != 0:
        print(f"baseline {revision}: not available ({listing.stderr.strip()})")
        return None
    for file in listing.stdout.split():
        if file.endswith(".py"):
            source = subprocess.run(
                ["git", "show", f"{revision}:plugins/model_catalog/{file}"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            (package / file).write_text(
                re.sub(r"\bmodel_catalog\.", f"{name}.", source), encoding="utf-8"
            )
    return name


def site_plugins() -> list[str]:
    """PLUGINS of pelicanconf.py without the search plugins."""
    settings = get_settings_from_file(str(ROOT / "pelicanconf.py"))
    return [p for p in settings["PLUGINS"] if p not in ("search_index", "static_search")]


@dataclass
class Variant:
    label: str
    catalog: str | None  # plugin module name; None builds without a catalogue
    builds: list[float] = field(default_factory=list)
    catalogue: list[float] = field(default_factory=list)


def build(content: Path, work: Path, variant: Variant) -> None:
    plugins = [p for p in site_plugins() if p != "model_catalog"]
    if variant.catalog:
        plugins += ["bench_catalog_start", variant.catalog, "bench_catalog_stop"]
    timer_file = work / "catalogue-seconds"
    timer_file.unlink(missing_ok=True)
    output = work / f"out-{variant.label.split()[0]}"
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
        f"PLUGINS={json.dumps(plugins)}",
        f"SEARCH_INDEX_DIR={json.dumps(str(work / 'unused-index'))}",
    ]
    # The timing plugins and the baseline live in a temporary folder: the child
    # Pelican finds them on PYTHONPATH (this tree's plugins are installed).
    env = {**os.environ, "CATALOG_TIMER_FILE": str(timer_file), "PYTHONPATH": str(work / "plugins")}
    before = _children_cpu()
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    elapsed = _children_cpu() - before
    if result.returncode != 0:
        raise SystemExit(
            f"bench_catalog: build '{variant.label}' failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    variant.builds.append(elapsed)
    if variant.catalog:
        variant.catalogue.append(float(timer_file.read_text()))
    shutil.rmtree(output, ignore_errors=True)


def _children_cpu() -> float:
    """CPU seconds (user + system) of finished child processes: on a shared
    machine this varies far less than wall-clock time."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def write_dense(content: Path, count: int) -> None:
    """`count` copies of the seed story, which names all ten models with figures
    and places: the catalogue's worst case, and what the site's own stories are like."""
    folder = content / "articles"
    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "content" / "models", content / "models")
    seed = SEED.read_text(encoding="utf-8")
    for i in range(count):
        story = seed.replace(f"Slug: {SEED.stem}", f"Slug: ban-sao-{i:05d}").replace(
            "Title: ", f"Title: ({i}) ", 1
        )
        (folder / f"ban-sao-{i:05d}.md").write_text(story, encoding="utf-8")


def measure(content: Path, work: Path, count: int, rounds: int, old: str | None) -> None:
    """Interleaved rounds of the three builds of `content`, then the table."""
    variants = [
        Variant("without model_catalog", None),
        Variant("model_catalog (this tree)", "model_catalog"),
    ]
    if old:
        variants.append(
            Variant(f"model_catalog at {old.removeprefix('model_catalog_')} (baseline)", old)
        )
    for _ in range(rounds):
        for variant in variants:
            build(content, work, variant)
    report(variants, count)


def run(corpus: Path, articles: int, dense: int, rounds: int, revision: str | None) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-catalog-"))
    try:
        plugins_dir = work / "plugins"
        plugins_dir.mkdir()
        (plugins_dir / "bench_catalog_timer.py").write_text(TIMER_MODULE, encoding="utf-8")
        (plugins_dir / "bench_catalog_start.py").write_text(TIMER_START, encoding="utf-8")
        (plugins_dir / "bench_catalog_stop.py").write_text(TIMER_STOP, encoding="utf-8")
        old = baseline_plugin(revision, plugins_dir) if revision else None
        print(f"plugins: {', '.join(site_plugins())} (search plugins left out)")
        size = write_corpus(corpus, work / "news", articles)
        print(f"\nnews: {articles} stories of {corpus.name}, {size / 1e6:.1f} MB of Markdown")
        measure(work / "news", work, articles, rounds, old)
        if dense:
            write_dense(work / "dense", dense)
            print(
                f"\ndense: {dense} copies of the seed story (ten models, figures, places in each)"
            )
            measure(work / "dense", work, dense, rounds, old)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(variants: list[Variant], articles: int) -> None:
    plain = min(variants[0].builds)
    print()
    print(
        "| build (CPU time) | whole build | catalogue in the build | catalogue ms/article | build extra ms/article |"
    )
    print("|---|---|---|---|---|")
    print(f"| {variants[0].label} | {plain:.2f} s | | | |")
    per_article = {}
    for variant in variants[1:]:
        best_build, best_catalogue = min(variant.builds), min(variant.catalogue)
        per_article[variant.label] = best_catalogue * 1000 / articles
        print(
            f"| {variant.label} | {best_build:.2f} s | {best_catalogue:.2f} s "
            f"| {per_article[variant.label]:.2f} | {(best_build - plain) * 1000 / articles:.2f} |"
        )
    now = per_article[variants[1].label]
    print()
    verdict = "met" if now <= TARGET_MS else "missed"
    print(f"catalogue: {now:.2f} ms/article (target <= {TARGET_MS:.0f} ms: {verdict})")
    if len(variants) > 2:
        before = per_article[variants[2].label]
        print(f"baseline: {before:.2f} ms/article; this tree is {before / now:.1f}x faster")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="news corpus (.jsonl.gz)")
    parser.add_argument("--articles", type=int, default=1000, help="stories built (default 1000)")
    parser.add_argument(
        "--dense", type=int, default=300, help="copies of the seed story also built (0: none)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="builds of each kind; best is kept")
    parser.add_argument(
        "--baseline", default="caec613", help="git revision of the old catalogue ('' for none)"
    )
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"bench_catalog: corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    run(args.corpus, args.articles, args.dense, args.rounds, args.baseline or None)
    return 0


if __name__ == "__main__":
    sys.exit(main())

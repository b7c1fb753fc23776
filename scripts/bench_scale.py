"""Scale of the search index on a generated corpus made from real article text.

    python scripts/bench_scale.py [--articles 10000] [--queries 300] [--keep DIR]

Recombines paragraphs of the seed article, the saved news pages and the
XQuAD-vi paragraphs into N articles, then measures in one run:
plain Pelican (search plugin disabled) vs Pelican with the search index on the
same content (target <= 1.3x), the full index time alone, the index update
after editing one article (target < 1 s), query latency p50/p95 (target
p50 <= 20 ms) and the index size.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pelican.settings import get_settings_from_file

import vntext
from static_search.export import export_static_index
from vnsearch import SearchDocument, SearchEngine, build_index, current_generation

ROOT = Path(__file__).resolve().parents[1]

SHARED = ROOT.parent / "shared"
SEED = ROOT / "content" / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md"
MODELS_DIR = ROOT / "content" / "models"
MODELS = sorted(
    line.split(":", 1)[1].strip()
    for path in MODELS_DIR.glob("*.md")
    for line in path.read_text(encoding="utf-8").splitlines()[:5]
    if line.startswith("Name:")
) or ["Camera an ninh", "Dòng họ tự quản"]
TAGS = ["Phong trào TDBVANTQ", "Thừa Thiên Huế", "An ninh trật tự", "Đà Nẵng", "Quảng Trị"]


def source_paragraphs() -> list[str]:
    """Real paragraphs: seed body, the saved news pages (via trafilatura), XQuAD-vi."""
    paragraphs = []
    body = SEED.read_text(encoding="utf-8").partition("\n\n")[2]
    paragraphs += [
        p.strip() for p in body.split("\n\n") if len(p.strip()) > 80 and not p.startswith("#")
    ]
    try:
        import trafilatura  # noqa: PLC0415 - optional helper for the saved pages

        for page in sorted((SHARED / "benchmarks" / "pages").glob("*.html")):
            text = trafilatura.extract(page.read_text(encoding="utf-8")) or ""
            paragraphs += [p.strip() for p in text.splitlines() if len(p.strip()) > 80]
    except ImportError:
        pass
    data = json.loads(
        (SHARED / "benchmarks" / "xquad" / "xquad.vi.json").read_text(encoding="utf-8")
    )
    for article in data["data"]:
        paragraphs += [p["context"].lstrip("\ufeff") for p in article["paragraphs"]]
    return [vntext.normalize(p) for p in paragraphs]


def generate(content: Path, count: int, seed: int = 20230803) -> list[Path]:
    """Write `count` Markdown articles under content/articles; returns their paths."""
    rng = random.Random(seed)
    paragraphs = source_paragraphs()
    folder = content / "articles"
    folder.mkdir(parents=True)
    if MODELS_DIR.is_dir():  # the model catalogue the articles refer to
        shutil.copytree(MODELS_DIR, content / "models")
    paths = []
    for i in range(count):
        chosen = rng.sample(paragraphs, rng.randint(4, 9))
        words = chosen[0].split()
        title = " ".join(words[: rng.randint(6, 12)]).rstrip(",.;:") + f" ({i})"
        title = title.replace(":", ",")
        date = f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 08:00+07:00"
        meta = [
            f"Title: {title}",
            f"Date: {date}",
            f"Slug: bai-{i:05d}",
            f"Summary: {' '.join(chosen[1][:300].split())}",
            f"Models: {'; '.join(rng.sample(MODELS, rng.randint(0, 3)))}",
            f"Tags: {', '.join(rng.sample(TAGS, 2))}",
        ]
        path = folder / f"bai-{i:05d}.md"
        path.write_text("\n".join(meta) + "\n\n" + "\n\n".join(chosen[1:]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def site_plugins() -> list[str]:
    """PLUGINS from pelicanconf.py, without the browser-search export (measured by its own bench)."""
    settings = get_settings_from_file(str(ROOT / "pelicanconf.py"))
    return [p for p in settings["PLUGINS"] if p != "static_search"]


def pelican(content: Path, output: Path, index_dir: Path, enabled: bool) -> float:
    plugins = [p for p in site_plugins() if enabled or p != "search_index"]
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
        f"SEARCH_INDEX_DIR={json.dumps(str(index_dir))}",
        f"SEARCH_INDEX_ENABLED={json.dumps(enabled)}",
        f"PLUGINS={json.dumps(plugins)}",
    ]
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(
            f"bench_scale: pelican failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )
    return elapsed


def documents_from(paths: list[Path]) -> list[SearchDocument]:
    """The documents the plugin would index (text taken straight from the Markdown)."""
    docs = []
    for path in paths:
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
        models = [m.strip() for m in meta.get("Models", "").split(";") if m.strip()]
        docs.append(
            SearchDocument(
                id=f"article:{meta['Slug']}",
                kind="article",
                url=f"{meta['Date'][:4]}/{meta['Slug']}/",
                title=meta["Title"],
                summary=meta.get("Summary", ""),
                body=body,
                models=models,
                model_slugs=[vntext.slugify(m) for m in models],
                tags=[t.strip() for t in meta.get("Tags", "").split(",")],
                date=meta["Date"],
            )
        )
    return docs


def sample_queries(docs: list[SearchDocument], count: int, seed: int = 7) -> list[str]:
    """Model names, 2-4 syllable spans of titles and bodies, half of them folded."""
    rng = random.Random(seed)
    queries = [*MODELS, "dong ho tu quan", "PCCC", "an ninh trật tự", "to lien gia"]
    while len(queries) < count:
        doc = rng.choice(docs)
        words = (doc.title if rng.random() < 0.3 else doc.body).split()
        start = rng.randrange(max(1, len(words) - 4))
        query = " ".join(words[start : start + rng.randint(2, 4)])
        queries.append(vntext.fold(query) if rng.random() < 0.5 else query)
    return queries[:count]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def dir_size(path: Path) -> int:
    """Bytes on disk, each hard-linked file once (generations share segment files)."""
    seen: dict[int, int] = {}
    for p in path.rglob("*"):
        if p.is_file():
            stat = p.stat()
            seen[stat.st_ino] = stat.st_size
    return sum(seen.values())


def run(articles: int, queries: int, keep: Path | None) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        content = work / "content"
        paths = generate(content, articles)
        print(f"plugins: {', '.join(site_plugins())} (plain runs drop search_index)")
        print(
            f"corpus: {articles} articles, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB of Markdown"
        )

        plain = pelican(content, work / "out-plain", work / "idx-unused", enabled=False)
        full = pelican(content, work / "out-search", work / "idx-pelican", enabled=True)
        rebuild = pelican(content, work / "out-search", work / "idx-pelican", enabled=True)
        edited = paths[articles // 3]
        edited.write_text(
            edited.read_text(encoding="utf-8") + "\nMột đoạn bổ sung.\n", encoding="utf-8"
        )
        plain_edit = pelican(content, work / "out-plain", work / "idx-unused", enabled=False)
        search_edit = pelican(content, work / "out-search", work / "idx-pelican", enabled=True)

        docs = documents_from(paths)
        started = time.perf_counter()
        build_index(work / "idx", docs)
        index_time = time.perf_counter() - started

        docs[articles // 2].body += "\n\nĐoạn văn được biên tập viên bổ sung sau khi đăng."
        started = time.perf_counter()
        report = build_index(work / "idx", docs)
        update_time = time.perf_counter() - started
        assert report.changed == 1 and report.added == report.removed == 0

        started = time.perf_counter()
        report = build_index(work / "idx", docs)
        noop_time = time.perf_counter() - started
        assert not report.written

        latencies = []
        with SearchEngine(work / "idx") as engine:
            for query in sample_queries(docs, queries):
                started = time.perf_counter()
                engine.search(query, limit=10)
                latencies.append((time.perf_counter() - started) * 1000)
        size = dir_size(current_generation(work / "idx"))

        # The browser index export (static_search) runs after the index in a real build.
        started = time.perf_counter()
        exported = export_static_index(work / "idx", work / "static-search")
        export_time = time.perf_counter() - started

        print()
        print("| measure | value | target |")
        print("|---|---|---|")
        print(f"| plain Pelican build (search off) | {plain:.1f} s | |")
        print(f"| Pelican build with search index (fresh index) | {full:.1f} s | |")
        print(f"| ratio | {full / plain:.2f}x | <= 1.3x |")
        print(
            f"| Pelican rebuild with search, nothing changed | {rebuild:.1f} s ({rebuild / plain:.2f}x) | |"
        )
        print(
            f"| after editing one article: plain / with search | {plain_edit:.1f} s / {search_edit:.1f} s ({search_edit / plain_edit:.2f}x) | |"
        )
        print(f"| full index build alone ({articles} docs) | {index_time:.1f} s | |")
        print(f"| index update after editing one article | {update_time:.2f} s | < 1 s |")
        print(f"| index check, nothing changed | {noop_time:.2f} s | |")
        print(
            f"| browser index export (static_search) | {export_time:.1f} s, {exported.bytes / 1e6:.1f} MB in {exported.written} files | |"
        )
        print(
            f"| query latency p50 / p95 ({queries} queries) | {percentile(latencies, 0.5):.1f} / {percentile(latencies, 0.95):.1f} ms | p50 <= 20 ms |"
        )
        print(
            f"| index size | {size / 1e6:.1f} MB (Markdown {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB) | |"
        )
    finally:
        if keep:
            shutil.copytree(work, keep, dirs_exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000, help="corpus size (default 10000)")
    parser.add_argument("--queries", type=int, default=300, help="queries timed (default 300)")
    parser.add_argument("--keep", type=Path, default=None, help="copy the work folder here")
    args = parser.parse_args(argv)
    run(args.articles, args.queries, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())

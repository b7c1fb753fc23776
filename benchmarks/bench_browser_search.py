"""Benchmark the browser search against Pagefind on the same site, side by side.

    python benchmarks/bench_browser_search.py [--articles 2000] [--workdir DIR] [--keep]

For two corpora — the site's own content (seed article and model pages) and a
generated corpus of N articles recombined from real article text (the seed,
the saved news pages under ../shared/benchmarks/pages and XQuAD-vi paragraphs)
— the site is built twice: once with this project's search (plugins/
static_search) and once without it, indexed by Pagefind (PyPI `pagefind[bin]`,
requirements-bench.txt) over article and model pages only (`<main>` as root).
Each query then runs in a fresh headless Chromium context (cold cache) on the
search page, and the script records the bytes transferred until the first
results are shown, the time to first results (localhost, and with a throttled
phone-like connection), and whether the first result is relevant (hit@1).
Relevance is judged from the text: a result is relevant when its page holds
the phrase the query stands for (diacritics and tone placement normalized), or
for XQuAD questions, the paragraph the question was written about.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from sitebench import SHARED
from sitebench.browser import CHROMIUM, CHROMIUM_ARGS, serve
from sitebench.firstquery import measure_query
from sitebench.pagefind import SEARCH_PAGE as PAGEFIND_PAGE
from sitebench.pagefind import available as pagefind_available
from sitebench.pagefind import index_site
from sitebench.sitebuild import build_site, site_pages
from tdbvantq import text as vntext

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "content" / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md"


@dataclass
class Judged:
    query: str
    kind: str  # "không dấu", "đ", "viết tắt", "cụm từ", "kiểu bỏ dấu", "câu hỏi", ...
    phrases: list[str]  # relevant: the page text holds one of these (normalized, lowercase)


SEED_QUERIES = [
    Judged("dong ho tu quan", "không dấu", ["dòng họ tự quản"]),
    Judged("dòng họ tự quản", "cụm từ", ["dòng họ tự quản"]),
    Judged("dang uy", "đ", ["đảng ủy"]),
    Judged("doan van sy", "đ", ["đoàn văn sỹ"]),
    Judged("đối tượng truy nã", "đ", ["đối tượng có lệnh truy nã"]),
    Judged("PCCC", "viết tắt", ["phòng cháy, chữa cháy", "phòng cháy chữa cháy", "pccc"]),
    Judged("TDBVANTQ", "viết tắt", ["tdbvantq", "toàn dân bảo vệ an ninh tổ quốc"]),
    Judged("to lien gia an toan", "không dấu", ["tổ liên gia an toàn"]),
    Judged("camera an ninh", "cụm từ", ["camera an ninh"]),
    Judged("văn hoá", "kiểu bỏ dấu", ["văn hóa"]),
    Judged("khai thac cat san", "không dấu", ["khai thác cát sạn"]),
    Judged("xe thồ tự quản", "cụm từ", ["xe thồ tự quản"]),
]


# -- corpus -----------------------------------------------------------------------------


def _html_paragraphs(path: Path) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8", errors="replace"), "lxml")
    out = []
    for p in soup.find_all("p"):
        text = " ".join(p.get_text(" ").split())
        if len(text) > 80:
            out.append(text)
    return out


def _seed_paragraphs() -> list[str]:
    body = SEED.read_text(encoding="utf-8").partition("\n\n")[2]
    return [p.strip() for p in body.split("\n\n") if p.strip() and not p.startswith("#")]


def _sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?…])\s+", paragraph) if len(s) > 20]


def _xquad_articles() -> list[dict]:
    import json

    data = json.loads((SHARED / "xquad" / "xquad.vi.json").read_text(encoding="utf-8"))
    return data["data"]


def generate_corpus(target: Path, count: int, judged: int = 12) -> list[Judged]:
    """Write a content/ tree with `count` generated articles; return the XQuAD questions.

    `judged` XQuAD paragraphs, each from a different Wikipedia article, go whole
    into one generated article each; no other text of those Wikipedia articles
    is used, so each question has one right page. Everything else is sentences
    of the seed, the news pages and the other XQuAD paragraphs, recombined.
    """
    rng = random.Random(2026)
    shutil.copytree(ROOT / "content", target)
    folder = target / "articles" / "gen"
    folder.mkdir(parents=True)
    paragraphs = _seed_paragraphs()
    for page in sorted((SHARED / "pages").glob("*.html")):
        paragraphs += _html_paragraphs(page)
    articles = _xquad_articles()
    rng.shuffle(articles)
    kept = [rng.choice(article["paragraphs"]) for article in articles[:judged]]
    rest = [p["context"] for article in articles[judged:] for p in article["paragraphs"]]
    sentences = [s for p in paragraphs + rest for s in _sentences(p)]
    models = [
        line.split(":", 1)[1].strip()
        for p in sorted((ROOT / "content" / "models").glob("*.md"))
        for line in p.read_text(encoding="utf-8").splitlines()
        if line.startswith("Name:")
    ]
    questions: list[Judged] = []
    for i in range(count):
        body = [
            " ".join(rng.sample(sentences, rng.randint(2, 5))) for _ in range(rng.randint(3, 6))
        ]
        if i < len(kept):
            body.insert(rng.randint(0, len(body)), kept[i]["context"])
            question = kept[i]["qas"][0]["question"]
            anchor = kept[i]["context"][:80]
            questions.append(Judged(question, "câu hỏi", [anchor]))
            questions.append(Judged(vntext.fold(question), "câu hỏi không dấu", [anchor]))
        words = body[0].split()[: rng.randint(6, 11)]
        title = " ".join(words).strip(' ,;:“”"')
        day = rng.randint(0, 7 * 365)
        date = time.strftime(
            "%Y-%m-%d %H:%M", time.gmtime(1546300800 + day * 86400 + rng.randint(0, 86399))
        )
        header = [
            f"Title: {title}",
            f"Date: {date}+07:00",
            f"Slug: bai-{i:05d}",
            "Category: Tin tức",
        ]
        if rng.random() < 0.3:
            header.append("Models: " + "; ".join(rng.sample(models, rng.randint(1, 2))))
        text = "\n".join(header) + "\n\n" + "\n\n".join(body) + "\n"
        (folder / f"bai-{i:05d}.md").write_text(text, encoding="utf-8")
    return questions


# -- builds -----------------------------------------------------------------------------


def page_texts(content: Path) -> dict[str, str]:
    """URL -> normalized lowercase text of every article and model page (for judging)."""
    return {url: vntext.lower(page.text) for url, page in site_pages(content).items()}


def relevant(text: str, judged: Judged) -> bool:
    flat = " ".join(text.split())
    return any(vntext.lower(" ".join(p.split())) in flat for p in judged.phrases)


# -- measuring --------------------------------------------------------------------------


@dataclass
class Measure:
    bytes: list[int] = field(default_factory=list)  # plain static server
    gzip_bytes: list[int] = field(default_factory=list)  # server that gzips text files
    ms: list[float] = field(default_factory=list)  # plain server, localhost
    slow_ms: list[float] = field(default_factory=list)  # gzip server, throttled network
    hits: list[bool] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)


def run_engine(
    browser, site: Path, page_name: str, queries: list[Judged], texts: dict[str, str]
) -> Measure:
    measure = Measure()
    with serve(site, compress=False) as plain, serve(site, compress=True) as zipped:
        for judged in queries:
            path = f"/{page_name}?q={quote(judged.query)}"
            local = measure_query(browser, plain + path)
            zipped_size = measure_query(browser, zipped + path).bytes
            slow = measure_query(browser, zipped + path, throttle=True).ms
            found = urlsplit(local.first_url).path.lstrip("/") if local.first_url else ""
            measure.bytes.append(local.bytes)
            measure.gzip_bytes.append(zipped_size)
            measure.requests.append(local.requests)
            measure.ms.append(local.ms)
            measure.slow_ms.append(slow)
            measure.hits.append(bool(found) and relevant(texts.get(found, ""), judged))
    return measure


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def bench_corpus(
    name: str, content: Path, work: Path, queries: list[Judged], browser
) -> list[dict]:
    ours, theirs = work / f"{name}-ours", work / f"{name}-pagefind"
    build_ours = build_site(content, ours, work / f"{name}-index-ours")
    build_theirs = build_site(
        content, theirs, work / f"{name}-index-pf", {"STATIC_SEARCH_ENABLED": False}
    )
    index_pf = index_site(theirs).wall
    texts = page_texts(content)
    print(
        f"{name}: browser engine vs scripts/search.py, top 5: "
        f"{parity(ours / 'search', work / f'{name}-index-ours', queries)}",
        flush=True,
    )
    rows = []
    for engine, site, page_name, index_folder, build_s in (
        ("vnsearch tĩnh", ours, "search.html", ours / "search", build_ours),
        ("Pagefind", theirs, PAGEFIND_PAGE, theirs / "pagefind", build_theirs + index_pf),
    ):
        m = run_engine(browser, site, page_name, queries, texts)
        files, size = folder_size(index_folder)
        rows.append(
            {
                "corpus": name,
                "engine": engine,
                "files": files,
                "index_kb": size / 1024,
                "build_s": build_s,
                "kb": statistics.median(m.bytes) / 1024,
                "kb_max": max(m.bytes) / 1024,
                "gz_kb": statistics.median(m.gzip_bytes) / 1024,
                "requests": statistics.median(m.requests),
                "ms": statistics.median(m.ms),
                "slow_ms": statistics.median(m.slow_ms),
                "hit1": sum(m.hits) / len(m.hits),
                "n": len(m.hits),
                "misses": [q.query for q, h in zip(queries, m.hits, strict=True) if not h],
            }
        )
    return rows


def parity(static_dir: Path, index_dir: Path, queries: list[Judged]) -> str:
    """How many queries get the same top 5 (urls, in order) from the browser engine and the CLI."""
    import json

    lines = "".join(
        json.dumps({"query": q.query, "limit": 5}, ensure_ascii=False) + "\n" for q in queries
    )
    browser = subprocess.run(
        ["node", str(ROOT / "tests" / "js" / "search_cli.mjs"), str(static_dir)],
        input=lines,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cli = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "search.py"),
            "--index",
            str(index_dir),
            "--json",
            "--limit",
            "5",
            "-",
        ],
        input="".join(q.query + "\n" for q in queries),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    same = sum(
        [r["url"] for r in json.loads(a)["results"]] == [r["url"] for r in json.loads(b)["results"]]
        for a, b in zip(browser.splitlines(), cli.splitlines(), strict=True)
    )
    return f"{same}/{len(queries)} identical"


def print_table(rows: list[dict]) -> None:
    print()
    print(
        "| corpus | engine | index files | index KB | KB to first results, plain server (median / max) "
        "| KB, gzip server (median) | requests | ms to first results, localhost | ms, throttled "
        "1.6 Mbit/s 150 ms RTT | hit@1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['corpus']} | {r['engine']} | {r['files']} | {r['index_kb']:.0f} | "
            f"{r['kb']:.1f} / {r['kb_max']:.1f} | {r['gz_kb']:.1f} | {r['requests']:.0f} | "
            f"{r['ms']:.0f} | {r['slow_ms']:.0f} | {r['hit1']:.2f} ({r['n']} queries) |"
        )
    print()
    for ours, theirs in zip(rows[::2], rows[1::2], strict=True):
        print(
            f"{ours['corpus']}: bytes {ours['kb'] / theirs['kb']:.2f}× Pagefind plain, "
            f"{ours['gz_kb'] / theirs['gz_kb']:.2f}× gzip (target ≤ 0.25); "
            f"time {ours['ms'] / theirs['ms']:.2f}× localhost, {ours['slow_ms'] / theirs['slow_ms']:.2f}× "
            f"throttled (target < 1); hit@1 {ours['hit1']:.2f} vs {theirs['hit1']:.2f} (target: better)"
        )
        for r in (ours, theirs):
            if r["misses"]:
                print(f"  {r['engine']} misses: {'; '.join(r['misses'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="generated corpus size")
    parser.add_argument("--workdir", type=Path, help="keep builds here (default: a temp folder)")
    args = parser.parse_args(argv)
    if not pagefind_available():
        print("pagefind is not installed: make bench-deps", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-browser-"))
    work.mkdir(parents=True, exist_ok=True)
    generated = work / "content-generated"
    shutil.rmtree(generated, ignore_errors=True)
    questions = generate_corpus(generated, args.articles)
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        rows += bench_corpus("seed", ROOT / "content", work, SEED_QUERIES, browser)
        rows += bench_corpus(
            f"{args.articles} bài", generated, work, SEED_QUERIES + questions, browser
        )
        browser.close()
    print_table(rows)
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

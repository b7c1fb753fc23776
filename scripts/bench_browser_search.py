"""Benchmark the browser search against Pagefind on the same site, side by side.

    python scripts/bench_browser_search.py [--articles 2000] [--workdir DIR] [--keep]

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
import contextlib
import gzip
import http.server
import io
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

import vntext
from devtools.browser import CHROMIUM, CHROMIUM_ARGS, serve_directory

ROOT = Path(__file__).resolve().parents[1]

SHARED = ROOT.parent / "shared" / "benchmarks"
SEED = ROOT / "content" / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md"
# A phone on a mediocre mobile connection (Chrome DevTools' "Fast 3G"-like figures).
THROTTLE = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8,
            "uploadThroughput": 750_000 / 8}
RESULTS_SHOWN = 10  # both pages render the first 10 hits with their excerpts


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
    models = [line.split(":", 1)[1].strip() for p in sorted((ROOT / "content" / "models").glob("*.md"))
              for line in p.read_text(encoding="utf-8").splitlines() if line.startswith("Name:")]
    questions: list[Judged] = []
    for i in range(count):
        body = [" ".join(rng.sample(sentences, rng.randint(2, 5))) for _ in range(rng.randint(3, 6))]
        if i < len(kept):
            body.insert(rng.randint(0, len(body)), kept[i]["context"])
            question = kept[i]["qas"][0]["question"]
            anchor = kept[i]["context"][:80]
            questions.append(Judged(question, "câu hỏi", [anchor]))
            questions.append(Judged(vntext.fold(question), "câu hỏi không dấu", [anchor]))
        words = body[0].split()[: rng.randint(6, 11)]
        title = " ".join(words).strip(" ,;:“”\"")
        day = rng.randint(0, 7 * 365)
        date = time.strftime("%Y-%m-%d %H:%M", time.gmtime(1546300800 + day * 86400 + rng.randint(0, 86399)))
        header = [f"Title: {title}", f"Date: {date}+07:00", f"Slug: bai-{i:05d}", "Category: Tin tức"]
        if rng.random() < 0.3:
            header.append("Models: " + "; ".join(rng.sample(models, rng.randint(1, 2))))
        text = "\n".join(header) + "\n\n" + "\n\n".join(body) + "\n"
        (folder / f"bai-{i:05d}.md").write_text(text, encoding="utf-8")
    return questions


# -- builds -----------------------------------------------------------------------------


def build_site(content: Path, output: Path, index_dir: Path, *extra: str) -> float:
    started = time.perf_counter()
    cmd = [sys.executable, "-m", "pelican", str(content), "-o", str(output), "-s",
           str(ROOT / "pelicanconf.py"), "-e", f'SEARCH_INDEX_DIR="{index_dir}"', *extra]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"build of {content} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return time.perf_counter() - started


PAGEFIND_SCRIPT = """<script type="module">
const form = document.getElementById("search-form");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const results = document.getElementById("search-results");
const pagefind = await import("./pagefind/pagefind.js");
async function run(q) {
  const search = await pagefind.search(q);
  const data = await Promise.all(search.results.slice(0, RESULTS_SHOWN).map((r) => r.data()));
  results.replaceChildren(...data.map((d) => {
    const li = document.createElement("li");
    const h = document.createElement("h2");
    const a = document.createElement("a");
    a.href = d.url; a.textContent = d.meta.title || d.url;
    h.append(a);
    const p = document.createElement("p");
    p.innerHTML = d.excerpt;
    li.append(h, p);
    return li;
  }));
  status.textContent = search.results.length
    ? `Tìm thấy ${search.results.length} kết quả cho “${q}”`
    : `Không tìm thấy kết quả nào cho “${q}”`;
}
form.addEventListener("submit", (e) => { e.preventDefault(); run(input.value); });
const q = new URLSearchParams(location.search).get("q");
if (q) { input.value = q; run(q); }
</script>""".replace("RESULTS_SHOWN", str(RESULTS_SHOWN))


def add_pagefind(site: Path) -> float:
    """Index article and model pages with Pagefind; write pagefind-search.html beside search.html."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--root-selector", "main",
         "--glob", "{[0-9][0-9][0-9][0-9],mo-hinh}/**/*.html", "--quiet"],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"pagefind failed: {done.stdout}\n{done.stderr}")
    elapsed = time.perf_counter() - started
    page = (site / "search.html").read_text(encoding="utf-8")
    page = re.sub(r'<script type="module" src="[^"]*search\.js"></script>', PAGEFIND_SCRIPT, page)
    (site / "pagefind-search.html").write_text(page, encoding="utf-8")
    return elapsed


def page_texts(content: Path) -> dict[str, str]:
    """URL -> normalized lowercase text of every article and model page (for judging)."""
    from devtools.search_corpus import read_source

    texts = {}
    for path in (content / "articles").rglob("*.md"):
        meta, body = read_source(path)
        year = meta["date"][:4]
        texts[f"{year}/{meta['slug']}/"] = vntext.lower(" ".join([meta.get("title", ""), meta.get("summary", ""), body]))
    for path in (content / "models").glob("*.md"):
        meta, body = read_source(path)
        texts[f"mo-hinh/{meta['slug']}/"] = vntext.lower(" ".join([meta.get("name", ""), body]))
    return texts


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


FIRST_RESULTS = """() => {
  window.__shown = null;
  const check = () => {
    const ol = document.getElementById('search-results');
    const status = document.getElementById('search-status');
    if ((ol && ol.children.length) || (status && status.textContent.startsWith('Không tìm thấy'))) {
      window.__shown = performance.now();
      return true;
    }
    return false;
  };
  new MutationObserver((_, observer) => { if (check()) observer.disconnect(); })
    .observe(document, { subtree: true, childList: true, characterData: true });
}"""


def measure_query(browser, url: str, throttle: bool) -> tuple[int, int, float, str]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    if throttle:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", THROTTLE)
    sizes: list[int] = []

    def finished(request) -> None:
        with contextlib.suppress(Exception):
            s = request.sizes()
            sizes.append(s["responseBodySize"] + s["responseHeadersSize"])

    page.on("requestfinished", finished)
    page.add_init_script(f"({FIRST_RESULTS})()")
    page.goto(url)
    page.wait_for_function("window.__shown !== null", timeout=60000)
    shown = page.evaluate("window.__shown")
    first = page.evaluate(
        "() => { const a = document.querySelector('#search-results > li a'); return a ? a.href : ''; }"
    )
    page.wait_for_timeout(150)
    total, count = sum(sizes), len(sizes)
    context.close()
    return total, count, shown, first


def run_engine(browser, site: Path, page_name: str, queries: list[Judged], texts: dict[str, str]) -> Measure:
    measure = Measure()
    with serve(site, compress=False) as plain, serve(site, compress=True) as zipped:
        for judged in queries:
            path = f"/{page_name}?q={quote(judged.query)}"
            size, count, shown, first = measure_query(browser, plain + path, throttle=False)
            zipped_size, _, _, _ = measure_query(browser, zipped + path, throttle=False)
            _, _, slow, _ = measure_query(browser, zipped + path, throttle=True)
            found = urlsplit(first).path.lstrip("/") if first else ""
            measure.bytes.append(size)
            measure.gzip_bytes.append(zipped_size)
            measure.requests.append(count)
            measure.ms.append(shown)
            measure.slow_ms.append(slow)
            measure.hits.append(bool(found) and relevant(texts.get(found, ""), judged))
    return measure


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static server that gzips text files on the fly, as static hosts and CDNs do."""

    TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml")

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in self.TEXT):
            return super().send_head()
        data = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


@contextlib.contextmanager
def serve(directory: Path, compress: bool):
    if compress:
        with serve_directory(directory, _GzipHandler) as url:
            yield url
    else:
        with serve_directory(directory) as url:
            yield url


def bench_corpus(name: str, content: Path, work: Path, queries: list[Judged], browser) -> list[dict]:
    ours, theirs = work / f"{name}-ours", work / f"{name}-pagefind"
    build_ours = build_site(content, ours, work / f"{name}-index-ours")
    build_theirs = build_site(content, theirs, work / f"{name}-index-pf", "STATIC_SEARCH_ENABLED=false")
    index_pf = add_pagefind(theirs)
    texts = page_texts(content)
    print(f"{name}: browser engine vs scripts/search.py, top 5: "
          f"{parity(ours / 'search', work / f'{name}-index-ours', queries)}", flush=True)
    rows = []
    for engine, site, page_name, index_folder, build_s in (
        ("vnsearch tĩnh", ours, "search.html", ours / "search", build_ours),
        ("Pagefind", theirs, "pagefind-search.html", theirs / "pagefind", build_theirs + index_pf),
    ):
        m = run_engine(browser, site, page_name, queries, texts)
        files, size = folder_size(index_folder)
        rows.append({
            "corpus": name, "engine": engine, "files": files, "index_kb": size / 1024,
            "build_s": build_s, "kb": statistics.median(m.bytes) / 1024,
            "kb_max": max(m.bytes) / 1024, "gz_kb": statistics.median(m.gzip_bytes) / 1024,
            "requests": statistics.median(m.requests),
            "ms": statistics.median(m.ms), "slow_ms": statistics.median(m.slow_ms),
            "hit1": sum(m.hits) / len(m.hits), "n": len(m.hits),
            "misses": [q.query for q, h in zip(queries, m.hits, strict=True) if not h],
        })
    return rows


def parity(static_dir: Path, index_dir: Path, queries: list[Judged]) -> str:
    """How many queries get the same top 5 (urls, in order) from the browser engine and the CLI."""
    import json

    lines = "".join(json.dumps({"query": q.query, "limit": 5}, ensure_ascii=False) + "\n" for q in queries)
    browser = subprocess.run(["node", str(ROOT / "tests" / "js" / "search_cli.mjs"), str(static_dir)],
                             input=lines, capture_output=True, text=True, check=True).stdout
    cli = subprocess.run([sys.executable, str(ROOT / "scripts" / "search.py"), "--index", str(index_dir),
                          "--json", "--limit", "5", "-"], input="".join(q.query + "\n" for q in queries),
                         capture_output=True, text=True, check=True).stdout
    same = sum(
        [r["url"] for r in json.loads(a)["results"]] == [r["url"] for r in json.loads(b)["results"]]
        for a, b in zip(browser.splitlines(), cli.splitlines(), strict=True)
    )
    return f"{same}/{len(queries)} identical"


def print_table(rows: list[dict]) -> None:
    print()
    print("| corpus | engine | index files | index KB | KB to first results, plain server (median / max) "
          "| KB, gzip server (median) | requests | ms to first results, localhost | ms, throttled "
          "1.6 Mbit/s 150 ms RTT | hit@1 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['corpus']} | {r['engine']} | {r['files']} | {r['index_kb']:.0f} | "
              f"{r['kb']:.1f} / {r['kb_max']:.1f} | {r['gz_kb']:.1f} | {r['requests']:.0f} | "
              f"{r['ms']:.0f} | {r['slow_ms']:.0f} | {r['hit1']:.2f} ({r['n']} queries) |")
    print()
    for ours, theirs in zip(rows[::2], rows[1::2], strict=True):
        print(f"{ours['corpus']}: bytes {ours['kb'] / theirs['kb']:.2f}× Pagefind plain, "
              f"{ours['gz_kb'] / theirs['gz_kb']:.2f}× gzip (target ≤ 0.25); "
              f"time {ours['ms'] / theirs['ms']:.2f}× localhost, {ours['slow_ms'] / theirs['slow_ms']:.2f}× "
              f"throttled (target < 1); hit@1 {ours['hit1']:.2f} vs {theirs['hit1']:.2f} (target: better)")
        for r in (ours, theirs):
            if r["misses"]:
                print(f"  {r['engine']} misses: {'; '.join(r['misses'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="generated corpus size")
    parser.add_argument("--workdir", type=Path, help="keep builds here (default: a temp folder)")
    args = parser.parse_args(argv)
    try:
        import pagefind  # noqa: F401
    except ImportError:
        print("pagefind is not installed: .venv/bin/pip install -r requirements-bench.txt", file=sys.stderr)
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
        rows += bench_corpus(f"{args.articles} bài", generated, work, SEED_QUERIES + questions, browser)
        browser.close()
    print_table(rows)
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

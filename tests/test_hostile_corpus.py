"""Issue 20: no input of the hostile corpus publishes anything active, and every case is
reported with file:line by both the build and `make check`.

The corpus (tests/fixtures/hostile/, described in its README) is copied to a temporary
folder, where each area's run-time cases are added. Then:

- agreement: one strict build (scripts/build.py, pelicanconf.py) and one `make check`
  (scripts/check_content.py) of the copy fail without a traceback, report every expected
  file:line, and report the same set of file:line errors;
- browser: one build with STRICT_CONTENT=false (problems logged, sanitized output published),
  with the corpus's hostile pages imported first through scripts/import_news.py from a
  server on 127.0.0.1, is served on 127.0.0.1, and every page of it (stories, pages, model
  pages, lists, home, the search page with queries that find the hostile stories, the feeds
  as text and as a feed reader shows their entries) is loaded in one headless Chromium with
  every event dispatched on every element: no dialog, no request to another host, no
  navigation away, no popup, no PWNED title, no page swallowed by a broken JSON-LD block;
- the harness can fail: pages written here with payloads (onerror, a request to another
  host, a PWNED title, a javascript: link, a meta refresh, a form sent elsewhere, a JSON-LD
  block that swallows the page, a script error, markup no event triggers) are caught;
- and it can pass: on the site built from content/ nothing fires.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from sitebench.browser import serve_directory
from support.hostile import (
    CORPUS,
    EXPECTED,
    MARKDOWN,
    Corpus,
    Harness,
    Run,
    build,
    build_errors,
    check,
    check_errors,
    chromium_problem,
    feed_entry_pages,
    feeds,
    format_locations,
    import_hostile_pages,
    load_expected,
    make_runtime_cases,
    prepare_corpus,
    published_cases,
    site_pages,
    strict_only,
)

# Queries the search page runs: each finds hostile stories, so their snippets are shown.
SEARCH_QUERIES = ("mã độc hại", "alert", "javascript", "script onerror")
SEARCH_DONE = (
    "() => { const s = document.getElementById('search-status');"
    " return s && !s.hidden && s.textContent.trim().length > 0; }"
)


def require_chromium() -> None:
    problem = chromium_problem()
    if problem:
        pytest.fail(problem, pytrace=False)


# -- the corpus itself ---------------------------------------------------------------------------


@pytest.fixture
def hostile_browser(request: pytest.FixtureRequest):
    """The session's Chromium (tests/conftest.py): one Playwright per test session, since a
    second sync Playwright cannot start while the first runs."""
    require_chromium()
    return request.getfixturevalue("browser")


def test_corpus_files_are_utf8_and_every_expected_case_exists() -> None:
    expected = load_expected()
    assert expected, f"no expected reports in {EXPECTED}"
    for path, line in expected:
        source = CORPUS / path
        if not source.exists():
            continue  # a run-time case's file is made by its area's runtime_<area>.py
        if source.suffix in MARKDOWN:
            lines = source.read_bytes().split(b"\n")
            assert 0 <= line <= len(lines), (
                f"content/{path}:{line}: the file has {len(lines)} lines"
            )
    for source in sorted(CORPUS.rglob("*.md")):
        try:
            source.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            # Only a case about invalid bytes may be invalid, and it must say so in its name.
            assert "utf8" in source.name or "encoding" in source.name, f"{source}: {error}"


def test_error_lines_are_read_as_file_and_line() -> None:
    """The parsers behind the agreement test: absolute or relative paths, with or without a
    line, errors only (warnings and other lines are not errors)."""
    build_log = Run(
        [],
        1,
        "",
        "\n".join(
            [
                "WARNING: content/articles/a.md:3: only a warning",
                "ERROR: /tmp/x/site/content/articles/a.md:4: Có thẻ HTML <script> — Xóa thẻ này.",
                "ERROR: content/models/m.md: the model has no name",
                "CRITICAL: content/articles/a.md:4: … (and 1 more problems, listed above)",
                "ERROR: Could not process something without a file",
            ]
        ),
    )
    assert build_errors(build_log) == {("articles/a.md", 4), ("models/m.md", 0)}
    check_log = Run(
        [],
        1,
        "\n".join(
            [
                "LỖI (2) — phải sửa trước khi xuất bản:",
                "content/articles/a.md:4: Có thẻ HTML <script> — Xóa thẻ này.",
                "content/pages/p.md:7: Có đường dẫn javascript: — Thay bằng https://….",
                "",
                "CẢNH BÁO (1) — nên sửa:",
                "content/articles/a.md:9: Sapo ngắn — Viết thêm.",
                "",
                "Kết quả: 2 lỗi, 1 cảnh báo trong 2/2 tệp.",
            ]
        ),
        "",
    )
    assert check_errors(check_log) == {("articles/a.md", 4), ("pages/p.md", 7)}


def test_runtime_cases_are_made_in_the_copy(tmp_path: Path) -> None:
    """An area's runtime_<area>.py makes its cases in the copy and says what to expect."""
    maker = tmp_path / "runtime_demo.py"
    maker.write_text(
        "from pathlib import Path\n"
        "def create(content: Path) -> dict[str, list[int]]:\n"
        "    (content / 'articles' / 'demo-link.md').symlink_to('/proc/self/environ')\n"
        "    return {'articles/demo-link.md': [0]}\n",
        encoding="utf-8",
    )
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    assert make_runtime_cases(content, folder=tmp_path) == {("articles/demo-link.md", 0): "demo"}
    assert (content / "articles" / "demo-link.md").is_symlink()


# -- build and check agree ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def strict_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return prepare_corpus(tmp_path_factory.mktemp("hostile-strict") / "site")


@pytest.fixture(scope="module")
def strict_runs(strict_corpus: Corpus) -> dict:
    """One strict build of the whole corpus, and, when the corpus has cases that are not
    Markdown (photos, SVGs: the static files Pelican copies after the articles and pages),
    one more of the corpus without the Markdown files that have reports, so a stage that
    stops the build early cannot hide the later stage's cases. `make check` runs once, on
    the whole corpus, before that."""
    runs = {"build": build(strict_corpus, strict_corpus.base / "output")}
    runs["check"] = check(strict_corpus)
    markdown_cases = {path for path, _ in strict_corpus.expected if Path(path).suffix in MARKDOWN}
    if any(Path(path).suffix not in MARKDOWN for path, _ in strict_corpus.expected):
        for path in markdown_cases:
            (strict_corpus.content / path).unlink(missing_ok=True)
        runs["static build"] = build(strict_corpus, strict_corpus.base / "output-static")
    return runs


def strict_build_errors(runs: dict) -> set:
    """The build's (file, line) errors: the whole corpus's build, plus what the build without
    the Markdown cases says about the files that are not Markdown."""
    reported = build_errors(runs["build"])
    if "static build" in runs:
        reported |= {
            where
            for where in build_errors(runs["static build"])
            if Path(where[0]).suffix not in MARKDOWN
        }
    return reported


def test_strict_build_fails_cleanly_and_reports_every_case(
    strict_runs: dict, strict_corpus: Corpus
) -> None:
    first = strict_runs["build"]
    assert first.returncode != 0, f"the build of the hostile corpus succeeded:\n{first.log[-3000:]}"
    assert not (strict_corpus.base / "output").exists(), (
        "the failed build published an output folder"
    )
    for name in ("build", "static build"):
        if name in strict_runs:
            log = strict_runs[name].log
            assert "Traceback" not in log, f"{name} printed a traceback:\n{log[-4000:]}"
    missing = sorted(set(strict_corpus.expected) - strict_build_errors(strict_runs))
    assert not missing, (
        f"the build does not report {len(missing)} of {len(strict_corpus.expected)} expected "
        f"file:line errors:\n{format_locations(missing)}"
    )


def test_make_check_fails_and_reports_every_case(strict_runs: dict, strict_corpus: Corpus) -> None:
    run = strict_runs["check"]
    assert run.returncode == 1, f"check_content.py exit {run.returncode}:\n{run.log[-3000:]}"
    assert "Traceback" not in run.log, run.log[-4000:]
    missing = sorted(set(strict_corpus.expected) - check_errors(run))
    assert not missing, (
        f"make check does not report {len(missing)} of {len(strict_corpus.expected)} expected "
        f"file:line errors:\n{format_locations(missing)}"
    )


def test_build_and_check_report_the_same_lines(strict_runs: dict) -> None:
    built = strict_build_errors(strict_runs)
    checked = check_errors(strict_runs["check"])
    assert built == checked, (
        "the build and make check disagree on the hostile corpus.\n"
        f"Only the build reports:\n{format_locations(built - checked)}\n"
        f"Only make check reports:\n{format_locations(checked - built)}"
    )


# -- nothing active in a real browser ---------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, Path, str]:
    """The corpus (with the hostile pages imported) built with STRICT_CONTENT=false."""
    corpus = prepare_corpus(tmp_path_factory.mktemp("hostile-published") / "site")
    for path in strict_only():
        target = corpus.content / path
        if target.is_symlink() or target.exists():
            target.unlink()
    imported = import_hostile_pages(corpus.content)
    if imported is not None:
        assert "Traceback" not in imported.log, (
            f"the importer printed a traceback:\n{imported.log[-4000:]}"
        )
    run = build(corpus, corpus.base / "output", strict=False)
    assert run.returncode == 0, (
        "the build with STRICT_CONTENT=false must log the problems and publish sanitized "
        f"output, but it failed (exit {run.returncode}):\n{run.log[-4000:]}"
    )
    assert "Traceback" not in run.log, run.log[-4000:]
    return corpus, corpus.base / "output", run.log


def test_no_published_page_runs_anything(
    published: tuple[Corpus, Path, str], hostile_browser
) -> None:
    require_chromium()
    corpus, output, _log = published
    pages = site_pages(output)
    assert "/" in pages and "/search.html" in pages, pages
    # Every story and model page of the corpus is published (sanitized, not dropped).
    for url, source in published_cases(corpus.content).items():
        assert url in pages, f"{source} is not published at {url}"
    for source in sorted((corpus.content / "models").glob("*.md")):
        assert f"/mo-hinh/{source.stem}/" in pages, f"no model page for {source.name}"
    entry_pages = feed_entry_pages(output)
    feed_urls = ["/" + feed.relative_to(output).as_posix() for feed in feeds(output)]
    assert feed_urls, "the build wrote no feed"
    search_urls = [f"/search.html?q={quote(query)}" for query in SEARCH_QUERIES]

    fired, searched = [], {}
    browser = hostile_browser
    with serve_directory(output) as base:
        harness = Harness(browser, [base])
        try:
            for path in [*pages, *search_urls, *feed_urls, *entry_pages]:
                wait = SEARCH_DONE if path.startswith("/search.html?") else None
                findings = harness.probe(base + path, wait_for=wait)
                if wait:
                    searched[path] = findings.notes
                if findings.fired:
                    fired.append(str(findings))
        finally:
            harness.close()
    print(
        f"{len(pages)} pages, {len(search_urls)} searches, {len(feed_urls)} feeds, "
        f"{len(entry_pages)} feed-entry pages loaded"
    )
    assert not fired, f"{len(fired)} published pages ran something:\n" + "\n".join(fired)
    for path, notes in searched.items():
        assert not any(note.startswith("gave up") for note in notes), (
            f"{path}: no search results shown"
        )


def test_search_page_shows_the_hostile_stories(
    published: tuple[Corpus, Path, str], hostile_browser
) -> None:
    """The search test above means something only if the hostile snippets are rendered."""
    require_chromium()
    _corpus, output, _log = published
    browser = hostile_browser
    with serve_directory(output) as base:
        context = browser.new_context(locale="vi-VN")
        try:
            page = context.new_page()
            page.goto(f"{base}/search.html?q={quote(SEARCH_QUERIES[0])}")
            page.wait_for_function(SEARCH_DONE, timeout=15_000)
            hits = page.locator("#search-results li.search-hit").count()
        finally:
            context.close()
    assert hits >= 3, f"the query {SEARCH_QUERIES[0]!r} shows {hits} hostile stories"


# -- the harness can fail ------------------------------------------------------------------------

UNSAFE_PAGES = {
    "onerror.html": "<img src=x onerror=\"alert('harness')\">",
    "request.html": '<img src="http://evil.invalid/harness.png">',
    "title.html": "<div onmouseover=\"document.title='PWNED'\">x</div>",
    "link.html": "<a href=\"javascript:alert('link')\">bấm</a>",
    "refresh.html": '<meta http-equiv="refresh" content="0;url=other.html">',
    "submit.html": '<form action="http://evil.invalid/f"><button>gửi</button></form>',
    "jsonld.html": (
        '<header class="site-header">x</header><script type="application/ld+json">'
        '{"name": "<!--<script>"}</script><p>nội dung</p><script></script>'
        '<footer class="site-footer">y</footer>'
    ),
    "error.html": "<script>alert(</script>",
    "markup.html": (
        '<svg><set attributeName="onmouseover" to="alert(1)"/></svg><p onbeforeprint="alert(1)">x</p>'
        '<a href="https://example.org/" ping="http://evil.invalid/p">p</a>'
        '<div style="width: expression(alert(1))">s</div><template><script>alert(1)</script></template>'
    ),
    "clean.html": '<p>Trang sạch <a href="https://example.org/">liên kết</a></p>',
}


def test_the_harness_catches_an_unsanitized_page(tmp_path: Path, hostile_browser) -> None:
    require_chromium()
    for name, body in UNSAFE_PAGES.items():
        (tmp_path / name).write_text(
            f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{name}</title>'
            f"</head><body>{body}</body></html>",
            encoding="utf-8",
        )
    (tmp_path / "other.html").write_text("<p>khác</p>", encoding="utf-8")
    results = {}
    browser = hostile_browser
    with serve_directory(tmp_path) as base:
        harness = Harness(browser, [base])
        try:
            for name in UNSAFE_PAGES:
                results[name] = harness.probe(f"{base}/{name}")
        finally:
            harness.close()
    assert "alert: harness" in results["onerror.html"].dialogs, results["onerror.html"]
    assert results["request.html"].foreign_requests == ["http://evil.invalid/harness.png"]
    assert results["title.html"].titles, results["title.html"]
    assert "alert: link" in results["link.html"].dialogs, results["link.html"]
    assert results["refresh.html"].navigations, results["refresh.html"]
    assert any("evil.invalid/f" in url for url in results["submit.html"].foreign_requests), results[
        "submit.html"
    ]
    assert results["jsonld.html"].broken, results["jsonld.html"]
    assert results["error.html"].errors, results["error.html"]
    markup = " ".join(results["markup.html"].markup)
    for sign in (
        "onbeforeprint=",
        "attributeName=onmouseover",
        "ping=",
        "style=width: expression",
        "<template>",
    ):
        assert sign in markup, (sign, results["markup.html"])
    assert not results["clean.html"].fired, results["clean.html"]


def test_the_harness_finds_nothing_on_the_real_site(built_site, hostile_browser) -> None:
    """The other half: on the site built from content/ (built_site, conftest's session build)
    nothing fires, so a clean corpus build can pass. One page of each type."""
    require_chromium()
    output = built_site.output
    pages = site_pages(output)
    chosen = [path for path in pages if path.count("/") <= 2 or path.startswith("/2023/")]
    chosen += [
        next(path for path in pages if path.startswith(prefix))
        for prefix in ("/mo-hinh/", "/chu-de/", "/tac-gia/", "/chuyen-muc/")
    ]
    chosen = sorted(set(chosen)) + [
        f"/search.html?q={quote('dong ho tu quan')}",
        "/feeds/all.atom.xml",
    ]
    fired = []
    browser = hostile_browser
    with serve_directory(output) as base:
        harness = Harness(browser, [base])
        try:
            for path in chosen:
                wait = SEARCH_DONE if path.startswith("/search.html?") else None
                findings = harness.probe(base + path, wait_for=wait)
                if findings.fired:
                    fired.append(str(findings))
        finally:
            harness.close()
    assert not fired, "\n".join(fired)

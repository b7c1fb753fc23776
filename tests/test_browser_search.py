"""The search page of the built site in real headless Chromium, served by a plain
static HTTP server: typing, marks, filters, history, hostile input, and parity
with the command-line engine on the same index."""

from __future__ import annotations

import gzip
import http.server
import json
import shutil
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from sitebench.browser import serve_directory
from sitebench.search_corpus import RANKING_QUERIES
from support.browser import hits, open_search, path_of, wait_for_answer
from support.search import search_cli

ROOT = Path(__file__).resolve().parents[1]
SEED_URL = "2023/bam-co-so-xay-dung-phong-trao/"


def test_typing_without_diacritics_finds_the_seed_with_marks(page, site_url, built_site):
    open_search(page, site_url)
    entries = page.evaluate("history.length")
    page.click("#search-query")
    page.keyboard.type("dong ho tu quan", delay=15)
    status = wait_for_answer(page, "dong ho tu quan")
    assert status.startswith("Tìm thấy ") and " kết quả" in status
    found = hits(page)
    expected = search_cli(built_site.index_dir, ["dong ho tu quan"])[0]["results"]
    assert path_of(found[0]["href"]) == expected[0]["url"]
    articles = [h for h in found if not path_of(h["href"]).startswith("mo-hinh/")]
    assert path_of(articles[0]["href"]) == SEED_URL
    assert "dòng họ" in [m.lower() for m in articles[0]["marks"]]
    assert "Dòng họ tự quản" in articles[0]["badges"]
    # While typing, the URL follows the box (replaceState: no history entry per key).
    assert parse_qs(urlsplit(page.url).query)["q"] == ["dong ho tu quan"]
    assert page.evaluate("history.length") == entries
    assert page.errors == []


def test_d_stroke_query_typed_as_d(page, site_url):
    open_search(page, site_url, "dang uy")
    found = hits(page)
    assert path_of(found[0]["href"]) == SEED_URL
    assert "Đảng ủy" in found[0]["marks"]
    assert page.errors == []


def test_acronym_finds_its_expansion(page, site_url):
    open_search(page, site_url, "PCCC")
    found = hits(page)
    seed = next(h for h in found if path_of(h["href"]) == SEED_URL)
    assert {"phòng cháy", "chữa cháy"} <= set(seed["marks"])
    assert page.errors == []


def test_both_tone_placement_styles_give_the_same_answer(page, site_url):
    open_search(page, site_url, "văn hoá")
    old_style = hits(page)
    open_search(page, site_url, "văn hóa")
    new_style = hits(page)
    # Each link carries the query as typed (?tu-khoa=, for the story's highlight); the
    # results themselves are the same.
    assert {parse_qs(urlsplit(h["href"]).query)["tu-khoa"][0] for h in old_style} == {"văn hoá"}

    def same(found: list[dict]) -> list[dict]:
        return [{**h, "href": path_of(h["href"])} for h in found]

    assert same(old_style) == same(new_style)
    assert path_of(old_style[0]["href"]) == SEED_URL
    assert "văn hóa" in old_style[0]["marks"]  # the text's own spelling, marked whole
    assert page.errors == []


def test_filters_from_the_url_and_from_the_facets(page, site_url, built_site):
    open_search(page, site_url, "an ninh", "nam=2023")
    assert [path_of(h["href"]) for h in hits(page)] == [SEED_URL]
    assert page.inner_text("#search-status").startswith("Tìm thấy 1 kết quả")
    # Facet buttons filter in place and put the filter in the URL.
    open_search(page, site_url, "an ninh")
    total = len(page.query_selector_all("#search-results > li"))
    button = page.locator("#search-facets button", has_text="Camera an ninh")
    count = int(button.inner_text().rsplit("(", 1)[1].rstrip(")"))
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("location.search.includes('mo-hinh=camera-an-ninh')")
    page.wait_for_function(
        "n => document.querySelectorAll('#search-results > li').length === n", arg=count
    )
    assert count < total
    expected = search_cli(built_site.index_dir, ["an ninh"], "--model", "camera-an-ninh")[0]
    assert [path_of(h["href"]) for h in hits(page)] == [r["url"] for r in expected["results"]]
    assert button.get_attribute("aria-pressed") == "true"
    assert page.errors == []


def test_back_and_forward_restore_the_query(page, site_url):
    open_search(page, site_url)
    for query in ("PCCC", "dang uy"):
        page.fill("#search-query", query)
        page.keyboard.press("Enter")
        wait_for_answer(page, query)
    page.go_back()
    wait_for_answer(page, "PCCC")
    assert page.input_value("#search-query") == "PCCC"
    assert "phòng cháy" in [m for h in hits(page) for m in h["marks"]]
    page.go_forward()
    wait_for_answer(page, "dang uy")
    assert page.input_value("#search-query") == "dang uy"
    assert page.errors == []


def test_keyboard_only_use(page, site_url):
    open_search(page, site_url)
    page.keyboard.press("Tab")  # skip link
    page.focus("#search-query")
    page.keyboard.type("camera an ninh")
    page.keyboard.press("Enter")
    wait_for_answer(page, "camera an ninh")
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.getAttribute('href')")
    assert first == hits(page)[0]["href"]
    page.keyboard.press("ArrowDown")
    second = hits(page)[1]["href"]
    assert page.evaluate("document.activeElement.getAttribute('href')") == second
    page.keyboard.press("Enter")
    page.wait_for_url(second)
    assert page.errors == []


@pytest.mark.parametrize(
    "query", ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", '"><b>x</b>']
)
def test_hostile_queries_are_shown_as_text(page, site_url, query):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_search(page, site_url, query)
    assert f"“{query}”" in page.inner_text("#search-status")
    assert page.query_selector_all("main img, main script:not([src]), main b") == []
    assert page.evaluate("document.title").startswith(query)
    assert dialogs == [] and page.errors == []


def test_huge_and_punctuation_only_queries_are_harmless(page, site_url):
    open_search(page, site_url, "?!… -- ;;")
    assert page.inner_text("#search-status").startswith("Hãy gõ")
    assert hits(page) == []
    big = ("an ninh trật tự " * 700)[:10240]
    page.fill("#search-query", big)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.getElementById('search-status').textContent.startsWith('Tìm thấy')"
    )
    assert len(hits(page)) > 0
    assert page.errors == []


def test_no_results_offers_suggestions(page, site_url):
    open_search(page, site_url, "Pokémon TX")
    assert page.inner_text("#search-status").startswith("Không tìm thấy kết quả nào")
    assert hits(page) == []
    links = page.eval_on_selector_all("#search-suggestions a", "a => a.map(x => x.textContent)")
    assert links[:2] == ["pokemon tx", "Pokémon thị xã"]  # folded query, acronym expansion
    page.click("#search-suggestions a >> nth=0")
    wait_for_answer(page, "pokemon tx")
    assert page.input_value("#search-query") == "pokemon tx"
    assert page.errors == []


def test_other_pages_load_no_script_and_the_header_box_goes_to_search(page, site_url):
    page.goto(f"{site_url}/{SEED_URL}")
    assert page.query_selector_all("script[src]") == []
    page.fill("#site-search", "PCCC")
    page.keyboard.press("Enter")
    wait_for_answer(page, "PCCC")
    assert urlsplit(page.url).path.endswith("/search.html")
    assert page.errors == []


def test_newest_first_from_the_url_and_from_the_control(page, site_url, built_site):
    queries = ["an ninh", "dong ho tu quan", "camera", "hòa giải", "trõng"]
    expected = search_cli(built_site.index_dir, queries, "--sort", "newest")
    relevance = search_cli(built_site.index_dir, queries)
    assert any(a["results"] != b["results"] for a, b in zip(expected, relevance, strict=True))
    open_search(page, site_url, "an ninh", "sap-xep=moi-nhat")
    assert page.input_value("#search-sort") == "moi-nhat"
    assert [path_of(h["href"]) for h in hits(page)][:5] == [
        r["url"] for r in expected[0]["results"]
    ]
    # The control: relevance back, in the URL (no parameter: the default), facets unchanged.
    facets = page.inner_text("#search-facets")
    page.select_option("#search-sort", "")
    page.wait_for_function("!location.search.includes('sap-xep')")
    assert [r["url"] for r in relevance[0]["results"]] != [r["url"] for r in expected[0]["results"]]
    page.wait_for_function(
        """urls => {
            const shown = [...document.querySelectorAll('#search-results > li > h3 > a')].map(
                a => new URL(a.href).pathname.replace(/^\\//, ''));
            return urls.every((u, i) => shown[i] === u);
        }""",
        arg=[r["url"] for r in relevance[0]["results"]],
    )
    assert [path_of(h["href"]) for h in hits(page)][:5] == [
        r["url"] for r in relevance[0]["results"]
    ]
    assert page.inner_text("#search-facets") == facets
    page.select_option("#search-sort", "moi-nhat")
    page.wait_for_function("location.search.includes('sap-xep=moi-nhat')")
    for answer in expected:
        query = answer["query"]
        page.fill("#search-query", query)
        page.keyboard.press("Enter")
        wait_for_answer(page, query)
        assert "sap-xep=moi-nhat" in page.url
        assert [path_of(h["href"]) for h in hits(page)][:5] == [
            r["url"] for r in answer["results"]
        ], query
    assert page.errors == []


def test_browser_top5_equals_cli_top5(page, site_url, built_site):
    expected = search_cli(built_site.index_dir, RANKING_QUERIES)
    open_search(page, site_url)
    for answer in expected:
        query = answer["query"]
        page.fill("#search-query", query)
        page.keyboard.press("Enter")
        wait_for_answer(page, query)
        top = [path_of(h["href"]) for h in hits(page)][:5]
        assert top == [r["url"] for r in answer["results"]], query
        status = page.inner_text("#search-status")
        if answer["total"]:
            assert status.startswith(f"Tìm thấy {answer['total']} kết quả"), query
    assert page.errors == []


def test_phone_screenshot(browser, site_url, artifacts_dir):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{site_url}/search.html?q={quote('dong ho tu quan')}")
    page.wait_for_selector("#search-results > li mark")
    width = page.evaluate("document.documentElement.scrollWidth")
    path = artifacts_dir / "search-360.png"
    page.screenshot(path=str(path), full_page=True)
    context.close()
    assert width <= 360
    assert path.stat().st_size > 10_000


class _GzipEncodingHandler(http.server.SimpleHTTPRequestHandler):
    """A host that serves .gz files as Content-Encoding: gzip (the browser then decodes them)."""

    def end_headers(self) -> None:
        if self.path.split("?")[0].endswith(".gz"):
            self.send_header("Content-Encoding", "gzip")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        pass


def test_works_when_the_host_sends_gz_files_content_encoded(page, built_site):
    with serve_directory(built_site.output, _GzipEncodingHandler) as url:
        open_search(page, url, "dang uy")
        found = hits(page)
        assert path_of(found[0]["href"]) == SEED_URL
        assert "Đảng ủy" in found[0]["marks"]
        assert page.errors == []


def test_an_index_of_another_format_is_refused_with_the_page_message(page, built_site, tmp_path):
    """A cached or stale index of the previous format is never misread: the page says
    it cannot load its index, and no script error escapes."""
    site = tmp_path / "site"
    shutil.copytree(built_site.output, site)
    manifest_path = site / "search" / "manifest.json.gz"
    manifest = json.loads(gzip.decompress(manifest_path.read_bytes()))
    assert manifest["format"] == "static-search-4"
    manifest["format"] = "static-search-1"
    manifest_path.write_bytes(gzip.compress(json.dumps(manifest).encode("utf-8")))
    with serve_directory(site) as url:
        page.goto(f"{url}/search.html?q={quote('dang uy')}")
        page.wait_for_function(
            "document.getElementById('search-status').textContent.startsWith('Không tải được')"
        )
        assert hits(page) == []
        assert page.errors == []

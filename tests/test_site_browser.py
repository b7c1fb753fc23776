"""The built site in real headless Chromium: fits a phone, keyboard works, readable in both schemes.

Every page type is checked with axe-core (installed by `npm ci` from package-lock.json) at
phone and desktop widths in both colour schemes; the header's height, the focus ring's
contrast, the focus order, layout shift on the search page, share links, the print
stylesheet and the search page's JavaScript weight are measured in the browser.
Screenshots go to test-artifacts/ (git-ignored) for people to look at.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

from support.browser import axe_violations, measure_shifts_on_a_slow_network

ROOT = Path(__file__).resolve().parents[1]

PAGES = {"home": "/", "article": "/2023/bam-co-so-xay-dung-phong-trao/"}
WIDTHS = (360, 1280)

# Effective colours of an element: its text colour and the first opaque background up the tree.
COLOURS_JS = """
(selector) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  let node = el, bg = 'rgba(0, 0, 0, 0)';
  while (node && node.nodeType === 1) {
    const c = getComputedStyle(node).backgroundColor;
    if (c && !c.endsWith(', 0)') && c !== 'transparent') { bg = c; break; }
    node = node.parentElement;
  }
  if (bg === 'rgba(0, 0, 0, 0)') bg = getComputedStyle(document.documentElement).backgroundColor;
  return [getComputedStyle(el).color, bg];
}
"""
TEXT_SELECTORS = (
    "body",
    "main p",
    "main .meta",
    "main a",
    ".brand",
    ".site-nav a",
    ".site-footer",
    ".breadcrumbs a",  # the seed story has no photo, so no figcaption (issue 13)
)


def rgb(css: str) -> tuple[float, float, float]:
    values = css[css.index("(") + 1 : css.index(")")].split(",")
    return tuple(float(v) for v in values[:3])


def luminance(colour: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(rgb(first)), luminance(rgb(second))), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_horizontal_overflow_or_console_errors(page, site_url, artifacts_dir, name, width):
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(site_url + PAGES[name], wait_until="load")
    assert response.ok
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    page.screenshot(path=str(artifacts_dir / f"site-{name}-{width}.png"), full_page=True)
    assert scroll_width <= inner_width
    assert page.errors == []


@pytest.mark.parametrize("name", sorted(PAGES))
def test_skip_link_is_first_and_moves_focus_to_main(page, site_url, name):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site_url + PAGES[name])
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const a = document.activeElement; const r = a.getBoundingClientRect();"
        " return [a.textContent.trim(), r.top >= 0 && r.bottom <= innerHeight && r.width > 1,"
        " getComputedStyle(a).outlineStyle]; }"
    )
    assert focused[0] == "Bỏ qua đến nội dung chính"
    assert focused[1], "the focused skip link must be visible"
    assert focused[2] != "none", "keyboard focus must be visible"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("#main")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_meets_wcag_aa(page, site_url, artifacts_dir, scheme):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + PAGES["article"])
    page.screenshot(path=str(artifacts_dir / f"site-article-{scheme}.png"))
    for selector in TEXT_SELECTORS:
        colours = page.evaluate(COLOURS_JS, selector)
        assert colours, f"{selector} not found"
        ratio = contrast(*colours)
        assert ratio >= 4.5, f"{scheme} {selector}: {colours} contrast {ratio:.2f}"


def test_colour_schemes_differ(page, site_url):
    page.goto(site_url + PAGES["home"])
    backgrounds = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        backgrounds.append(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    assert luminance(rgb(backgrounds[0])) > 0.8
    assert luminance(rgb(backgrounds[1])) < 0.05


def test_header_search_box_submits_to_search_page(page, site_url):
    page.goto(site_url + PAGES["article"])
    page.fill("#site-search", "dòng họ tự quản")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search.html?q=*")
    assert page.url.startswith(site_url + "/search.html?q=")
    assert page.locator("#search-results").count() == 1


# ---------------------------------------------------------------------------
# Every page type, found in the built output (not hand-picked pages).

SEARCH_QUERY = "an ninh"


def first_listing(output: Path, folder: str) -> str:
    """URL path of the first page listed under `folder` (category, tag, author, model)."""
    found = sorted(p.parent.name for p in (output / folder).glob("*/index.html"))
    assert found, f"no page under {folder}/ in the build"
    return f"/{folder}/{found[0]}/"


def first_article(output: Path) -> str:
    found = sorted(p.parent for p in output.glob("[0-9][0-9][0-9][0-9]/*/index.html"))
    assert found, "no article in the build"
    return "/" + found[0].relative_to(output).as_posix() + "/"


def first_static_page(output: Path) -> str:
    """URL path of the first static page (content/pages/), saved as <slug>/index.html."""
    listings = {
        "mo-hinh",
        "thuat-ngu",
        "chuyen-muc",
        "chu-de",
        "tac-gia",
        "luu-tru",
        "theme",
        "search",
        "feeds",
        "admin",
        "drafts",
    }
    found = sorted(
        p.parent.name
        for p in output.glob("*/index.html")
        if p.parent.name not in listings and not p.parent.name.isdigit()
    )
    assert found, "no static page in the build"
    return f"/{found[0]}/"


@pytest.fixture(scope="module")
def page_types(built_site) -> dict[str, str]:
    out = built_site.output
    return {
        "home": "/",
        "article": first_article(out),
        "model": first_listing(out, "mo-hinh"),
        "models": "/mo-hinh/",
        "glossary": "/thuat-ngu/",
        "category": first_listing(out, "chuyen-muc"),
        "tag": first_listing(out, "chu-de"),
        "author": first_listing(out, "tac-gia"),
        "archives": "/luu-tru/",
        "search": "/search.html?q=" + quote(SEARCH_QUERY),
        "404": "/404.html",
        "page": first_static_page(out),
        "categories": "/chuyen-muc/",
        "tags": "/chu-de/",
        "authors": "/tac-gia/",
    }


PAGE_TYPES = (
    "home",
    "article",
    "model",
    "models",
    "glossary",
    "category",
    "tag",
    "author",
    "archives",
    "search",
    "404",
    "page",
    "categories",
    "tags",
    "authors",
)


def open_page(page, site_url: str, path: str) -> None:
    response = page.goto(site_url + path, wait_until="load")
    assert response.ok, f"{path}: HTTP {response.status}"
    if path.startswith("/search.html?q="):
        page.wait_for_function("document.querySelectorAll('#search-results > li').length > 0")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violations_on_any_page_type(
    page, site_url, page_types, axe_source, artifacts_dir, width, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 800})
    problems = {}
    for name in PAGE_TYPES:
        open_page(page, site_url, page_types[name])
        if width == 360:
            page.screenshot(path=str(artifacts_dir / f"type-{name}-{width}-{scheme}.png"))
        violations = axe_violations(page, axe_source)
        if violations:
            problems[name] = violations
    assert problems == {}
    assert page.errors == []


def test_axe_reports_a_real_violation(page, site_url, axe_source):
    """The check above can fail: an image without alt text is reported."""
    page.goto(site_url + "/")
    page.evaluate(
        "document.querySelector('main').append(Object.assign(new Image(1, 1), {src: 'x.png'}))"
    )
    assert any(" image-alt:" in v for v in axe_violations(page, axe_source))


def test_phone_header_is_compact_on_every_page_type(page, site_url, page_types):
    page.set_viewport_size({"width": 360, "height": 800})
    for name in PAGE_TYPES:
        open_page(page, site_url, page_types[name])
        height = page.evaluate(
            "document.querySelector('.site-header').getBoundingClientRect().height"
        )
        assert height <= 160, f"{name}: header is {height:.0f} px high at 360 px"
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"{name}: {overflow} px wider than the phone"
        # The search box stays in the bar; the menu waits behind its button.
        assert page.is_visible("#site-search")
        assert page.is_visible(".site-menu > summary")
        assert not page.is_visible(".site-nav a")


@pytest.mark.parametrize("width", WIDTHS)
def test_menu_works_without_javascript(browser, site_url, width):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    try:
        page.goto(site_url + "/")
        links = page.locator(".site-nav a")
        if width == 360:
            assert not links.first.is_visible()
            page.click(".site-menu > summary")
        else:
            assert not page.is_visible(".site-menu > summary")
        assert links.count() >= 5
        for index in range(links.count()):
            assert links.nth(index).is_visible()
        page.click(".site-nav a[href$='luu-tru/']")
        page.wait_for_url("**/luu-tru/")
    finally:
        context.close()


def test_headings_follow_a_clear_scale(page, site_url, page_types):
    page.set_viewport_size({"width": 360, "height": 800})
    for name in ("model", "article"):
        open_page(page, site_url, page_types[name])
        # The page's own headings; a level the page lacks is measured on a probe in <main>.
        sizes = page.evaluate(
            """() => ["h1", "h2", "h3"].map(tag => {
                let el = document.querySelector(`main ${tag}:not(.visually-hidden)`);
                if (!el) el = document.querySelector("main").appendChild(document.createElement(tag));
                return parseFloat(getComputedStyle(el).fontSize);
            })"""
        )
        h1, h2, h3 = sizes
        assert h1 >= h2 * 1.15 and h2 >= h3 * 1.1, f"{name}: h1/h2/h3 = {sizes}"
    open_page(page, site_url, page_types["article"])
    lede = page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('.lede'));"
        " return [parseFloat(s.fontSize), Number(s.fontWeight)]; })()"
    )
    assert 16 <= lede[0] <= 20 and lede[1] < 600, f"lede font size/weight {lede}"


# ---------------------------------------------------------------------------
# Keyboard: focus ring contrast, focus order.

# Every Tab stop: the focused element, its outline, its box, and the colour just outside
# its box on each side (where the ring is drawn), found with elementsFromPoint.
TAB_STOP_JS = r"""
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const gap = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) / 2;
  const opaque = (node) => {
    for (; node && node.nodeType === 1; node = node.parentElement) {
      const c = getComputedStyle(node).backgroundColor;
      if (c && c !== "transparent" && !/, 0\)$/.test(c)) return c;
    }
    return getComputedStyle(document.documentElement).backgroundColor;
  };
  const around = [];
  // An inset ring (negative offset) is drawn on the element's own background.
  if (gap < 0) around.push(opaque(el));
  const points = [[box.left - gap, box.top + box.height / 2], [box.right + gap, box.top + box.height / 2],
                  [box.left + box.width / 2, box.top - gap], [box.left + box.width / 2, box.bottom + gap]];
  for (const [x, y] of gap < 0 ? [] : points) {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    const under = document.elementsFromPoint(x, y).find((n) => n !== el && !el.contains(n));
    around.push(opaque(under));
  }
  const name = (el.textContent || el.getAttribute("aria-label") || el.id || el.tagName).trim().slice(0, 40);
  return { name, id: el.id, ring: style.outlineColor, ringStyle: style.outlineStyle,
           ringWidth: parseFloat(style.outlineWidth), around,
           top: box.top + scrollY, bottom: box.bottom + scrollY, left: box.left,
           inResults: !!el.closest("#search-results"), inFilters: !!el.closest("#search-filters") };
}
"""


def tab_stops(page, limit: int = 60) -> list[dict]:
    """Tab through the page from its first focusable element (the skip link)."""
    stops = []
    # The search page starts with focus on its results heading: restart from the top.
    restart = page.evaluate(
        "(() => { if (document.activeElement === document.body) return false;"
        " document.querySelector('.skip-link').focus(); return true; })()"
    )
    for step in range(limit):
        if step or not restart:
            page.keyboard.press("Tab")
        stop = page.evaluate(TAB_STOP_JS)
        if stop is None or (stops and stop == stops[0]):
            break
        stops.append(stop)
    return stops


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_focus_ring_contrast_on_every_background(page, site_url, page_types, width, scheme):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 800})
    checked = 0
    for name in ("home", "article", "model", "search"):
        open_page(page, site_url, page_types[name])
        for stop in tab_stops(page, limit=40):
            assert stop["ringStyle"] != "none" and stop["ringWidth"] >= 2, f"{name}: {stop}"
            for colour in stop["around"]:
                ratio = contrast(stop["ring"], colour)
                assert ratio >= 3, (
                    f"{name} {scheme} {width}px: ring {stop['ring']} on {colour} is {ratio:.2f}:1"
                    f" at '{stop['name']}'"
                )
                checked += 1
    assert checked > 100


@pytest.mark.parametrize("width", WIDTHS)
def test_focus_order_follows_the_layout(page, site_url, page_types, width):
    page.set_viewport_size({"width": width, "height": 800})
    for name in ("home", "article", "model", "models", "tag", "archives"):
        open_page(page, site_url, page_types[name])
        stops = tab_stops(page)
        assert len(stops) >= 5, name
        for before, after in zip(stops, stops[1:], strict=False):
            same_row = after["top"] < before["bottom"]
            assert same_row or after["top"] >= before["top"], (
                f"{name} at {width}px: Tab goes up from '{before['name']}' to '{after['name']}'"
            )


@pytest.mark.parametrize("width", WIDTHS)
def test_search_page_tab_order_visits_filters_before_results(page, site_url, page_types, width):
    page.set_viewport_size({"width": width, "height": 800})
    open_page(page, site_url, page_types["search"])
    stops = tab_stops(page, limit=80)
    kinds = ["filter" if s["inFilters"] else "result" if s["inResults"] else "other" for s in stops]
    assert "filter" in kinds and "result" in kinds
    last_filter = max(i for i, k in enumerate(kinds) if k == "filter")
    first_result = kinds.index("result")
    assert last_filter < first_result, kinds
    # On a phone the filters are one collapsed button before the results.
    if width == 360:
        assert kinds.count("filter") == 1 and stops[last_filter]["name"] == "Lọc kết quả"


def test_search_from_the_header_focuses_the_results_heading(page, site_url, page_types):
    page.set_viewport_size({"width": 360, "height": 800})
    open_page(page, site_url, page_types["article"])
    page.fill("#site-search", "dòng họ")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search.html?q=*")
    page.wait_for_function("document.activeElement.id === 'search-status'")
    heading = page.evaluate("[document.activeElement.tagName, document.activeElement.textContent]")
    assert heading[0] == "H2" and heading[1].startswith("Tìm thấy") and "“dòng họ”" in heading[1]
    assert page.input_value("#site-search") == "dòng họ"
    # A new search from the page's own form: focus moves again, the header box follows.
    page.fill("#search-query", "camera")
    page.press("#search-query", "Enter")
    page.wait_for_function(
        "document.activeElement.id === 'search-status'"
        " && document.activeElement.textContent.includes('“camera”')"
    )
    assert page.input_value("#site-search") == "camera"
    assert page.errors == []


def test_filters_and_suggestions_keep_keyboard_focus(page, site_url, page_types):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, site_url, page_types["search"])
    button = page.locator("#search-facets button[aria-pressed=false]").nth(1)
    label = button.inner_text().rsplit(" (", 1)[0]
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "location.search.includes('mo-hinh=') || location.search.includes('nam=')"
    )
    page.wait_for_function(
        "label => document.activeElement.matches('#search-facets button[aria-pressed=true]')"
        " && document.activeElement.textContent.startsWith(label)",
        arg=label,
    )
    # "Xem thêm" (hidden once everything is shown) hands focus to the first new result.
    open_page(page, site_url, page_types["search"])
    shown = page.locator("#search-results > li").count()
    assert page.is_visible("#search-more"), f"'{SEARCH_QUERY}' should have more than {shown} hits"
    page.focus("#search-more")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "n => document.activeElement.closest('#search-results > li')"
        " === document.querySelectorAll('#search-results > li')[n]",
        arg=shown,
    )
    # A suggestion is a new search: focus goes to the results heading.
    page.goto(f"{site_url}/search.html?q=pokemon%20tx")
    page.wait_for_selector("#search-suggestions a")
    page.focus("#search-suggestions a")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.activeElement.id === 'search-status'"
        " && !document.activeElement.textContent.includes('pokemon tx')"
    )
    assert page.errors == []


def test_search_landmarks_are_labelled_and_unique(page, site_url, page_types):
    for name in ("search", "404", "home"):
        open_page(page, site_url, page_types[name])
        labels = page.eval_on_selector_all(
            "[role=search], search", "els => els.map(e => e.getAttribute('aria-label') || '')"
        )
        assert all(labels) and len(set(labels)) == len(labels), f"{name}: {labels}"


# ---------------------------------------------------------------------------
# Layout shift while search results arrive.


@pytest.mark.parametrize("width", WIDTHS)
def test_search_page_does_not_shift_while_results_arrive(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
    page = context.new_page()
    try:
        # A slow connection, so results arrive well after the page has painted.
        measure_shifts_on_a_slow_network(context, page)
        page.goto(f"{site_url}/search.html?q={quote(SEARCH_QUERY)}")
        page.wait_for_function(
            "document.querySelectorAll('#search-results > li').length > 0", timeout=30_000
        )
        page.wait_for_timeout(500)
        cls = page.evaluate("window.__cls")
        assert cls <= 0.05, f"CLS {cls:.3f} at {width}px"
    finally:
        context.close()


# ---------------------------------------------------------------------------
# Share links, print, scripts.


def test_share_links_are_plain_links_and_copy_works(browser, site_url, page_types):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    page = context.new_page()
    try:
        path = page_types["article"]
        page.goto(site_url + path)
        address = site_url + path
        for selector, prefix in (
            (".share-facebook", "https://www.facebook.com/sharer/sharer.php?u="),
            (".share-zalo", "https://sp.zalo.me/share_inline?url="),
        ):
            href = page.get_attribute(selector, "href")
            assert href.startswith(prefix) and unquote(href[len(prefix) :]) == address
        page.click(".share-copy")
        page.wait_for_function("document.querySelector('.share-status').textContent !== ''")
        assert page.inner_text(".share-status") == "Đã sao chép liên kết bài viết."
        assert page.evaluate("navigator.clipboard.readText()") == address
    finally:
        context.close()


def test_share_links_work_without_javascript(browser, site_url, page_types):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_url + page_types["article"])
        assert page.is_visible(".share-facebook") and page.is_visible(".share-zalo")
        assert not page.is_visible(".share-copy")  # needs the clipboard, so JavaScript
    finally:
        context.close()


def test_no_third_party_scripts_on_any_page(page, site_url, page_types):
    origin = urlsplit(site_url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for name in PAGE_TYPES:
        requested.clear()
        open_page(page, site_url, page_types[name])
        hosts = {urlsplit(url).netloc for url in requested if url.startswith("http")}
        assert hosts == {origin}, f"{name} loads from {hosts - {origin}}"


def test_print_shows_the_article_only_with_its_address(page, site_url, page_types, artifacts_dir):
    path = page_types["article"]
    page.goto(site_url + path)
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".share", ".skip-link"):
        assert not page.is_visible(hidden), f"{hidden} is printed"
    assert page.is_visible(".story h1") and page.is_visible(".story-body")
    assert page.inner_text(".print-url").endswith(site_url + path)
    pdf = page.pdf(format="A4")
    (artifacts_dir / "article-print.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 3, f"the article prints on {pages} pages"


def test_search_page_javascript_is_minified_and_small(page, site_url):
    scripts = {}

    def keep(response):
        if response.request.resource_type == "script":
            scripts[response.url] = response.body()

    page.on("response", keep)
    page.goto(f"{site_url}/search.html?q={quote(SEARCH_QUERY)}")
    page.wait_for_function("document.querySelectorAll('#search-results > li').length > 0")
    assert scripts, "the search page loaded no script"
    total = sum(len(gzip.compress(body, 9)) for body in scripts.values())
    assert total <= 10 * 1024, f"search page JavaScript is {total} bytes gzipped"
    for url, body in scripts.items():
        assert b"\n//" not in body and body.count(b"\n") < 10, f"{url} is not minified"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def inside(box: dict | None, width: int, height: int) -> bool:
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= width
        and box["y"] + box["height"] <= height
    )


def test_phone_screenshot_of_an_article(page, site_url, page_types, artifacts_dir):
    """The two phone screenshots people look at show what they are named for: the
    story's title on the first screen with the menu closed, then the open menu."""
    width, height = 360, 780
    page.set_viewport_size({"width": width, "height": height})
    page.goto(site_url + page_types["article"])
    scale = page.evaluate("devicePixelRatio")
    links = page.locator(".site-nav a")
    assert inside(page.locator(".story h1").bounding_box(), width, height)
    assert not links.first.is_visible()
    closed = page.screenshot(path=str(artifacts_dir / "phone-article-360.png"))
    assert png_size(closed) == (round(width * scale), round(height * scale))
    page.click(".site-menu > summary")
    assert page.get_attribute(".site-menu", "open") is not None
    assert links.count() >= 5
    for index in range(links.count()):
        assert inside(links.nth(index).bounding_box(), width, height), links.nth(index).inner_text()
    opened = page.screenshot(path=str(artifacts_dir / "phone-menu-open-360.png"))
    assert png_size(opened) == png_size(closed) and opened != closed, "the menu did not open"

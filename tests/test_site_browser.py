"""The built site in real headless Chromium: fits a phone, keyboard works, readable in both schemes.

Screenshots go to test-artifacts/ (git-ignored) for people to look at.
"""

from __future__ import annotations

import pytest

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

"""Place pages and a story's places in real headless Chromium at 360 and 1280 px, both
colour schemes, with axe-core: a commune page, and a story with two authors and three places
(the 50-story fixture, built through the real Pelican build)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sitebench.browser import serve_directory
from support.browser import axe_violations
from support.places import build_places_site

COMMUNE = "/dia-phuong/hue/phuong-phong-thai/"
STORY = "/2025/ba-dia-ban-camera-an-ninh/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_places_site(tmp_path_factory.mktemp("places"))


@pytest.fixture(scope="module")
def places_url(site: Path) -> Iterator[str]:
    with serve_directory(site) as url:
        yield url


def no_overflow(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
def test_commune_page(page, places_url, axe_source, artifacts_dir, width, scheme):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(places_url + COMMUNE, wait_until="load")
    assert page.inner_text("h1") == "Phường Phong Thái"
    assert page.locator(".place-old-names").is_visible()
    assert page.inner_text(".place-old-names") == "Trước đây: xã Phong Hiền"
    assert page.locator(".place-articles .card-title a").count() >= 10
    assert no_overflow(page)
    page.screenshot(
        path=str(artifacts_dir / f"place-commune-{width}-{scheme}.png"), full_page=False
    )
    assert axe_violations(page, axe_source) == []
    # The breadcrumb leads to the province page, which lists the commune.
    page.click("nav.kicker >> text=Thành phố Huế")
    page.wait_for_url("**/dia-phuong/hue/")
    assert page.locator(".place-communes a", has_text="phường Phong Thái").is_visible()
    assert page.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
def test_story_with_two_authors_and_three_places(
    page,
    places_url,
    axe_source,
    artifacts_dir,
    width,
    scheme,  # noqa: F811
):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(places_url + STORY, wait_until="load")
    assert page.inner_text(".byline") == "Tác giả: Bá Đô, Quỳnh Trang"
    links = page.locator(".story-places a")
    assert links.all_inner_texts() == ["xã Phong Hiền", "phường Thủy Xuân", "thành phố Huế"]
    for index in range(3):
        box = links.nth(index).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width  # on screen
    assert no_overflow(page)
    page.screenshot(path=str(artifacts_dir / f"place-story-{width}-{scheme}.png"))
    assert axe_violations(page, axe_source) == []
    links.first.click()  # the old name leads to its new unit's page
    page.wait_for_url("**" + COMMUNE)
    assert page.errors == []


@pytest.mark.parametrize("width", [360, 1280])
def test_place_filter_on_the_search_page_equals_the_terminal(page, places_url, site, width):  # noqa: F811
    """The search page's "Địa phương" filter, from the URL and from its button, gives the
    results of `scripts/search.py --place` on the same build's index."""
    from support.browser import hits, open_search, path_of
    from support.search import search_cli as cli

    page.set_viewport_size({"width": width, "height": 800})
    (expected,) = cli(site.parent / "index", ["camera an ninh"], "--place", "hue", "--limit", "100")
    open_search(page, places_url, "camera an ninh", "dia-phuong=hue")
    page.wait_for_function(
        "n => document.querySelectorAll('#search-results > li').length === n",
        arg=min(expected["total"], 10),
    )
    assert [path_of(h["href"]) for h in hits(page)] == [r["url"] for r in expected["results"]][:10]
    pressed = page.locator("#search-facets button[aria-pressed=true]", has_text="Huế")
    assert pressed.count() == 1
    # From the button: another place's count is what the terminal gives for it.
    open_search(page, places_url, "camera an ninh")
    button = page.locator("#search-facets button", has_text="Hà Nội")
    count = int(button.text_content().rsplit("(", 1)[1].rstrip(")"))
    (terminal,) = cli(site.parent / "index", ["camera an ninh"], "--place", "ha-noi")
    assert count == terminal["total"] > 0
    if not button.is_visible():  # folded on a phone: the reader opens "Lọc kết quả"
        page.click("#search-filters > summary")
    button.click()
    page.wait_for_function("location.search.includes('dia-phuong=ha-noi')")
    assert page.errors == []

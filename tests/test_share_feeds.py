"""Feeds: language, unique and real ids, category and model feeds linked from
their pages, each model's feed holding its stories — in dev and published builds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from support import ROOT, run_pelican

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PUBLISH_SITEURL = "https://mohinh.example.org"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("feeds")
    extra = {
        "SITEURL": PUBLISH_SITEURL,
        "SEARCH_INDEX_DIR": str(base / "index"),
        "CACHE_PATH": str(base / "cache"),
    }
    result = run_pelican(ROOT / "content", base / "output", settings="publishconf.py", extra=extra)
    assert result.returncode == 0, result.stderr
    return base / "output"


@pytest.fixture(scope="module", params=["dev", "published"])
def site(request: pytest.FixtureRequest, built_site) -> Path:
    return built_site.output if request.param == "dev" else request.getfixturevalue("published")


def feeds(output: Path) -> list[Path]:
    found = sorted([*output.glob("feeds/*.xml"), *output.glob("mo-hinh/*/atom.xml")])
    assert found
    return found


def feed_ids(path: Path) -> tuple[str | None, list[str]]:
    """(the feed's own id, Atom only; its entries' ids or RSS guids)."""
    root = ET.parse(path).getroot()
    if root.tag == "rss":
        return None, [item.findtext("guid") for item in root.iter("item")]
    return root.findtext(f"{ATOM}id"), [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]


def test_feeds_declare_their_language(site: Path) -> None:
    for path in feeds(site):
        root = ET.parse(path).getroot()
        if root.tag == "rss":
            assert root.find("channel").findtext("language") == "vi", path
        else:
            assert root.get(XML_LANG) == "vi", path


def test_feed_and_entry_ids_are_unique_and_real(site: Path) -> None:
    atom_ids = []
    for path in feeds(site):
        own, entries = feed_ids(path)
        assert entries, f"{path}: empty feed"
        assert len(set(entries)) == len(entries), path
        for identifier in [own, *entries] if own else entries:
            assert "None" not in identifier, (path, identifier)
            assert identifier.startswith(("tag:", PUBLISH_SITEURL + "/")), (path, identifier)
        if own:
            atom_ids.append(own)
    assert len(set(atom_ids)) == len(atom_ids), "every Atom feed has an id of its own"


def test_category_feeds_are_linked_from_their_pages(site: Path) -> None:
    categories = sorted((site / "chuyen-muc").glob("*/index.html"))
    assert categories
    for page in categories:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        base = "/" + page.relative_to(site).as_posix()
        alternate = soup.find(
            "link",
            rel="alternate",
            type="application/atom+xml",
            title=lambda t: t and t.startswith("Chuyên mục"),
        )
        visible = soup.find("main").find("a", type="application/atom+xml")
        for link in (alternate["href"], visible["href"]):
            target = local_file(site, base, link)
            assert target.is_file() and ET.parse(target).getroot().tag == f"{ATOM}feed", link


def local_file(site: Path, base: str, link: str) -> Path:
    if link.startswith(PUBLISH_SITEURL):
        link = link[len(PUBLISH_SITEURL) :]
    return site / urljoin(base, link).lstrip("/")


def test_each_model_feed_holds_its_stories(site: Path) -> None:
    pages = sorted((site / "mo-hinh").glob("*/index.html"))
    assert len(pages) == len(list((ROOT / "content" / "models").glob("*.md")))
    with_stories = 0
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        base = "/" + page.relative_to(site).as_posix()
        name = soup.find("h1").get_text(strip=True)
        alternate = soup.find("link", rel="alternate", title=f"Mô hình {name} (Atom)")
        visible = soup.find("main").find("a", type="application/atom+xml")
        assert alternate and visible and alternate["href"] == visible["href"], page
        feed = ET.parse(local_file(site, base, alternate["href"])).getroot()
        assert feed.findtext(f"{ATOM}title").endswith(f"Mô hình {name}")
        stories = {
            local_file(site, base, a["href"]).resolve() for a in soup.select(".model-article a")
        }
        entries = {
            local_file(site, "/", e.find(f"{ATOM}link").get("href")).resolve()
            for e in feed.iter(f"{ATOM}entry")
        }
        assert entries == stories, page
        with_stories += bool(stories)
    assert with_stories >= 1


def test_entry_links_lead_to_the_stories(site: Path) -> None:
    """Root-relative in development builds (a relative link would resolve against feeds/)."""
    for path in feeds(site):
        root = ET.parse(path).getroot()
        links = [e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")]
        links += [item.findtext("link") for item in root.iter("item")]
        for link in links:
            assert link.startswith(("/", PUBLISH_SITEURL + "/")), (path, link)
            assert (local_file(site, "/", link) / "index.html").is_file(), (path, link)

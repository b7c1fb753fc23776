"""Quicker readings of the page that must answer as the slower ones they stand for:
- `find_teasers` looking only where the link-box pass saw three children with a link;
- link addresses read without urlsplit (`urls.plain_address`, `not_people`, `clutter`);
- class and id words searched case-blind by lowercasing ASCII (`classwords.CaseBlind`)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tdbvantq.importer import clutter, not_people, pagekind
from tdbvantq.importer.classwords import CaseBlind
from tdbvantq.importer.page_parse import Page

SITE = Path(__file__).parent / "fixtures" / "import" / "site"
SAVED = sorted(SITE.glob("*.html"))

TEASERS = "".join(
    f'<li class="t"><a href="/story-{i}.html">Headline number {i} of the list</a> a few words</li>'
    for i in range(4)
)
PAGES = {
    "teasers in the body": f"<html><body><ul>{TEASERS}</ul><p>Text</p></body></html>",
    "teasers outside the body": f"<html><head></head><body><p>x</p></body><ul>{TEASERS}</ul></html>",
    "no body": f"<html><head><title>T</title></head><frameset>{TEASERS}</frameset></html>",
    "a large box among teasers": (
        f"<html><body><div><div class='t'>{'long text ' * 80}<a href='/a'>Headline one two "
        f"three</a></div>{TEASERS.replace('li', 'div')}</div></body></html>"
    ),
}


def _key(teaser: pagekind.Teaser) -> str:
    return repr(teaser)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_teasers_found_where_the_link_pass_looked(name: str) -> None:
    page = Page(PAGES[name], None)
    walked = pagekind.find_teasers(page.tree, page.hosts)
    assert walked, "each page holds a run of teasers"
    shared = pagekind.find_teasers(page.tree, page.hosts, page.linked_parents)
    assert sorted(map(_key, shared)) == sorted(map(_key, walked))


@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.name)
def test_saved_pages_teasers(path: Path) -> None:
    page = Page(path.read_bytes(), "https://example.vn/a.html")
    walked = pagekind.find_teasers(page.tree, page.hosts)
    shared = pagekind.find_teasers(page.tree, page.hosts, page.linked_parents)
    assert sorted(map(_key, shared)) == sorted(map(_key, walked))


ADDRESSES = [
    "",
    "/a/b.html",
    "https://www.Example.com",
    "https://example.com/",
    "https://example.com/?x=1",
    "https://example.com/#top",
    "https://example.com#a?b",
    "http://example.com/a?b#c",
    "//cdn.example.com/x",
    "HTTPS://EXAMPLE.COM/",
    "https://user@example.com/",
    "https://example.com:8080/",
    "https://[::1]/",
    "https://[bad/",
    "  https://example.com/ ",
    "https://exa\tmple.com/",
    "/\t/example.com/",
    "https://example.com/\n",
    "mailto:someone@example.com",
    "javascript://example.com",
    "ftp://example.com/",
    "https://exämple.com/",
    "https:example.com/",
    "\x00https://example.com/",
    "https://example.com:/",
]


def _urlsplit_address(href: str):
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None
    return parts.hostname or "", parts.path, parts.query


@pytest.mark.parametrize("href", ADDRESSES)
def test_addresses_read_as_urlsplit_reads_them(href: str) -> None:
    found = not_people._address(href)
    expected = _urlsplit_address(href)
    if expected is not None and not expected[0]:
        assert found is not None and not found[0]  # no host: not another site's link
    else:
        assert found == expected
    try:
        parts = urlsplit(href)
        own = (parts.hostname or "").removeprefix("www.") if parts.netloc else None
    except ValueError:
        own = None
    assert clutter._own_host(href) == own


PATTERN = r"caption|\blead\b|(?:^|[\s_-])(?:tags?|nav)(?:[\s_-]|$)"
WORDS = ["Caption", "photo-CAPTION", "LEAD", "leader", "main-Nav", "navbar", "tag x", "TAGS"]
WORDS += ["\u212a", "\u017fapo", "İmage-caption", "capt\u0130on", "lead\u00e9", ""]


@pytest.mark.parametrize("text", WORDS)
def test_case_blind_answers_as_ignorecase(text: str) -> None:
    assert CaseBlind(PATTERN).search(text) == bool(re.search(PATTERN, text, re.IGNORECASE))


def test_case_blind_refuses_a_pattern_with_capitals() -> None:
    with pytest.raises(ValueError):
        CaseBlind(r"Caption")
    CaseBlind(r"\bnote\S*")  # an escape is not a capital

"""Bylines, third round of "only people are authors" (issue 22, names5): each class of
non-name found on the shared benchmark sets, on a synthetic page imported over HTTP from
the local test server, and the name judge on its own."""

from __future__ import annotations

import pytest

from support.import_server import import_site_pages
from tdbvantq.importer import bylines
from tdbvantq.importer.page_parse import Page

# Page (tests/fixtures/import/site/NAME.html) -> the authors its Markdown must name.
PAGES = {
    # An avatar's initials in a box of their own beside the name ("Sm David …" before).
    "byline-avatar-initials": ["Sandra Marquez Ortega"],
    # Initials alone, even where the page marks them as its author ("Posted by K A").
    "byline-initials-only": [],
    # An agency's and a source's organisation words ("Bang Showbiz", "Noble Health").
    "byline-agency-words": [],
    "byline-source-box": [],
    # The site's network in the copyright line, linked to its home page on another host
    # ("Wirtualna Polska" on odkrywcy.pl; a name of a person's shape here).
    "byline-network-name": [],
    # The site's short name, the start of its host's ("Cmv" on cmvlive.example).
    "byline-host-short-name": [],
    # The CMS's maker ("Max Covax" beside generator "Covax CMS 1.01").
    "byline-generator": [],
    # A readers' poll's author in the sidebar; the story's author is the metadata's.
    "byline-poll-widget": ["Olga Ivanova"],
    # A forum's latest post, linked by a query id, with its poster.
    "byline-forum-teaser": ["Olga Ivanova"],
    # Another story's card whose headline is in Title Case ("Nobody Knows Anything").
    "byline-title-case-teaser": ["Malcolm Reiter"],
    # A menu of the site's authors (a heading over a list of six), before the story's byline.
    "byline-authors-menu": ["Barbara Stein"],
    # Surname first after a comma: one person, not two.
    "byline-surname-first": ["Ελευθερία Παππά"],
}
NOT_NAMES = ("Sm ", "K A", "Showbiz", "Noble", "Orla", "Cmv", "Covax", "Umnik", "Polialt", "Shaw")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each page imported alone over HTTP: name -> the written file."""
    return import_site_pages(PAGES, tmp_path_factory.mktemp)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_only_the_storys_people_are_its_authors(imported, name: str) -> None:
    head = imported[name].partition("\n\n")[0]
    meta = dict(line.split(": ", 1) for line in head.splitlines())
    assert [a for a in meta.get("Authors", meta.get("Author", "")).split(", ") if a] == PAGES[name]
    for word in NOT_NAMES:
        assert word not in head, (word, head)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("K A", "en"),
        ("J. D.", "de"),
        ("Noble Health", "pl"),
        ("Bang Showbiz", "en"),
        ("Wirtualna Polska", "pl"),
    ],
)
def test_initials_and_organisations_are_no_names(text: str, lang: str) -> None:
    assert bylines.judge_name(text, lang) is None


def test_initials_stay_a_vietnamese_byline() -> None:
    """Vietnamese papers sign with initials: those stay (only other languages lose them)."""
    assert bylines.judge_name("H A", "vi") == "H A"


def _page(body: str, head: str = "", lang: str = "en") -> Page:
    return Page(
        f'<html lang="{lang}"><head>{head}</head><body><h1>A headline of the story</h1>'
        f"{body}</body></html>",
        "https://news.example/2024/05/story-of-the-day.html",
    )


def test_one_word_beside_a_full_name_in_boxes_apart_is_no_part_of_it() -> None:
    """Boxes of their own are read apart; inline elements run on ("<b>Ana</b> Lopez")."""
    apart = _page('<div class="author"><span>Jd</span><div><span>Jane Doerr</span></div></div>')
    inline = _page('<div class="author"><b>Ana</b> Lopez Garcia</div>')
    assert bylines.markup_byline(apart) == ["Jane Doerr"]
    assert bylines.markup_byline(inline) == ["Ana Lopez Garcia"]


def test_a_person_linked_to_her_own_site_stays_an_author() -> None:
    """A home-page link is a site's name only when the site is not named after the person."""
    own = _page(
        '<p class="byline">By <a href="https://janedoerr.example/">Jane Doerr</a></p>',
        '<meta name="author" content="Jane Doerr">',
    )
    other = _page(
        '<p>© <a href="https://network.example/">Jane Doerr</a></p>',
        '<meta name="author" content="Jane Doerr">',
    )
    assert bylines.page_authors(own, []) == ["Jane Doerr"]
    assert bylines.page_authors(other, []) == []


def test_a_form_without_choices_or_around_the_page_is_no_poll() -> None:
    """ASP.NET pages wrap everything in one <form>, and a story's print button is a form
    beside its byline: their byline stays. A poll's form of choices does not."""
    wrapped = _page('<form><div class="author">Jane Doerr</div><p>Text of the story.</p></form>')
    printed = _page(
        '<div class="meta"><p class="author">Jane Doerr</p>'
        '<form name="print" method="post" action="/print/4711"></form></div>'
    )
    poll = _page(
        '<div class="meta"><p class="author">Jane Doerr</p>'
        '<form action="/vote"><input type="radio" name="a" value="1"></form></div>'
    )
    assert bylines.markup_byline(wrapped) == ["Jane Doerr"]
    assert bylines.markup_byline(printed) == ["Jane Doerr"]
    assert bylines.markup_byline(poll) == []


def test_a_paper_after_the_name_is_no_second_author() -> None:
    """ "By Janice Lloyd, USA TODAY": the reporter and her paper, not two people."""
    page = _page('<div class="byline_timestamp">By Janice Lloyd , USA TODAY</div>')
    assert bylines.markup_byline(page) == ["Janice Lloyd"]


def test_initials_alone_are_no_author_where_the_page_does_not_say_its_language() -> None:
    page = Page(
        '<html><body><h1>A headline</h1><p class="post-author">Posted by'
        ' <span class="fn">K A</span></p></body></html>',
        "https://lyrics.example/2011/07/song.html",
    )
    assert bylines.page_authors(page, []) == []

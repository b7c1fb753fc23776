"""Classes of mistakes found on held-out pages (scrapinghub's article-extraction-benchmark and
readability's test pages; docs/benchmarks.md, "Held-out sets in other languages"), each on a
synthetic page imported over HTTP from a local server: another story's excerpt, a cookie notice or a
description that repeats the opening is no summary; footnote marks neither end a paragraph early nor
bring their addresses into the story's text."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.import_server import import_server
from tdbvantq.importer import Importer, import_sources
from tdbvantq.importer.fetch import Fetcher
from tdbvantq.importer.steps import DEFAULT_STEPS, ImportSteps

# The summary step runs on Vietnamese pages only by default (issue 22); the rules that judge a
# foreign page's summary are tested with the step switched on for every language.
SUMMARY_EVERYWHERE = ImportSteps(vietnamese_only=DEFAULT_STEPS.vietnamese_only - {"summary"})

OPENING = "On Saturday the residents' association of Northside"


def imported(
    name: str, content: Path, steps: ImportSteps = DEFAULT_STEPS
) -> tuple[dict[str, str], str]:
    fetcher = Fetcher(timeout=2, retries=1, backoff=0.01, delay=0)
    with import_server() as server:
        [result] = import_sources(
            [f"{server.base}/site/{name}.html"], content, fetcher=fetcher, steps=steps
        )
    assert result.status == "created", (name, result.error)
    head, _, body = Path(result.path).read_text("utf-8").partition("\n\n")
    return dict(line.split(": ", 1) for line in head.splitlines()), body


@pytest.mark.parametrize(
    ("name", "not_summary"),
    [
        ("summary-teaser-excerpt", "About three years ago"),
        ("summary-cookie-notice", "cookies"),
        ("summary-description-opening", "Staff Reports"),
        ("summary-after-story", "cooperative flats"),
        ("summary-headline-description", "Neighbourhood watch"),
    ],
)
def test_no_summary_from_another_story_a_notice_or_the_opening_again(
    tmp_path: Path, name: str, not_summary: str
) -> None:
    meta, body = imported(name, tmp_path, SUMMARY_EVERYWHERE)
    assert not_summary not in meta.get("Summary", ""), meta
    # The story is whole, once: its opening is not repeated by a summary.
    assert body.count(OPENING) == 1 and OPENING not in meta.get("Summary", "")
    assert "In the autumn the watch" in body


def test_a_foreign_page_gets_no_summary_by_default(tmp_path: Path) -> None:
    """The dek as the Summary is a Vietnamese-only step (issue 22: on pages of other
    languages it cost precision on every held-out set). Switched on for every language,
    the same English page's printed dek is its Summary."""
    dek = "Forty volunteers now take turns on the evening rounds"
    meta, body = imported("summary-printed-dek", tmp_path / "default")
    assert "Summary" not in meta, meta
    assert body.count(OPENING) == 1 and "In the autumn the watch" in body
    everywhere, body_everywhere = imported(
        "summary-printed-dek", tmp_path / "everywhere", SUMMARY_EVERYWHERE
    )
    assert everywhere["Summary"].startswith(dek), everywhere
    assert dek not in body_everywhere


def test_headings_that_link_to_their_own_section_stay(tmp_path: Path) -> None:
    """Documentation and blogs link each section's heading to itself (`<a href="#x">`,
    readability's `toc-missing`): the page's structure, kept; headings that lead to other
    pages of the site are a box of other posts, dropped as before."""
    _meta, body = imported("section-anchors", tmp_path)
    for heading in ("Detecting anomalies", "Understanding the z-score", "Backtesting the alerts"):
        assert heading in body, body
    assert "Window functions for people" not in body and "Which index does my query" not in body
    assert "Adjust the threshold until the two agree." in body


def test_footnote_marks_keep_their_paragraph_and_leave_no_address_in_the_text(
    tmp_path: Path,
) -> None:
    meta, body = imported("footnotes", tmp_path)
    # The paragraph ending with "[1]" after its full stop (and a word in camel case that
    # glued headlines also have) is the story's, kept.
    assert "OkCupid and CREDO Mobile volunteers did before." in body
    assert "share the rounds between them." in body
    assert "when they notice something suspicious. \\[Audio / MP3\\]" in body  # a source's tag
    fetcher = Fetcher(timeout=2, retries=1, backoff=0.01, delay=0)
    with import_server() as server:
        importer = Importer(tmp_path / "dry", dry_run=True, fetcher=fetcher)
        [(_source, article)] = list(importer.articles(f"{server.base}/site/footnotes.html"))
    text = article.plain_text()
    assert "did before.[1]" in text and "between them.[2][3]" in text
    assert "cite_note" not in text and "](" not in text


def test_a_list_with_short_addresses_and_brand_names_is_no_glued_headlines(
    tmp_path: Path,
) -> None:
    """A capital inside an address's code ("…/2iJFhRj"), after one letter ("iPhone") or in a
    word of unaccented letters ("DeLorean", "MacBook") does not make a line two headlines
    glued together; the lines stay in the story."""
    _meta, body = imported("product-list", tmp_path)
    assert "Lego Star Wars 75188 Resistance Bomber" in body
    assert "Magnum P.I. complete collection" in body
    assert "Lamp for the desk of the new iPhone owner" in body
    # A name in camel case ("DeLorean", "MacBook") is no glue point: only a word with marks is.
    assert "Model of the time machine DeLorean from Back to the Future" in body
    assert "Stand for the new 16-inch MacBook Pro" in body


def test_the_space_after_a_link_in_emphasis_is_kept(tmp_path: Path) -> None:
    """trafilatura drops the link around "streaming on Netflix" and the space after it; the
    page prints the words apart, so they stay apart ("Netflixand" was the story's text)."""
    fetcher = Fetcher(timeout=2, retries=1, backoff=0.01, delay=0)
    with import_server() as server:
        importer = Importer(tmp_path, dry_run=True, fetcher=fetcher)
        [(_source, article)] = list(importer.articles(f"{server.base}/site/links-in-emphasis.html"))
    text = " ".join(article.plain_text().split())
    assert (
        "streaming on Netflix and available to digitally rent on Google Play and YouTube." in text
    )
    assert "Netflixand" not in text and "Playand" not in text


def test_a_japanese_sentence_ends_with_a_full_width_full_stop(tmp_path: Path) -> None:
    """A paragraph ending with "。" is a sentence, not headlines glued together (a capital
    inside "KeePass" was taken for the place where two headlines meet)."""
    _meta, body = imported("ja-sentences", tmp_path)
    assert "再びKeePassが起動するようになるには" in body
    assert body.count("\n\n") >= 6  # the seven paragraphs


def test_a_json_ld_headline_unlike_the_page_title_is_not_the_title(tmp_path: Path) -> None:
    """Wikipedia's JSON-LD "headline" describes the subject; with a headline too short to be
    taken from <h1> and no og:title, the <title> gives the Title."""
    meta, _body = imported("jsonld-description-headline", tmp_path)
    assert meta["Title"] == "Hermitian matrix"


def test_subheads_listed_in_a_table_of_contents_stay(tmp_path: Path) -> None:
    """A box of links to places on the page ("#assess") is a table of contents, not a box of
    links to the site's other pages: the subheads it lists stay in the story."""
    _meta, body = imported("toc-subheads", tmp_path)
    for subhead in (
        "Assess how deep your content goes",
        "Rewrite with depth in mind",
        "Depth and breadth overlap",
    ):
        assert f"## {subhead}" in body, body
    assert "In the autumn the watch" in body


def test_a_list_articles_linked_headings_stay(tmp_path: Path) -> None:
    """A series of headings that are links to the site's reviews, each opening a long
    paragraph, are a list article's sections, not a box of links to other stories."""
    _meta, body = imported("list-article", tmp_path)
    for number, film in ((4, "The Last Jedi"), (3, "Faces Places"), (1, "Lady Macbeth")):
        assert f"### {number}) [*{film}*]" in body, body
    assert "In the autumn the watch" in body


def test_titles_glued_by_the_extraction_go_and_names_in_camel_case_stay(tmp_path: Path) -> None:
    """Three titles printed in separate elements come out of the extraction glued together
    ("…this winterTokyo is…"): the page prints them apart, so the line is headlines, not the
    story's. "DeLorean" and "MacBook" are printed whole: names, kept."""
    _meta, body = imported("glued-titles-en", tmp_path)
    assert "Tokyo is the colourful capital" not in body, body
    assert "Model of the time machine DeLorean from Back to the Future" in body
    assert "Stand for the new 16-inch MacBook Pro" in body
    assert "In the autumn the watch" in body


def test_a_video_box_gives_no_summary_and_screen_reader_labels_no_caption(tmp_path: Path) -> None:
    """A description-classed box that holds a video and its caption (BBC's
    `lead-video-placeholder`) is a media box, not the sapo; text only a screen reader speaks
    ("Media caption", "Image caption") is the markup's label, never part of a caption."""
    meta, body = imported("summary-media-box", tmp_path, SUMMARY_EVERYWHERE)
    assert "bridge budget was his biggest worry" not in meta.get("Summary", "")
    assert "Media caption" not in body and "Media caption" not in meta.get("Summary", "")
    # The photo keeps its printed caption, without the hidden label.
    assert "<figcaption>The old bridge over the river, closed to lorries since March" in body
    assert "Image caption" not in body
    assert body.count("On Saturday the mayor of Northside") == 1
    assert "In the autumn the council is to decide" in body


def test_reading_time_and_comment_counter_lines_leave_the_story(tmp_path: Path) -> None:
    """A line that is only the date and a reading time ("May 10, 2024 · 4 min read",
    "Lesezeit: 3 Min.") or a comment counter ("128 comments") is the page's furniture."""
    _meta, body = imported("meta-lines", tmp_path)
    assert "min read" not in body and "Lesezeit" not in body and "comments" not in body
    assert "On Saturday more than two hundred volunteers" in body
    assert "The organisers want to clean the banks again in the autumn" in body


def test_the_lines_of_a_code_block_stay_apart(tmp_path: Path) -> None:
    """trafilatura gives a code block's line breaks as <lb/>: each parts two words, as a
    line break inside a paragraph does ("// add.c" and "#include" are not glued)."""
    _meta, body = imported("code-lines", tmp_path)
    assert "add.c\\#include" not in body and "KEEPALIVEint" not in body
    assert "// add.c \\#include" in body
    assert "EMSCRIPTEN\\_KEEPALIVE int add(int x, int y)" in body


def test_a_heading_inside_a_list_item_is_not_glued_to_its_text(tmp_path: Path) -> None:
    """A card list (`<li><h2>Inspector</h2><p>Examine…</p></li>`): the heading and the text
    stay two words apart ("Inspector Examine", not "InspectorExamine")."""
    _meta, body = imported("list-item-headings", tmp_path)
    assert "InspectorExamine" not in body and "ConsoleSee" not in body
    assert "Inspector Examine the structure" in body
    assert "Debugger Step through the code" in body

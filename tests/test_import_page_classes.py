"""Classes of pages that are not news stories (lists, shops' grids, documentation), found on
WCXB's development split (issue 22; docs/importer.md, "Fifth round: WCXB's development
split"), each on a synthetic page imported over HTTP from a local server: the importer's
clean-up steps must not leave such a page without the text trafilatura found on it."""

from __future__ import annotations

from pathlib import Path

from support.import_server import import_server
from tdbvantq.importer import import_sources
from tdbvantq.importer.fetch import Fetcher


def imported(name: str, content: Path) -> tuple[dict[str, str], str]:
    fetcher = Fetcher(timeout=2, retries=1, backoff=0.01, delay=0)
    with import_server() as server:
        [result] = import_sources([f"{server.base}/site/{name}.html"], content, fetcher=fetcher)
    assert result.status == "created", (name, result.error)
    head, _, body = Path(result.path).read_text("utf-8").partition("\n\n")
    return dict(line.split(": ", 1) for line in head.splitlines()), body


def test_a_page_the_extraction_glues_into_one_paragraph_keeps_it(tmp_path: Path) -> None:
    """trafilatura glues a member's list of favourites (spans side by side) into one
    paragraph ("…hanging basketsFolding kneeler…"), which reads as story titles glued
    together. It is the page's whole text, not titles beside a story: it stays."""
    _meta, body = imported("glued-whole-page", tmp_path)
    assert "favourites from our spring range" in body, body
    assert "Pruning shears with a safety lock" in body


def test_a_page_whose_content_is_a_list_of_links_keeps_the_list(tmp_path: Path) -> None:
    """A wiki's reading list: its content is a list of links to the site's own pages, which
    the clutter steps read as a related box or a menu. With nothing else on the page (under
    a tenth of the text and fifty words would be left), the list is the page: the text
    trafilatura found stays as it found it."""
    _meta, body = imported("link-list-page", tmp_path)
    for item in ("Memory settings explained", "Finding slow queries", "Partitioning large tables"):
        assert item in body, body
    assert "Pages of this wiki on making the server faster" in body


def test_brackets_in_code_open_no_link_in_the_link_share(tmp_path: Path) -> None:
    """Documentation prints code with brackets ("sorted([3, 1, 2]) gives [1, 2, 3]"),
    escaped in Markdown ("\\[3, 1, 2\\]"). An escaped bracket opens no link, so an item's
    share of link text is its real link's ("see the sort method"), not everything from the
    first bracket to that link: the items are the page's text, not a box of links."""
    _meta, body = imported("doc-code-brackets", tmp_path)
    assert "returns a new list" in body, body
    assert "gives the smallest item" in body and "the heap queue helpers" in body
    assert "A key function is called once for each item" in body


def test_words_of_separate_elements_glued_by_the_extraction_are_apart(tmp_path: Path) -> None:
    """A shop's card prints its specifications in separate elements ("Cushioning:",
    "Maximum", "Support:"…), which trafilatura glues into one text ("MaximumSupport:"). The
    page prints the two words apart and never together: the space is put back. A name in
    camel case that the page prints whole ("TrailMaster") stays whole."""
    _meta, body = imported("shop-cards", tmp_path)
    assert "Maximum Support:" in body and "Neutral Width:" in body, body
    assert "MaximumSupport" not in body and "StabilityWidth" not in body
    assert "with the TrailMaster sole" in body

"""Classes of pages that are not news stories (lists, shops' grids, documentation), found on
WCXB's development split (issue 22; docs/history-importer.md, "Fifth round: WCXB's development
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


def test_subheads_listed_in_a_table_of_contents_with_the_full_address_stay(
    tmp_path: Path,
) -> None:
    """A table of contents whose links write the page's own address before "#part"
    ("https://site/travel/japan/#visa", as many blog plugins print them) leads to places in
    the page, not to other pages of the site: it is no box of links, and the story's
    subheads it lists are not dropped as the box's texts."""
    _meta, body = imported("toc-full-address", tmp_path)
    for subhead in ("How to get a tourist visa", "What to pack for the trip"):
        assert f"## {subhead}" in body, body
    assert "The visa took us ten days" in body


def test_a_section_page_of_teasers_keeps_their_headlines(tmp_path: Path) -> None:
    """A blog's index prints a headline link (h3) over a short excerpt, again and again,
    in one container (no box per teaser, so it is not refused as a list of stories). The
    teasers start the text and hold most of it: they are the page's content, not a
    related box beside a story, and their headlines stay with their excerpts."""
    _meta, body = imported("teaser-index", tmp_path)
    assert "How we release the app every week" in body, body
    assert "Incident report on the outage of April" in body
    assert "the tooling that makes our weekly release train possible" in body


def test_a_notice_word_that_is_the_story_s_subject_is_no_notice(tmp_path: Path) -> None:
    """A story about newsletters says "newsletter" in many of its short paragraphs, which
    the notice rule read as sign-up banners. A notice phrase its headline says is its
    subject: those lines stay; the page's own sign-up line, another phrase, is still
    dropped."""
    _meta, body = imported("newsletter-story", tmp_path)
    assert "The newsletter industry has never been healthier, on paper." in body, body
    assert "Here is what I would tell newsletter writers today." in body
    assert "Subscribe to Field Notes" not in body


def test_labelled_fields_glued_by_the_extraction_are_no_glued_titles(tmp_path: Path) -> None:
    """A shop's book page prints its verdict card's fields in spans side by side, which
    trafilatura glues ("…on rewildingCons: some chapters…"), and the glued-titles rule read
    the glue as two story titles and dropped the paragraph. A word ending in a colon right
    after the glue ("Cons:") is a card's field label, not a new title: the paragraph stays."""
    _meta, body = imported("glued-labels", tmp_path)
    assert "Pros: a clear argument" in body, body
    assert "some chapters are thin on numbers" in body


def test_subheads_listed_in_a_side_menu_s_table_of_contents_stay(tmp_path: Path) -> None:
    """A documentation site's side menu links to the site's other pages and, under the
    current page, lists that page's sections ("#providers"): the menu is a box of links,
    but its links into the page are the page's table of contents, whose texts are the
    story's own subheads, not the box's: they are not dropped with the menu."""
    _meta, body = imported("doc-side-menu", tmp_path)
    for subhead in ("Recommended providers", "How we choose a provider"):
        assert f"## {subhead}" in body, body
    assert "Web browsers" not in body and "Password managers" not in body


def test_a_table_of_contents_in_the_story_stays(tmp_path: Path) -> None:
    """A list whose links all lead to places in the page ("#visa") is the story's table of
    contents: it leads to no other page of the site, so it is no link clutter (as a heading
    linked to its own section is not), and it stays where the page prints it."""
    _meta, body = imported("toc-list", tmp_path)
    assert "1. [How to get a tourist visa]" in body, body
    assert "## How to get a tourist visa" in body


def test_a_list_of_links_the_story_announces_stays(tmp_path: Path) -> None:
    """A progress report announces a list of its own site's pages in a sentence ending in a
    colon ("Many patches were sent for review this month:") and goes on after it: the list
    is the story's text, not a box of links, and stays. A list under a box's label ("Read
    more:") is still dropped as a related box, though the story goes on after it."""
    _meta, body = imported("announced-link-list", tmp_path)
    for item in ("Allow casts between integers and pointers", "Split deeply nested expressions"):
        assert item in body, body
    assert "Many patches were sent for review this month:" in body
    assert "I sent every patch that was ready" in body
    assert "Thanks for reading" in body
    assert "debugging the register allocator" not in body


def test_a_sentence_in_a_photo_card_is_text_not_the_photos_interface(tmp_path: Path) -> None:
    """A card of a picture and a sentence of a few words ("A newsroom of forty people
    moved…") holds the page's text, not the picture's buttons; the labels of option buttons
    beside a photo ("Oak top in black") end no sentence and are its interface."""
    _meta, body = imported("service-cards", tmp_path)
    for sentence in (
        "A newsroom of forty people moved every desk to standing height.",
        "Nurses at a small clinic write their notes standing between visits.",
        "A school library lowers its desks for the youngest readers.",
    ):
        assert sentence in body, body
    assert "Oak top in black" not in body and "Oak top in white" not in body, body
    assert "built in the workshop behind the shop" in body
    assert "set the height for each member of the team" in body


def test_subheads_a_scripted_menu_repeats_stay(tmp_path: Path) -> None:
    """A side menu holds the site's links and the story's contents, whose entries a script
    scrolls to (links with no address): a box of links, whose texts are the story's own
    subheads. The story prints them again outside every box: they stay, and the menu's own
    links stay out."""
    _meta, body = imported("toc-scripted-menu", tmp_path)
    for subhead in (
        "Lắp đặt camera từ nguồn xã hội hóa",
        "Kết nối với công an phường",
        "Hiệu quả sau ba năm triển khai",
    ):
        assert f"## {subhead}" in body, body
    assert "Kinh phí lắp đặt do các hộ dân" in body
    assert "Chuyên mục An ninh" not in body and "Nội dung bài" not in body

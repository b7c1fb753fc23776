"""A news article page (HTML) -> Article, in three steps that pass values along:

1. `page_parse`: the page parsed once (tree, metadata tags, JSON-LD, addresses, the
   site's rule, the boxes that are not the story);
2. `page_meta`: what it says about the story (title, sapo, date, source);
3. `page_body`: the body, trafilatura's extraction with what it left out put back and
   the boxes dropped; `bylines` then takes the authors.

Each step the importer adds on top of trafilatura can be switched off (`steps`,
newsimport.steps), which is how `bench_import.py --ablation` measures it.
"""

from __future__ import annotations

from tdbvantq.importer import bylines, clutter, page_body, page_meta, press
from tdbvantq.importer.article import Article, NotAnArticle
from tdbvantq.importer.page_parse import parse_page
from tdbvantq.importer.pagekind import find_teasers, list_page_reason, without_chrome_teasers
from tdbvantq.importer.photos import tidy_photos
from tdbvantq.importer.sites import SiteRules, SiteRulesError, load_site_rules
from tdbvantq.importer.steps import DEFAULT_STEPS, ImportSteps, summary_fits


def extract_html_page(
    document: str | bytes,
    url: str | None,
    source: str,
    charset: str | None = None,
    rules: SiteRules | None = None,
    *,
    steps: ImportSteps = DEFAULT_STEPS,
) -> Article:
    """An article page, as received (bytes, with the HTTP header's charset if any).

    `rules` default to the project's content/data/sites.toml; `steps` say which of the
    importer's steps on top of trafilatura run (newsimport.steps)."""
    if not document.strip():
        raise NotAnArticle(f"{source}: trang trống")
    try:
        if not steps.site_rules:
            rules = SiteRules()
        page = parse_page(document, url, charset, rules if rules is not None else load_site_rules())
    except (NotAnArticle, SiteRulesError) as error:
        raise NotAnArticle(f"{source}: {error}") from None
    title = page_meta.title(page)  # may be empty: finish() then takes the first words of the text
    page.subject = press.notice_phrases(title)

    vietnamese = page.vietnamese
    blocks = page_body.extracted_blocks(page, images=steps.on("images", vietnamese))
    if steps.on("restore_dropped", vietnamese):
        blocks = page_body.restore_dropped(blocks, page, title)
    elif steps.on("story_photos", vietnamese):
        blocks = page_body.restore_dropped(blocks, page, title, photos_only=True)
    if steps.on("captions", vietnamese):
        blocks = page_body.attach_captions(blocks, page_body.captions(page))
    blocks = tidy_photos(blocks, page.tree, page.base)
    # A page that declares one article in JSON-LD is taken at its word; others are measured.
    teasers = [] if page.article_ld else find_teasers(page.tree, page.hosts, page.linked_parents)
    list_page = list_page_reason(teasers, blocks)
    if list_page:
        raise NotAnArticle(f"{source}: {list_page}")
    blocks = _without_clutter(page, blocks, teasers, steps)
    if steps.on("clean_blocks", vietnamese):
        blocks = page_body.without_glued_titles(blocks, page)
    if not vietnamese:  # Vietnamese glued headlines are found again by finish's rules
        blocks = page_body.with_words_apart(blocks, page)
    story = "\n".join([title, *(b.plain for b in blocks)])
    summary, _abbr, dateline_name = press.split_dateline(page_meta.summary(page, story))
    if not summary and vietnamese:
        summary, _abbr, dateline_name = page_meta.dateline_lede(blocks)
    if not steps.on("summary", vietnamese) or (
        summary
        and not vietnamese
        and not summary_fits(
            # The headline too: a description that only repeats it adds nothing.
            summary,
            [title, *(b.plain for b in blocks)],
            lambda: page_body.printed_text(page),
        )
    ):
        summary = ""
    authors = bylines.page_authors(page, blocks, body_first=steps.on("byline_first", vietnamese))
    return Article(
        title=title,
        date=page_meta.date(page),
        authors=authors,
        summary=summary,
        source_url=page.canonical,
        source_name=page_meta.source_name(page, dateline_name),
        blocks=blocks,
    )


# A page the clutter steps would leave with less than this share of the extracted text, and
# fewer than _LEFT_CHARS characters (spaces not counted: about fifty English words; Chinese and
# Japanese print no spaces between words), is a page whose content is the list itself.
_LEFT_SHARE = 0.1
_LEFT_CHARS = 250


def _without_clutter(page, blocks: list, teasers: list, steps: ImportSteps) -> list:
    """The blocks less the chrome's teasers, the clutter boxes, link-dense blocks and the
    site's banner lines (each a step that can be switched off).

    The last three remove boxes beside a story. When they would remove nearly all the text
    trafilatura found (less than a tenth left, and under 250 characters), there was no story
    beside the boxes: the page is a list (jobs, papers, a shop's grid, a wiki's reading list)
    whose items are links, and its text is kept as extracted."""
    vietnamese = page.vietnamese
    if steps.on("chrome_teasers", vietnamese):
        # Not undone below: a sidebar's teasers that extraction took for a story of a few
        # words (a file, a photo) leave the page without text on purpose (a draft).
        blocks = without_chrome_teasers(teasers, blocks)
    extracted = blocks
    if steps.on("clutter_boxes", vietnamese):
        blocks = page_body.drop_boxed(page, blocks)
    if steps.on("link_clutter", vietnamese):
        blocks = clutter.drop_clutter(blocks, page.hosts, clutter.own_addresses(page), page.subject)
    if steps.on("site_banner", vietnamese):
        blocks = [
            b for b in blocks if b.kind == "figure" or not page_meta.is_site_banner(page, b.plain)
        ]
    if blocks is extracted or _chars(blocks, _LEFT_CHARS) >= _LEFT_CHARS:
        return blocks  # most pages: a story is left (counted only up to the threshold)
    left, before = _chars(blocks), _chars(extracted)
    return extracted if before and left < _LEFT_SHARE * before else blocks


def _chars(blocks: list, enough: int | None = None) -> int:
    """Characters of the blocks' text, spaces not counted (up to `enough` when given)."""
    total = 0
    for block in blocks:
        if block.kind != "figure":
            total += len("".join(block.plain.split()))
            if enough is not None and total >= enough:
                break
    return total

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
    if blocks is not extracted:
        blocks = _with_announced_lists(extracted, blocks, page.subject)
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


_INTRO_WORDS = 3  # a sentence that announces a list says something: "Here are a few:"
_LISTS = ("ul", "ol")


def _has_text(block) -> bool:
    return block.kind != "figure" and any(c.isalnum() for c in block.plain)


def _announces(block, subject: frozenset[str]) -> bool:
    """Whether a block is a sentence of the story that announces a list: a paragraph of a
    few words ending in a colon ("Many patches were sent for review:"), mostly not a link,
    never a box's label ("Related:", "Xem thêm:", "Read more:")."""
    text = block.plain.rstrip()
    return (
        block.kind == "p"
        and text.endswith(":")
        and len(text.split()) >= _INTRO_WORDS
        and clutter.link_share(block) < 0.5
        and not bylines.is_label(text, subject)
    )


def _trimmed(kept, block) -> bool:
    """Whether `kept` is `block` with some of its items dropped (page_body.drop_boxed)."""
    return kept.kind == block.kind and bool(kept.items) and set(kept.items) <= set(block.items)


def _with_announced_lists(extracted: list, kept: list, subject: frozenset[str]) -> list:
    """The kept blocks, with each list that the clutter steps dropped put back where the
    story announces it: right after a kept sentence ending in a colon, with the story going
    on after the list. Such a list of links (a changelog's pull requests, a course list,
    a reading list) is the story's text; a related box's list comes under a label ("Read
    more:", a heading inside its box) or nothing, or ends the story."""
    kept_ids = {id(b) for b in kept}
    if not any(b.kind in _LISTS and id(b) not in kept_ids for b in extracted):
        return kept  # most pages: no list was dropped
    texts = [i for i, b in enumerate(extracted) if _has_text(b)]
    restore = set()
    for n in range(1, len(texts) - 1):
        i = texts[n]
        block = extracted[i]
        before, after = extracted[texts[n - 1]], extracted[texts[n + 1]]
        if (
            block.kind in _LISTS
            and id(block) not in kept_ids
            and id(before) in kept_ids
            and id(after) in kept_ids
            and _announces(before, subject)
        ):
            restore.add(i)
    if not restore:
        return kept
    return _merged(extracted, kept, restore)


def _merged(extracted: list, kept: list, restore: set[int]) -> list:
    """The kept blocks in order, with the extracted blocks at `restore` put back in place
    (whole: a list that drop_boxed trimmed is put back with all its items)."""
    kept_ids = {id(b) for b in kept}
    from_extracted = {id(b) for b in extracted}
    out, j = [], 0
    for i, block in enumerate(extracted):
        if id(block) in kept_ids:
            while kept[j] is not block:  # a trimmed list before it
                out.append(kept[j])
                j += 1
            out.append(block)
            j += 1
        elif j < len(kept) and id(kept[j]) not in from_extracted and _trimmed(kept[j], block):
            out.append(block if i in restore else kept[j])
            j += 1
        elif i in restore:
            out.append(block)
    out.extend(kept[j:])
    return out

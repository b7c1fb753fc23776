"""The story's body of a parsed page (`page_parse.Page`): trafilatura's extraction turned
into blocks, with the photos and section headings it left out put back, captions attached,
and the boxes of the page that are not the story dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import trafilatura
from lxml import etree

from tdbvantq.importer import clutter, press
from tdbvantq.importer.article import Block, Figure
from tdbvantq.importer.classwords import CaseBlind
from tdbvantq.importer.markdown import bold_texts, collapse, escape, html_to_blocks, strip_markdown
from tdbvantq.importer.page_parse import Page, text_of
from tdbvantq.importer.photos import image_url
from tdbvantq.importer.sanitize import sanitize_html
from tdbvantq.importer.textkey import fold
from tdbvantq.importer.trees import handed_over, trafilatura_tree
from tdbvantq.importer.urls import join_url
from tdbvantq.text import normalize

# Boxes inside or around a body that are not the story (related links, widgets, chrome).
_CLUTTER_CLASS = CaseBlind(
    r"relat|lienquan|lien-quan|tinkhac|tin-khac|other|comment|binh-?luan|share|social|rating|"
    r"danh-?gia|banner|advert|sidebar|footer|header|menu|(?:^|[\s_-])(?:tags?|ads?|nav)(?:[\s_-]|$)"
)
_CAPTION_CLASS = CaseBlind(r"caption|desc|note|chu-thich|image_desc")
# Link targets that lead nowhere ("javascript:void(0)", "no_script_;", "#"): text kept, link dropped.
_DEAD_LINK = re.compile(r"^\s*(?:javascript:|#|$)|no_?script", re.IGNORECASE)
_TRAFILATURA_TAGS = {
    "list": "ul",
    "item": "li",
    "quote": "blockquote",
    "row": "tr",
    "cell": "td",
    "lb": "br",
    "graphic": "img",
    "ref": "a",
}
_RESTORED_HEADINGS = ("h2", "h3", "h4")
_TEXT_KEY = 80  # characters of a paragraph's folded text that locate it in the page


# --- photos and captions -------------------------------------------------------------------


@lru_cache(maxsize=4096)  # asked for each photo by several steps
def image_key(url: str | None) -> str:
    """A photo's file name, lowercased: how the page's <img> and the extraction's meet."""
    if not url or url.startswith("data:"):
        return ""
    return PurePosixPath(urlsplit(url).path).name.lower()


def _table_caption(table) -> str:
    """A photo table's caption cell, else (a table of one photo) its one cell of text."""
    # The marked cell first, and the texts of all cells only for a table of one photo: a
    # layout table holds many photos, and each of them asks for its caption.
    for cell in table.iter("td", "p", "div", "span"):
        if _CAPTION_CLASS.search(cell.get("class") or "") and next(cell.iter("img"), None) is None:
            if text := text_of(cell):
                return text
    if sum(1 for _ in table.iter("img")) != 1:
        return ""
    cells = [
        c
        for c in table.iter("td", "p", "div", "span")
        if next(c.iter("img"), None) is None and text_of(c)
    ]
    texts = {text_of(c) for c in cells if c.tag == "td"} or {text_of(c) for c in cells}
    return texts.pop() if len(texts) == 1 and len(next(iter(texts)).split()) <= 60 else ""


def caption_of(img, tables: dict | None = None) -> str:
    """The caption printed with a photo: figcaption, a caption cell, or a caption sibling.
    `tables`: the captions of the page's tables found so far (a layout table holds many
    photos, and its cells are read once)."""
    for ancestor in img.iterancestors():
        if ancestor.tag == "figure":
            return text_of(next(ancestor.iter("figcaption"), None))
        if ancestor.tag == "table":
            if tables is None:
                return _table_caption(ancestor)
            if ancestor not in tables:
                tables[ancestor] = _table_caption(ancestor)
            return tables[ancestor]
        if ancestor.tag in ("article", "body"):
            break
        sibling = ancestor.getnext()
        if sibling is not None and _CAPTION_CLASS.search(sibling.get("class") or ""):
            return text_of(sibling)
    return ""


def photo_caption(img, page: Page) -> str:
    """`caption_of` a photo of the page, read once: the photo steps (the photos put back,
    the captions attached) each ask for it, and the page does not change."""
    found = page.photo_captions.get(img)
    if found is None:
        found = page.photo_captions[img] = caption_of(img, page.table_captions)
    return found


def captions(page: Page) -> dict[str, str]:
    """Each photo's printed caption, by `image_key`."""
    found: dict[str, str] = {}
    for img in page.tree.iter("img"):
        key = image_key(image_url(img))
        if key and key not in found:
            caption = photo_caption(img, page)
            if caption:
                found[key] = caption
    return found


def attach_captions(blocks: list[Block], captions: dict[str, str]) -> list[Block]:
    """The blocks with each photo given its printed caption and the caption's copy as a
    paragraph dropped."""
    known = {fold(c) for c in captions.values()}
    for block in blocks:
        if block.kind == "figure" and block.figure:
            block.figure.caption = captions.get(image_key(block.figure.src), "")
    return [
        block
        for block in blocks
        if not (block.kind == "p" and fold(collapse(block.plain)) in known)
    ]


# --- trafilatura's extraction ----------------------------------------------------------------


def _as_html(element, base: str | None) -> None:
    """One element of trafilatura's XML renamed to its HTML tag (links made absolute)."""
    tag = element.tag
    if tag == "head":
        rend = element.get("rend") or "h2"
        element.tag = rend if re.fullmatch(r"h[1-6]", rend) else "h2"
    elif tag == "hi":
        element.tag = {"#b": "strong", "#i": "em", "#u": "u"}.get(element.get("rend") or "", "span")
    elif tag == "list":
        element.tag = "ol" if (element.get("rend") or "").startswith("ol") else "ul"
    elif tag in _TRAFILATURA_TAGS:
        element.tag = _TRAFILATURA_TAGS[tag]
        if tag == "ref":
            target = element.get("target")
            if target and not _DEAD_LINK.search(target):
                href = join_url(base, target)  # resolved once
                if href:
                    element.set("href", href)
        elif tag == "graphic" and element.get("src"):
            element.set("src", join_url(base, element.get("src")))


def body_html(page: Page, images: bool = True) -> str:
    """trafilatura's extraction of the story, as HTML (with its photos if `images`)."""
    # Parsed here as trafilatura would, by a parser that is quicker to walk (`trees`).
    tree = trafilatura_tree(page.document, page.text, page.tree)
    with handed_over(tree):  # a tree made for trafilatura: it need not copy it again
        document = trafilatura.bare_extraction(
            page.document if tree is None else tree,
            url=page.base,
            include_images=images,
            include_formatting=True,
            include_links=True,
            include_tables=True,
            include_comments=False,
            with_metadata=False,
            # Not "python": only the body tree is read, and the "python" format also makes
            # the body's plain text (a deep copy of it and a walk), which nothing reads.
            output_format="txt",
        )
    body = getattr(document, "body", None)
    if body is None:
        return ""
    for element in body.iter():
        _as_html(element, page.base)
    _restore_spaces(body, page)
    body.tag = "div"
    return etree.tostring(body, encoding="unicode", method="html")


_INLINE = frozenset({"a", "em", "strong", "span", "u", "b", "i"})
_LAST_WORD = re.compile(r"(\w+)$")
_FIRST_WORD = re.compile(r"^(\w+)")


def _restore_spaces(body, page: Page) -> None:
    """Put back the space trafilatura drops at times after a link or an emphasis when it
    keeps links ("streaming on Netflix</em><em>and", "<a>the blog at work</a>so I"): where
    the page prints the two words apart and never together. (Scripts without spaces between
    words are left as they are: the page never prints them apart.)"""
    printed: str | None = None
    for element in body.iter(*_INLINE):
        after = element.getnext() if not element.tail else None
        following = element.tail or (
            after.text if after is not None and after.tag in _INLINE else None
        )
        last = _LAST_WORD.search("".join(element.itertext()))
        first = _FIRST_WORD.match(following or "")
        if not (last and first):
            continue
        if printed is None:
            printed = " ".join(printed_text(page).split())
        apart = f"{last[1]} {first[1]}"
        if apart in printed and f"{last[1]}{first[1]}" not in printed:
            element.tail = " " + (element.tail or "")


def extracted_blocks(page: Page, images: bool = True) -> list[Block]:
    # Bold read from the page itself: trafilatura keeps one mark of nested emphasis.
    return html_to_blocks(
        normalize(sanitize_html(body_html(page, images))), bold=bold_texts(page.tree)
    )


# Plain strings: lxml's default "smart" strings each build their parent element's object.
_PRINTED_TEXT = etree.XPath(
    "//body//text()[not(ancestor::script) and not(ancestor::style)]", smart_strings=False
)


_BODIES = etree.XPath("//body")
_NO_PRINT = frozenset({"script", "style"})
# Nodes whose tail is printed text; an element's own text is read at its start.
_WALKED = ("start", "end", "comment", "pi")


def printed_text(page: Page) -> str:
    """The text the page prints (not its scripts, styles or metadata), read once a page:
    `_PRINTED_TEXT`'s text nodes joined with spaces, read here by a walk of the page's one
    <body> (in lxml a text node is an element's `text` or a node's `tail`; the HTML parser
    gives a script or a style no element inside), at less than half the expression's cost.
    A page with several bodies is read by the expression."""
    if page.printed is None:
        bodies = _BODIES(page.tree)
        if len(bodies) != 1:
            page.printed = " ".join(_PRINTED_TEXT(page.tree))
            return page.printed
        body = bodies[0]
        texts: list[str] = []
        for event, node in etree.iterwalk(body, events=_WALKED):
            if event == "start":
                if node.text and node.tag not in _NO_PRINT:
                    texts.append(node.text)
            elif node.tail and node is not body:
                texts.append(node.tail)
        page.printed = " ".join(texts)
    return page.printed


def without_glued_titles(blocks: list[Block], page: Page) -> list[Block]:
    """The blocks less paragraphs of story titles that the extraction glued together where
    the page prints them apart ("Moda ulicznaTokio - moda…"); a name in camel case that the
    page prints whole ("MacBook") glues nothing (press.glued_titles).

    When every text block would go, the extraction glued the whole page into one text (a
    list or a shop's grid printed as one paragraph): it is the page's text, not titles beside
    a story, and is kept, as `finish.clean_blocks` never leaves a story without text."""
    printed: str | None = None
    kept = []
    for block in blocks:
        # " ": a page that prints no word whole, so every possible glue point counts.
        if block.kind == "p" and press.glued_titles(block.plain, " "):
            if printed is None:
                printed = " ".join(printed_text(page).split())
            if press.glued_titles(block.plain, printed):
                continue
        kept.append(block)
    return kept if any(b.kind != "figure" for b in kept) else blocks


# A lowercase letter then a capital inside a word ("mmCushioning"), or a link's target, which
# is left as it is (matched first, so that no address is changed). _CAMEL_PAIR: the cheap
# test that most blocks fail.
_GLUED_WORDS = re.compile(r"\]\([^)]*\)|([A-Za-z]*[a-z])([A-Z][A-Za-z]*)")
_CAMEL_PAIR = re.compile(r"[a-z][A-Z]")


def with_words_apart(blocks: list[Block], page: Page) -> list[Block]:
    """The blocks with the space put back between two words that trafilatura glued inside
    one text: a lowercase letter then a capital ("7.2 mmCushioning:MaximumSupport" from a
    shop's card of separate elements), where the page's source never writes them together,
    so that only markup parts them. A name written in camel case ("MacBook", "YouTube") is
    written whole in the source and stays whole.

    Run last on the blocks: the clutter steps compare block texts with the page's texts as
    lxml joins them (glued), and the glued-titles rule reads such glue points."""
    source = page.text
    # Each glued word's answer, kept for the page: the test reads the whole page's source,
    # and a story repeats its words. (A match is a whole run of letters, so its two parts
    # are those of the text matched.)
    answers: dict[str, str] = {}

    def apart(match: re.Match) -> str:
        if match[1] is None:
            return match[0]
        glued = match[0]
        answer = answers.get(glued)
        if answer is None:
            answer = answers[glued] = glued if glued in source else f"{match[1]} {match[2]}"
        return answer

    def unglue(markdown: str) -> str:
        return _GLUED_WORDS.sub(apart, markdown) if _CAMEL_PAIR.search(markdown) else markdown

    for i, block in enumerate(blocks):
        if block.kind == "figure":
            continue
        text, items = unglue(block.text), [unglue(item) for item in block.items]
        cells = [[unglue(cell) for cell in row] for row in block.cells]
        if (text, items, cells) != (block.text, block.items, block.cells):
            blocks[i] = replace(block, text=text, items=items, cells=cells)
    return blocks


# --- what trafilatura left out ---------------------------------------------------------------


@dataclass
class _Scan:
    """The page walked once: where paragraphs are, where the headline is, and the
    headings and photos (with their place) that the extraction lacks."""

    text_at: dict[str, int] = field(default_factory=dict)
    candidates: list[tuple[int, Block]] = field(default_factory=list)
    title_at: int | None = None


def _in_clutter(element) -> bool:
    return any(_CLUTTER_CLASS.search(a.get("class") or "") for a in element.iterancestors())


def _outside_boxes(element, page: Page) -> bool:
    return not _in_clutter(element) and not page.in_clutter_box(element)


def _missing_heading(element, page: Page, present_text: set[str]) -> Block | None:
    text = text_of(element)
    if not text or fold(text) in present_text or len(text.split()) > 20:
        return None
    if not _outside_boxes(element, page):
        return None
    return Block("h2" if element.tag == "h2" else "h3", escape(text))


def _missing_photo(element, page: Page, present_images: set[str]) -> Block | None:
    """A photo of the story (captioned, or in a <figure>) that the extraction lacks; its key
    is added to `present_images` so that it is restored once."""
    url = image_url(element)
    key = image_key(url)
    if not key or key in present_images:
        return None
    caption = photo_caption(element, page)
    in_figure = any(a.tag == "figure" for a in element.iterancestors())
    if not (caption or in_figure) or not _outside_boxes(element, page):
        return None
    present_images.add(key)
    return Block(
        "figure",
        figure=Figure(join_url(page.base, url) or None, caption, _text_attr(element, "alt")),
    )


def _scan(page: Page, title: str, blocks: list[Block], photos_only: bool = False) -> _Scan:
    """`photos_only`: headings are not looked for (they would not be restored)."""
    scan = _Scan()
    present_images = {image_key(b.figure.src) for b in blocks if b.kind == "figure" and b.figure}
    present_text = {fold(b.plain) for b in blocks if b.kind != "figure"}
    folded_title = fold(title)
    for index, element in enumerate(page.tree.iter()):
        tag = element.tag
        found = None
        if tag == "h1":
            if scan.title_at is None and clutter.folded_text(element) == folded_title:
                scan.title_at = index
        elif tag in ("p", "li"):
            scan.text_at.setdefault(clutter.folded_text(element)[:_TEXT_KEY], index)
        elif tag in _RESTORED_HEADINGS and not photos_only:
            found = _missing_heading(element, page, present_text)
        elif tag == "img":
            found = _missing_photo(element, page, present_images)
        if found is not None:
            scan.candidates.append((index, found))
    return scan


def _any_missing_photo(page: Page, blocks: list[Block]) -> bool:
    """Whether `_scan` would find a photo to restore (its test on each <img>, in its order)."""
    present_images = {image_key(b.figure.src) for b in blocks if b.kind == "figure" and b.figure}
    return any(
        _missing_photo(img, page, present_images) is not None for img in page.tree.iter("img")
    )


def _belongs(block: Block) -> bool:
    return not press.is_clutter(block.plain) and not press.is_end_marker(block.plain)


def _merge(
    blocks: list[Block], positions: list[int | None], inserts: list[tuple[int, Block]]
) -> list[Block]:
    """`blocks` with each insert put before the first block placed after it in the page."""
    merged: list[Block] = []
    pending = sorted(inserts, key=lambda item: item[0])
    for block, position in zip(blocks, positions, strict=True):
        while pending and position is not None and pending[0][0] < position:
            merged.append(pending.pop(0)[1])
        merged.append(block)
    return merged + [block for _, block in pending]


def restore_dropped(
    blocks: list[Block], page: Page, title: str, *, photos_only: bool = False
) -> list[Block]:
    """The blocks with the photos and section headings of the body that trafilatura left
    out put back (only the photos if `photos_only`).

    Only what lies between the headline (or else the first extracted paragraph) and the
    last extracted paragraph in the page, outside related-story and widget boxes, and (for
    photos) printed with a caption or in a <figure>.
    """
    if photos_only and not _any_missing_photo(page, blocks):
        return blocks  # nothing to restore: the page's paragraphs are not read
    scan = _scan(page, title, blocks, photos_only)
    positions = [
        scan.text_at.get(fold(b.plain)[:_TEXT_KEY]) if b.kind == "p" else None for b in blocks
    ]
    known = [p for p in positions if p is not None]
    if not known or not scan.candidates:
        return blocks
    first = scan.title_at if scan.title_at is not None else min(known)
    inserts = [
        (i, b)
        for i, b in scan.candidates
        if first < i < max(known) and _belongs(b) and (b.kind == "figure" or not photos_only)
    ]
    return _merge(blocks, positions, inserts) if inserts else blocks


def _text_attr(element, name: str) -> str:
    return normalize(collapse(element.get(name) or ""))


# --- boxes of the page -----------------------------------------------------------------------


def _box_key(text: str) -> str:
    """A block's or an item's text as box texts are keyed (`clutter.box_texts`)."""
    return fold(collapse(strip_markdown(text)))


_REPEATED_WORDS = 3  # a word or two ("Share", "Menu") is printed anywhere; a subhead says more
# Elements that print one block of a story: where its copy outside the boxes is looked for.
_STORY_LEAVES = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "blockquote")


def _printed_outside_boxes(page: Page, texts: set[str]) -> set[str]:
    """Those of `texts` (folded) that the page also prints outside every clutter box, in an
    element that holds no link: a subhead that a box's table of contents repeats."""
    body = page.tree.find("body")
    if body is None or not texts:
        return set()
    found: set[str] = set()
    for element in body.iter(*_STORY_LEAVES):
        text = clutter.folded_text(element)
        if (
            text in texts
            and text not in found
            and not page.in_clutter_box(element)
            and not _linked(element)
        ):
            found.add(text)
    return found


def _linked(element) -> bool:
    """Whether an element holds a link or sits in one: a headline or a teaser's lead that
    leads to another story ("… more »"), which a second box of teasers prints too, is not
    the story's."""
    return element.find(".//a") is not None or next(element.iterancestors("a"), None) is not None


def drop_boxed(page: Page, blocks: list[Block]) -> list[Block]:
    """Blocks (and list items) printed in a clutter box, or outside the site's body
    element when it has one, are not the story. A text the page prints in a box and again
    outside every box is the story's (the box repeats it: a table of contents, a menu)."""
    boxed = clutter.box_texts(page.clutter_boxes, page.base or "", page.canonical or "")
    # Each block with its text's key and its items' keys, folded once (a photo has none).
    keyed = [
        (block, None, [])
        if block.kind == "figure"
        else (block, fold(collapse(block.plain)), [_box_key(item) for item in block.items])
        for block in blocks
    ]
    if boxed:
        texts = {text for _block, key, items in keyed for text in (key, *items) if text}
        repeated = {text for text in texts & boxed if len(text.split()) >= _REPEATED_WORDS}
        boxed = boxed - _printed_outside_boxes(page, repeated)
    body = fold(text_of(page.kept_body)) if page.kept_body is not None else None
    kept = []
    for block, key, item_keys in keyed:
        if key is None:
            kept.append(block)
            continue
        if block.items:
            # A new block: the extracted one stays whole (htmlpage keeps it when the clutter
            # steps would leave no story).
            items = [i for i, k in zip(block.items, item_keys, strict=True) if k not in boxed]
            if not items:
                continue
            if len(items) < len(block.items):
                block = replace(block, items=items)
                key = fold(collapse(block.plain))  # the list as it is left
        if key not in boxed and (body is None or key[:60] in body):
            kept.append(block)
    return kept

"""A news article page (HTML) -> Article.

trafilatura finds the body; the page's own markup gives what Vietnamese press pages
carry beyond it: title, dateline, sapo (lede), byline, photo captions, site name.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from newsimport import press
from newsimport.article import Article, Block, Figure, NotAnArticle
from newsimport.fetch import decode
from newsimport.markdown import collapse, escape, html_to_blocks
from newsimport.pagekind import list_page_reason
from newsimport.published import page_published
from newsimport.sanitize import sanitize_html
from vntext import fold, normalize

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting",
                  "analysisnewsarticle", "opinionnewsarticle"}
_SAPO_CLASS = re.compile(
    r"sapo|chapeau|desc|summary|excerpt|\blead\b|article__lead|intro", re.IGNORECASE
)
# Boxes inside or around a body that are not the story (related links, widgets, chrome).
_CLUTTER_CLASS = re.compile(
    r"relat|lienquan|lien-quan|tinkhac|tin-khac|other|comment|binh-?luan|share|social|rating|"
    r"danh-?gia|banner|advert|sidebar|footer|header|menu|(?:^|[\s_-])(?:tags?|ads?|nav)(?:[\s_-]|$)",
    re.IGNORECASE,
)
_AUTHOR_CLASS = re.compile(r"author|tac-?gia|byline|writer", re.IGNORECASE)
_CAPTION_CLASS = re.compile(r"caption|desc|note|chu-thich|image_desc", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_IMG_ATTRS = ("data-original", "data-src", "data-lazy-src", "src")
_TRAFILATURA_TAGS = {"list": "ul", "item": "li", "quote": "blockquote", "row": "tr",
                     "cell": "td", "lb": "br", "graphic": "img", "ref": "a"}


def _text(element) -> str:
    return normalize(collapse(element.text_content())) if element is not None else ""


def _meta(tree) -> dict[str, str]:
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop"):
            name = (meta.get(attr) or "").strip().lower()
            if name and name not in values:
                values[name] = content.strip()
    return values


def _json_ld(tree) -> list[dict]:
    found: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                found.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return found


def _types(item: dict) -> set[str]:
    kind = item.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def _image_key(url: str | None) -> str:
    if not url or url.startswith("data:"):
        return ""
    return PurePosixPath(urlsplit(url).path).name.lower()


def _image_url(img) -> str | None:
    for attr in _IMG_ATTRS:
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return None


def _caption_of(img) -> str:
    """The caption printed with a photo: figcaption, a caption cell, or a caption sibling."""
    for ancestor in img.iterancestors():
        if ancestor.tag == "figure":
            caption = next(ancestor.iter("figcaption"), None)
            return _text(caption)
        if ancestor.tag == "table":
            for cell in ancestor.iter("td", "p", "div", "span"):
                if _CAPTION_CLASS.search(cell.get("class") or "") and next(cell.iter("img"), None) is None:
                    return _text(cell)
            return ""
        if ancestor.tag in ("article", "body"):
            break
        sibling = ancestor.getnext()
        if sibling is not None and _CAPTION_CLASS.search(sibling.get("class") or ""):
            return _text(sibling)
    return ""


class Page:
    """The parsed page and what its markup says about the story."""

    def __init__(self, document: str | bytes, url: str | None, charset: str | None = None) -> None:
        # Extraction reads the page as received; bytes only when no HTTP header overrides
        # the charset that the page itself declares.
        text = decode(document, charset) if isinstance(document, bytes) else document
        text = _XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1)  # lxml refuses it in text
        self.document = document if isinstance(document, bytes) and not charset else text
        try:
            self.tree = lxml_html.document_fromstring(text)
        except (etree.ParserError, ValueError) as error:
            raise NotAnArticle(f"không phải trang HTML ({error})") from None
        self.meta = _meta(self.tree)
        self.json_ld = _json_ld(self.tree)
        self.article_ld = next((i for i in self.json_ld if _types(i) & _ARTICLE_TYPES), {})
        canonical = self.tree.xpath('//link[@rel="canonical"]/@href')
        self.canonical = (canonical[0].strip() if canonical else "") or self.meta.get("og:url") or url
        self.base = url or self.canonical

    # --- metadata ----------------------------------------------------------------------------

    def title(self) -> str:
        reference = fold(self.meta.get("og:title") or _text(next(self.tree.iter("title"), None)))
        headings = [_text(h1) for h1 in self.tree.iter("h1")]
        headings = [h for h in headings if len(h.split()) >= 3]
        for heading in headings:
            if reference and fold(heading) in reference:
                return heading
        if self.meta.get("og:title"):
            return normalize(collapse(self.meta["og:title"]))
        if headings:
            return headings[0]
        headline = self.article_ld.get("headline")
        if isinstance(headline, str) and headline.strip():
            return normalize(collapse(headline))
        title = _text(next(self.tree.iter("title"), None))
        return re.split(r"\s+[|–-]\s+", title)[0] if title else ""

    def summary(self) -> str:
        for element in self.tree.iter("p", "div", "h2", "span", "strong"):
            if _SAPO_CLASS.search(element.get("class") or "") and not any(
                a.tag in ("figure", "table", "figcaption") for a in element.iterancestors()
            ):
                text = _text(element)
                if len(text) >= 40:
                    return text
        for name in ("og:description", "description"):
            if self.meta.get(name):
                return normalize(collapse(self.meta[name]))
        description = self.article_ld.get("description")
        return normalize(collapse(description)) if isinstance(description, str) else ""

    def date(self):
        return page_published(self, self.document)

    def site_names(self) -> list[str]:
        names = [self.meta.get("og:site_name", "")]
        publisher = self.article_ld.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.append(publisher["name"])
        return [normalize(collapse(n)) for n in names if n]

    def host(self) -> str:
        host = urlsplit(self.canonical or "").hostname or ""
        return host[4:] if host.startswith("www.") else host

    def source_name(self, dateline_name: str | None) -> str | None:
        if self.host() in press.HOST_SOURCES:
            return press.HOST_SOURCES[self.host()]
        if dateline_name:
            return dateline_name
        names = self.site_names()
        return names[0] if names else (self.host() or None)

    def _is_publisher(self, name: str) -> bool:
        folded = fold(name)
        publishers = [fold(n) for n in self.site_names()]
        publishers += [fold(press.HOST_SOURCES.get(self.host(), "")), fold(self.host())]
        return any(folded and p and (folded in p or p in folded) for p in publishers) or "." in name

    def author_from_markup(self) -> str | None:
        for element in self.tree.iter("p", "div", "span", "a", "strong"):
            if element.get("itemprop") == "author" or _AUTHOR_CLASS.search(element.get("class") or ""):
                name = press.parse_byline(_text(element))
                if name and not self._is_publisher(name):
                    return name
        candidates = [self.meta.get("author", ""), self.meta.get("article:author", "")]
        author = self.article_ld.get("author")
        for item in author if isinstance(author, list) else [author]:
            if isinstance(item, dict) and "person" in _types(item):
                candidates.append(str(item.get("name", "")))
        for candidate in candidates:
            candidate = normalize(collapse(candidate))
            if candidate and not candidate.startswith("http") and not self._is_publisher(candidate):
                return press.title_case_name(candidate)
        return None

    def captions(self) -> dict[str, str]:
        captions: dict[str, str] = {}
        for img in self.tree.iter("img"):
            key = _image_key(_image_url(img))
            if key and key not in captions:
                caption = _caption_of(img)
                if caption:
                    captions[key] = caption
        return captions

    # --- body --------------------------------------------------------------------------------

    def body_html(self) -> str:
        document = trafilatura.bare_extraction(
            self.document,
            url=self.base,
            include_images=True,
            include_formatting=True,
            include_links=True,
            include_tables=True,
            include_comments=False,
            with_metadata=False,
        )
        body = getattr(document, "body", None)
        if body is None:
            return ""
        for element in body.iter():
            tag = element.tag
            if tag == "head":
                rend = element.get("rend") or "h2"
                element.tag = rend if re.fullmatch(r"h[1-6]", rend) else "h2"
            elif tag == "hi":
                rend = element.get("rend") or ""
                element.tag = {"#b": "strong", "#i": "em", "#u": "u"}.get(rend, "span")
            elif tag == "list":
                element.tag = "ol" if (element.get("rend") or "").startswith("ol") else "ul"
            elif tag in _TRAFILATURA_TAGS:
                element.tag = _TRAFILATURA_TAGS[tag]
                if tag == "ref":
                    target = element.get("target")
                    if target:
                        element.set("href", urljoin(self.base or "", target))
                elif tag == "graphic" and element.get("src"):
                    element.set("src", urljoin(self.base or "", element.get("src")))
        body.tag = "div"
        return etree.tostring(body, encoding="unicode", method="html")


def _is_right_aligned_text(page: Page, text: str) -> bool:
    for p in page.tree.iter("p", "div"):
        style = (p.get("style") or "").replace(" ", "").lower()
        if ("text-align:right" in style or p.get("align") == "right") and _text(p) == text:
            return True
    return False


def extract_html_page(
    document: str | bytes, url: str | None, source: str, charset: str | None = None
) -> Article:
    """An article page, as received (bytes, with the HTTP header's charset if any)."""
    if not document.strip():
        raise NotAnArticle(f"{source}: trang trống")
    try:
        page = Page(document, url, charset)
    except NotAnArticle as error:
        raise NotAnArticle(f"{source}: {error}") from None
    title = page.title()  # may be empty: finish() then takes the first words of the text
    summary, _abbr, dateline_name = press.split_dateline(page.summary())

    blocks = html_to_blocks(normalize(sanitize_html(page.body_html())))
    _restore_dropped(blocks, page, title)
    _attach_captions(blocks, page.captions())
    # A page that declares one article in JSON-LD is taken at its word; others are measured.
    list_page = None if page.article_ld else list_page_reason(page.tree, blocks)
    if list_page:
        raise NotAnArticle(f"{source}: {list_page}")

    author = None
    texts = [i for i, b in enumerate(blocks) if b.kind == "p"]
    if texts:
        last = blocks[texts[-1]]
        name = press.parse_byline(last.plain)
        if name and (not press.looks_like_name(last.plain) or _is_right_aligned_text(page, last.plain)
                     or texts[-1] == len(blocks) - 1):
            author = name
            del blocks[texts[-1]]
    author = author or page.author_from_markup()

    return Article(
        title=title,
        date=page.date(),
        author=author,
        summary=summary,
        source_url=page.canonical,
        source_name=page.source_name(dateline_name),
        blocks=blocks,
    )


def _attach_captions(blocks: list[Block], captions: dict[str, str]) -> None:
    """Give each photo its printed caption and drop the caption's copy as a paragraph."""
    known = {fold(c) for c in captions.values()}
    for block in blocks:
        if block.kind == "figure" and block.figure:
            block.figure.caption = captions.get(_image_key(block.figure.src), "")
    kept = [
        block
        for block in blocks
        if not (block.kind == "p" and fold(collapse(block.plain)) in known)
    ]
    blocks[:] = kept


def _in_clutter(element) -> bool:
    return any(_CLUTTER_CLASS.search(a.get("class") or "") for a in element.iterancestors())


def _restore_dropped(blocks: list[Block], page: Page, title: str) -> None:
    """Put back photos and section headings of the body that trafilatura left out.

    Only what lies between the headline (or else the first extracted paragraph) and the
    last extracted paragraph in the page, outside
    related-story and widget boxes, and (for photos) printed with a caption or in a <figure>.
    """
    text_at: dict[str, int] = {}
    candidates: list[tuple[int, Block]] = []
    present_images = {_image_key(b.figure.src) for b in blocks if b.kind == "figure" and b.figure}
    present_text = {fold(b.plain) for b in blocks if b.kind != "figure"}
    title_at = None
    for index, element in enumerate(page.tree.iter()):
        tag = element.tag
        if tag == "h1" and title_at is None and fold(_text(element)) == fold(title):
            title_at = index
        elif tag == "p" or tag == "li":
            text_at.setdefault(fold(_text(element))[:80], index)
        elif tag in ("h2", "h3", "h4"):
            text = _text(element)
            if (text and fold(text) not in present_text and len(text.split()) <= 20
                    and not _in_clutter(element)):
                candidates.append((index, Block("h2" if tag == "h2" else "h3", escape(text))))
        elif tag == "img":
            url = _image_url(element)
            key = _image_key(url)
            if key and key not in present_images:
                in_figure = any(a.tag == "figure" for a in element.iterancestors())
                caption = _caption_of(element)
                if (caption or in_figure) and not _in_clutter(element):
                    figure = Figure(urljoin(page.base or "", url), caption, _text_attr(element, "alt"))
                    candidates.append((index, Block("figure", figure=figure)))
                    present_images.add(key)
    positions = [text_at.get(fold(b.plain)[:80]) if b.kind == "p" else None for b in blocks]
    known = [p for p in positions if p is not None]
    if not known or not candidates:
        return
    first, last = (title_at if title_at is not None else min(known)), max(known)
    inserts = [
        (index, block) for index, block in candidates
        if first < index < last and not press.is_clutter(block.plain)
        and not press.is_end_marker(block.plain)
    ]
    if not inserts:
        return
    merged: list[Block] = []
    pending = sorted(inserts, key=lambda item: item[0])
    for block, position in zip(blocks, positions, strict=True):
        while pending and position is not None and pending[0][0] < position:
            merged.append(pending.pop(0)[1])
        merged.append(block)
    merged += [block for _, block in pending]
    blocks[:] = merged


def _text_attr(element, name: str) -> str:
    return normalize(collapse(element.get(name) or ""))

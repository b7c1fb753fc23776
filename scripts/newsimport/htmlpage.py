"""A news article page (HTML) -> Article.

trafilatura finds the body; the page's own markup gives what Vietnamese press pages
carry beyond it: title, dateline, sapo (lede), byline, photo captions, site name.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from newsimport import clutter, press, textkey
from newsimport.article import Article, Block, Figure, NotAnArticle
from newsimport.fetch import decode
from newsimport.markdown import bold_texts, collapse, escape, html_to_blocks, strip_markdown
from newsimport.pagekind import find_teasers, list_page_reason, without_chrome_teasers
from newsimport.photos import tidy_photos
from newsimport.published import page_published
from newsimport.sanitize import sanitize_html
from newsimport.sites import SiteRule, SiteRules, SiteRulesError, load_site_rules
from newsimport.textkey import fold
from newsimport.urls import join_url, web_url
from vntext import normalize

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
# Descriptions that are not the story's lede: author bios, the site's tagline, widgets.
_NOT_SAPO_CLASS = re.compile(
    r"author|\bbio|site-desc|tagline|widget|sidebar|footer|comment|relat|teaser", re.IGNORECASE
)
_HEADLINE_PLACE = re.compile(r"title|headline|article|post|entry|detail|story|content|main", re.IGNORECASE)
_CHROME_TAGS = {"header", "footer", "nav", "aside"}
# Link targets that lead nowhere ("javascript:void(0)", "no_script_;", "#"): text kept, link dropped.
_DEAD_LINK = re.compile(r"^\s*(?:javascript:|#|$)|no_?script", re.IGNORECASE)
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
            # A photo table: the caption cell, else (a table of one photo) the one cell of text.
            cells = [c for c in ancestor.iter("td", "p", "div", "span")
                     if next(c.iter("img"), None) is None and _text(c)]
            marked = [c for c in cells if _CAPTION_CLASS.search(c.get("class") or "")]
            if marked:
                return _text(marked[0])
            if sum(1 for _ in ancestor.iter("img")) != 1:
                return ""
            texts = {_text(c) for c in cells if c.tag == "td"} or {_text(c) for c in cells}
            return texts.pop() if len(texts) == 1 and len(next(iter(texts)).split()) <= 60 else ""
        if ancestor.tag in ("article", "body"):
            break
        sibling = ancestor.getnext()
        if sibling is not None and _CAPTION_CLASS.search(sibling.get("class") or ""):
            return _text(sibling)
    return ""


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(fold(name), name)
    return list(seen.values())


def _byline_names(element) -> list[str]:
    """Authors of a byline element; names in separate child elements stay separate
    ("<a>Nhật Xuân</a><a>Nghi Vũ</a>" is two people, not "Nhật Xuân Nghi Vũ")."""
    parts = [_text(child) for child in element if isinstance(child.tag, str) and child.tag != "br"]
    parts = [p for p in parts if p]
    if len(parts) >= 2:
        names = [press.parse_authors(p) for p in parts]
        if all(names):
            return [n for group in names for n in group]
    return press.parse_authors(_text(element))


def _names_the_site(heading) -> bool:
    """A heading linked to the site's home page is the site's name (a blog's <h1>)."""
    return any(urlsplit((link.get("href") or "").strip()).path in ("", "/")
               and (link.get("href") or "").strip() not in ("", "#")
               for link in heading.iter("a"))


def _speaks_of(description: str, story: str) -> bool:
    """Whether most words of a description occur in the story (a site's tagline does not)."""
    words = {w for w in re.findall(r"\w+", fold(description)) if len(w) >= 3}
    if not words:
        return False
    story_words = set(re.findall(r"\w+", fold(story)))
    return len(words & story_words) >= 0.4 * len(words)


class Page:
    """The parsed page and what its markup says about the story."""

    def __init__(
        self,
        document: str | bytes,
        url: str | None,
        charset: str | None = None,
        rules: SiteRules | None = None,
    ) -> None:
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
        # Only an http(s) address is the story's: a page may say `javascript:…` anywhere.
        canonical = self.tree.xpath('//link[@rel="canonical"]/@href')
        candidates = [*canonical[:1], self.meta.get("og:url"), url]
        self.canonical = next(
            (found for c in candidates if c and (found := web_url(join_url(url, c.strip())))), None
        )
        self.base = url or self.canonical
        self.rule: SiteRule | None = (rules or SiteRules()).for_host(self.host())
        self.hosts = tuple(h for h in {urlsplit(u or "").hostname for u in (url, self.canonical)} if h)
        drop = [element for selector in self.rule.drop for element in selector(self.tree)] if self.rule else []
        self.clutter_boxes = clutter.clutter_boxes(self.tree, drop, self.hosts, self.base or "")
        self._box_set = set(self.clutter_boxes)
        kept = self.rule.first("body", self.tree) if self.rule else []
        self.kept_body = kept[0] if kept else None

    # --- metadata ----------------------------------------------------------------------------

    def title(self) -> str:
        """The printed headline: the site's title element, else the article's h1 (even when
        og:title words it differently), else og:title, JSON-LD or <title>."""
        if self.rule:
            printed = [_text(e) for e in self.rule.first("title", self.tree)]
            if printed and printed[0]:
                return printed[0]
        heading = self._printed_headline()
        if heading:
            return heading
        if self.meta.get("og:title"):
            return normalize(collapse(self.meta["og:title"]))
        headline = self.article_ld.get("headline")
        if isinstance(headline, str) and headline.strip():
            return normalize(collapse(headline))
        title = _text(next(self.tree.iter("title"), None))
        return re.split(r"\s+[|–-]\s+", title)[0] if title else ""

    def _printed_headline(self) -> str | None:
        reference = set(fold(self.meta.get("og:title") or _text(next(self.tree.iter("title"), None))).split())
        publishers = {fold(n) for n in self.site_names()}
        candidates = []
        for h1 in self.tree.iter("h1"):
            text = _text(h1)
            if not 3 <= len(text.split()) <= 40 or fold(text) in publishers:
                continue
            if any(a.tag in _CHROME_TAGS for a in h1.iterancestors()) or _names_the_site(h1):
                continue
            words = fold(text).split()
            overlap = sum(w in reference for w in words) / len(words)
            placed = any(
                _HEADLINE_PLACE.search(" ".join((e.get("class") or "", e.get("itemprop") or "", e.get("id") or "")))
                for e in (h1, *h1.iterancestors())
            )
            candidates.append((overlap, placed, text))
        if not candidates:
            return None
        overlap, placed, text = max(candidates, key=lambda c: c[0])
        if overlap >= 0.5 or not reference or (len(candidates) == 1 and (placed or overlap >= 0.3)):
            return text
        return None

    def summary(self, body_text: str = "") -> str:
        """The sapo (lede) element's text, else the page's description when it speaks of
        the story (not the site's tagline); never a notice (paywall, app banner)."""
        if self.rule:
            for element in self.rule.first("sapo", self.tree):
                text = _text(element)
                if text and not press.is_notice(text):
                    return text
        for element in self.tree.iter("p", "div", "h2", "span", "strong"):
            if _SAPO_CLASS.search(element.get("class") or "") and not any(
                a.tag in ("figure", "table", "figcaption", *_CHROME_TAGS)
                or _NOT_SAPO_CLASS.search(a.get("class") or "")
                for a in (element, *element.iterancestors())
            ):
                text = _text(element)
                if len(text) >= 40 and not press.is_notice(text):
                    return text
        descriptions = [self.meta.get("og:description", ""), self.meta.get("description", "")]
        if isinstance(self.article_ld.get("description"), str):
            descriptions.append(self.article_ld["description"])
        for text in descriptions:
            text = normalize(collapse(text))
            if text and not press.is_notice(text) and (not body_text or _speaks_of(text, body_text)):
                return text
        return ""

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
        if self.rule and self.rule.name:
            return self.rule.name
        if dateline_name:
            return dateline_name
        names = self.site_names()
        return names[0] if names else (self.host() or None)

    def is_site_banner(self, text: str) -> bool:
        """A line that is only the site's name or address ("VnExpress", "Báo Tuổi Trẻ")."""
        folded = fold(text).strip(" .|-–")
        names = {fold(n) for n in self.site_names()} | {fold(self.host())}
        if self.rule and self.rule.name:
            names.add(fold(self.rule.name))
        return bool(folded) and len(folded.split()) <= 6 and folded in names - {""}

    def _is_publisher(self, name: str) -> bool:
        folded = fold(name)
        publishers = [fold(n) for n in self.site_names()]
        publishers += [fold(self.rule.name or "") if self.rule else "", fold(self.host())]
        return any(folded and p and (folded in p or p in folded) for p in publishers) or "." in name

    def authors_from_markup(self) -> list[str]:
        """Authors named by the site's byline elements, author markup, meta tags or JSON-LD."""
        if self.rule:
            found = [n for e in self.rule.first("authors", self.tree) for n in _byline_names(e)]
            if found:
                return _unique(found)
        for element in self.tree.iter("p", "div", "span", "a", "strong"):
            if element.get("itemprop") == "author" or _AUTHOR_CLASS.search(element.get("class") or ""):
                names = [n for n in _byline_names(element) if not self._is_publisher(n)]
                if names:
                    return _unique(names)
        candidates = [self.meta.get("author", ""), self.meta.get("article:author", "")]
        author = self.article_ld.get("author")
        people = [item for item in (author if isinstance(author, list) else [author])
                  if isinstance(item, dict) and "person" in _types(item)]
        if people:
            candidates = [str(item.get("name", "")) for item in people]
        names = []
        for candidate in candidates:
            candidate = normalize(collapse(candidate))
            if candidate and not candidate.startswith("http") and not self._is_publisher(candidate):
                names += press.parse_authors(candidate) or [press.title_case_name(candidate)]
        return _unique(names)

    def captions(self) -> dict[str, str]:
        captions: dict[str, str] = {}
        for img in self.tree.iter("img"):
            key = _image_key(_image_url(img))
            if key and key not in captions:
                caption = _caption_of(img)
                if caption:
                    captions[key] = caption
        return captions

    def in_clutter_box(self, element) -> bool:
        boxes = self._box_set
        return element in boxes or any(a in boxes for a in element.iterancestors())

    def drop_boxed(self, blocks: list[Block]) -> list[Block]:
        """Blocks (and list items) printed in a clutter box, or outside the site's body
        element when it has one, are not the story."""
        boxed = clutter.box_texts(self.clutter_boxes)
        body = fold(_text(self.kept_body)) if self.kept_body is not None else None
        kept = []
        for block in blocks:
            if block.kind == "figure":
                kept.append(block)
                continue
            if block.items:
                block.items = [i for i in block.items if fold(collapse(strip_markdown(i))) not in boxed]
                if not block.items:
                    continue
            plain = fold(collapse(block.plain))
            if plain in boxed or (body is not None and plain[:60] not in body):
                continue
            kept.append(block)
        return kept

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
                    if target and not _DEAD_LINK.search(target) and join_url(self.base, target):
                        element.set("href", join_url(self.base, target))
                elif tag == "graphic" and element.get("src"):
                    element.set("src", join_url(self.base, element.get("src")))
        body.tag = "div"
        return etree.tostring(body, encoding="unicode", method="html")


def extract_html_page(
    document: str | bytes,
    url: str | None,
    source: str,
    charset: str | None = None,
    rules: SiteRules | None = None,
) -> Article:
    """An article page, as received (bytes, with the HTTP header's charset if any).

    `rules` default to the project's content/data/sites.toml."""
    if not document.strip():
        raise NotAnArticle(f"{source}: trang trống")
    textkey.new_page()
    try:
        page = Page(document, url, charset, rules if rules is not None else load_site_rules())
    except (NotAnArticle, SiteRulesError) as error:
        raise NotAnArticle(f"{source}: {error}") from None
    title = page.title()  # may be empty: finish() then takes the first words of the text

    blocks = html_to_blocks(normalize(sanitize_html(page.body_html())), bold=bold_texts(page.tree))
    _restore_dropped(blocks, page, title)
    _attach_captions(blocks, page.captions())
    blocks = tidy_photos(blocks, page.tree, page.base)
    # A page that declares one article in JSON-LD is taken at its word; others are measured.
    teasers = [] if page.article_ld else find_teasers(page.tree, page.hosts)
    list_page = list_page_reason(teasers, blocks)
    if list_page:
        raise NotAnArticle(f"{source}: {list_page}")
    blocks = without_chrome_teasers(teasers, blocks)
    blocks = clutter.drop_clutter(page.drop_boxed(blocks), page.hosts)
    blocks = [b for b in blocks if b.kind == "figure" or not page.is_site_banner(b.plain)]
    story = "\n".join([title, *(b.plain for b in blocks)])
    summary, _abbr, dateline_name = press.split_dateline(page.summary(story))
    authors = _body_byline(blocks, page)
    return Article(
        title=title,
        date=page.date(),
        authors=authors or page.authors_from_markup(),
        summary=summary,
        source_url=page.canonical,
        source_name=page.source_name(dateline_name),
        blocks=blocks,
    )


def _body_byline(blocks: list[Block], page: Page) -> list[str]:
    """Authors printed in the body (at its end, or at its top), removed from the body.

    A site whose rule says `byline = "markup"` names them only in its byline element."""
    place = page.rule.byline if page.rule else None
    if place == "markup":
        return []
    authors = [] if place == "top" else clutter.take_tail(blocks)
    if not authors and place != "end":
        authors = clutter.take_head_byline(blocks)
    return [a for a in authors if not page._is_publisher(a)]


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
                    and not _in_clutter(element) and not page.in_clutter_box(element)):
                candidates.append((index, Block("h2" if tag == "h2" else "h3", escape(text))))
        elif tag == "img":
            url = _image_url(element)
            key = _image_key(url)
            if key and key not in present_images:
                in_figure = any(a.tag == "figure" for a in element.iterancestors())
                caption = _caption_of(element)
                if (caption or in_figure) and not _in_clutter(element) and not page.in_clutter_box(element):
                    figure = Figure(join_url(page.base, url) or None, caption, _text_attr(element, "alt"))
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

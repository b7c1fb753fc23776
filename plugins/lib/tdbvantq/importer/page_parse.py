"""An HTML page, parsed once: its tree, metadata tags, JSON-LD, addresses, the site's rule
and the boxes of the page that are not the story.

This is the first step of importing a page (parse -> metadata -> body): `parse_page`
gives a `Page` value that `page_meta` and `page_body` read and never change.
"""

from __future__ import annotations

import json
import re
from functools import cached_property
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from tdbvantq.importer import classwords, clutter
from tdbvantq.importer.article import NotAnArticle
from tdbvantq.importer.fetch import decode
from tdbvantq.importer.markdown import collapse
from tdbvantq.importer.sites import SiteRule, SiteRules
from tdbvantq.importer.steps import page_is_vietnamese
from tdbvantq.importer.trees import PAGE_PARSER
from tdbvantq.importer.urls import join_url, web_url
from tdbvantq.text import normalize

ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "opinionnewsarticle",
}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def text_of(element) -> str:
    """An element's visible text, spaces collapsed, NFC ("" for None)."""
    return normalize(collapse(element.text_content())) if element is not None else ""


def _meta_names(meta) -> list[str]:
    """The lowercased property/name/itemprop a <meta> is known by."""
    names = [(meta.get(attr) or "").strip().lower() for attr in ("property", "name", "itemprop")]
    return [name for name in names if name]


def meta_values(tree, key: str) -> list[str]:
    """Every value the page gives <meta> `key` (lowercased), in page order."""
    return [
        meta.get("content")
        for meta in tree.iter("meta")
        if meta.get("content") is not None and key in _meta_names(meta)
    ]


def read_meta(tree) -> dict[str, str]:
    """The page's <meta> values by lowercased property/name/itemprop (the first wins)."""
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        for name in _meta_names(meta):
            if name not in values:
                values[name] = content.strip()
    return values


# XHTML habits around a script's JSON: `<![CDATA[ … ]]>` (aclu.org), `<!-- … -->`, `//` before them.
_JSON_WRAPPER = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")
# Compiled once: `tree.xpath(text)` compiles its expression again at every page.
_JSON_LD_SCRIPTS = etree.XPath('//script[@type="application/ld+json"]')
_CANONICAL_LINKS = etree.XPath('//link[@rel="canonical"]/@href')


def read_json_ld(tree) -> list[dict]:
    """Every JSON-LD object of the page, @graph members included."""
    found: list[dict] = []
    for script in _JSON_LD_SCRIPTS(tree):
        try:
            data = json.loads(_JSON_WRAPPER.sub("", script.text or ""), strict=False)
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


def ld_types(item: dict) -> set[str]:
    kind = item.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


class Page:
    """The parsed page: `tree`, `meta`, `json_ld`, `article_ld`, `canonical`, `base`,
    `rule` (the site's sites.toml entry), `hosts`, `clutter_boxes`, `linked_parents`,
    `kept_body`, `vietnamese`."""

    def __init__(
        self,
        document: str | bytes,
        url: str | None,
        charset: str | None = None,
        rules: SiteRules | None = None,
    ) -> None:
        # Extraction reads the page as received; bytes only when no HTTP header overrides
        # the charset that the page itself declares.
        classwords.new_page()  # the class names of another page
        text = decode(document, charset) if isinstance(document, bytes) else document
        text = _XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1)  # lxml refuses it in text
        self.document = document if isinstance(document, bytes) and not charset else text
        self.text = text  # as parsed into `tree`
        try:
            self.tree = lxml_html.document_fromstring(text, parser=PAGE_PARSER)
        except (etree.ParserError, ValueError) as error:
            raise NotAnArticle(f"không phải trang HTML ({error})") from None
        # lxml.html builds a Python object (through a Python class lookup) for each element a
        # walk of the tree meets, and frees it after; the importer walks the page a dozen
        # times. Holding every element makes those walks reuse the objects built here.
        self._elements = list(self.tree.iter())
        self.meta = read_meta(self.tree)
        self.json_ld = read_json_ld(self.tree)
        self.article_ld = next((i for i in self.json_ld if ld_types(i) & ARTICLE_TYPES), {})
        # Only an http(s) address is the story's: a page may say `javascript:…` anywhere.
        canonical = _CANONICAL_LINKS(self.tree)
        candidates = [*canonical[:1], self.meta.get("og:url"), url]
        self.canonical = next(
            (found for c in candidates if c and (found := web_url(join_url(url, c.strip())))), None
        )
        self.base = url or self.canonical
        self.rule: SiteRule | None = (rules or SiteRules()).for_host(self.host())
        self.hosts = tuple(
            h for h in {urlsplit(u or "").hostname for u in (url, self.canonical)} if h
        )
        drop = (
            [element for selector in self.rule.drop for element in selector(self.tree)]
            if self.rule
            else []
        )
        linked: list = []
        self.clutter_boxes = clutter.clutter_boxes(
            self.tree, drop, self.hosts, self.base or "", linked, self.canonical or ""
        )
        # The <body>'s elements that may hold a run of teasers (pagekind.find_teasers), in
        # the page's order; None when the page has no <body> that the pass counted.
        self.linked_parents = linked[::-1] if self.tree.find("body") is not None else None
        self._box_set = set(self.clutter_boxes)
        kept = self.rule.first("body", self.tree) if self.rule else []
        self.kept_body = kept[0] if kept else None
        self.table_captions: dict = {}  # table -> its caption (page_body.caption_of)
        self.photo_captions: dict = {}  # <img> -> its caption (page_body.photo_caption)
        self.printed: str | None = None  # the text it prints (page_body.printed_text)
        # Notice phrases its headline says (press.notice_phrases): the story's subject.
        self.subject: frozenset[str] = frozenset()

    @cached_property
    def vietnamese(self) -> bool:
        """Whether the page is in Vietnamese (`steps.page_is_vietnamese`), read once."""
        return page_is_vietnamese(self.tree)

    def host(self) -> str:
        """The story's host without "www."."""
        host = urlsplit(self.canonical or "").hostname or ""
        return host[4:] if host.startswith("www.") else host

    def language(self) -> str:
        """The page's language code ("vi", "de"…; "" when it does not say)."""
        lang = (
            self.tree.get("lang") or self.meta.get("og:locale") or self.meta.get("language") or ""
        )
        return lang.strip().lower().replace("_", "-").split("-")[0]

    def in_clutter_box(self, element) -> bool:
        boxes = self._box_set
        return element in boxes or any(a in boxes for a in element.iterancestors())


def parse_page(
    document: str | bytes,
    url: str | None,
    charset: str | None = None,
    rules: SiteRules | None = None,
) -> Page:
    """The page parsed (NotAnArticle when it is not HTML)."""
    return Page(document, url, charset, rules)

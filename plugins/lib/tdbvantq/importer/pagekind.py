"""Is a page one article, or a list of them (home, section, tag, search pages)?

Decided from the page's structure, not from hints such as og:type: a list page is built
of teasers, runs of at least three sibling boxes of the same kind (not paragraphs) that
each hold a headline link to another page of the same site and little else. When the text
that extraction found starts in a teaser and lies mostly inside teasers, there is no article
on the page, only previews of other pages.

Two kinds of runs of headline links are not the page's list:
- links out to other sites: a post that gathers other sites' stories (a link roundup) is
  one article, whose sources they are;
- teasers in the page's chrome (aside, nav, header, footer, sidebars, widgets): the site's
  "latest posts" box beside the one article. When extraction took such a box for the story
  (the story itself is a photo, a file or a few words), its text is dropped, not the page.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from tdbvantq.importer.article import Block
from tdbvantq.importer.classwords import CaseBlind

MIN_TEASERS = 3  # sibling boxes of one kind
HEADLINE_WORDS = 4  # words in a link's text for it to read as a headline
TEASER_CHARS = 600  # a box holding more text than this is not a teaser
_HEADLINE_SHARE = 0.15  # of a teaser's text, in its headline link
_NOT_BOXES = {
    "p",
    "span",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "font",
    "br",
    "sup",
    "sub",
    "small",
    "code",
}
_TEASER_SHARE = 0.5  # of the extracted text, for the page to count as a list
_PREFIX = 60  # characters of a paragraph compared with teaser texts
_CHROME_TAGS = {"aside", "nav", "header", "footer"}
_CHROME_NAME = CaseBlind(r"sidebar|widget")


@dataclass(frozen=True)
class Teaser:
    text: str  # folded (_squeeze)
    chrome: bool  # printed in the page's chrome, not in its main part
    own: bool  # its headline links to a page of the same site


def _squeeze(text: str) -> str:
    # Cheap on purpose (every teaser of every page): case and spacing only.
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def same_site(href: str, hosts: tuple[str, ...]) -> bool:
    """Whether a link leads to a page of the site itself (relative links do)."""
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https"):
        return False
    host = (parts.hostname or "").removeprefix("www.")
    if not host or not hosts:
        return True
    return any(
        host == own or host.endswith("." + own) or own.endswith("." + host)
        for own in (h.removeprefix("www.") for h in hosts)
    )


def _headline_link(box) -> str | None:
    """The target of the box's headline link when the box is a teaser, else None."""
    if box.tag in _NOT_BOXES:
        return None
    if box.tag != "a" and next(box.iter("a"), None) is None:
        return None  # no link: no headline, whatever its text (not read: boxes can be large)
    text = len(box.text_content().strip())
    if text > TEASER_CHARS:
        return None
    for link in [box] if box.tag == "a" else box.iter("a"):
        href = (link.get("href") or "").strip()
        headline = link.text_content().strip()
        if (
            href
            and not href.startswith(("#", "javascript:"))
            and len(headline.split()) >= HEADLINE_WORDS
        ):
            return href if len(headline) >= _HEADLINE_SHARE * text else None
    return None


def _in_chrome(box) -> bool:
    return any(
        element.tag in _CHROME_TAGS
        or _CHROME_NAME.search(f"{element.get('class') or ''} {element.get('id') or ''}")
        for element in (box, *box.iterancestors())
    )


def _parents(tree, linked_parents: list | None):
    """(element, its children that could be teasers) for each element that may hold a run
    of teasers: every element with all its children, or, given the <body>'s own
    (`Page.linked_parents`, read in the link-box pass), those and every element outside the
    <body> with all its children. A run needs three boxes that each hold a headline link
    and little text, so no other element or child of the body can make one."""
    body = tree.find("body") if linked_parents is not None else None
    if body is None:
        return ((parent, parent) for parent in tree.iter())
    outside = [tree, *(e for child in tree if child is not body for e in child.iter())]
    return [*((parent, parent) for parent in outside), *linked_parents]


def find_teasers(
    tree, hosts: tuple[str, ...] = (), linked_parents: list | None = None
) -> list[Teaser]:
    """Every teaser box of the page. `hosts`: the page's own hosts (links elsewhere lead out);
    `linked_parents`: the page's, when it was parsed by `page_parse` (saves a walk)."""
    found: list[Teaser] = []
    for parent, children in _parents(tree, linked_parents):
        if len(children) < MIN_TEASERS:  # fewer children than a group needs (most elements)
            continue
        groups: dict[tuple[str, str], list] = defaultdict(list)
        for child in children:
            if isinstance(child.tag, str):
                groups[(child.tag, child.get("class") or "")].append(child)
        for members in groups.values():
            if len(members) < MIN_TEASERS:
                continue
            teasers = [(box, href) for box in members if (href := _headline_link(box))]
            if len(teasers) >= MIN_TEASERS:
                chrome = _in_chrome(parent)
                found.extend(
                    Teaser(_squeeze(box.text_content()), chrome, same_site(href, hosts))
                    for box, href in teasers
                )
    return found


def _texts(blocks: list[Block]) -> list[str]:
    return [text for text in (_squeeze(b.plain) for b in blocks if b.kind != "figure") if text]


def _mostly_inside(texts: list[str], teasers: list[str]) -> bool:
    """Whether the text starts in a teaser and lies mostly inside teasers."""

    def in_teaser(text: str) -> bool:
        return any(text[:_PREFIX] in teaser for teaser in teasers)

    # An article's own text comes first, even when related teasers follow it.
    if not texts or not in_teaser(texts[0]):
        return False
    inside = sum(len(text) for text in texts if in_teaser(text))
    return inside >= _TEASER_SHARE * sum(len(text) for text in texts)


def list_page_reason(teasers: list[Teaser], blocks: list[Block]) -> str | None:
    """Why the page is a list of stories rather than one, or None for an article."""
    main = [teaser.text for teaser in teasers if teaser.own and not teaser.chrome]
    if len(main) < MIN_TEASERS:
        return None
    texts = _texts(blocks)
    if texts and not _mostly_inside(texts, main):
        return None
    return (
        f"không phải trang bài viết: trang liệt kê {len(main)} tin (tiêu đề kèm liên kết), "
        "không có phần nội dung riêng — đây là trang chủ hoặc trang chuyên mục, hãy dùng địa chỉ của từng bài"
    )


def without_chrome_teasers(teasers: list[Teaser], blocks: list[Block]) -> list[Block]:
    """The blocks, less those printed in the chrome's teasers when extraction took such a
    box for the story (the text starts there and lies mostly there)."""
    chrome = [teaser.text for teaser in teasers if teaser.chrome]
    if len(chrome) < MIN_TEASERS or not _mostly_inside(_texts(blocks), chrome):
        return blocks
    return [
        b
        for b in blocks
        if b.kind == "figure" or not any(_squeeze(b.plain)[:_PREFIX] in text for text in chrome)
    ]

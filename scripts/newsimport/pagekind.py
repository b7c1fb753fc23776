"""Is a page one article, or a list of them (home, section, tag, search pages)?

Decided from the page's structure, not from hints such as og:type: a list page is built
of teasers, runs of at least three sibling boxes of the same kind (not paragraphs) that
each hold a headline link and little else. When the text that extraction found starts in a teaser
and lies mostly inside teasers, there is no article on the page, only previews of other
pages.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

from newsimport.article import Block

MIN_TEASERS = 3  # sibling boxes of one kind
_HEADLINE_WORDS = 4  # words in a link's text for it to read as a headline
_TEASER_CHARS = 600  # a box holding more text than this is not a teaser
_HEADLINE_SHARE = 0.15  # of a teaser's text, in its headline link
_NOT_BOXES = {"p", "span", "em", "strong", "b", "i", "u", "font", "br", "sup", "sub", "small", "code"}
_TEASER_SHARE = 0.5  # of the extracted text, for the page to count as a list
_PREFIX = 60  # characters of a paragraph compared with teaser texts


def _squeeze(text: str) -> str:
    # Cheap on purpose (every teaser of every page): case and spacing only.
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def _is_teaser(box) -> bool:
    if box.tag in _NOT_BOXES:
        return False
    text = len(box.text_content().strip())
    if text > _TEASER_CHARS:
        return False
    for link in [box] if box.tag == "a" else box.iter("a"):
        href = (link.get("href") or "").strip().lower()
        headline = link.text_content().strip()
        if href and not href.startswith(("#", "javascript:")) and len(headline.split()) >= _HEADLINE_WORDS:
            return len(headline) >= _HEADLINE_SHARE * text
    return False


def teaser_texts(tree) -> list[str]:
    """Folded texts of every teaser box of the page."""
    found: list[str] = []
    for parent in tree.iter():
        groups: dict[tuple[str, str], list] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str):
                groups[(child.tag, child.get("class") or "")].append(child)
        for members in groups.values():
            if len(members) < MIN_TEASERS:
                continue
            teasers = [box for box in members if _is_teaser(box)]
            if len(teasers) >= MIN_TEASERS:
                found.extend(_squeeze(box.text_content()) for box in teasers)
    return found


def list_page_reason(tree, blocks: list[Block]) -> str | None:
    """Why the page is a list of stories rather than one, or None for an article."""
    teasers = teaser_texts(tree)
    if len(teasers) < MIN_TEASERS:
        return None
    texts = [text for text in (_squeeze(b.plain) for b in blocks if b.kind != "figure") if text]

    def in_teaser(text: str) -> bool:
        return any(text[:_PREFIX] in teaser for teaser in teasers)

    # An article's own text comes first, even when related teasers follow it.
    if texts and not in_teaser(texts[0]):
        return None
    inside = sum(len(text) for text in texts if in_teaser(text))
    if texts and inside < _TEASER_SHARE * sum(len(text) for text in texts):
        return None
    return (
        f"không phải trang bài viết: trang liệt kê {len(teasers)} tin (tiêu đề kèm liên kết), "
        "không có phần nội dung riêng — đây là trang chủ hoặc trang chuyên mục, hãy dùng địa chỉ của từng bài"
    )

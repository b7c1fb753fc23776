"""Clutter in an extracted body, recognised by its shape rather than by page.

- Link-dense blocks: a list, heading or short paragraph that is mostly link text is a
  related-stories list, a menu, a tag cloud or a teaser, never the story's own text.
- Notices (paywall, app, newsletter, share/copy buttons): press.is_notice.
- The tail: after the last paragraph of the story come bylines (taken as the authors),
  related headlines and widget words; they are stripped from the end.
- The head: a byline printed before the first paragraph is taken as the authors.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from newsimport import press
from newsimport.article import Block
from newsimport.markdown import strip_markdown

_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(([^)]*)\)")
# A block whose text is at least this much link text is navigation.
_LINK_DENSE = 0.6
_TEASER_MAX_WORDS = 25
_TAIL_LOOKBACK = 4


def link_share(block: Block) -> float:
    """Share of the block's visible text that is inside links."""
    parts = block.items or ([block.text] if block.text else [])
    if block.cells:
        parts = [cell for row in block.cells for cell in row]
    total = linked = 0
    for part in parts:
        total += len(strip_markdown(part).strip())
        linked += sum(len(strip_markdown(m[1]).strip()) for m in _LINK.finditer(part))
    return linked / total if total else 0.0


def same_site(href: str, hosts: tuple[str, ...]) -> bool:
    """A link to the page's own site (any of its `hosts`: where it was fetched, its canonical
    address): where related stories, menus and tags point."""
    target = (urlsplit(href).hostname or "").removeprefix("www.")
    if not target:
        return True
    for host in hosts:
        host = host.removeprefix("www.")
        if host and (target == host or target.endswith("." + host) or host.endswith("." + target)):
            return True
    return False


def _internal_share(block: Block, hosts: tuple[str, ...]) -> float:
    parts = block.items or [block.text]
    hrefs = [m[2] for part in parts for m in _LINK.finditer(part)]
    return sum(same_site(h, hosts) for h in hrefs) / len(hrefs) if hrefs else 0.0


def is_link_clutter(block: Block, hosts: tuple[str, ...] = ()) -> bool:
    """Lists and headings that are mostly links to the site's own pages; short paragraphs
    that are only such a link. (Links out to other sites are the story's sources.)"""
    if block.kind == "figure":
        return False
    share = link_share(block)
    if share and hosts and _internal_share(block, hosts) < 0.5:
        return False
    if block.kind in ("ul", "ol", "h2", "h3", "table"):
        return share >= _LINK_DENSE
    plain = block.plain
    return (
        share >= 0.9
        and len(plain.split()) <= _TEASER_MAX_WORDS
        and not press.has_terminal_punctuation(plain)
    )


def drop_clutter(blocks: list[Block], hosts: tuple[str, ...] = ()) -> list[Block]:
    """Blocks without link-dense boxes and notices; `hosts` are the page's site."""
    kept = []
    for block in blocks:
        if block.kind != "figure" and (
            is_link_clutter(block, hosts) or press.is_notice(block.plain)
            or (press.is_related_pointer(block.plain) and link_share(block) >= 0.5)
            or not any(c.isalnum() for c in block.plain)  # separators: "|", "***"
        ):
            continue
        kept.append(block)
    return kept


def _is_headline(block: Block) -> bool:
    """A line printed like a story title: short, capitalised, no closing punctuation."""
    if block.kind in ("h2", "h3"):
        return True
    plain = block.plain
    return (
        block.kind == "p"
        and press.heading_like(plain)
        and not press.paragraph_like(plain)
        and not any(c.isdigit() or c == ":" for c in plain)  # contacts, notes, datelines stay
    )


def take_tail(blocks: list[Block]) -> list[str]:
    """Strip bylines, related headlines and widget words from the end of the body.

    Returns the authors of the bylines found there ([] if none), each separately. Only the last few blocks
    are looked at, and a block of story text (a paragraph ending a sentence) stops the walk.
    """
    authors: list[str] = []
    looked = 0
    while blocks and looked < _TAIL_LOOKBACK:
        last = blocks[-1]
        if last.kind == "figure":
            break
        looked += 1
        names = press.parse_authors(last.plain) if last.kind == "p" else []
        if names:
            authors = names + [a for a in authors if a not in names]  # bylines on several lines
        elif not (_is_headline(last) or press.is_clutter(last.plain) or press.is_notice(last.plain)):
            break
        blocks.pop()
    return authors


def take_head_byline(blocks: list[Block]) -> list[str]:
    """Authors of a byline printed before the story's first paragraph ([] if none).

    Only explicit bylines count here ("Bài: ...", "Theo ...", "(tổng hợp)", names in capitals),
    since a story may open with a short line that merely looks like a name.
    """
    for index, block in enumerate(blocks[:2]):
        if block.kind != "p":
            continue
        plain = block.plain.strip()
        names = press.parse_authors(plain)
        explicit = names and (plain.isupper() or not press.looks_like_name(plain))
        if explicit:
            del blocks[index]
            return names
        return []
    return []

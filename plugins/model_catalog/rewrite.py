"""Rewrite an article's HTML: link the first mention of each model, mark acronyms.

Only text nodes are touched, so attributes never change; text inside links,
headings, code and existing <abbr> is left alone (no link inside a link, no
link in a heading).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

from model_catalog.matcher import ModelMatcher
from vntext import Glossary, normalize

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
NEVER = frozenset({"a", "abbr", "script", "style", "code", "pre", "textarea", "button", "svg"})


def _text_nodes(soup: BeautifulSoup, skip: frozenset[str]) -> list[NavigableString]:
    nodes = []
    for node in soup.find_all(string=True):
        if isinstance(node, Comment | Doctype | ProcessingInstruction):
            continue
        if any(parent.name in skip for parent in node.parents if isinstance(parent, Tag)):
            continue
        nodes.append(node)
    return nodes


def _replace(node: NavigableString, pieces: list[tuple[int, int, Tag]]) -> None:
    """Replace spans of a text node by tags; `pieces` are sorted, non-overlapping."""
    text = str(node)
    parts: list[NavigableString | Tag] = []
    cursor = 0
    for start, end, tag in pieces:
        if start > cursor:
            parts.append(NavigableString(text[cursor:start]))
        parts.append(tag)
        cursor = end
    if cursor < len(text):
        parts.append(NavigableString(text[cursor:]))
    node.replace_with(*parts)


def link_models(
    soup: BeautifulSoup,
    matcher: ModelMatcher,
    href_for: Callable[[str], str],
    expected: dict[str, set[str]] | None = None,
) -> list[str]:
    """Link the first mention of each model; returns the slugs linked, in order.

    `expected` (slug -> mentions as found in the normalized text) saves work:
    only text nodes holding one of those mentions are tokenized, and the walk
    stops once every expected model is linked.
    """
    linked: list[str] = []
    for node in _text_nodes(soup, NEVER | HEADINGS):
        if expected is not None:
            pending = [texts for slug, texts in expected.items() if slug not in linked]
            if not pending:
                break
            text = normalize(str(node))
            if not any(mention in text for texts in pending for mention in texts):
                continue
        pieces = []
        for match in matcher.find(str(node)):
            if match.slug in linked:
                continue
            linked.append(match.slug)
            tag = soup.new_tag("a", href=href_for(match.slug))
            tag["class"] = "model-link"
            tag["data-model"] = match.slug
            tag.string = match.text
            pieces.append((match.start, match.end, tag))
        if pieces:
            _replace(node, pieces)
    return linked


def mark_acronyms(soup: BeautifulSoup, glossary: Glossary) -> list[str]:
    """Wrap the first occurrence of each glossary acronym in <abbr title="…">."""
    titles = {normalize(acronym): expansions[0] for acronym, expansions in glossary.entries.items()}
    if not titles:
        return []
    # Whole words only: "ANTT" but not the "ANTT" inside "TDBVANTQ".
    pattern = re.compile(
        r"(?<![^\W_])(" + "|".join(map(re.escape, sorted(titles, key=len, reverse=True))) + r")(?![^\W_])"
    )
    done: list[str] = []
    for node in _text_nodes(soup, NEVER):
        if len(done) == len(titles):
            break
        pieces = []
        for found in pattern.finditer(str(node)):
            acronym = found.group(1)
            if acronym in done:
                continue
            done.append(acronym)
            tag = soup.new_tag("abbr", title=titles[acronym])
            tag.string = acronym
            pieces.append((found.start(), found.end(), tag))
        if pieces:
            _replace(node, pieces)
    return done


def rewrite_article_html(
    html: str,
    matcher: ModelMatcher,
    href_for: Callable[[str], str],
    glossary: Glossary | None = None,
    expected: dict[str, set[str]] | None = None,
) -> tuple[str, list[str]]:
    """The rewritten HTML and the slugs of the models linked in it."""
    soup = BeautifulSoup(html, "html.parser")
    linked = link_models(soup, matcher, href_for, expected)
    marked = mark_acronyms(soup, glossary) if glossary is not None and len(glossary) else []
    if not linked and not marked:
        return html, []
    return str(soup), linked

"""Rewrite an article's HTML: link the first mention of each model, mark acronyms.

Only text between tags is touched, so attributes never change; text inside
links, headings, code and existing <abbr> is left alone (no link inside a
link, no link in a heading). The HTML is not parsed into a tree: one regex
splits it into tags and text, a counter per skipped element says whether a
text is inside one, and everything not rewritten is kept byte for byte.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterator

from model_catalog.matcher import ModelMatcher
from tdbvantq.text import Glossary, normalize

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
NEVER = frozenset({"a", "abbr", "script", "style", "code", "pre", "textarea", "button", "svg"})
# Comments, CDATA, raw-text elements (kept whole), tags, and the text between them.
_PIECES = re.compile(
    r"<!--.*?(?:-->|$)|<!\[CDATA\[.*?(?:\]\]>|$)"
    r"|<(script|style|textarea)\b[^>]*>.*?(?:</\1\s*>|$)"
    r"|<[^>]*>?|[^<]+",
    re.DOTALL | re.IGNORECASE,
)
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)")


class _Piece:
    """A text between tags: what it says, and what goes out in its place."""

    def __init__(self, raw: str, skip_links: bool, skip_abbr: bool) -> None:
        self.raw = raw
        self.text = html.unescape(raw) if "&" in raw else raw
        self.skip_links = skip_links  # inside a link, heading, code…
        self.skip_abbr = skip_abbr  # inside a link, code… (headings allowed)
        self.spans: list[tuple[int, int, str]] = []  # (start, end, tag HTML) in self.text

    def html(self) -> str:
        if not self.spans:
            return self.raw
        parts, cursor = [], 0
        for start, end, tag in sorted(self.spans):
            parts += [html.escape(self.text[cursor:start], quote=False), tag]
            cursor = end
        parts.append(html.escape(self.text[cursor:], quote=False))
        return "".join(parts)

    def free(self, start: int, end: int) -> bool:
        """No link or abbr already covers any of text[start:end]."""
        return all(end <= s or start >= e for s, e, _ in self.spans)


def _split(source: str) -> Iterator[str | _Piece]:
    """Tags as strings, texts as _Piece, in document order."""
    depth: dict[str, int] = {}
    for found in _PIECES.finditer(source):
        piece = found.group()
        if not piece.startswith("<"):
            inside = {name for name, count in depth.items() if count > 0}
            yield _Piece(piece, bool(inside & (NEVER | HEADINGS)), bool(inside & NEVER))
            continue
        yield piece
        tag = _TAG_NAME.match(piece)
        if tag is None or found.group(1) or piece.endswith("/>"):
            continue
        name = tag.group(2).lower()
        if name in NEVER or name in HEADINGS:
            depth[name] = max(0, depth.get(name, 0) + (-1 if tag.group(1) else 1))


def link_models(
    pieces: list[str | _Piece],
    matcher: ModelMatcher,
    href_for: Callable[[str], str],
    expected: dict[str, set[str]] | None = None,
) -> list[str]:
    """Link the first mention of each model; returns the slugs linked, in order.

    `expected` (slug -> mentions as found in the article's NFC text) saves
    work: only texts holding one of those mentions are searched, and the walk
    stops once every expected model is linked.
    """
    linked: list[str] = []
    for piece in pieces:
        if isinstance(piece, str) or piece.skip_links:
            continue
        if expected is not None:
            pending = [texts for slug, texts in expected.items() if slug not in linked]
            if not pending:
                break
            text = unicodedata.normalize("NFC", piece.text)
            if not any(mention in text for texts in pending for mention in texts):
                continue
        for match in matcher.find(piece.text):
            if match.slug in linked:
                continue
            linked.append(match.slug)
            tag = (
                f'<a href="{html.escape(href_for(match.slug))}" class="model-link" '
                f'data-model="{html.escape(match.slug)}">{html.escape(match.text, quote=False)}</a>'
            )
            piece.spans.append((match.start, match.end, tag))
    return linked


class Acronyms:
    """A glossary's acronyms, compiled once per build: acronym -> <abbr> title."""

    def __init__(self, glossary: Glossary) -> None:
        self.titles = {normalize(a): expansions[0] for a, expansions in glossary.entries.items()}
        # Whole words only: "ANTT" but not the "ANTT" inside "TDBVANTQ". Each
        # branch starts with a literal letter (fast scanning); the word boundary
        # before it is checked once that letter is read.
        by_letter: dict[str, list[str]] = {}
        for acronym in sorted(self.titles, key=len, reverse=True):
            by_letter.setdefault(acronym[0], []).append(re.escape(acronym[1:]))
        self.pattern = re.compile(
            "|".join(
                rf"{re.escape(letter)}(?<![^\W_].)(?:{'|'.join(rests)})(?![^\W_])"
                for letter, rests in by_letter.items()
            )
        )

    def __len__(self) -> int:
        return len(self.titles)


def mark_acronyms(pieces: list[str | _Piece], acronyms: Acronyms) -> list[str]:
    """Wrap the first occurrence of each glossary acronym in <abbr title="…">."""
    done: list[str] = []
    for piece in pieces:
        if len(done) == len(acronyms):
            break
        if isinstance(piece, str) or piece.skip_abbr:
            continue
        for found in acronyms.pattern.finditer(piece.text):
            acronym = found.group()
            if acronym in done or not piece.free(found.start(), found.end()):
                continue  # text inside a new model link is inside a link
            done.append(acronym)
            title = html.escape(acronyms.titles[acronym])
            tag = f'<abbr title="{title}">{html.escape(acronym, quote=False)}</abbr>'
            piece.spans.append((found.start(), found.end(), tag))
    return done


def rewrite_article_html(
    source: str,
    matcher: ModelMatcher,
    href_for: Callable[[str], str],
    acronyms: Acronyms | None = None,
    expected: dict[str, set[str]] | None = None,
) -> tuple[str, list[str]]:
    """The rewritten HTML and the slugs of the models linked in it."""
    if expected == {} and not (acronyms and acronyms.pattern.search(source)):
        return source, []  # nothing to link, no acronym anywhere: leave the HTML alone
    pieces = list(_split(source))
    linked = link_models(pieces, matcher, href_for, expected)
    marked = mark_acronyms(pieces, acronyms) if acronyms else []
    if not linked and not marked:
        return source, []
    return "".join(p if isinstance(p, str) else p.html() for p in pieces), linked

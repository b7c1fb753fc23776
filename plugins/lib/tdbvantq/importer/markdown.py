"""Sanitized HTML -> body blocks -> Markdown. A small converter over lxml's tree.

Only what survives the sanitizer (sanitize.ALLOWED_TAGS) is handled; anything else
contributes its text only.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection

from lxml import html as lxml_html

from tdbvantq.importer.article import Block, Figure
from tdbvantq.importer.plaintext import collapse, strip_markdown  # noqa: F401 - re-exported (callers import it from here)
from tdbvantq.importer.textkey import fold
from tdbvantq.importer.urls import link_href, web_url

# Escaped everywhere: the characters that open inline markup, and "{" / "}", which would
# otherwise end a block with an attribute list ("{: onfocus=… autofocus }").
_ESCAPE_INLINE = re.compile(r"([\\`*_\[\]{}])")
# Text that would start a block where it stands at the start of a line: headings, quotes,
# lists, rules, setext underlines, fences, definition lists, tables. Python-Markdown knows a
# backslash escape for some; the others are written as numeric character references.
_LINE_START = re.compile(r"^(\s*)(#|>|\+(?=\s)|-(?=\s|-|$)|:(?=\s)|~(?=~~)|\|)")
_NUMBERED = re.compile(r"^(\s*\d+)(\.)(?=\s|$)")
_LINE_START_ENTITIES = {":": "&#58;", "~": "&#126;", "|": "&#124;"}
# C0/C1 control characters other than tab and newline: Word's Shift+Enter (U+000B), NUL, ESC.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")
# "javascript:" in text is text, yet a colon after a script scheme is written as a character
# reference: line-based checks (strict_content) and anyone reading the file see no address.
SCRIPT_SCHEME = re.compile(r"\b(javascript|vbscript|livescript|data)(\s*):", re.IGNORECASE)
# The label of a photo kept as a link to its source (contentcheck.remote_photos finds it).
PHOTO_LINK_LABEL = "Ảnh gốc"
_TRAILING_HASHES = re.compile(r"(?<!\\)#+\s*$")
_BLOCK_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "blockquote",
    "figure",
    "img",
    "table",
    "div",
    "section",
    "article",
    "pre",
}


def escape(text: str) -> str:
    """Plain text -> Markdown that renders as exactly that text (no HTML, no markup).

    "&" and "<" become character references, so no tag, comment, entity or autolink
    ("<javascript:…>") can come out of text; "[" and "]" are escaped, so no link, image or
    reference definition ("[r]: javascript:…") either."""
    text = _CONTROL.sub("", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _ESCAPE_INLINE.sub(r"\\\1", text)
    text = SCRIPT_SCHEME.sub(r"\1\2&#58;", text)
    return guard_line_start(text)


def guard_line_start(markdown: str) -> str:
    """`markdown` (inline Markdown) with a first character that would open a block escaped:
    "# …", "> …", "- …", "1. …", "---", "~~~", ": …" stay text."""

    def entity(char: str) -> str:
        return _LINE_START_ENTITIES.get(char, "\\" + char)

    markdown = _LINE_START.sub(lambda m: m[1] + entity(m[2]), markdown)
    return _NUMBERED.sub(lambda m: m[1] + entity(m[2]), markdown)


# --- HTML tree -> blocks ------------------------------------------------------------------------


def _inline(element, out: list[str]) -> None:
    """Append the inline Markdown of `element`'s content (not its tail) to out."""
    if element.text:
        out.append(escape(element.text))
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        inner: list[str] = []
        _inline(child, inner)
        content = "".join(inner)
        if tag in ("strong", "b") and content.strip():
            out.append(_wrap(content, "**"))
        elif tag in ("em", "i") and content.strip():
            out.append(_wrap(content, "*"))
        elif tag == "a" and child.get("href") and content.strip():
            out.append(_link(content, child.get("href")))
        elif tag == "br":
            out.append(" ")
        else:
            out.append(content)
        if child.tail:
            out.append(escape(child.tail))


def _link(content: str, href: str) -> str:
    """[text](href), keeping the spaces that stood inside the link outside it ("về [X] của").

    A link to anything but http(s), mailto, tel or a relative address is its text alone."""
    href = link_href(href)
    if href is None:
        return content
    lead = " " if content[:1].isspace() else ""
    trail = " " if content[-1:].isspace() else ""
    return f"{lead}[{collapse(content)}]({href}){trail}"


def _wrap(content: str, mark: str) -> str:
    stripped = collapse(content)
    lead = " " if content[:1].isspace() else ""
    trail = " " if content[-1:].isspace() else ""
    return f"{lead}{mark}{stripped}{mark}{trail}"


def inline_markdown(element) -> str:
    out: list[str] = []
    _inline(element, out)
    return collapse("".join(out))


_ITEM_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"})


def _item_markdown(item) -> str:
    """A list item's inline Markdown; paragraphs and headings inside it stay apart ("Tiêu đề
    qua Báo", a card's "WebIDE" heading over "Develop, deploy…"), not glued into one word."""
    for child in item:
        if child.tag in _ITEM_BLOCKS:
            child.tail = " " + (child.tail or "")
    return inline_markdown(item)


def _figure_from(element) -> Figure | None:
    img = element if element.tag == "img" else next(element.iter("img"), None)
    if img is None or not img.get("src"):
        return None
    caption = ""
    figcaption = next(element.iter("figcaption"), None) if element.tag != "img" else None
    if figcaption is not None:
        caption = collapse(figcaption.text_content())
    return Figure(src=img.get("src"), caption=caption, alt=collapse(img.get("alt") or ""))


def bold_texts(tree) -> frozenset[str]:
    """The folded texts of the page's bold italic elements (<strong>/<b> with <em>/<i>), for
    html_to_blocks.

    trafilatura keeps one mark of nested emphasis: a subhead written
    `<strong><em>…</em></strong>` reaches us as `<em>…</em>`, which reads like a caption."""
    found = set()
    for element in tree.iter("strong", "b"):
        nested = next(element.iter("em", "i"), None) is not None or any(
            a.tag in ("em", "i") for a in element.iterancestors()
        )
        if not nested:  # only bold that is also italic: what the extraction loses
            continue
        text = collapse(element.text_content())  # read only then: most bold is not italic
        if text:
            found.add(fold(text))
    return frozenset(found)


def _restore_bold(root, bold: Collection[str]) -> None:
    """An italic run that the page printed in bold too becomes bold italic again."""
    for element in list(root.iter("em", "i")):
        if any(a.tag in ("strong", "b") for a in element.iterancestors()):
            continue
        if next(element.iter("strong", "b"), None) is not None:
            continue
        text = collapse(element.text_content())
        if not text or fold(text) not in bold:
            continue
        inner = lxml_html.Element("em")
        inner.text, element.text = element.text, None
        for child in list(element):
            inner.append(child)
        element.tag = "strong"
        element.append(inner)


def html_to_blocks(fragment: str, bold: Collection[str] = frozenset()) -> list[Block]:
    """Sanitized HTML fragment -> blocks, in document order. `bold`: bold_texts() of the
    page the fragment was extracted from (emphasis the extraction dropped)."""
    if not fragment.strip():
        return []
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    if bold:
        _restore_bold(root, bold)
    blocks: list[Block] = []
    _walk(root, blocks)
    return [
        block
        for block in blocks
        if block.kind == "figure" or block.text or block.items or block.cells
    ]


def _walk(container, blocks: list[Block]) -> None:
    pending: list[str] = []  # loose inline content between blocks

    def flush() -> None:
        text = collapse("".join(pending))
        pending.clear()
        if text:
            blocks.append(Block("p", text))

    if container.text:
        pending.append(escape(container.text))
    for child in container:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag not in _BLOCK_TAGS and not (tag == "div" or tag == "li"):
            inner: list[str] = []
            _inline(child, inner)
            content = "".join(inner)
            if tag in ("strong", "b") and content.strip():
                content = _wrap(content, "**")
            elif tag in ("em", "i") and content.strip():
                content = _wrap(content, "*")
            elif tag == "a" and child.get("href") and content.strip():
                content = _link(content, child.get("href"))
            elif tag == "br":
                # A line break between loose lines (a code block's lines: "// add.c<br>#include")
                # parts two words, as it does inside a paragraph.
                content = " "
            pending.append(content)
            if child.tail:
                pending.append(escape(child.tail))
            continue
        flush()
        if tag == "p":
            if next(child.iter("img"), None) is not None:
                _walk(child, blocks)
            else:
                blocks.append(Block("p", inline_markdown(child)))
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            level = "h2" if tag in ("h1", "h2") else "h3"
            blocks.append(Block(level, inline_markdown(child)))
        elif tag in ("ul", "ol"):
            items = [_item_markdown(li) for li in child if li.tag == "li"]
            blocks.append(Block(tag, items=[item for item in items if item]))
        elif tag == "blockquote":
            blocks.append(Block("quote", inline_markdown(child)))
        elif tag in ("figure", "img"):
            figure = _figure_from(child)
            if figure:
                blocks.append(Block("figure", figure=figure))
            elif tag == "figure":
                _walk(child, blocks)
        elif tag == "table" and next(child.iter("img"), None) is not None:
            # A layout table holding a photo (and its caption cell): read it cell by cell.
            for cell in child.iter("td", "th"):
                _walk(cell, blocks)
        elif tag == "table":
            _table(child, blocks)
        else:
            _walk(child, blocks)
        if child.tail:
            pending.append(escape(child.tail))
    flush()


def _table(table, blocks: list[Block]) -> None:
    """A data table (2+ rows of 2+ columns) stays a table; a box drawn with a table (one
    row or one column: a recap, a quote, a note) becomes the paragraphs it holds."""
    rows = [[cell for cell in row if cell.tag in ("td", "th")] for row in table.iter("tr")]
    rows = [row for row in rows if row]
    widths = {len(row) for row in rows}
    if len(rows) >= 2 and max(widths, default=0) >= 2:
        width = max(widths)
        cells = [
            [inline_markdown(cell) for cell in row] + [""] * (width - len(row)) for row in rows
        ]
        blocks.append(Block("table", cells=cells))
        return
    for row in rows:
        for cell in row:
            _walk(cell, blocks)


def table_markdown(cells: list[list[str]]) -> str:
    """Python-Markdown's table syntax (the `extra` extension Pelican enables by default);
    the first row is the header row."""

    def line(row: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") or " " for cell in row) + " |"

    head, *rest = cells
    return "\n".join([line(head), "|" + "---|" * len(head), *(line(row) for row in rest)])


# --- blocks -> Markdown -------------------------------------------------------------------------


def figure_markdown(figure: Figure) -> str:
    caption = collapse(_CONTROL.sub("", figure.caption))
    if figure.local:
        alt = _html_text(figure.alt or caption).replace("=", "&#61;").replace(":", "&#58;")
        parts = [f'<figure>\n<img src="{{static}}/{figure.local}" alt="{alt}">']
        if caption:
            parts.append(f"<figcaption>{_html_text(caption)}</figcaption>")
        parts.append("</figure>")
        return "\n".join(parts)
    source = web_url(figure.src)
    if source:
        # Not downloaded (no network, or the server refused): the photo stays a link to its
        # source address, its caption on the next line of the same paragraph, so the caption
        # never stands alone. A link, not an embedded image: a published page never loads
        # anything from another site (a server may refuse the importer yet serve readers a
        # tracking pixel). `make check` lists it and `make fix` downloads it.
        label = f"{PHOTO_LINK_LABEL}: {escape(figure.alt)}" if figure.alt else PHOTO_LINK_LABEL
        link = f"[{label}]({link_href(source)})"
        return f"{link}\n*{escape(caption)}*" if caption else link
    # No photo at all: nothing (a caption never stands alone; finish.take_lead_photo has
    # already kept the caption as text when it is the story's, photos.without_lone_captions).
    return ""


def _heading_text(text: str) -> str:
    """A heading's text; "#"s at its end would be read as the heading's closing marks."""
    return _TRAILING_HASHES.sub(lambda m: m[0].replace("#", "\\#"), text)


def _html_text(text: str) -> str:
    """Text for the raw HTML of a figure (Markdown leaves it as it is): escaped as HTML."""
    text = html.escape(collapse(_CONTROL.sub("", text)), quote=True)
    return SCRIPT_SCHEME.sub(r"\1\2&#58;", text)


def blocks_to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if block.kind == "h2":
            out.append(f"## {_heading_text(block.text)}")
        elif block.kind == "h3":
            out.append(f"### {_heading_text(block.text)}")
        elif block.kind == "quote":
            out.append(f"> {guard_line_start(block.text)}")
        elif block.kind == "ul":
            out.append("\n".join(f"- {guard_line_start(item)}" for item in block.items))
        elif block.kind == "ol":
            out.append(
                "\n".join(f"{n}. {guard_line_start(item)}" for n, item in enumerate(block.items, 1))
            )
        elif block.kind == "table" and block.cells:
            out.append(table_markdown(block.cells))
        elif block.kind == "figure" and block.figure:
            rendered = figure_markdown(block.figure)
            if rendered:
                out.append(rendered)
        elif block.text:
            # Inline pieces escaped one by one can still meet at the start of a line ("1" + ". …").
            out.append(guard_line_start(block.text))
    return "\n\n".join(out) + "\n"

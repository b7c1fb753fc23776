"""Clutter in an extracted body, recognised by its shape rather than by page.

- Link-dense blocks: a list, heading or short paragraph that is mostly links to the site's
  own pages is a related-stories list, a menu, a tag cloud or a teaser, never the story's
  text (links out to other sites are the story's sources, and stay).
- Notices (paywall, app, newsletter, share/copy buttons): press.is_notice.
- Bylines (at the end or the top of the body) are `newsimport.bylines`'s.
- In the page itself: boxes made mostly of links to the site's own pages, whose texts are
  then dropped from the extracted body wherever trafilatura put them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lxml import etree

from tdbvantq.importer import press
from tdbvantq.importer.article import Block
from tdbvantq.importer.markdown import collapse, strip_markdown
from tdbvantq.importer.pagekind import MIN_TEASERS, TEASER_CHARS
from tdbvantq.importer.textkey import fold
from tdbvantq.importer.urls import join_url, plain_address

if TYPE_CHECKING:
    from tdbvantq.importer.page_parse import Page

# A link, or an escape: read left to right as strip_markdown reads the text, so that an escaped
# "\[" (code, "\[1\]" footnotes) never opens a link that would run to the next real one.
_LINK = re.compile(r"\\.|\[((?:\\.|[^\]\\])*)\]\(([^)]*)\)")
_PLAIN_LINK = re.compile(r"\[([^\]\\]*)\]\(([^)]*)\)")  # text without escapes: quicker


def _links(text: str) -> list[tuple[str, str]]:
    """The (text, target) of each Markdown link of inline Markdown."""
    if "\\" not in text:
        return _PLAIN_LINK.findall(text)
    return [(m[1], m[2]) for m in _LINK.finditer(text) if m[1] is not None]


# A block whose text is at least this much link text is navigation.
_LINK_DENSE = 0.6
_TEASER_MAX_WORDS = 25


def link_share(block: Block) -> float:
    """Share of the block's visible text that is inside links."""
    parts = block.items or ([block.text] if block.text else [])
    if block.cells:
        parts = [cell for row in block.cells for cell in row]
    total = linked = 0
    for part in parts:
        total += len(strip_markdown(part).strip())
        linked += sum(len(strip_markdown(label).strip()) for label, _href in _links(part))
    return linked / total if total else 0.0


def same_site(href: str, hosts: tuple[str, ...]) -> bool:
    """A link to the page's own site (any of its `hosts`: where it was fetched, its canonical
    address): where related stories, menus and tags point."""
    try:
        target = (urlsplit(href).hostname or "").removeprefix("www.")
    except ValueError:  # a malformed address ("http://[x]/") leads nowhere on the site
        return False
    if not href:
        return False
    return _on_site(target, hosts)


def _on_site(target: str, hosts: tuple[str, ...]) -> bool:
    """Whether a link's host (without "www.") is one of `hosts`, a subdomain or a parent."""
    if not target:
        return True
    for host in hosts:
        host = host.removeprefix("www.")
        if host and (target == host or target.endswith("." + host) or host.endswith("." + target)):
            return True
    return False


def _internal_share(block: Block, hosts: tuple[str, ...]) -> float:
    parts = block.items or [block.text]
    hrefs = [href for part in parts for _label, href in _links(part)]
    return sum(same_site(h, hosts) for h in hrefs) / len(hrefs) if hrefs else 0.0


def _into_page(href: str, own: tuple[str, ...]) -> bool:
    """A link to a place in the page itself: "#part", or one of the page's own addresses
    (`own`, without a trailing "/") followed by "#part"."""
    address, mark, part = href.partition("#")
    return bool(mark and part) and (not address or address.rstrip("/") in own)


def own_addresses(page: Page) -> tuple[str, ...]:
    """The page's addresses (where it was fetched, its canonical one), without a trailing
    "/", and their site's root: trafilatura resolves an in-page link "#part" against the
    site's root ("https://site.example#part")."""
    found = set()
    for address in (page.base, page.canonical):
        parts = urlsplit(address or "")
        if parts.netloc:
            found |= {address.rstrip("/"), f"{parts.scheme}://{parts.netloc}"}
    return tuple(sorted(found))


def is_section_anchor(block: Block, own: tuple[str, ...]) -> bool:
    """A heading whose links all lead to a place in its own page: documentation and blogs
    link each section's heading to itself (`<h2 id="x"><a href="#x">…`), a related box's
    headlines lead to other pages. A list of such links is the page's table of contents
    (its subheads), which leads to no other page either."""
    if block.kind in ("h2", "h3"):
        parts = [block.text]
    elif block.kind in ("ul", "ol"):
        parts = block.items
    else:
        return False
    hrefs = [href.strip() for part in parts for _label, href in _links(part)]
    return bool(hrefs) and all(_into_page(href, own) for href in hrefs)


def is_link_clutter(block: Block, hosts: tuple[str, ...] = (), own: tuple[str, ...] = ()) -> bool:
    """Lists and headings that are mostly links to the site's own pages; short paragraphs
    that are only such a link. (Links out to other sites are the story's sources; a heading
    that links to its own section is the page's structure.) `own`: the page's addresses."""
    if block.kind == "figure" or is_section_anchor(block, own):
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


_SECTION_WORDS = 60  # a paragraph this long is the story's, never a teaser's excerpt
_SECTIONS = 3


def _section_headings(blocks: list[Block]) -> set[int]:
    """Linked headings that each open a long paragraph of the story, when the story has a
    series of them: a list article's sections ("21) [Star Wars: The Last Jedi](review)",
    then its text), not a related-stories box (whose headlines have short excerpts or none)."""
    found = set()
    for i, block in enumerate(blocks):
        if block.kind not in ("h2", "h3") or not link_share(block):
            continue
        after = next((b for b in blocks[i + 1 :] if b.kind != "figure"), None)
        if (
            after is not None
            and after.kind == "p"
            and len(after.plain.split()) >= _SECTION_WORDS
            and link_share(after) < 0.3
        ):
            found.add(i)
    return found if len(found) >= _SECTIONS else set()


def _chars(block: Block) -> int:
    return 0 if block.kind == "figure" else len("".join(block.plain.split()))


_LEADING_CHARS = 250  # before a list page's first teaser (spaces not counted): a title, a date
_TEASERS_SHARE = 0.5  # of the text, in teasers, for the teasers to be the page's content


def _teaser_headings(blocks: list[Block], hosts: tuple[str, ...], own: tuple[str, ...]) -> set[int]:
    """Linked headings of teasers that are the page's own content: a section or category
    page (a blog's index, a shop's grid) that prints a headline link (h2/h3) over a short
    excerpt, a date, a price, again and again. When such teasers start the text and hold
    most of it, they are what the page is (pagekind's rule for a list of stories, which a
    page passes when its teasers are no boxes of the same kind), not a related box beside a
    story, whose story comes first."""
    starts = [
        i
        for i, block in enumerate(blocks)
        if block.kind in ("h2", "h3") and is_link_clutter(block, hosts, own)
    ]
    if len(starts) < MIN_TEASERS or sum(map(_chars, blocks[: starts[0]])) >= _LEADING_CHARS:
        return set()
    found, inside = set(), 0
    for start, end in zip(starts, [*starts[1:], len(blocks)], strict=True):
        after = next(
            (j for j in range(start + 1, end) if blocks[j].kind in ("h2", "h3")), end
        )  # a teaser's own text runs to the next heading
        size = sum(map(_chars, blocks[start:after]))
        if after > start + 1 and size <= TEASER_CHARS:
            found.add(start)
            inside += size
    total = sum(map(_chars, blocks))
    if len(found) < MIN_TEASERS or inside < _TEASERS_SHARE * total:
        return set()
    return found


def drop_clutter(
    blocks: list[Block],
    hosts: tuple[str, ...] = (),
    own: tuple[str, ...] = (),
    subject: frozenset[str] = frozenset(),
) -> list[Block]:
    """Blocks without link-dense boxes and notices; `hosts` are the page's site, `own` its
    addresses (without a trailing "/"), `subject` the notice phrases its headline says
    (a story about newsletters: its lines on them are no sign-up notices)."""
    kept = []
    sections = _section_headings(blocks) | _teaser_headings(blocks, hosts, own)
    for i, block in enumerate(blocks):
        if block.kind != "figure" and (
            (i not in sections and is_link_clutter(block, hosts, own))
            or press.is_notice(block.plain, subject)
            or (press.is_related_pointer(block.plain) and link_share(block) >= 0.5)
            or not any(c.isalnum() for c in block.plain)  # separators: "|", "***"
        ):
            continue
        kept.append(block)
    return kept


# --- boxes of the page ----------------------------------------------------------------------


def folded_text(element) -> str:
    # fold() drops every mark, so normalize()'s tone placement would change nothing here.
    return fold(collapse(element.text_content()))


_BOX_TAGS = {"ul", "ol", "nav", "aside", "div", "section", "table", "dl"}
_BOX_LINK_SHARE = 0.7
_BOX_MAX_OWN_TEXT = 250  # characters outside links (spaces not counted)


_NO_TEXT = ("script", "style")
_IN_PAGE = re.compile(r"\s*#[^\s#]")


# An address with a scheme or a host of its own, read as urlsplit reads it (tabs and newlines
# dropped, leading controls and spaces stripped); any other one resolves to the base's host.
_OWN_HOST = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")
_DROPPED_IN_URL = re.compile(r"[\t\r\n]")
_LEADING = "".join(map(chr, range(0x21)))


def _own_host(href: str) -> str | None:
    """The host an address names (without "www."; "" when it has none that urlsplit reads
    as a host name), or None when it names no host or cannot be read."""
    plain = plain_address(href)
    if plain:
        return plain[1].lower().removeprefix("www.")
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    return (parts.hostname or "").removeprefix("www.") if parts.netloc else None


def _site_links(base: str, hosts: tuple[str, ...]):
    """href -> whether it leads to the site (`same_site` of it resolved against `base`):
    a page links to the same addresses many times, and most of them are relative."""
    known: dict[str, bool] = {}
    try:
        parts = urlsplit(base)
        relative = (
            same_site(base, hosts) if parts.scheme in ("http", "https") and parts.netloc else None
        )
    except ValueError:
        relative = None

    def internal(href: str) -> bool:
        if href not in known:
            if relative is not None and not _OWN_HOST.match(
                _DROPPED_IN_URL.sub("", href).lstrip(_LEADING)
            ):
                known[href] = relative
            elif not base:  # join_url("", href) is href
                known[href] = same_site(href, hosts)
            elif relative is not None and (target := _own_host(href)) is not None:
                # Resolving an address that names its host keeps that host: no urljoin,
                # and the address is split once (same_site's answer for it).
                known[href] = _on_site(target, hosts)
            else:
                known[href] = same_site(join_url(base, href), hosts)
        return known[href]

    return internal


def _page_places(base: str, canonical: str = ""):
    """href -> whether it leads to a place in the page itself: "#part", or one of the page's
    own addresses (`base`, `canonical`) followed by "#part", written whole or relative
    ("/blog/story/#part"): a table of contents, whose texts are the story's own subheads."""
    own = tuple({a.partition("#")[0].rstrip("/") for a in (base, canonical) if a})

    def in_page(href: str) -> bool:
        href = href.strip()
        return bool(_IN_PAGE.match(href)) or (bool(own) and _into_page(join_url(base, href), own))

    return in_page


def link_boxes(
    body,
    hosts: tuple[str, ...],
    base: str,
    linked_parents: list | None = None,
    canonical: str = "",
) -> list:
    """Boxes made mostly of links to the site's own pages (related stories, menus, tag
    clouds, teasers): at least three links, nearly all the text in them, little text of their
    own, no headline; links to places in the page (`canonical`: its address beside `base`)
    lead to no other page. Counted bottom-up in one pass over the tree.

    `linked_parents`, when given, receives (last first) each element with at least three
    children that could be teasers (`pagekind.find_teasers`: a link, and no more than
    TEASER_CHARS characters even without spaces), with those children: the only places a
    run of teasers can be, found by this pass so that find_teasers need not walk the page."""
    stats: dict = {}  # element -> (characters, characters in links, links, holds the h1)
    to_site = _site_links(base, hosts)
    in_page = _page_places(base, canonical)
    for element in reversed(list(body.iter())):
        tag = element.tag  # lxml builds a new string at each reading of .tag
        if not isinstance(tag, str):
            continue
        text = element.text
        # Counted here, not in a helper: this loop meets every text of the page.
        chars = len("".join(text.split())) if text and tag not in _NO_TEXT else 0
        linked = links = internal = 0
        held = []  # the children that could be teasers
        holds_h1 = tag == "h1"
        for child in element:
            # Children come later in the page, so each element's are counted already;
            # comments and processing instructions have no entry.
            counted = stats.get(child)
            if counted is not None:
                c_chars, c_linked, c_links, c_h1, c_internal = counted
                chars, linked, links = chars + c_chars, linked + c_linked, links + c_links
                holds_h1, internal = holds_h1 or c_h1, internal + c_internal
                if c_links and c_chars <= TEASER_CHARS:
                    held.append(child)
            tail = child.tail
            if tail:
                chars += len("".join(tail.split()))
        if tag == "a":
            linked, links = chars, links + 1
            href = element.get("href") or ""
            # A link to a place on the page ("#section-2", or the page's own address and
            # "#section-2") is a table of contents, whose texts are the story's own
            # subheads: it leads to no other page of the site.
            internal += to_site(href) and not ("#" in href and in_page(href))
        stats[element] = (chars, linked, links, holds_h1, internal)
        if len(held) >= MIN_TEASERS and linked_parents is not None:
            linked_parents.append((element, held))
    boxes = []
    for element in body.iter(*_BOX_TAGS):
        chars, linked, links, holds_h1, internal = stats[element]
        if (
            links >= 3
            and not holds_h1
            and chars
            and chars - linked <= _BOX_MAX_OWN_TEXT
            and linked / chars >= _BOX_LINK_SHARE
            and internal * 2 >= links
        ):
            boxes.append(element)
    return boxes


def clutter_boxes(
    tree,
    dropped: list,
    hosts: tuple[str, ...],
    base: str,
    linked_parents: list | None = None,
    canonical: str = "",
) -> list:
    """The boxes of the page that are not the story: `dropped` (the site's rules) and every
    box made mostly of links to the site's own pages; the outermost ones only.
    `linked_parents`: link_boxes's, filled for the page's <body> (left alone without one)."""
    boxes = list(dropped)
    body = tree.find("body")
    if body is not None:
        boxes += link_boxes(body, hosts, base, linked_parents, canonical)
    marked = set(boxes)
    return [b for b in boxes if not any(a in marked for a in b.iterancestors())]


_TEXT_LEAVES = (
    "a",
    "li",
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "dt",
    "dd",
    "span",
    "div",
    "strong",
)


def _same_text_as_child(element) -> bool:
    """Whether `element` prints only its one child, a text leaf, with nothing but spaces
    around it: its text, collapsed, is that child's, which is read on its own."""
    if len(element) != 1 or (element.text and not element.text.isspace()):
        return False
    child = element[0]
    tail = child.tail
    return child.tag in _TEXT_LEAVES and not (tail and not tail.isspace())


# Links whose address names a part of a page: the only ones that can lead into this page.
_PART_LINKS = etree.XPath(".//a[contains(@href, '#')]")


def box_texts(boxes: list, base: str = "", canonical: str = "") -> set[str]:
    """The texts printed in clutter boxes (each link, item, paragraph...), folded. A link
    of a box to a place in the page (`base`, `canonical`: its addresses) is a table of
    contents inside a menu (a documentation site's side menu): its text is the story's
    own subhead, not the box's."""
    texts = set()
    in_page = _page_places(base, canonical) if base or canonical else None
    contents = set()
    for box in boxes:
        if in_page is not None:
            contents.update(
                folded_text(link) for link in _PART_LINKS(box) if in_page(link.get("href"))
            )
        texts.add(folded_text(box))
        for element in box.iter(*_TEXT_LEAVES):
            # The box's own text is in already; an item that only wraps a link has the
            # link's text (each text is read once per element that holds it).
            if element is box or _same_text_as_child(element):
                continue
            text = folded_text(element)
            if len(text) >= 4:
                texts.add(text)
    return texts - contents if contents else texts

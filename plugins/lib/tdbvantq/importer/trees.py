"""HTML parsers whose elements are lxml.html's classes, found without calling Python.

lxml builds a Python object for an element each time a walk of the tree meets it and no
object is alive for it. lxml.html's own parser picks that object's class by calling a
Python method (`HtmlElementClassLookup.lookup`) every time; trafilatura's extraction,
htmldate's search and the importer's steps walk each page (and trafilatura's many copies
of it) about a million times on 200 pages. The parsers here give every element the very
class lxml.html would (`FormElement` for <form>, `InputElement` for <input>…, `HtmlElement`
otherwise; `HtmlComment`, `HtmlProcessingInstruction`, `HtmlEntity`) through lxml's own
lookups, written in C, and parse with the same options: the trees are the same trees.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy

from lxml import etree
from lxml import html as lxml_html
from trafilatura import core as trafilatura_core
from trafilatura import utils as trafilatura_utils


def html_parser(**options) -> etree.HTMLParser:
    """An `etree.HTMLParser(**options)` that builds lxml.html's element classes."""
    lookup = etree.ElementNamespaceClassLookup(
        etree.ElementDefaultClassLookup(
            element=lxml_html.HtmlElement,
            comment=lxml_html.HtmlComment,
            pi=lxml_html.HtmlProcessingInstruction,
            entity=lxml_html.HtmlEntity,
        )
    )
    # lxml.html's lookup reads the lowercased tag name; an HTML parser lowercases them all.
    classes = lookup.get_namespace(None)
    for name, element_class in lxml_html.HtmlElementClassLookup._default_element_classes.items():
        classes[name] = element_class
    parser = etree.HTMLParser(**options)
    parser.set_element_class_lookup(lookup)
    return parser


# The importer's page (lxml.html's default options: comments kept, htmldate reads them).
PAGE_PARSER = html_parser()
# trafilatura's own options (trafilatura.utils.HTML_PARSER).
_TRAFILATURA_PARSER = html_parser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)


def _from_bytes(text: str):
    try:
        return lxml_html.fromstring(
            text.encode("utf8", "surrogatepass"), parser=_TRAFILATURA_PARSER
        )
    except Exception:  # noqa: BLE001 -- as trafilatura.utils.fromstring_bytes: no tree
        return None


def trafilatura_tree(document: bytes | str, page_text: str | None = None, page_tree=None):
    """The page parsed as trafilatura parses it (`trafilatura.utils.load_html`, step by
    step: decoding, repairs, the same parser options, the same fallbacks), or None where
    trafilatura finds no tree. Passed to trafilatura, it extracts what it would from the
    page itself (it works on a copy).

    `page_tree`, the importer's own parse of `page_text` (comments kept), is reused when
    trafilatura would parse that same text: a copy without its comments and processing
    instructions is then the tree trafilatura's parser builds, at a third of a parse's cost."""
    text = trafilatura_utils.decode_file(document)
    beginning = text[:50].lower()
    dubious = trafilatura_utils.is_dubious_html(beginning)
    if page_tree is not None and text == page_text and _same_elements(text, beginning):
        tree = _without_comments(page_tree)
        if len(tree) >= 1:
            return None if dubious and len(tree) < 2 else tree
    return _parsed(trafilatura_utils.repair_faulty_html(text, beginning), dubious)


# What trafilatura's repairs delete (trafilatura.utils.INVALID_XML_CHARS); looked for one
# by one: much quicker than the expression over a whole page.
_INVALID_XML = (*map(chr, (*range(9), 11, 12, *range(14, 32))), "\ufffe", "\uffff")
# lxml.html.fromstring's own test for a whole document (lxml.html._looks_like_full_html_unicode).
_WHOLE_DOCUMENT = re.compile(r"^\s*<(?:html|!doctype)", re.IGNORECASE)


def _same_elements(text: str, beginning: str) -> bool:
    """Whether the elements of `text` parsed as it is are those of trafilatura's repaired
    text (`trafilatura.utils.repair_faulty_html`), read as a whole document: its repairs
    delete no character and open no self-closing <html/>; a doctype they drop from the
    first line is no element."""
    if any(character in text for character in _INVALID_XML):
        return False
    repaired = text
    if "doctype" in beginning:
        first, _, rest = text.partition("\n")
        repaired = trafilatura_utils.DOCTYPE_TAG.sub("", first, count=1) + "\n" + rest
    if any("<html" in line and line.endswith("/>") for line in repaired[:4096].splitlines()[:4]):
        return False
    return _WHOLE_DOCUMENT.match(repaired) is not None


def _without_comments(tree):
    """A copy of the page's tree without comments and processing instructions (a copy of
    the root element: no doctype, nothing around the root, as trafilatura's own copy)."""
    copied = copy(tree)
    etree.strip_elements(copied, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return copied


def _parsed(text: str, dubious: bool):
    fallback = False
    try:
        tree = lxml_html.fromstring(text, parser=_TRAFILATURA_PARSER)
    except ValueError:  # a Unicode string with an encoding declaration
        tree, fallback = _from_bytes(text), True
    except Exception:  # noqa: BLE001 -- trafilatura logs and goes on without a tree
        tree = None
    if (tree is None or len(tree) < 1) and not fallback:
        tree = _from_bytes(text)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


@contextmanager
def handed_over(tree) -> Iterator[None]:
    """While this runs, trafilatura's extraction works on `tree` itself instead of a copy.

    `bare_extraction` copies a tree it is given (`if tree is filecontent: tree = copy(tree)`)
    so as not to change the caller's; the tree of `trafilatura_tree` is made for it and
    read by no one else, so that copy (a third of a parse) is skipped: the first copy
    trafilatura's core asks of `tree` is `tree` itself; every other copy is made as before.
    """
    original = trafilatura_core.copy
    pending = [tree is not None]

    def copy_unless_handed_over(element):
        if pending[0] and element is tree:
            pending[0] = False
            return element
        return original(element)

    trafilatura_core.copy = copy_unless_handed_over
    try:
        yield
    finally:
        trafilatura_core.copy = original

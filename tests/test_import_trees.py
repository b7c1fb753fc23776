"""The importer's parsers (`tdbvantq.importer.trees`): the trees trafilatura is given are
the trees its own `load_html` builds, whether parsed for it or taken from the importer's
own parse of the page; and their elements have lxml.html's classes."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.utils import load_html

from tdbvantq.importer import page_body, trees
from tdbvantq.importer.page_parse import Page

SITE = Path(__file__).parent / "fixtures" / "import" / "site"
BODY = (
    "<body><!-- a --><p>One <!-- b -->two<?php echo 1 ?> three</p>"
    "<form><label>L</label><input name=q><select><option>o</option></select>"
    "<textarea>t</textarea></form><div>Tail text</div></body>"
)
PAGES = {
    "html5 doctype": f"<!DOCTYPE html>\n<html><head><title>T</title></head>{BODY}</html>",
    # trafilatura drops a doctype with a "/" on the first line; a multi-line one stays
    "xhtml doctype, one line": (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>T</title></head>{BODY}</html>'
    ),
    "xhtml doctype, two lines": (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"\n'
        '  "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>T</title></head>{BODY}</html>'
    ),
    "no doctype": f"<html><head><title>T</title></head>{BODY}</html>",
    "comments around the root": f"<html><head><title>T</title></head>{BODY}</html>\n<!-- end -->",
    "comment before the root": f"<!-- start --><html><head></head>{BODY}</html>",
    "control characters": f"<!DOCTYPE html><html><head></head>{BODY}\x0b\x01</html>",
    "self-closing html": f"<!DOCTYPE html>\n<html/>\n<head></head>{BODY}",
    "xml declaration": f'<?xml version="1.0" encoding="utf-8"?>\n<html>{BODY}</html>',
    "fragment": BODY,
    "head only": "<head><title>T</title></head><p>x</p>",
    "not html": "just some words",
}


def seen_by_trafilatura(tree) -> tuple[bytes, list[type]] | None:
    """What trafilatura works on: a copy of the tree it is given (or of its own parse)."""
    if tree is None:
        return None
    copied = copy.copy(tree)
    return etree.tostring(copied.getroottree()), [type(e) for e in copied.iter()]


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("as_bytes", [False, True])
def test_trees_are_trafilaturas_own(name: str, as_bytes: bool) -> None:
    page_text = PAGES[name]
    document = page_text.encode() if as_bytes else page_text
    expected = seen_by_trafilatura(load_html(document))
    assert seen_by_trafilatura(trees.trafilatura_tree(document)) == expected
    try:
        page = Page(document, None)
    except Exception:  # noqa: BLE001 -- a page the importer refuses: nothing to share
        return
    shared = trees.trafilatura_tree(document, page.text, page.tree)
    assert seen_by_trafilatura(shared) == expected


def test_the_page_parse_is_shared_and_keeps_comments() -> None:
    """The page's own tree keeps its comments (htmldate reads dates in them); the copy
    given to trafilatura has none, and the page's tree is left as it was."""
    page = Page(PAGES["html5 doctype"], None)
    before = etree.tostring(page.tree)
    shared = trees.trafilatura_tree(page.document, page.text, page.tree)
    assert shared is not page.tree
    assert not list(shared.iter(etree.Comment, etree.ProcessingInstruction))
    assert list(page.tree.iter(etree.Comment))
    assert etree.tostring(page.tree) == before


def test_elements_have_lxml_html_classes() -> None:
    tree = lxml_html.document_fromstring(PAGES["no doctype"], parser=trees.PAGE_PARSER)
    reference = lxml_html.document_fromstring(PAGES["no doctype"])
    assert [type(e) for e in tree.iter()] == [type(e) for e in reference.iter()]
    assert isinstance(tree.find(".//form"), lxml_html.FormElement)
    assert isinstance(tree.find(".//input"), lxml_html.InputElement)
    assert type(tree.find(".//p")) is lxml_html.HtmlElement
    assert isinstance(next(tree.iter(etree.Comment)), lxml_html.HtmlComment)


def body_of(document) -> bytes | None:
    found = trafilatura.bare_extraction(
        document, include_formatting=True, include_links=True, include_tables=True
    )
    return None if found is None or found.body is None else etree.tostring(found.body)


@pytest.mark.parametrize("path", sorted(SITE.glob("*.html")), ids=lambda p: p.name)
def test_extraction_from_the_tree_is_trafilaturas(path: Path) -> None:
    data = path.read_bytes()
    page = Page(data, None)
    assert body_of(trees.trafilatura_tree(data, page.text, page.tree)) == body_of(data)


def extraction_counting_copies(tree, hand_over: bool) -> tuple[bytes | None, int]:
    """trafilatura's body of `tree` and how many copies its core made, the tree handed over
    (`trees.handed_over`) or not."""
    copies = []
    original = trafilatura.core.copy

    def counted(element):
        copies.append(element)
        return original(element)

    trafilatura.core.copy = counted
    try:
        if hand_over:
            with trees.handed_over(tree):
                body = body_of(tree)
        else:
            body = body_of(tree)
    finally:
        trafilatura.core.copy = original
    return body, len(copies)


@pytest.mark.parametrize("path", sorted(SITE.glob("*.html")), ids=lambda p: p.name)
def test_a_handed_over_tree_is_extracted_without_one_copy(path: Path) -> None:
    data = path.read_bytes()
    page = Page(data, None)
    copied, copies = extraction_counting_copies(
        trees.trafilatura_tree(data, page.text, page.tree), hand_over=False
    )
    handed, fewer = extraction_counting_copies(
        trees.trafilatura_tree(data, page.text, page.tree), hand_over=True
    )
    assert handed == copied == body_of(data)
    assert fewer == copies - 1  # trafilatura's copy of the tree it was given, and no other
    assert trafilatura.core.copy is copy.copy  # put back


def extraction_in_format(data: bytes, output_format: str) -> tuple[bytes | None, int]:
    """The body trafilatura extracts with the importer's options in `output_format`, and how
    many times it rendered a body as plain text (`xmltotxt`) meanwhile."""
    rendered = []
    original = trafilatura.core.xmltotxt

    def counted(*args, **kwargs):
        rendered.append(args)
        return original(*args, **kwargs)

    trafilatura.core.xmltotxt = counted
    try:
        found = trafilatura.bare_extraction(
            data,
            url="https://example.com/news/story.html",
            include_images=True,
            include_formatting=True,
            include_links=True,
            include_tables=True,
            include_comments=False,
            output_format=output_format,
        )
    finally:
        trafilatura.core.xmltotxt = original
    body = None if found is None or found.body is None else etree.tostring(found.body)
    return body, len(rendered)


@pytest.mark.parametrize("path", sorted(SITE.glob("*.html")), ids=lambda p: p.name)
def test_the_body_is_extracted_without_its_plain_text(path: Path) -> None:
    """`page_body.body_html` asks for the "txt" format: the same body tree as the "python"
    format, without the plain text of it that the "python" format also makes (a deep copy
    of the body and a walk) and the importer never reads."""
    data = path.read_bytes()
    as_python, python_renders = extraction_in_format(data, "python")
    as_txt, txt_renders = extraction_in_format(data, "txt")
    assert as_txt == as_python
    assert (python_renders, txt_renders) == ((1, 0) if as_python is not None else (0, 0))


def test_the_importer_makes_no_plain_text_of_the_body() -> None:
    rendered = []
    original = trafilatura.core.xmltotxt

    def counted(*args, **kwargs):
        rendered.append(args)
        return original(*args, **kwargs)

    pages = sorted(SITE.glob("*.html"))[:10]
    trafilatura.core.xmltotxt = counted
    try:
        bodies = [
            page_body.body_html(Page(p.read_bytes(), "https://example.com/s.html")) for p in pages
        ]
    finally:
        trafilatura.core.xmltotxt = original
    assert all(bodies) and rendered == []

"""`page_body.printed_text` reads the page's text by a walk of its <body>: the same text as
the XPath expression it stands for (text nodes outside scripts and styles, joined)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tdbvantq.importer import page_body
from tdbvantq.importer.page_parse import Page

SITE = Path(__file__).parent / "fixtures" / "import" / "site"
PAGES = {
    "comments, instructions, scripts and styles with tails": (
        "<html><head><title>T</title><script>var a = 1;</script></head><body> Lead "
        "<!-- note -->after the note<?php x ?>after the instruction<p>One <b>two</b> three</p>"
        "<script>document.write('no')</script>after the script<style>p{}</style>after the style"
        "<noscript>No script</noscript><div><span>deep</span> tail</div></body></html>"
    ),
    "text after the body": "<html><body><p>In</p></body>Out</html>",
    "no body": "<html><head><title>Only a title</title></head></html>",
    "inline svg": "<html><body><svg><style>.a{}</style><text>Label</text></svg>End</body></html>",
}


def expression(page: Page) -> str:
    return " ".join(page_body._PRINTED_TEXT(page.tree))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_walk_reads_what_the_expression_reads(name: str) -> None:
    page = Page(PAGES[name], None)
    assert page_body.printed_text(page) == expression(page)


def test_scripts_and_styles_are_left_out_and_tails_kept() -> None:
    text = page_body.printed_text(Page(PAGES[sorted(PAGES)[0]], None))
    assert "after the script" in text and "after the note" in text
    assert "document.write" not in text and "p{}" not in text


@pytest.mark.parametrize("path", sorted(SITE.glob("*.html")), ids=lambda p: p.name)
def test_saved_pages(path: Path) -> None:
    page = Page(path.read_bytes(), None)
    assert page_body.printed_text(page) == expression(page)

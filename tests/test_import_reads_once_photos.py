"""Photo readings that skip work done already must answer as the full readings:
- each photo's caption read once a page (`page_body.photo_caption`), for the photos put
  back and the captions attached alike;
- the photo interface texts sorted once (`photos.PhotoTexts.is_photo_text`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tdbvantq.importer import page_body, photos
from tdbvantq.importer.page_parse import Page
from tdbvantq.importer.plaintext import collapse
from tdbvantq.importer.textkey import fold

SITE = Path(__file__).parent / "fixtures" / "import" / "site"
SAVED = sorted(SITE.glob("*.html"))


@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.name)
def test_saved_pages_photo_captions_read_once(path: Path) -> None:
    page = Page(path.read_bytes(), "https://example.vn/a.html")
    imgs = list(page.tree.iter("img"))
    read = [page_body.photo_caption(img, page) for img in imgs]
    # Each read on its own, without anything a step remembered (tables' captions neither).
    assert read == [page_body.caption_of(img) for img in imgs]
    assert [page_body.photo_caption(img, page) for img in imgs] == read, "read again: the same"
    assert set(page.photo_captions) == set(imgs)
    # Two steps in turn (the photos put back, then the captions attached) as each alone.
    fresh = Page(path.read_bytes(), "https://example.vn/a.html")
    assert page_body.captions(page) == page_body.captions(fresh)


def test_a_remembered_caption_is_the_photos_own() -> None:
    page = Page(
        "<html><body><article><figure><img src='/a.jpg'><figcaption>First photo</figcaption>"
        "</figure><div><div><img src='/b.jpg'></div><p class='caption'>Second photo</p></div>"
        "<table><tr><td><img src='/c.jpg'></td></tr><tr><td>Third photo</td></tr></table>"
        "<p><img src='/d.jpg'></p></article></body></html>",
        None,
    )
    a, b, c, d = page.tree.iter("img")
    assert [page_body.photo_caption(i, page) for i in (d, c, b, a)] == [
        "",
        "Third photo",
        "Second photo",
        "First photo",
    ]
    assert page_body.captions(page) == {
        "a.jpg": "First photo",
        "b.jpg": "Second photo",
        "c.jpg": "Third photo",
    }


def _photo_text_sorted_each_time(texts: photos.PhotoTexts, plain: str) -> bool:
    """`is_photo_text` as written before: the interface texts sorted at every line."""
    key = fold(collapse(plain))
    if not key:
        return False
    if key in texts.interface or key in texts.caption_texts:
        return True
    rest = key
    for ui in sorted(texts.interface, key=len, reverse=True):
        if ui and ui in rest:
            rest = collapse(rest.replace(ui, " "))
    return rest != key and (not rest or rest in texts.caption_texts)


LINES = [
    "Xem toàn màn hình",
    "Ảnh minh họa: người dân qua đường Xem toàn màn hình",
    "Ảnh minh họa: người dân qua đường Phóng to",
    "Ảnh minh họa: người dân qua đường",
    "Phóng to Xem toàn màn hình",
    "Một đoạn văn của bài, không phải chú thích.",
    "Xem toàn màn hình một đoạn văn của bài",
    "",
]


def test_photo_interface_sorted_once_answers_as_sorted_each_time() -> None:
    page = Page(
        "<html><body><article><figure><img src='/a.jpg'><button>Xem toàn màn hình</button>"
        "<figcaption>Ảnh minh họa: người dân qua đường</figcaption></figure>"
        "<div><img src='/b.jpg'><a href='#z'>Phóng to</a><p class='caption'>Ảnh hai</p></div>"
        "<p><a href='/x'><img src='/c.jpg'> Xem</a></p></article></body></html>",
        None,
    )
    texts = photos.PhotoTexts(page.tree, None)
    assert len(texts.interface) >= 2, "the page has photo interface texts"
    for _ in range(2):  # the second time from the list sorted at the first line
        assert [texts.is_photo_text(x) for x in LINES] == [
            _photo_text_sorted_each_time(texts, x) for x in LINES
        ]
    assert texts.is_photo_text(LINES[1]) and not texts.is_photo_text(LINES[5])


@pytest.mark.parametrize("path", SAVED[::4], ids=lambda p: p.name)
def test_saved_pages_photo_texts(path: Path) -> None:
    page = Page(path.read_bytes(), "https://example.vn/a.html")
    texts = photos.PhotoTexts(page.tree, page.base)
    lines = [collapse(e.text_content()) for e in page.tree.iter("p", "figcaption", "span")]
    assert [texts.is_photo_text(x) for x in lines] == [
        _photo_text_sorted_each_time(texts, x) for x in lines
    ]

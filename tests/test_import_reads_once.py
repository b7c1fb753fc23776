"""Readings of the page that skip work done already must answer as the full readings:
- a photo's caption box searched level by level up from the photo, each level searching
  only what the level below did not (`photos._photo_boxes`);
- clutter-box texts read once per text (`clutter.box_texts`);
- class-word answers remembered for the page (`classwords.CaseBlind`);
- notice phrases and related-story prefixes tested in C (`press`)."""

from __future__ import annotations

import re
from itertools import islice
from pathlib import Path

import pytest

from tdbvantq.importer import classwords, clutter, photos, press
from tdbvantq.importer.page_parse import Page
from tdbvantq.importer.plaintext import collapse
from tdbvantq.importer.textkey import fold

SITE = Path(__file__).parent / "fixtures" / "import" / "site"
SAVED = sorted(SITE.glob("*.html"))


def _caption_searched_whole(container, img) -> list:
    """The rule as written: the container's figcaptions, else its first element in page
    order whose class or id says caption and that does not hold the photo."""
    captions = list(container.iter("figcaption"))
    if captions:
        return captions
    return [
        c
        for c in container.iterdescendants()
        if photos._CAPTION_CLASS.search(photos._box_words(c)) and img not in c.iter()
    ][:1]


def _photo_boxes_searched_whole(tree) -> list:
    """`photos._photo_boxes` with every level searched and counted in full."""
    found = []
    for container in tree.iter("figure"):
        imgs = [img for img in container.iter("img") if photos.image_url(img)]
        if len(imgs) == 1:
            found.append((container, imgs[0], _caption_searched_whole(container, imgs[0])))
    for img in tree.iter("img"):
        if not photos.image_url(img) or any(a.tag == "figure" for a in img.iterancestors()):
            continue
        for ancestor in img.iterancestors():
            if ancestor.tag in ("body", "article", "main", "table", "tr", "tbody"):
                break
            others = (o for o in ancestor.iter("img") if photos.image_url(o))
            if len(list(islice(others, 2))) != 1:
                break
            captions = _caption_searched_whole(ancestor, img)
            if captions:
                found.append((ancestor, img, captions))
                break
    return found


PHOTO_PAGES = {
    "caption two levels up, before the photo's branch": (
        "<div><p class='caption'>Up there</p><div><div><img src='/a.jpg'></div></div></div>"
    ),
    "caption after the photo, one level up": (
        "<div><div><img src='/a.jpg'></div><span class='img-desc'>Beside</span></div>"
    ),
    "a caption-classed box holding the photo is not its caption": (
        "<div class='caption'><div><img src='/a.jpg'></div></div>"
        "<div><div class='photo-desc'><img src='/b.jpg'></div><p class='chu-thich'>B</p></div>"
    ),
    "a second photo ends the search": (
        "<div><img src='/c.jpg'><div><div><img src='/a.jpg'></div></div>"
        "<p class='caption'>Too far</p></div>"
    ),
    "a second photo beside, deep in another branch": (
        "<div><div><div><img src='/a.jpg'></div></div><div><span><img src='/b.jpg'>"
        "</span></div><p class='caption'>Shared</p></div>"
    ),
    "the photo's parent holds the caption": (
        "<div><span class='Caption'>Here</span><img src='/a.jpg'></div>"
    ),
    "comments between levels": (
        "<div><!-- c --><p class='caption'>X</p><!-- d --><div><!-- e --><div>"
        "<img src='/a.jpg'></div></div></div>"
    ),
}


def _boxes(tree) -> list:
    return [(c, i, list(caps)) for c, i, caps in photos._photo_boxes(tree)]


@pytest.mark.parametrize("name", sorted(PHOTO_PAGES))
def test_photo_boxes_as_the_whole_search(name: str) -> None:
    page = Page(f"<html><body><main>{PHOTO_PAGES[name]}</main></body></html>", None)
    whole = _photo_boxes_searched_whole(page.tree)
    assert _boxes(page.tree) == whole
    if "second photo" not in name:
        assert whole, "a photo alone in its box has one"


@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.name)
def test_saved_pages_photo_boxes(path: Path) -> None:
    page = Page(path.read_bytes(), "https://example.vn/a.html")
    assert _boxes(page.tree) == _photo_boxes_searched_whole(page.tree)


def _box_texts_read_whole(boxes: list) -> set[str]:
    """Every box's text, and every text leaf's of four characters or more, folded."""
    texts = set()
    for box in boxes:
        texts.add(fold(collapse(box.text_content())))
        for element in box.iter(*clutter._TEXT_LEAVES):
            text = fold(collapse(element.text_content()))
            if len(text) >= 4:
                texts.add(text)
    return texts


BOX_PAGES = {
    "items that wrap one link": (
        "<ul><li> <a href='/a'>First story</a> </li><li><a href='/b'>Second story</a>"
        "</li><li><a href='/c'>Third</a></li></ul>"
    ),
    "an item with words beside its link": (
        "<ul><li>New: <a href='/a'>First story</a></li><li><a href='/b'>Second</a> (3)</li>"
        "<li><span><a href='/c'>Third</a></span>\u00a0</li></ul>"
    ),
    "a wrapper of a leaf that is not a text leaf": (
        "<div><div><em>Only emphasis here</em></div><p><b>Bold</b></p><a href='/a'>x</a>"
        "<a href='/b'>y</a><a href='/c'>z</a></div>"
    ),
    "a wrapper of a comment": "<div><div><!-- a comment --></div><a href='/a'>Link</a></div>",
}


@pytest.mark.parametrize("name", sorted(BOX_PAGES))
def test_box_texts_as_every_leaf_read(name: str) -> None:
    page = Page(f"<html><body>{BOX_PAGES[name]}</body></html>", None)
    boxes = list(page.tree.find("body"))
    assert clutter.box_texts(boxes) == _box_texts_read_whole(boxes)


@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.name)
def test_saved_pages_box_texts(path: Path) -> None:
    page = Page(path.read_bytes(), "https://example.vn/a.html")
    boxes = [*page.clutter_boxes, *page.tree.iter("ul", "nav", "aside")]
    assert clutter.box_texts(boxes) == _box_texts_read_whole(boxes)


def test_class_answers_remembered_for_one_page() -> None:
    pattern = classwords.CaseBlind(r"caption|kelvin")
    blind = re.compile(pattern.pattern, re.IGNORECASE)
    texts = ["Photo-Caption", "\u212aelvin", "KELVIN", "story", "", "caption", "Story"]
    for _ in range(2):  # the second time from what is remembered
        assert [pattern.search(t) for t in texts] == [bool(blind.search(t)) for t in texts]
    assert pattern.known, "answers are remembered"
    Page("<html><body><p class='x'>A</p></body></html>", None)
    assert not pattern.known or set(pattern.known) <= {"x", ""}, "a new page forgets them"


def test_notice_and_related_lines_as_every_phrase_tested() -> None:
    lines = [
        *press.NOTICE_PHRASES,
        *(f"Hãy {p} ngay" for p in press.NOTICE_PHRASES),
        *press.RELATED_PREFIXES,
        *(f"{p}: Một câu chuyện khác" for p in press.RELATED_PREFIXES),
        *(f"{p}ing the rest" for p in press.RELATED_PREFIXES),
        "Một đoạn văn bình thường của bài báo, đủ dài để không phải là một thông báo nào cả.",
        "",
    ]
    for line in lines:
        k = press.key(line)
        short = len(k.split()) <= press._NOTICE_MAX_WORDS
        assert press.is_notice(line) == (short and any(p in k for p in press.NOTICE_PHRASES))
        related = short and any(
            k.startswith(p)
            and (not k[len(p) :].lstrip(" ") or k[len(p) :].lstrip(" ")[0] in ":>»-–")
            for p in press.RELATED_PREFIXES
        )
        assert press.is_related_pointer(line) == related, line
    assert any(map(press.is_notice, lines)) and any(map(press.is_related_pointer, lines))

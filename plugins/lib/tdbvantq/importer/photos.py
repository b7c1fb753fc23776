"""Which images of a page are the story's photos, and which texts belong to a photo.

An image is judged by what it is on the page, never by its file name:
- its size: width/height attributes (and, once fetched, the real pixels: images.py);
- its place: inside a button or a link to a share, mail or print endpoint; inside the page's chrome (header, nav, footer, aside) or a box whose class
  or id names a share/tool/menu/logo bar;
- its alt text when that names an action ("Chia sẻ bài viết lên facebook", "Print").
Icons, share and print buttons, logos, tracking pixels and spacers are never photos, and
so never the lead `Image:`.

A photo's own texts are found by the shape of its markup: in a <figure>, the <figcaption>
is the caption; any other text of the figure (and the label of a link or button inside the
caption) is the photo's interface ("Xem toàn màn hình", "Phóng to"). The caption is kept
once, under its photo; the interface text never reaches the body.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import islice

from tdbvantq.importer.article import Block
from tdbvantq.importer.classwords import CaseBlind
from tdbvantq.importer.markdown import escape
from tdbvantq.importer.plaintext import collapse
from tdbvantq.importer.textkey import fold
from tdbvantq.importer.urls import canonical_url, join_url

# Below these, an image is an icon, a button, a spacer or a tracking pixel.
MIN_SIDE = 100
MIN_AREA = 30_000
_IMG_ATTRS = ("data-original", "data-src", "data-lazy-src", "src")
_CHROME = {"header", "nav", "footer", "aside", "button"}
# Class/id words of boxes that hold no story photo: share bars, toolbars, menus, logos.
_NOT_PHOTO_BOX = CaseBlind(
    r"(?:^|[\s_-])(?:share|sharing|social|toolbar|tools?|print|logo|icons?|menu|navbar|nav|"
    r"breadcrumbs?|rating|vote|comments?|emoji|avatar|sprite|btn|button|badge|weather|"
    r"thoitiet)(?:[\s_-]|$)"
)
# An alt text naming a button's action, not a scene (words no photo's alt starts with).
_ACTION_ALT = re.compile(
    r"^\s*(?:chia sẻ|share|in bài|print|tweet|gửi (?:bài|email|cho bạn)|e-?mail\b|phóng to|zoom)",
    re.IGNORECASE,
)
_DEAD_HREF = re.compile(r"^\s*(?:javascript:|#|$)", re.IGNORECASE)
_SHARE_HREF = re.compile(r"sharer|share\?|/share|intent/tweet|mailto:|/print", re.IGNORECASE)
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|svg)$", re.IGNORECASE)
_CSS_SIZE = re.compile(r"(?:^|;)\s*(width|height)\s*:\s*(\d+(?:\.\d+)?)px", re.IGNORECASE)
_CAPTION_CLASS = CaseBlind(r"caption|chu-?thich|(?:image|img|photo|pic)[_-]?desc")
# A photo's own buttons and labels are a few words; more text beside it is the story's.
_MAX_INTERFACE_WORDS = 15
# A line that ends a sentence (closing quotes and brackets aside): story text, not a label.
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*\s*$")
# What only a photo's caption says: who took it ("Ảnh: …", "(Photo: AFP)") or where the
# people stand in it ("thứ 3, phải sang", "từ trái qua", "(giữa)", "left to right").
_CAPTION_CUE = re.compile(
    r"(?:^|[\s(\[–-])(?:ảnh|photo|foto|nguồn ảnh|image)\s*:"
    r"|(?:trái|phải)\s+(?:sang|qua)\b|\btừ (?:trái|phải)\b"
    r"|\((?:giữa|ở giữa|đứng giữa|bên trái|bên phải|trái|phải)\)"
    r"|\b(?:from )?(?:left|right) to (?:right|left)\b|\((?:left|right|center|centre)\)",
    re.IGNORECASE,
)


def image_url(img) -> str | None:
    for attr in _IMG_ATTRS:
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return None


def _declared_size(img) -> tuple[float | None, float | None]:
    """The width and height the page gives the image (attributes, else inline style)."""
    sizes: dict[str, float] = {}
    for key, value in _CSS_SIZE.findall(img.get("style") or ""):
        sizes[key.lower()] = float(value)
    for key in ("width", "height"):
        found = re.match(r"\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$", img.get(key) or "")
        if found:
            sizes[key] = float(found[1])
    return sizes.get("width"), sizes.get("height")


def too_small(width: float | None, height: float | None) -> bool:
    """Whether an image of this size (either side may be unknown) is too small to be a photo."""
    if width is not None and width < MIN_SIDE or height is not None and height < MIN_SIDE:
        return True
    return width is not None and height is not None and width * height < MIN_AREA


def _box_words(element) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def not_a_photo(img) -> bool:
    """Whether this <img> of the page is an icon, button, logo, pixel or decoration."""
    if too_small(*_declared_size(img)):
        return True
    if _ACTION_ALT.search(img.get("alt") or "") or _NOT_PHOTO_BOX.search(_box_words(img)):
        return True
    for ancestor in img.iterancestors():
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        if tag in ("article", "main", "body", "figure"):
            break
        if tag in _CHROME or ancestor.get("role") in ("button", "navigation", "banner", "toolbar"):
            return True
        if tag == "a" and _SHARE_HREF.search(ancestor.get("href") or ""):
            return True  # the face of a share, mail or print button
        if _NOT_PHOTO_BOX.search(_box_words(ancestor)):
            return True
    return False


def _host(url: str) -> str:
    return canonical_url(url).split("/")[2] if url.startswith(("http://", "https://")) else ""


def teaser_of_another_page(img, base: str | None) -> bool:
    """Whether this <img> is the face of a link to another page of the same site (a "most
    read" or related story's thumbnail), not a photo of this story.

    A story photo is printed in a <figure>, or links to its own larger file or to a
    gallery's script; a thumbnail links to another story's page."""
    for ancestor in img.iterancestors():
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        if tag in ("figure", "article", "main", "body", "p", "td"):
            return False
        if tag != "a":
            continue
        href = (ancestor.get("href") or "").strip()
        if not href or _DEAD_HREF.search(href):
            return False
        target = join_url(base, href)
        path = target.split("?", 1)[0].split("#", 1)[0]
        return (
            bool(base)
            and _host(target) != ""
            and _host(target) == _host(base or "")
            and not _IMAGE_FILE.search(path)
            and canonical_url(target) != canonical_url(base or "")
        )
    return False


def not_photo_addresses(tree, base: str | None) -> set[str]:
    """Absolute addresses of the page's images that are never story photos: every <img>
    showing them is an icon, button, logo, decoration or another story's thumbnail."""
    verdicts: dict[str, bool] = {}
    joined: dict[str, str] = {}  # a page shows the same image many times (icons, avatars)
    for img in tree.iter("img"):
        found = image_url(img)
        if found and found not in joined:
            joined[found] = join_url(base, found)
        url = joined[found] if found else None
        if url:
            never = not_a_photo(img) or teaser_of_another_page(img, base)
            verdicts[url] = verdicts.get(url, True) and never
    return {url for url, decorative in verdicts.items() if decorative}


# --- a photo's own texts ---------------------------------------------------------------------


# Text only a screen reader speaks ("Media caption", "Image source"): a label of the
# markup, never printed under the photo.
_READER_ONLY = re.compile(
    r"off-?screen|\bsr-only|screen-?reader|visually-?hidden|visuallyhidden|a11y-?hidden",
    re.IGNORECASE,
)


def _interactive(element) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if _READER_ONLY.search(element.get("class") or ""):
        return True
    if tag == "button" or element.get("role") == "button" or element.get("onclick") is not None:
        return True
    return tag == "a" and bool(_DEAD_HREF.search(element.get("href") or ""))


def _texts(element) -> list[str]:
    """The separate texts printed inside `element` (each text node, collapsed)."""
    found = [collapse(element.text or "")]
    for node in element.iterdescendants():
        found += [collapse(node.text or ""), collapse(node.tail or "")]
    return [text for text in found if text]


def _without(text: str, parts: list[str]) -> str:
    for part in parts:
        text = text.replace(part, " ")
    return collapse(text)


def _caption_boxes(container, img, searched=None) -> list:
    """The caption elements of a photo's container: its <figcaption>s, else the first
    element whose class or id says caption (and that does not hold the photo).

    `searched`: the child of `container` that holds the photo, when its descendants were
    searched already (one level down, from the photo up) and hold no caption: only the
    rest of the container is searched, in page order (no element outside that child holds
    the photo, and the child itself holds it)."""
    captions = list(container.iter("figcaption"))
    if captions:
        return captions
    if searched is None:
        for c in container.iterdescendants():
            if _CAPTION_CLASS.search(_box_words(c)) and img not in c.iter():
                return [c]
        return []
    for child in container:
        if child is not searched:
            for c in child.iter():
                if _CAPTION_CLASS.search(_box_words(c)):
                    return [c]
    return []


def _photo_beside(container, searched) -> bool:
    """Whether `container` holds a photo outside its child `searched`."""
    return any(
        image_url(other)
        for child in container
        if child is not searched
        for other in child.iter("img")
    )


def _photo_boxes(tree):
    """(container, img, caption elements) of each photo printed in a box of its own: a
    <figure>, or the smallest element around one image that also holds its caption."""
    for container in tree.iter("figure"):
        imgs = [img for img in container.iter("img") if image_url(img)]
        if len(imgs) == 1:
            yield container, imgs[0], _caption_boxes(container, imgs[0])
    for img in tree.iter("img"):
        if not image_url(img) or any(a.tag == "figure" for a in img.iterancestors()):
            continue
        searched = None  # the last container searched (nothing in it was a caption)
        for ancestor in img.iterancestors():
            if ancestor.tag in ("body", "article", "main", "table", "tr", "tbody"):
                break
            if searched is None:
                photos = (other for other in ancestor.iter("img") if image_url(other))
                if len(list(islice(photos, 2))) != 1:  # a second one ends the count
                    break
            elif _photo_beside(ancestor, searched):  # `searched` holds one: this photo
                break
            captions = _caption_boxes(ancestor, img, searched)
            if captions:
                yield ancestor, img, captions
                break
            searched = ancestor


_MEDIA = ("video", "audio", "iframe", "embed", "object")


def _media_captions(tree) -> set[str]:
    """The folded captions of figures that hold a video, a sound or an embed and no photo.

    The importer brings no such media into the story, so their caption would stand alone
    as a paragraph ("… (Video: Cao Bách)." above a photo story); a caption never does."""
    found: set[str] = set()
    for figure in tree.iter("figure"):
        if any(image_url(img) for img in figure.iter("img")):
            continue
        if next(figure.iter(*_MEDIA), None) is None:
            continue
        for caption in figure.iter("figcaption"):
            found.add(fold(collapse(caption.text_content())))
            found |= {fold(collapse(p.text_content())) for p in caption.iter("p", "div")}
    return found - {""}


def _interface_keys(texts: list[str]) -> set[str]:
    """The folded texts of a photo's markup that can be its interface: not a sentence of
    the story. A button, a counter, a credit or a label ("View gallery", "Xem toàn màn
    hình", "1/12") ends no sentence; a card's teaser ("A new study shows that…") or a
    service's pitch beside its picture does, and is the page's text."""
    return {fold(text) for text in texts if not story_text(text)}


class PhotoTexts:
    """What the page's photo markup says: each photo's clean caption (by image address) and
    the texts that are the photos' interface or their caption's copies."""

    def __init__(self, tree, base: str | None) -> None:
        self.captions: dict[str, str] = {}
        self.interface: set[str] = set()  # folded
        self._longest_first: list[str] | None = None  # `interface`, longest first
        # folded: the captions and their pieces, and the captions of media not imported
        self.caption_texts: set[str] = _media_captions(tree)
        for container, img, captions in _photo_boxes(tree):
            url = join_url(base, image_url(img))
            ui: list[str] = [collapse(container.text or "")]
            for element in container.iterdescendants():
                inside = any(c is element or c in element.iterancestors() for c in captions)
                if not inside:
                    ui.append(collapse(element.text or ""))
                if not inside or element in captions:
                    ui.append(collapse(element.tail or ""))
                elif _interactive(element):
                    ui += _texts(element)
            ui = [text for text in ui if text]
            if sum(len(text.split()) for text in ui) > _MAX_INTERFACE_WORDS:
                # Much text beside the photo: a box of the story, not a photo's own box.
                if container.tag != "figure":
                    continue
                ui = []
            self.interface |= _interface_keys(ui)
            caption_text = _without(" ".join(collapse(c.text_content()) for c in captions), ui)
            if url and caption_text:
                self.captions[url] = caption_text
                self.caption_texts.add(fold(caption_text))
                for caption in captions:
                    for piece in caption.iter("p", "span", "div", "em", "i", "strong", "b"):
                        text = _without(collapse(piece.text_content()), ui)
                        if text:
                            self.caption_texts.add(fold(text))
        # Links and buttons wrapping a photo anywhere: their words are the photo's interface.
        for img in tree.iter("img"):
            for ancestor in img.iterancestors():
                if ancestor.tag in ("a", "button"):
                    self.interface |= _interface_keys(_texts(ancestor))
                    break
                if ancestor.tag in ("figure", "p", "article", "body"):
                    break

    def is_photo_text(self, plain: str) -> bool:
        key = fold(collapse(plain))
        if not key:
            return False
        if key in self.interface or key in self.caption_texts:
            return True
        # A caption glued to its photo's buttons ("Chú thích… Xem toàn màn hình").
        rest = key
        if self._longest_first is None:  # sorted once, at the first line that needs it
            self._longest_first = sorted(self.interface, key=len, reverse=True)
        for ui in self._longest_first:
            if ui and ui in rest:
                rest = collapse(rest.replace(ui, " "))
        return rest != key and (not rest or rest in self.caption_texts)


def tidy_photos(blocks: list[Block], tree, base: str | None) -> list[Block]:
    """The story's photos only, each caption once under its photo, and no photo interface
    text in the body. `tree` is the page, `base` its address."""
    not_photos: set[str] | None = None  # read at the first photo: most bodies have none
    texts = PhotoTexts(tree, base)
    kept: list[Block] = []
    seen: set[str] = set()
    for block in blocks:
        if block.kind == "figure" and block.figure:
            src = block.figure.src
            if src and not_photos is None:
                not_photos = not_photo_addresses(tree, base)
            if src and src in not_photos:
                continue
            if src and src in seen:
                continue  # the same photo twice (a gallery's thumbnail strip)
            if src:
                seen.add(src)
            clean = texts.captions.get(src or "")
            if clean:
                block.figure.caption = clean
            kept.append(block)
            continue
        if block.kind in ("p", "quote") and texts.is_photo_text(block.plain):
            continue
        kept.append(block)
    # A caption is printed under its photo; a paragraph repeating it elsewhere goes.
    captions = {
        fold(collapse(b.figure.caption))
        for b in kept
        if b.kind == "figure" and b.figure and b.figure.caption
    }
    kept = [b for b in kept if not (b.kind == "p" and fold(collapse(b.plain)) in captions)]
    return _caption_once_per_run(kept)


def _caption_once_per_run(blocks: list[Block]) -> list[Block]:
    """Photos printed one after another under one caption (a before-and-after pair, a
    slideshow whose slides share their caption) show it once, under the last of them."""
    for i, block in enumerate(blocks[:-1]):
        following = blocks[i + 1]
        if (
            block.kind == following.kind == "figure"
            and block.figure
            and following.figure
            and block.figure.caption
            and fold(collapse(block.figure.caption)) == fold(collapse(following.figure.caption))
        ):
            blocks[i] = replace(block, figure=replace(block.figure, caption=""))
    return blocks


def story_text(line: str) -> bool:
    """Whether a line printed where a caption stands is the story's text rather than a
    caption, by its shape: it ends a sentence and says nothing only a caption says (a
    photo credit, where people stand in the photo)."""
    line = collapse(line)
    return bool(_SENTENCE_END.search(line)) and not _CAPTION_CUE.search(line)


def without_lone_captions(blocks: list[Block]) -> list[Block]:
    """A caption never stands alone: a photo with no address (a text copy names only its
    caption) is left out, its caption kept as a paragraph only when it is story text."""
    kept: list[Block] = []
    for block in blocks:
        figure = block.figure
        if block.kind != "figure" or figure is None or figure.src or figure.local:
            kept.append(block)
        elif figure.caption and story_text(figure.caption):
            kept.append(Block("p", escape(collapse(figure.caption))))
    return kept

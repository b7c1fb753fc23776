"""Drawing with Pillow: the share card (1200×630) and the site logo at any size.

Everything here is deterministic: the same inputs give the same PNG bytes
(no timestamps, fixed layout engine, fixed resampling), so builds stay
reproducible and a cached card equals a freshly drawn one.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from isal import isal_zlib
from PIL import Image, ImageDraw, ImageFont, ImageOps

if TYPE_CHECKING:
    # numpy is imported by the functions that draw: a rebuild whose cards are all cached
    # draws none, and its process then spends no ~0.07 s of CPU importing numpy.
    import numpy as np

CARD_SIZE = (1200, 630)
BRAND = (139, 16, 20)  # --brand-bg of theme/static/css/site.css
SHIELD = (179, 18, 27)  # logo.svg
STAR = (255, 210, 63)  # logo.svg; also the card's accent
WHITE = (255, 255, 255)
MARGIN = 64
PHOTO_LEFT = 660  # with a photo: text panel on the left, photo from here to the right edge
PHOTO_SIZE = (CARD_SIZE[0] - PHOTO_LEFT, CARD_SIZE[1])
MASTHEAD_BOTTOM = 104  # the logo and site name end above this; the title block starts below
SUPERSAMPLE = 4  # the logo is drawn this many times larger, then reduced (anti-aliasing)
# The palette of cards without a photo: levels of white and of the accent over the
# band (anti-aliased text; the first of each is the band), then the logo's colours.
WHITE_LEVELS, ACCENT_LEVELS, LOGO_COLOURS = 64, 32, 160  # 64 + 31 + 160 ≤ 256
# A card without a photo: the title's lines at most, and its sizes.
PLAIN_TITLE = (4, (68, 62, 56, 50, 46))

# theme/static/images/logo.svg on its 64×64 grid: the shield (two cubic
# Béziers at the bottom) and the star.
SHIELD_START = [(32, 3), (8, 12), (8, 29)]
SHIELD_CURVES = [((8, 44.5), (18.3, 56.3), (32, 61)), ((45.7, 56.3), (56, 44.5), (56, 29))]
SHIELD_END = [(56, 12)]
STAR_POINTS = [
    (32, 17),
    (36.1, 25.4),
    (45.3, 26.7),
    (38.6, 33.2),
    (40.2, 42.4),
    (32, 38),
    (23.8, 42.4),
    (25.4, 33.2),
    (18.7, 26.7),
    (27.9, 25.4),
]


@dataclass(frozen=True)
class CardText:
    title: str
    kicker: str  # small line above the title: category, "Mô hình", …
    site_name: str


def _cubic(p0, p1, p2, p3, steps: int = 24) -> list[tuple[float, float]]:
    points = []
    for i in range(1, steps + 1):
        t = i / steps
        u = 1 - t
        points.append(
            tuple(
                u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d
                for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
            )
        )
    return points


def _shield_outline() -> list[tuple[float, float]]:
    points = list(SHIELD_START)
    for control1, control2, end in SHIELD_CURVES:
        points += _cubic(points[-1], control1, control2, end)
    return points + SHIELD_END


def draw_logo(
    size: int, *, background: tuple[int, int, int] | None = None, scale: float = 1.0
) -> Image.Image:
    """The logo as an RGBA image `size` pixels square; `scale` < 1 leaves a margin
    (for maskable icons), `background` fills the square."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (*background, 255) if background else (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    unit = big * scale / 64
    offset = (big - 64 * unit) / 2

    def place(points):
        return [(offset + x * unit, offset + y * unit) for x, y in points]

    outline = place(_shield_outline())
    draw.polygon(outline, fill=(*SHIELD, 255))
    draw.line(
        [*outline, outline[0], outline[1]],
        fill=(*WHITE, 255),
        width=max(1, round(3 * unit)),
        joint="curve",
    )
    draw.polygon(place(STAR_POINTS), fill=(*STAR, 255))
    return image.resize((size, size), Image.Resampling.LANCZOS)


@lru_cache(maxsize=32)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    # BASIC layout: text is NFC (precomposed Vietnamese letters, stacked marks
    # included), so no shaping engine is needed and output never depends on one.
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


@cache
def _advances(font: ImageFont.FreeTypeFont) -> dict[str, float]:
    return {}


def text_width(text: str, font: ImageFont.FreeTypeFont) -> float:
    """`font.getlength(text)`, from each character's advance measured once per font.
    With the BASIC layout a line is the sum of its characters' advances (the font
    has no legacy kerning table; tests hold this equal to getlength)."""
    advances = _advances(font)
    width = 0.0
    for char in text:
        advance = advances.get(char)
        if advance is None:
            advance = advances[char] = font.getlength(char)
        width += advance
    return width


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap to `width` pixels (a word longer than a line stands alone)."""
    space = text_width(" ", font)
    lines: list[str] = []
    line_width = 0.0
    for word in text.split():
        word_width = text_width(word, font)
        if lines and line_width + space + word_width <= width:
            lines[-1] = f"{lines[-1]} {word}"
            line_width += space + word_width
        else:
            lines.append(word)
            line_width = word_width
    return lines


def line_height(size: int) -> int:
    return round(size * 1.3)  # room for stacked marks (Ấ, Ổ) above capitals


def fit_title(
    title: str,
    font_path: str,
    width: int,
    max_lines: int,
    sizes: tuple[int, ...] = (68, 62, 56, 50, 46),
    height: int | None = None,
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which the title fits in `max_lines` (and in `height` pixels);
    else the smallest, cut with "…"."""
    for size in sizes:
        font = _font(font_path, size)
        fits = max_lines if height is None else min(max_lines, height // line_height(size))
        lines = wrap(title, font, width)
        if len(lines) <= fits:
            return font, lines
    lines = lines[:fits]
    last = lines[-1]
    while last and text_width(last + " …", font) > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    lines[-1] = last + " …"
    return font, lines


def _cover(photo: Image.Image, size: tuple[int, int]) -> Image.Image:
    photo = ImageOps.exif_transpose(photo).convert("RGB")
    return ImageOps.fit(photo, size, Image.Resampling.LANCZOS, centering=(0.5, 0.4))


@lru_cache(maxsize=4)
def _card_logo(size: int) -> Image.Image:
    return draw_logo(size)


def _masthead(card: Image.Image, site_name: str, font_path: str, width: int) -> None:
    """Logo and site name at the top left, the name on at most two lines within `width`."""
    logo = _card_logo(64)
    card.paste(logo, (MARGIN, 24), logo)
    font = _font(font_path, 28)
    lines = wrap(site_name, font, width - 2 * MARGIN - 84)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    top = 56 - 18 * (len(lines) - 1)
    draw = ImageDraw.Draw(card)
    for number, line in enumerate(lines):
        draw.text((MARGIN + 84, top + 36 * number), line, font=font, fill=WHITE, anchor="lm")


@lru_cache(maxsize=8)
def _background(site_name: str, font_path: str, panel: int) -> Image.Image:
    """What every card of a site shares, drawn once: the band, the masthead and the
    accent line under the text panel (`panel` pixels wide)."""
    width, height = CARD_SIZE
    card = Image.new("RGB", CARD_SIZE, BRAND)
    _masthead(card, site_name, font_path, panel)
    ImageDraw.Draw(card).rectangle((0, height - 12, panel, height), fill=STAR)
    return card


# A mark of the title block: its colour, where its mask's top left goes, and the mask.
Mark = tuple[tuple[int, int, int], tuple[int, int], Image.Image]


def _title_marks(
    text: CardText, font_path: str, width: int, max_lines: int, sizes: tuple[int, ...]
) -> list[Mark]:
    """Kicker and title, bottom-aligned above the accent line, within `width`, below
    the masthead: what to paint, so the card can be painted in full colour (a card
    with a photo) or straight into its palette (one without)."""
    bottom = CARD_SIZE[1] - MARGIN - 12 - 52 * bool(text.kicker)
    font, lines = fit_title(
        text.title, font_path, width - 2 * MARGIN, max_lines, sizes, height=bottom - MASTHEAD_BOTTOM
    )
    y = bottom - line_height(font.size) * len(lines)
    marks: list[Mark] = []
    if text.kicker:
        kicker, (left, top) = _text_mask(_font(font_path, 30), text.kicker.upper(), "lt")
        marks.append((STAR, (MARGIN + left, y + top), kicker))
        y += 52
    for line in lines:
        origin = (MARGIN, y + line_height(font.size) - round(font.size * 0.28))
        marks += _word_marks(origin, line, font)
        y += line_height(font.size)
    return marks


# Word masks of ~1,000 titles; bounded, as a worker draws thousands of cards.
@lru_cache(maxsize=4096)
def _text_mask(
    font: ImageFont.FreeTypeFont, text: str, anchor: str = "ls"
) -> tuple[Image.Image, tuple[int, int]]:
    """The anti-aliased mask of `text` and its offset from the anchor point.

    FreeType's own mask of the text, as `ImageDraw.text` gets it before it paints it:
    the same pixels as painting white on black in a box of `getbbox`'s size, without
    laying the text out twice and painting it (a third of a cold build's mask time,
    3,600 words at 1,000 stories; a test compares them)."""
    if anchor == "ls":
        composed = _glyphs_mask(font, text)
        if composed is not None:
            return composed
    core, offset = font.getmask2(text, "L", anchor=anchor)
    return Image.Image()._new(core), offset


# Each letter's mask, rasterized once per font: ~3,600 title words at 1,000 stories are
# made of a few hundred (letter, size) glyphs.
@lru_cache(maxsize=4096)
def _glyph(font: ImageFont.FreeTypeFont, char: str) -> tuple[np.ndarray, tuple[int, int]]:
    import numpy as np

    core, offset = font.getmask2(char, "L", anchor="ls")
    return np.asarray(Image.Image()._new(core), np.int32), offset


def _glyphs_mask(
    font: ImageFont.FreeTypeFont, word: str
) -> tuple[Image.Image, tuple[int, int]] | None:
    """FreeType's mask of `word` (anchor "ls") put together from its letters' masks:
    each at its pen position (hinted advances: whole pixels), over the ones before as
    Pillow's text rendering lays each glyph over the mask (src + dst × (255 − src) / 255,
    with Pillow's rounding), in a box that is the union of the letters' boxes. The
    same pixels and offset as `font.getmask2(word)` (a test compares every word of
    the bench's titles at every size). None when a letter has no ink (its box would not
    be Pillow's): the word is then rasterized whole."""
    import numpy as np

    placed = []
    pen = 0.0
    for char in word:
        pixels, (left, top) = _glyph(font, char)
        if not pixels.size:
            return None
        placed.append((round(pen) + left, top, pixels))
        pen += text_width(char, font)
    if not placed:
        return None
    x0 = min(x for x, _, _ in placed)
    y0 = min(y for _, y, _ in placed)
    x1 = max(x + pixels.shape[1] for x, _, pixels in placed)
    y1 = max(y + pixels.shape[0] for _, y, pixels in placed)
    mask = np.zeros((y1 - y0, x1 - x0), np.int32)
    for x, y, pixels in placed:
        below = mask[y - y0 : y - y0 + pixels.shape[0], x - x0 : x - x0 + pixels.shape[1]]
        blended = below * (255 - pixels) + 128  # Pillow's MULDIV255
        below[...] = pixels + ((blended + (blended >> 8)) >> 8)
    return Image.fromarray(mask.astype(np.uint8)), (x0, y0)


def _word_marks(origin: tuple[int, int], line: str, font: ImageFont.FreeTypeFont) -> list[Mark]:
    """`line` in white from `origin` (left end of the baseline), word by word: titles
    repeat syllables, so each word is rasterized once per size, not once per card.
    Hinted advances are whole pixels, so the pixels equal those of one run of text
    (tests hold this)."""
    x, baseline = origin
    pen = 0.0
    space = text_width(" ", font)
    marks: list[Mark] = []
    for word in line.split(" "):
        mask, (left, top) = _text_mask(font, word)
        marks.append((WHITE, (x + round(pen) + left, baseline + top), mask))
        pen += text_width(word, font) + space
    return marks


def _paint(card: Image.Image, marks: list[Mark]) -> None:
    for colour, at, mask in marks:
        card.paste(colour, at, mask)


def _draw_words(
    card: Image.Image, origin: tuple[int, int], line: str, font: ImageFont.FreeTypeFont
) -> None:
    """`line` painted in white from `origin` (left end of the baseline)."""
    _paint(card, _word_marks(origin, line, font))


def render_card(text: CardText, font_path: str, photo: Image.Image | None = None) -> Image.Image:
    """The share card as an RGB image: the title on the brand band, the photo at the right."""
    width, height = CARD_SIZE
    panel = width if photo is None else PHOTO_LEFT
    card = _background(text.site_name, font_path, panel).copy()
    if photo is not None:
        card.paste(_cover(photo, PHOTO_SIZE), (PHOTO_LEFT, 0))
        ImageDraw.Draw(card).rectangle((PHOTO_LEFT - 8, 0, PHOTO_LEFT, height), fill=STAR)
        _paint(card, _title_marks(text, font_path, panel, 6, (56, 50, 44, 40, 36)))
    else:
        _paint(card, _title_marks(text, font_path, width, *PLAIN_TITLE))
    return card


# A layer of one colour of the title block: its colour, its top left on the card, and
# the marks' coverage (0–255) in it.
Layer = tuple[tuple[int, int, int], tuple[int, int], Image.Image]


def _title_layers(text: CardText, font_path: str) -> list[Layer]:
    """The title block of a card without a photo, one coverage layer per colour: each
    colour's word masks pasted (blended) into a small "L" image."""
    marks = _title_marks(text, font_path, CARD_SIZE[0], *PLAIN_TITLE)
    layers: list[Layer] = []
    for colour in (WHITE, STAR):
        own = [(at, mask) for c, at, mask in marks if c == colour]
        if not own:
            continue
        left = min(x for (x, _), _ in own)
        top = min(y for (_, y), _ in own)
        right = max(x + mask.width for (x, _), mask in own)
        bottom = max(y + mask.height for (_, y), mask in own)
        layer = Image.new("L", (right - left, bottom - top))
        for (x, y), mask in own:
            layer.paste(255, (x - left, y - top), mask)
        layers.append((colour, (left, top), layer))
    return layers


def palette_card(text: CardText, font_path: str) -> Image.Image:
    """The card without a photo straight in its fixed palette (a "P" image): what
    `render_card(...).quantize(palette=_card_palette())` gives, pixel for pixel where
    marks do not overlap, at a fraction of the cost. Only the band lies under the
    title block, so each colour's marks are painted as coverage (0–255) into a
    small layer whose levels map to palette indices the way quantize maps them."""
    card = _palette_background(text.site_name, font_path).copy()
    for colour, at, layer in _title_layers(text, font_path):
        # Only the pixels the marks touch are replaced (a mask of 0 or 255: no blending of indices).
        card.paste(layer.point(_band_levels(colour)), at, layer.point(_TOUCHED))
    card.putpalette(_card_palette().getpalette())
    return card


def palette_png(text: CardText, font_path: str) -> bytes:
    """`palette_card` as a PNG: the same pixels, painted into the PNG's own scanlines
    (a filter byte, 0, before each row of palette indices) held in a numpy array, and
    compressed with ISA-L's deflate (`isal`) at level 1. Against Pillow's PNG writer
    with zlib at level 1: a fifth of the encoding time (0.2 instead of 1.3–2 ms a
    card), 14 % fewer bytes, and no copy of the card as an image, no `Image.point`."""
    import numpy as np

    rows = _palette_rows(text.site_name, font_path).copy()
    for colour, (left, top), layer in _title_layers(text, font_path):
        coverage = np.asarray(layer)
        # Clipped to the card as Image.paste clips (a mark never reaches an edge today).
        x0, y0 = max(left, 0), max(top, 0)
        x1 = min(left + layer.width, CARD_SIZE[0])
        y1 = min(top + layer.height, CARD_SIZE[1])
        if x0 >= x1 or y0 >= y1:
            continue
        coverage = coverage[y0 - top : y1 - top, x0 - left : x1 - left]
        region = rows[y0:y1, 1 + x0 : 1 + x1]
        np.copyto(region, _band_levels_array(colour)[coverage], where=coverage != 0)
    return png_file(rows, _palette_bytes())


@lru_cache(maxsize=8)
def _palette_rows(site_name: str, font_path: str) -> np.ndarray:
    """`_palette_background` as PNG scanlines: one row per line of the card, a filter
    byte (0: none) then the line's palette indices. Read only (a card copies it)."""
    import numpy as np

    background = np.asarray(_palette_background(site_name, font_path))
    rows = np.zeros((CARD_SIZE[1], CARD_SIZE[0] + 1), np.uint8)
    rows[:, 1:] = background
    rows.setflags(write=False)
    return rows


@cache
def _band_levels_array(colour: tuple[int, int, int]) -> np.ndarray:
    import numpy as np

    return np.array(_band_levels(colour), np.uint8)


@cache
def _palette_bytes() -> bytes:
    return bytes(_card_palette().getpalette())


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_file(rows: np.ndarray, palette: bytes) -> bytes:
    """An 8-bit palette PNG from its filtered scanlines (`rows`: height × (1 + width)
    bytes, each row's first byte its filter type) and its RGB palette: the chunks
    Pillow writes for such an image (IHDR, PLTE, IDAT, IEND), with no timestamp."""
    height, width = rows.shape[0], rows.shape[1] - 1
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"PLTE", palette),
            _png_chunk(b"IDAT", isal_zlib.compress(rows, 1)),
            _png_chunk(b"IEND", b""),
        )
    )


_TOUCHED = [0] + [255] * 255


@cache
def _band_levels(colour: tuple[int, int, int]) -> list[int]:
    """The palette index quantize gives `colour` painted over the band at each coverage."""
    ramp = Image.new("RGB", (256, 1), BRAND)
    ramp.paste(colour, (0, 0), Image.frombytes("L", (256, 1), bytes(range(256))))
    return list(ramp.quantize(palette=_card_palette(), dither=Image.Dither.NONE).tobytes())


@lru_cache(maxsize=8)
def _palette_background(site_name: str, font_path: str) -> Image.Image:
    """`_background` of a card without a photo as palette indices, in an "L" image (so
    layers of indices can be pasted onto it), quantized once per build."""
    quantized = _background(site_name, font_path, CARD_SIZE[0]).quantize(
        palette=_card_palette(), dither=Image.Dither.NONE
    )
    return Image.frombytes("L", CARD_SIZE, quantized.tobytes())


def draw_card(
    text: CardText, font_path: str, photo: Image.Image | None = None, *, as_jpeg: bool | None = None
) -> bytes:
    """The share card as PNG bytes, or JPEG bytes when it has a photo (`as_jpeg`
    overrides: a card meant to hold a photo stays JPEG when the photo is unreadable)."""
    if as_jpeg if as_jpeg is not None else photo is not None:
        card = render_card(text, font_path, photo)
        # A photo as PNG weighs 0.5–0.8 MB and takes ~80 ms to encode; JPEG at
        # quality 90 without chroma subsampling keeps the title's edges clean.
        buffer = io.BytesIO()
        card.save(buffer, "JPEG", quality=90, subsampling="4:4:4")
        return buffer.getvalue()
    # Without a photo every pixel is the band, white or the accent over the band, or
    # the logo: a fixed palette holds them all (a third of the bytes of RGB, and no
    # per-card colour search), painted straight into it. ISA-L's deflate at level 1:
    # 21 KB a card, in a sixth of the time of zlib's level 1 (24 KB).
    return palette_png(text, font_path)


def _blend(start: tuple[int, int, int], end: tuple[int, int, int], steps: int) -> list[int]:
    """`steps` colours from `start` to `end`, flattened (as Image.putpalette takes them)."""
    return [
        round(a + (b - a) * i / (steps - 1))
        for i in range(steps)
        for a, b in zip(start, end, strict=True)
    ]


@cache
def _card_palette() -> Image.Image:
    """The band with levels of white and of the accent over it, and the logo on the band
    reduced to LOGO_COLOURS (its 341 colours are anti-aliased edges of three)."""
    logo = Image.new("RGB", (64, 64), BRAND)
    logo.paste(_card_logo(64), (0, 0), _card_logo(64))
    logo_colours = logo.quantize(LOGO_COLOURS, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    colours = _blend(BRAND, WHITE, WHITE_LEVELS) + _blend(BRAND, STAR, ACCENT_LEVELS)[3:]
    colours += logo_colours.getpalette()[: 3 * LOGO_COLOURS]
    palette = Image.new("P", (1, 1))
    palette.putpalette(colours)
    return palette


def png_bytes(image: Image.Image, compress_level: int = 6) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False, compress_level=compress_level)
    return buffer.getvalue()

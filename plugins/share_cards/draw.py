"""Drawing with Pillow: the share card (1200×630) and the site logo at any size.

Everything here is deterministic: the same inputs give the same PNG bytes
(no timestamps, fixed layout engine, fixed resampling), so builds stay
reproducible and a cached card equals a freshly drawn one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont, ImageOps

CARD_SIZE = (1200, 630)
BRAND = (139, 16, 20)  # --brand-bg of theme/static/css/site.css
SHIELD = (179, 18, 27)  # logo.svg
STAR = (255, 210, 63)  # logo.svg; also the card's accent
WHITE = (255, 255, 255)
MARGIN = 64
PHOTO_LEFT = 660  # with a photo: text panel on the left, photo from here to the right edge
SUPERSAMPLE = 4  # the logo is drawn this many times larger, then reduced (anti-aliasing)

# theme/static/images/logo.svg on its 64×64 grid: the shield (two cubic
# Béziers at the bottom) and the star.
SHIELD_START = [(32, 3), (8, 12), (8, 29)]
SHIELD_CURVES = [((8, 44.5), (18.3, 56.3), (32, 61)), ((45.7, 56.3), (56, 44.5), (56, 29))]
SHIELD_END = [(56, 12)]
STAR_POINTS = [(32, 17), (36.1, 25.4), (45.3, 26.7), (38.6, 33.2), (40.2, 42.4), (32, 38),
               (23.8, 42.4), (25.4, 33.2), (18.7, 26.7), (27.9, 25.4)]


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
        points.append(tuple(u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d
                            for a, b, c, d in zip(p0, p1, p2, p3, strict=True)))
    return points


def _shield_outline() -> list[tuple[float, float]]:
    points = list(SHIELD_START)
    for control1, control2, end in SHIELD_CURVES:
        points += _cubic(points[-1], control1, control2, end)
    return points + SHIELD_END


def draw_logo(size: int, *, background: tuple[int, int, int] | None = None,
              scale: float = 1.0) -> Image.Image:
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
    draw.line([*outline, outline[0], outline[1]], fill=(*WHITE, 255),
              width=max(1, round(3 * unit)), joint="curve")
    draw.polygon(place(STAR_POINTS), fill=(*STAR, 255))
    return image.resize((size, size), Image.Resampling.LANCZOS)


@lru_cache(maxsize=32)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    # BASIC layout: text is NFC (precomposed Vietnamese letters, stacked marks
    # included), so no shaping engine is needed and output never depends on one.
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap to `width` pixels (a word longer than a line stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def fit_title(title: str, font_path: str, width: int, max_lines: int,
              sizes: tuple[int, ...] = (68, 62, 56, 50, 46)) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which the title fits in `max_lines`; else the smallest, cut with "…"."""
    for size in sizes:
        font = _font(font_path, size)
        lines = wrap(title, font, width)
        if len(lines) <= max_lines:
            return font, lines
    lines = lines[:max_lines]
    last = lines[-1]
    while last and font.getlength(last + " …") > width:
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


def _title_block(card: Image.Image, text: CardText, font_path: str, width: int,
                 max_lines: int, sizes: tuple[int, ...]) -> None:
    """Kicker and title, bottom-aligned above the accent line, within `width`."""
    draw = ImageDraw.Draw(card)
    font, lines = fit_title(text.title, font_path, width - 2 * MARGIN, max_lines, sizes)
    line_height = round(font.size * 1.3)  # room for stacked marks (Ấ, Ổ) above capitals
    y = CARD_SIZE[1] - MARGIN - 12 - line_height * len(lines) - 52 * bool(text.kicker)
    if text.kicker:
        draw.text((MARGIN, y), text.kicker.upper(), font=_font(font_path, 30), fill=STAR, anchor="lt")
        y += 52
    for line in lines:
        draw.text((MARGIN, y + line_height - round(font.size * 0.28)), line, font=font,
                  fill=WHITE, anchor="ls")
        y += line_height


def draw_card(text: CardText, font_path: str, photo: Image.Image | None = None) -> bytes:
    """The share card as PNG bytes: the title on the brand band, the photo at the right."""
    width, height = CARD_SIZE
    card = Image.new("RGB", CARD_SIZE, BRAND)
    panel = width if photo is None else PHOTO_LEFT
    if photo is not None:
        card.paste(_cover(photo, (width - PHOTO_LEFT, height)), (PHOTO_LEFT, 0))
        ImageDraw.Draw(card).rectangle((PHOTO_LEFT - 8, 0, PHOTO_LEFT, height), fill=STAR)
    _masthead(card, text.site_name, font_path, panel)
    if photo is None:
        _title_block(card, text, font_path, panel, 4, (68, 62, 56, 50, 46))
    else:
        _title_block(card, text, font_path, panel, 6, (56, 50, 44, 40, 36))
    ImageDraw.Draw(card).rectangle((0, height - 12, panel, height), fill=STAR)
    if photo is None:
        # Flat colours and anti-aliased text fit in a 64-colour palette: the PNG is
        # a third of the size and encodes three times faster.
        return png_bytes(card.quantize(64, Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE))
    return png_bytes(card)


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False, compress_level=6)
    return buffer.getvalue()

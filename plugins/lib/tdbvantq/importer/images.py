"""Photos of a story, downloaded to content/images/<slug>/ and linked with {static}; an
image whose real pixels are too few for a photo (an icon, a button, a pixel) is dropped."""

from __future__ import annotations

import io
import re
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from PIL import Image

from tdbvantq.importer.article import Article, Block, Figure
from tdbvantq.importer.fetch import Fetcher, FetchError
from tdbvantq.importer.finish import take_lead_photo
from tdbvantq.importer.photos import too_small
from tdbvantq.importer.urls import web_url
from tdbvantq.writes import write_atomically

_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/avif": ".avif",
}
_MAGIC = ((b"\xff\xd8\xff", ".jpg"), (b"\x89PNG", ".png"), (b"GIF8", ".gif"), (b"RIFF", ".webp"))
_PILLOW_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp", "AVIF": ".avif"}
_KEPT_AS_LINK = (
    "ảnh được giữ là liên kết tới địa chỉ gốc; khi có mạng, chạy “make fix” để tải ảnh về"
)


def _figures(article: Article) -> list[Figure]:
    figures = [article.image] if article.image else []
    figures += [b.figure for b in article.blocks if b.kind == "figure" and b.figure]
    return [f for f in figures if f.src]


def _file_name(index: int, url: str, extension: str) -> str:
    stem = PurePosixPath(urlsplit(url).path).stem.lower()
    stem = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:60] or "anh"
    return f"{index:02d}-{stem}{extension}"


def inspect_image(body: bytes, content_type: str) -> tuple[str, tuple[int, int] | None] | str:
    """(file extension, (width, height) when Pillow can read it) of an image file, or why
    the bytes are not one (Vietnamese, for the warning)."""
    extension = _TYPES.get(content_type) or next(
        (ext for magic, ext in _MAGIC if body.startswith(magic)), None
    )
    size = None
    try:
        with Image.open(io.BytesIO(body)) as image:
            size = image.size
            extension = _PILLOW_FORMATS.get(image.format or "", extension)
    except Image.DecompressionBombError:
        # Billions of pixels in a small file: the build's resizing would refuse it.
        return "ảnh có quá nhiều điểm ảnh (có thể là tệp độc hại)"
    except Exception:  # noqa: BLE001 - anything Pillow cannot read: judged by its type alone
        pass
    if extension is None or not body:
        return f"không phải tệp ảnh ({content_type or 'không rõ kiểu'})"
    return extension, size


def download_images(
    article: Article, slug: str, content_dir: Path, fetcher: Fetcher, *, dry_run: bool
) -> list[Path]:
    """Download every photo. An image too small to be a photo (an icon, a button, a pixel)
    is dropped; a photo that cannot be fetched stays a link to its source address, with its
    caption, and a warning says so. Returns the files written."""
    written: list[Path] = []
    dropped: list[Figure] = []
    number = 0
    for figure in _figures(article):
        if web_url(figure.src) is None:  # javascript:, data:, vbscript:… are never fetched
            shown = figure.src if len(figure.src) <= 80 else figure.src[:80] + "…"
            article.warnings.append(f"bỏ qua ảnh {shown!r}: không phải địa chỉ http(s)")
            dropped.append(figure)
            continue
        try:
            response = fetcher.get(figure.src)
        except FetchError as error:
            article.warnings.append(f"không tải được ảnh {figure.src}: {error} — {_KEPT_AS_LINK}")
            continue
        found = inspect_image(response.body, response.content_type)
        if isinstance(found, str):
            article.warnings.append(f"không tải được ảnh {figure.src}: {found} — {_KEPT_AS_LINK}")
            continue
        extension, size = found
        if size is not None and too_small(*size):
            article.warnings.append(
                f"bỏ ảnh {figure.src}: ảnh {size[0]}×{size[1]} điểm ảnh quá nhỏ để là ảnh của bài "
                "(biểu tượng, nút bấm, logo…)"
            )
            dropped.append(figure)
            continue
        number += 1
        relative = f"images/{slug}/{_file_name(number, figure.src, extension)}"
        figure.local = relative
        target = content_dir / relative
        if dry_run or (target.exists() and target.read_bytes() == response.body):
            continue
        write_atomically(target, response.body)
        written.append(target)
    _settle(article, dropped)
    return written


def _settle(article: Article, dropped: list[Figure]) -> None:
    """Drop what is not a photo; the lead `Image:` is a photo saved in content/ (a lead photo
    that could not be fetched goes back to the top of the body, as a link with its caption)."""
    gone = {id(figure) for figure in dropped}
    article.blocks = [
        b for b in article.blocks if not (b.kind == "figure" and id(b.figure) in gone)
    ]
    if article.image is not None and id(article.image) in gone:
        article.image = None
        take_lead_photo(article)
    if article.image is not None and article.image.src and not article.image.local:
        article.blocks.insert(0, Block("figure", figure=article.image))
        article.image = None

"""Photos of a story, downloaded to content/images/<slug>/ and linked with {static}."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from newsimport.article import Article, Figure
from newsimport.fetch import Fetcher, FetchError
from newsimport.urls import web_url
from safe_write import write_atomically

_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
          "image/avif": ".avif"}
_MAGIC = ((b"\xff\xd8\xff", ".jpg"), (b"\x89PNG", ".png"), (b"GIF8", ".gif"), (b"RIFF", ".webp"))


def _figures(article: Article) -> list[Figure]:
    figures = [article.image] if article.image else []
    figures += [b.figure for b in article.blocks if b.kind == "figure" and b.figure]
    return [f for f in figures if f.src]


def _file_name(index: int, url: str, extension: str) -> str:
    stem = PurePosixPath(urlsplit(url).path).stem.lower()
    stem = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:60] or "anh"
    return f"{index:02d}-{stem}{extension}"


def download_images(
    article: Article, slug: str, content_dir: Path, fetcher: Fetcher, *, dry_run: bool
) -> list[Path]:
    """Download every photo; a failure keeps the caption and adds a warning. Returns new files."""
    written: list[Path] = []
    for index, figure in enumerate(_figures(article), start=1):
        if web_url(figure.src) is None:  # javascript:, data:, vbscript:… are never fetched
            shown = figure.src if len(figure.src) <= 80 else figure.src[:80] + "…"
            article.warnings.append(f"bỏ qua ảnh {shown!r}: không phải địa chỉ http(s)")
            continue
        try:
            response = fetcher.get(figure.src)
        except FetchError as error:
            article.warnings.append(f"không tải được ảnh {figure.src}: {error}")
            continue
        extension = _TYPES.get(response.content_type) or next(
            (ext for magic, ext in _MAGIC if response.body.startswith(magic)), None
        )
        if extension is None or not response.body:
            article.warnings.append(
                f"không tải được ảnh {figure.src}: không phải tệp ảnh ({response.content_type or 'không rõ kiểu'})"
            )
            continue
        relative = f"images/{slug}/{_file_name(index, figure.src, extension)}"
        figure.local = relative
        target = content_dir / relative
        if dry_run or (target.exists() and target.read_bytes() == response.body):
            continue
        write_atomically(target, response.body)
        written.append(target)
    return written

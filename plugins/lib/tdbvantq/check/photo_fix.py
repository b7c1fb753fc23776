"""`make fix` for photos shown from another site's address (contentcheck.remote_photos):
each is downloaded into content/images/<slug>/ when the network is there.

The file is checked to be a real image (Pillow), written atomically, and the photo then
shows `{static}/images/<slug>/<file>` (the importer's `[Ảnh gốc: alt](https://…)` link
becomes the image `![alt]({static}/…)`); the article's new text goes through the same
guard as every fix (fixer.write_fix). A photo that cannot be downloaded keeps its link,
and the reason is printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from tdbvantq.check.document import Document, read_document
from tdbvantq.check.fixer import Change, FixRefused, write_fix
from tdbvantq.check.remote_photos import find_remote_photos
from tdbvantq.check.runner import kind_of
from tdbvantq.importer.fetch import Fetcher, FetchError
from tdbvantq.importer.images import inspect_image
from tdbvantq.writes import write_atomically

_LINES = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")


def _slug(doc: Document) -> str:
    slug = re.sub(r"[^a-z0-9-]+", "-", doc.value("slug").strip().lower()).strip("-")
    return slug or re.sub(r"[^a-z0-9-]+", "-", doc.path.stem.lower()).strip("-") or "anh"


def _file_name(folder: Path, url: str, extension: str, body: bytes) -> str:
    """A free name in `folder` for this photo (the same file again reuses its name)."""
    stem = PurePosixPath(unquote(urlsplit(url).path)).stem.lower()
    stem = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:60] or "anh"
    for number in range(1, 1000):
        name = f"{stem}{extension}" if number == 1 else f"{stem}-{number}{extension}"
        target = folder / name
        if not target.exists() or target.read_bytes() == body:
            return name
    raise OSError(f"{folder}: quá nhiều ảnh trùng tên {stem}")


@dataclass
class PhotoFixes:
    changes: list[Change]
    failures: list[str]  # "path:line: không tải được ảnh URL: why — giữ nguyên liên kết"


def download_remote_photos(
    path: Path, content_root: Path, fetcher: Fetcher | None = None
) -> PhotoFixes:
    """Download every remote photo of `path` into content/images/<slug>/ and link it there.
    The photos written and the file's new text are atomic writes; a photo that cannot be
    downloaded keeps its link, and the reason is in `failures`."""
    doc = read_document(path, kind_of(path, content_root), content_root)
    result = PhotoFixes([], [])
    photos = find_remote_photos(doc)
    if not photos or doc.decode_error:
        return result
    fetcher = fetcher or Fetcher()
    slug = _slug(doc)
    folder = content_root / "images" / slug
    lines = _LINES.findall(doc.text)  # the lines as numbered by the checks, with their endings
    for photo in photos:
        where = f"{path}:{photo.line}"
        try:
            response = fetcher.get(photo.url)
        except FetchError as error:
            result.failures.append(
                f"{where}: không tải được ảnh {photo.url}: {error} — giữ nguyên liên kết"
            )
            continue
        found = inspect_image(response.body, response.content_type)
        if isinstance(found, str):
            result.failures.append(
                f"{where}: không tải được ảnh {photo.url}: {found} — giữ nguyên liên kết"
            )
            continue
        name = _file_name(folder, photo.url, found[0], response.body)
        target = folder / name
        if not target.exists():
            write_atomically(target, response.body)
        index = photo.line - 1
        old, new = photo.downloaded(f"{{static}}/images/{slug}/{name}")
        lines[index] = lines[index].replace(old, new, 1)
        result.changes.append(
            Change(path, photo.line, f"tải ảnh {photo.url} về content/images/{slug}/{name}")
        )
    if result.changes:
        after = "".join(lines)
        try:
            write_fix(path, doc.text, after, content_root)
        except FixRefused as refusal:
            result.failures.append(
                f"{path}: không sửa tệp — sau khi sửa sẽ có lỗi mới: " + "; ".join(refusal.reasons)
            )
            result.changes.clear()
    return result

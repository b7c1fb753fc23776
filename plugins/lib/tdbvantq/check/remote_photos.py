"""Photos shown from another site's address: `make check` lists them, `make fix` downloads
them into content/images/<slug>/ when the network is there.

The importer keeps a photo it could not download as a link to its source address,
`[Ảnh gốc: alt](https://…)` with its caption on the next line (a link: a published page
never loads anything from another site); an editor may also write a Markdown image
`![alt](https://…)`, an `<img src="https://…">` or `Image: https://…`. Such a photo depends
on the other site (it may vanish or change), so each is a warning naming the line and the
address. The fix is contentcheck.photo_fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tdbvantq.check.document import Document
from tdbvantq.check.problems import Problem, warning

# A Markdown image or an HTML <img> whose address is on the web, and an Image: header.
_MARKDOWN_IMAGE = re.compile(r"!\[((?:\\.|[^\]\\])*)\]\((https?://[^)\s]+)\)", re.IGNORECASE)
# The importer's photo kept as a link (newsimport.markdown.PHOTO_LINK_LABEL).
_PHOTO_LINK = re.compile(r"(?<!!)\[Ảnh gốc(?::\s*((?:\\.|[^\]\\])*))?\]\((https?://[^)\s]+)\)")
_HTML_IMAGE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["'](https?://[^"'\s>]+)["']""", re.IGNORECASE)
_FENCE = re.compile(r"^\s*(```|~~~)")
_HINT = (
    "Khi có mạng, chạy “make fix” để tải ảnh về content/images/<slug>/; hoặc tự chép ảnh "
    "vào đó rồi thay địa chỉ bằng {static}/images/<slug>/<tên-ảnh>."
)


@dataclass(frozen=True)
class RemotePhoto:
    line: int  # 1-based
    url: str  # as written in the file
    written: str = ""  # the whole link or image as written ("" for Image: and <img>)
    alt: str = ""  # its alt text, as written (escaped Markdown)

    def downloaded(self, local: str) -> tuple[str, str]:
        """(what to replace, its replacement) once the photo is saved at `local`."""
        if self.written:
            return self.written, f"![{self.alt}]({local})"
        return self.url, local


def find_remote_photos(doc: Document) -> list[RemotePhoto]:
    """Every photo of the file shown from a web address: the Image header and the body's
    Markdown and HTML images (not inside code blocks)."""
    found: list[RemotePhoto] = []
    image = doc.meta.get("image")
    if image and re.match(r"https?://", image.value.strip(), re.IGNORECASE):
        found.append(RemotePhoto(image.line, image.value.strip()))
    fenced = False
    for number, line in doc.body_lines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        for pattern in (_MARKDOWN_IMAGE, _PHOTO_LINK):
            found += [RemotePhoto(number, m[2], m[0], m[1] or "") for m in pattern.finditer(line)]
        found += [RemotePhoto(number, m[1]) for m in _HTML_IMAGE.finditer(line)]
    return found


def remote_photos(doc: Document) -> Iterator[Problem]:
    """A warning for each photo shown from another site's address."""
    for photo in find_remote_photos(doc):
        shown = photo.url if len(photo.url) <= 100 else photo.url[:99] + "…"
        yield warning(
            doc.path,
            photo.line,
            "remote-photo",
            f"Ảnh lấy từ địa chỉ bên ngoài: {shown}",
            _HINT,
            fixable=True,
        )

"""Every {static}/{filename}/{attach} link of a content file points to an existing file, and a
published one never to a story no build publishes yet."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from tdbvantq.check.context import Context
from tdbvantq.check.document import Document, read_document
from tdbvantq.check.meta_rules import TIMEZONE, parse_date
from tdbvantq.check.placeholders import MARKER_PATTERN
from tdbvantq.check.problems import Problem, error

# Pelican's intra-site link syntax, old (|static|) and new ({static}) forms.
_LINK = re.compile(r"""(?:\{|\|)(static|filename|attach)(?:\}|\|)([^\s"'<>)\]]+)""")
_MARKDOWN = {".md", ".markdown", ".mdown", ".mkd"}
# Pelican rewrites these links only where a URL stands: a Markdown link or image target,
# an HTML attribute, a reference definition or a header value such as `Image:`. In prose
# ("cú pháp {static}.") the text is published as written, so it is not a link to check.
_LINK_CONTEXT = re.compile(r"""(?:\]\(\s*<?|\]:\s*|=\s*["']?|<|,\s*|^[A-Za-z_]+:\s*)$""")


def internal_links(doc: Document) -> Iterator[Problem]:
    for number, line in enumerate(doc.lines, 1):
        if MARKER_PATTERN.search(line):
            continue  # an unfilled scaffold line, reported as such
        for match in _LINK.finditer(line):
            if not _LINK_CONTEXT.search(line, 0, match.start()):
                continue
            kind, target = match.group(1), match.group(2)
            path = unquote(target.split("#", 1)[0].split("?", 1)[0])
            if not path:
                continue
            resolved = _resolve(doc, path)
            if resolved.is_file():
                continue
            what = "Ảnh hoặc tệp" if kind != "filename" else "Bài hoặc trang"
            yield error(
                doc.path,
                number,
                "broken-link",
                f"{what} được dẫn tới không tồn tại: {{{kind}}}{target}",
                _hint(doc, resolved, kind),
            )


def _resolve(doc: Document, path: str) -> Path:
    if path.startswith("/"):
        return doc.content_root / path.lstrip("/")
    return doc.path.parent / path


def _hint(doc: Document, missing: Path, kind: str) -> str:
    folder = missing.parent
    try:
        shown = folder.relative_to(doc.content_root)
        where = f"{{{kind}}}/{shown.as_posix()}/" if str(shown) != "." else f"{{{kind}}}/"
    except ValueError:
        where = f"{folder}/"
    if folder.is_dir():
        names = sorted(p.name for p in folder.iterdir() if p.is_file())
        close = difflib.get_close_matches(missing.name, names, n=1, cutoff=0.6)
        if close:
            return f"Có phải “{where}{close[0]}”? Sửa lại tên tệp trong liên kết."
        return f"Kiểm tra tên tệp; trong {where} hiện có {len(names)} tệp."
    return (
        f"Thư mục {where} chưa có: chép ảnh vào content/images/<slug>/ rồi dẫn bằng "
        "{static}/images/<slug>/<tên-ảnh>."
    )


# --- links to stories no build publishes yet ------------------------------------------------


def is_unpublished(doc: Document, now: datetime) -> bool:
    """A draft, or an article dated after `now`: no publish build writes it (plugins/schedule)."""
    if doc.value("status").strip().lower() == "draft":
        return True
    if doc.kind != "article":
        return False
    when = parse_date(doc.value("date")) if doc.value("date") else None
    if when is None:
        return False
    return (when if when.tzinfo else when.replace(tzinfo=TIMEZONE)) > now


def links_to_unpublished(doc: Document, context: Context) -> Iterator[Problem]:
    """A published story or page linking with {filename} to a draft or a scheduled story:
    the publish build leaves the target out, and Pelican would publish the link as a
    literal `{filename}/…` address naming it. `make publish` stops on it in these words."""
    if is_unpublished(doc, context.now):
        return  # a draft may link to another one: both are previews
    for number, line in enumerate(doc.lines, 1):
        if MARKER_PATTERN.search(line):
            continue
        for match in _LINK.finditer(line):
            path = unquote(match.group(2).split("#", 1)[0].split("?", 1)[0])
            if match.group(1) != "filename" or not path:
                continue
            target = _resolve(doc, path)
            if target.suffix not in _MARKDOWN or not target.is_file():
                continue
            try:
                top = target.resolve().relative_to(doc.content_root.resolve()).parts[:1]
            except ValueError:
                top = ()
            kind = "page" if top == ("pages",) else "article"
            if is_unpublished(read_document(target, kind, doc.content_root), context.now):
                yield error(
                    doc.path,
                    number,
                    "link-to-unpublished",
                    f"Bài hoặc trang được dẫn tới chưa xuất bản (bản nháp hoặc hẹn giờ đăng): "
                    f"{{filename}}{match.group(2)}",
                    "Bỏ liên kết này, hoặc xuất bản bài kia trước (xóa dòng Status: draft, "
                    "hoặc đợi tới giờ đăng).",
                )

"""Every {static}/{filename}/{attach} link of a content file points to an existing file."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from contentcheck.document import Document
from contentcheck.placeholders import MARKER_PATTERN
from contentcheck.problems import Problem, error

# Pelican's intra-site link syntax, old (|static|) and new ({static}) forms.
_LINK = re.compile(r"""(?:\{|\|)(static|filename|attach)(?:\}|\|)([^\s"'<>)\]]+)""")


def internal_links(doc: Document) -> Iterator[Problem]:
    for number, line in enumerate(doc.lines, 1):
        if MARKER_PATTERN.search(line):
            continue  # an unfilled scaffold line, reported as such
        for match in _LINK.finditer(line):
            kind, target = match.group(1), match.group(2)
            path = unquote(target.split("#", 1)[0].split("?", 1)[0])
            if not path:
                continue
            resolved = _resolve(doc, path)
            if resolved.is_file():
                continue
            what = "Ảnh hoặc tệp" if kind != "filename" else "Bài hoặc trang"
            yield error(
                doc.path, number, "broken-link",
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

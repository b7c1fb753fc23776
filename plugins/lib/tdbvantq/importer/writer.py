"""Article files: metadata header + Markdown body, content hash, atomic writes, re-import.

`Import_Hash` is a hash of the file as generated, every line but `Imported:` and
`Import_Hash:` included; a file whose current hash differs was edited by hand.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from tdbvantq.importer.article import Article
from tdbvantq.importer.markdown import blocks_to_markdown, escape
from tdbvantq.importer.urls import canonical_url, web_url
from tdbvantq.markdown.header import parse_header
from tdbvantq.text import slugify
from tdbvantq.text.dates import to_vietnam_time

# Lines left out of Import_Hash: the import's own stamps, and Status, which the editor
# changes to publish a story (publishing is not an edit that re-imports must respect).
_VOLATILE = ("Imported:", "Import_Hash:", "Status:")
# Longest slug the importer writes: a long headline's slug is cut at a word boundary, so
# articles/<yyyy>/<slug>-2.md, images/<slug>/… and the built <yyyy>/<slug>/index.html stay
# well inside every file system's 255-byte name limit (and Windows' 260-character paths).
SLUG_MAX = 80
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Schemes that run code ("data:" is left alone in a header: "Big data: …" is a title).
_SCRIPT_SCHEME = re.compile(r"\b(javascript|vbscript|livescript)(\s*):", re.IGNORECASE)


def format_date(moment: datetime | date) -> str:
    """Pelican's metadata form in the page's own offset, "2023-08-03 08:57-05:00".

    The site requires a time: a page that gives the day alone is written at 00:00
    Vietnam time (the importer warns). Naive times are Vietnam time."""
    if not isinstance(moment, datetime):
        return f"{moment:%Y-%m-%d} 00:00+07:00"
    if moment.tzinfo is None:
        moment = to_vietnam_time(moment)
    offset = moment.strftime("%z") or "+0000"
    return f"{moment:%Y-%m-%d %H:%M}{offset[:3]}:{offset[3:5]}"


def _one_line(value: str) -> str:
    # Metadata comes from the web: one line (a newline would start another field), no
    # control character, no markup (the theme escapes it too).
    # A script scheme's colon becomes a fullwidth one: the field is shown as text, and no
    # check or reader may take "javascript:" in it for an address.
    value = _SCRIPT_SCHEME.sub("\\1\\2：", _CONTROL.sub(" ", str(value)))
    return " ".join(value.split()).replace("<", "‹").replace(">", "›")


def short_slug(slug: str, limit: int = SLUG_MAX) -> str:
    """`slug` cut to at most `limit` characters at a word boundary ("-")."""
    if len(slug) <= limit:
        return slug
    head = slug[: limit + 1]
    cut = head.rsplit("-", 1)[0].strip("-") if "-" in head else ""
    return cut or slug[:limit]


def article_slug(article: Article) -> str:
    return short_slug(slugify(article.title)) or "bai-viet"


def render(article: Article, slug: str) -> str:
    """The file's text without the Imported/Import_Hash lines."""
    fields: list[tuple[str, str | None]] = [
        ("Title", article.title),
        # No date found: a draft without a Date line (Pelican builds it, `make check` asks for it).
        ("Date", format_date(article.date) if article.date else None),
        # Several authors: Pelican's multi-author `Authors: A, B` (an author page for each).
        ("Authors" if len(article.authors) > 1 else "Author", ", ".join(article.authors)),
        ("Category", article.category),
        ("Slug", slug),
        ("Summary", escape(article.summary)),  # Pelican renders the summary as Markdown
        ("Source", web_url(article.source_url)),  # a link on the page: http(s) only
        ("Source_Name", article.source_name),
        (
            "Image",
            f"{{static}}/{article.image.local}" if article.image and article.image.local else None,
        ),
        ("Image_Caption", article.image.caption if article.image else None),
        ("Models", "; ".join(article.models)),
        ("Tags", ", ".join(article.tags)),
        ("Status", "draft" if article.draft or not article.date else None),
    ]
    header = "".join(f"{name}: {_one_line(value)}\n" for name, value in fields if value)
    return header + "\n" + blocks_to_markdown(article.blocks)


def content_hash(text: str) -> str:
    kept = [line for line in text.splitlines() if not line.startswith(_VOLATILE)]
    return hashlib.sha256("\n".join(kept).encode("utf-8")).hexdigest()[:16]


def with_import_lines(text: str, imported: datetime) -> str:
    """Insert Imported and Import_Hash at the end of the header."""
    header, _, body = text.partition("\n\n")
    stamp = to_vietnam_time(imported).replace(microsecond=0).isoformat()
    return f"{header}\nImported: {stamp}\nImport_Hash: {content_hash(text)}\n\n{body}"


def read_header(path: Path) -> dict[str, str]:
    """Lower-cased metadata key -> value, as Pelican reads the file's header."""
    return parse_header(path.read_text(encoding="utf-8", errors="replace")).values()


def index_by_source(content_dir: Path) -> dict[str, Path]:
    """Canonical source URL -> the article file that imported it."""
    index: dict[str, Path] = {}
    for path in sorted((content_dir / "articles").rglob("*.md")):
        if not path.is_file():  # a FIFO would block the read (the build reports it)
            continue
        source = read_header(path).get("source")
        if source:
            index.setdefault(canonical_url(source), path)
    return index


def _same_story(path: Path, article: Article) -> bool:
    """Whether the file at `path` holds this story: same source URL when both have one,
    else same title and date."""
    header = read_header(path)
    other = header.get("source")
    if other and article.source_url:
        return canonical_url(other) == canonical_url(article.source_url)
    date_line = format_date(article.date) if article.date else None
    return header.get("title") == _one_line(article.title) and header.get("date") == date_line


def place(article: Article, target: Path, existing: Path | None) -> tuple[Path, str | None]:
    """Where the story goes, and a note when its slug is taken by a different story.

    `existing` is the file already holding this source URL. Otherwise a file at `target`
    holding another story is never overwritten: the story gets the next free "-2", "-3"...
    """
    if existing is not None:
        return existing, None
    path, n = target, 2
    while path.exists() and (not path.is_file() or not _same_story(path, article)):
        path = target.with_name(f"{target.stem}-{n}.md")
        n += 1
    if path == target:
        return path, None
    return path, f"{target} đã chứa một bài khác cùng slug — bài này được lưu thành {path.name}"


@dataclass
class Plan:
    """What writing an article would do: status, target path and the reason of a refusal."""

    status: str  # "created" | "updated" | "unchanged" | "failed"
    path: Path
    error: str | None = None


def plan_write(new_text: str, path: Path, force: bool) -> Plan:
    """Decide created/updated/unchanged, or refuse to overwrite a hand-edited file."""
    if not path.exists():
        return Plan("created", path)
    old_text = path.read_text(encoding="utf-8", errors="replace")
    stored = read_header(path).get("import_hash")
    current = content_hash(old_text)
    new = content_hash(new_text)
    if new == current:
        return Plan("unchanged", path)
    if stored != current and not force:
        return Plan(
            "failed",
            path,
            f"{path} đã được sửa tay sau khi nhập nên không ghi đè — thêm --force để ghi đè",
        )
    return Plan("updated", path)

"""Scaffold a correctly shaped article for an editor to fill in (scripts/new_article.py).

Every metadata field is either filled or holds a "[CẦN ĐIỀN: …]" marker (Image is
left empty instead: the build stops on an Image naming no file). The article is a draft
(`Status: draft`, off the site's lists) until the editor deletes that line, unless it is
created with `publish`. Never overwrites.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tdbvantq.check.context import load_matcher
from tdbvantq.check.placeholders import to_fill
from tdbvantq.text import normalize, slugify
from tdbvantq.text.slugs import safe_slug, usable_slug
from tdbvantq.writes import write_atomically

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_CATEGORY = "Tin tức"


class ScaffoldError(Exception):
    """A refusal or a usage error, with the exit status it maps to."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def format_date(when: datetime) -> str:
    """`2023-08-03 08:57+07:00`, the house format (Asia/Ho_Chi_Minh, minutes)."""
    local = when.astimezone(TIMEZONE)
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{local:%Y-%m-%d %H:%M}{sign}{hours:02d}:{rest:02d}"


def parse_date(text: str, now: datetime) -> datetime:
    """ "2024-05-01", "2024-05-01 08:30" or ISO with an offset; local time is Vietnam's."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ScaffoldError(
            f"ngày giờ “{text}” không đúng dạng NĂM-THÁNG-NGÀY [GIỜ:PHÚT], ví dụ 2024-05-01 08:30",
            2,
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=TIMEZONE)
    if when > now:
        raise ScaffoldError(f"ngày giờ {format_date(when)} ở tương lai", 2)
    return when


def split_models(values: Sequence[str]) -> list[str]:
    return [
        normalize(" ".join(part.split()))
        for value in values
        for part in value.split(";")
        if part.strip()
    ]


def resolve_models(names: list[str], content_dir: Path) -> list[str]:
    """Canonical catalogue names; an unknown name is a usage error with suggestions."""
    if not names:
        return []
    matcher, note = load_matcher(content_dir)
    if matcher is None:
        print(f"Lưu ý: {note}; ghi tên mô hình như đã nhập.", file=sys.stderr)
        return names
    resolved = []
    for name in names:
        slug = matcher.resolve(name)
        if slug is None:
            suggestions = matcher.suggest(name, n=3)
            hint = f" Có phải: {'; '.join(suggestions)}?" if suggestions else ""
            raise ScaffoldError(
                f"mô hình “{name}” không có trong danh mục content/models/.{hint}", 2
            )
        resolved.append(matcher.name_of(slug) or name)
    return list(dict.fromkeys(resolved))


def render_article(
    title: str,
    slug: str,
    when: datetime,
    *,
    author: str | None = None,
    category: str = DEFAULT_CATEGORY,
    models: Sequence[str] = (),
    publish: bool = False,
) -> str:
    """The article's text: the house metadata header, then a body to fill; a draft
    (`Status: draft`, the last header line) unless `publish`."""
    fields = [
        ("Title", title),
        ("Date", format_date(when)),
        ("Author", author or to_fill("tên tác giả")),
        ("Category", category),
        ("Slug", slug),
        ("Summary", to_fill("sapo, 1 đến 3 câu nêu ý chính của bài")),
        ("Source", to_fill("địa chỉ bài gốc https://… (bài tự viết thì xóa dòng này)")),
        ("Source_Name", to_fill("tên báo nguồn (bài tự viết thì xóa dòng này)")),
        # The build stops on an Image that names no file, so this one is left empty:
        # the checker reports an empty field like a marker.
        ("Image", ""),
        (
            "Image_Caption",
            to_fill(
                f"chú thích ảnh; chép ảnh vào content/images/{slug}/ rồi ghi dòng trên là "
                f"Image: {{static}}/images/{slug}/anh-1.jpg (không có ảnh thì xóa cả hai dòng)"
            ),
        ),
        ("Models", "; ".join(models) or to_fill("tên các mô hình, cách nhau bằng dấu chấm phẩy")),
        ("Tags", to_fill("chủ đề cách nhau bằng dấu phẩy")),
        ("Locality", to_fill("địa bàn, ví dụ xã Phú Mỹ (không rõ thì xóa dòng này)")),
    ]
    if not publish:
        # A scaffold full of markers must not reach the home page before anyone reads it.
        fields.append(("Status", "draft"))
    header = "\n".join(f"{key}: {value}".rstrip() for key, value in fields)
    body = "\n\n".join(
        [
            to_fill("đoạn mở đầu của bài"),
            f"## {to_fill('tiêu đề mục')}",
            to_fill("nội dung mục; thêm mục khác bằng dòng bắt đầu với ##"),
        ]
    )
    return f"{header}\n\n{body}\n"


def existing_slug(content_dir: Path, slug: str) -> Path | None:
    """An article already using `slug`, as its file name or its Slug: line."""
    articles = content_dir / "articles"
    if not articles.is_dir():
        return None
    for path in sorted(articles.rglob("*.md")):
        if path.stem == slug:
            return path
        with path.open(encoding="utf-8", errors="replace") as stream:
            for line in stream:
                if not line.strip():
                    break
                if line.lower().startswith("slug:") and line.split(":", 1)[1].strip() == slug:
                    return path
    return None


def create_article(
    title: str,
    content_dir: Path,
    *,
    date: str | None = None,
    models: Sequence[str] = (),
    author: str | None = None,
    category: str = DEFAULT_CATEGORY,
    slug: str | None = None,
    now: datetime | None = None,
    publish: bool = False,
) -> Path:
    """Write a new article and return its path; raise ScaffoldError on refusal."""
    now = now or datetime.now(TIMEZONE)
    title = normalize(" ".join(title.split()))
    if not title:
        raise ScaffoldError("thiếu tiêu đề bài viết", 2)
    if not content_dir.is_dir():
        raise ScaffoldError(f"không có thư mục nội dung “{content_dir}”", 2)
    # The importer's rule: one folder name that fits the file system, never empty.
    slug = usable_slug(slugify(slug)) if slug and slugify(slug) else safe_slug(title)
    when = parse_date(date, now) if date else now.replace(second=0, microsecond=0)
    names = resolve_models(split_models(models), content_dir)
    target = content_dir / "articles" / f"{when.astimezone(TIMEZONE):%Y}" / f"{slug}.md"
    if target.exists():
        raise ScaffoldError(f"đã có bài {target}: không ghi đè", 1)
    taken = existing_slug(content_dir, slug)
    if taken is not None:
        raise ScaffoldError(f"slug “{slug}” đã dùng cho bài {taken}: đặt --slug khác", 1)
    text = render_article(
        title,
        slug,
        when,
        author=normalize(author) if author else None,
        category=normalize(category),
        models=names,
        publish=publish,
    )
    try:
        write_atomically(target, text, exclusive=True)
    except FileExistsError:
        raise ScaffoldError(f"đã có bài {target}: không ghi đè", 1) from None
    return target

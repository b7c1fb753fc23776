"""Metadata checks for content files, independent of Pelican's signals.

Pelican logs a content file it cannot read (bad date, missing title, header
cut short by a malformed line) and builds the site without it. These checks
find the same problems, say exactly what is wrong and where, and let the
plugin stop the build instead.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from mdheader import parse_header, split_lines
from mdsource import code_block_lines, without_inline_code
from strict_content.controls import find_control_characters
from strict_content.files import escaping_links

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
# The one spelling of a date: YYYY-MM-DD HH:MM (seconds optional), then a UTC
# offset (Z or ±HH:MM; without one, Pelican takes the site's TIMEZONE). Other
# spellings such as "03/08/2023" are read month-first by dateutil, silently
# swapping day and month; a date without a time gets midnight.
ISO_DATE_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?$"
)
# Real UTC offsets run from -12:00 to +14:00.
MIN_OFFSET, MAX_OFFSET = timedelta(hours=-12), timedelta(hours=14)
DATE_FIELDS = ("date", "modified")
CONTROL_HINT = "Chạy make fix để xóa chúng (thường do chép từ Word hay từ cửa sổ dòng lệnh)."


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def display_path(path: str | Path) -> str:
    """The path relative to the working directory when inside it, else absolute."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative


def parse_content_date(value: str) -> datetime:
    """A Date/Modified value written the one accepted way; ValueError says what is wrong."""
    match = ISO_DATE_RE.match(value.strip())
    if not match:
        raise ValueError("is not an ISO 8601 date and time (write YYYY-MM-DD HH:MM+07:00)")
    offset = match["offset"]
    if offset and offset != "Z":
        hours, minutes = int(offset[1:3]), int(offset[-2:])
        span = timedelta(hours=hours, minutes=minutes) * (-1 if offset[0] == "-" else 1)
        if minutes >= 60 or not MIN_OFFSET <= span <= MAX_OFFSET:
            raise ValueError(f"has a UTC offset {offset} outside -12:00..+14:00")
    try:
        return datetime.fromisoformat(re.sub(r"\s+(?=[Z+-])", "", value.strip()))
    except ValueError as error:
        raise ValueError(f"is not a valid date ({error})") from None


def check_date(value: str, *, iso_only: bool) -> str | None:
    """Why `value` is not a usable date, or None when it is."""
    try:
        parse_content_date(value)
        return None
    except ValueError as error:
        if iso_only:
            return str(error)
    from pelican.utils import get_date  # lenient formats, as Pelican reads them

    try:
        get_date(value)
    except (ValueError, OverflowError):
        return "is not a valid date"
    return None


_UNSAFE_TAG = re.compile(r"<\s*(script|iframe|frame|object|embed)\b([^>]*)", re.IGNORECASE)
_EVENT_ATTR = re.compile(r"<[a-zA-Z][^>]*?\s(on[a-zA-Z]+)\s*=", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"""(?:[(=]|["'])\s*(javascript|vbscript)\s*:""", re.IGNORECASE)
_SRC = re.compile(r"""\ssrc\s*=\s*["']?https://([^/"'\s>:]+)[/"'\s>]""", re.IGNORECASE)


@dataclass(frozen=True)
class ActiveMarkup:
    """Raw HTML in a content file that would run code or embed another site."""

    line: int
    message: str  # Vietnamese, for editors: the content checker's and the build's wording
    hint: str

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}"


def find_active_markup(
    lines: Sequence[str], body_start: int = 1, iframe_hosts: Collection[str] = ()
) -> Iterator[ActiveMarkup]:
    """`<script>`, iframes, `on*=` attributes and `javascript:` URLs outside code.

    Markdown passes raw HTML through to the page and the feeds (nothing
    sanitizes content/). Code blocks and inline code are shown, not run, so they
    are skipped. An `<iframe src="https://HOST/…">` whose HOST is in
    `iframe_hosts` is a trusted embed (STRICT_CONTENT_IFRAME_HOSTS).
    """
    trusted = {host.lower() for host in iframe_hosts}
    code = code_block_lines(lines, body_start)
    for number, raw in enumerate(lines, 1):
        if number in code:
            continue
        line = without_inline_code(raw)
        tag = _UNSAFE_TAG.search(line)
        if tag and not _trusted_iframe(tag, trusted):
            yield ActiveMarkup(
                number,
                f"Có thẻ HTML <{tag.group(1).lower()}> (chạy mã hoặc nhúng trang khác)",
                "Xóa thẻ này; muốn dẫn tới video hay trang khác thì dùng liên kết thường "
                "[tên](https://…).",
            )
        event = _EVENT_ATTR.search(line)
        if event:
            yield ActiveMarkup(
                number,
                f"Có thuộc tính sự kiện {event.group(1)}=… trong thẻ HTML (chạy mã JavaScript)",
                f"Xóa thuộc tính {event.group(1)}=… khỏi thẻ.",
            )
        url = _SCRIPT_URL.search(line)
        if url:
            yield ActiveMarkup(
                number,
                f"Có đường dẫn {url.group(1).lower()}: (chạy mã khi bấm vào)",
                "Thay bằng đường dẫn https://… thật, hoặc xóa liên kết.",
            )


def _trusted_iframe(tag: re.Match[str], trusted: set[str]) -> bool:
    if tag.group(1).lower() != "iframe" or not trusted:
        return False
    source = _SRC.search(tag.group(2) + ">")
    return bool(source) and source.group(1).lower() in trusted


def check_image(value: str, source: Path, content_root: Path) -> str | None:
    """Why the Image metadata does not point to an existing file, or None."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE):
        return None
    path = re.sub(r"^\{(static|attach)\}", "", value)
    base = content_root if path.startswith("/") or path == value else source.parent
    if not (base / path.lstrip("/")).is_file():
        return f"file not found: {path}"
    return None


def check_markdown(
    source: Path,
    content_root: Path,
    *,
    mandatory: tuple[str, ...],
    iso_dates: bool = True,
    iframe_hosts: Collection[str] = (),
    text: str | None = None,
) -> list[Problem]:
    """Every metadata and active-markup problem of one Markdown file (or of `text`,
    as if it were that file's content)."""
    shown = display_path(source)
    try:
        text = source.read_text(encoding="utf-8") if text is None else text
    except UnicodeDecodeError as error:
        return [Problem(shown, f"is not UTF-8 text ({error.reason} at byte {error.start})")]
    header = parse_header(text)
    problems = []
    if header.malformed:
        number, line = header.malformed
        problems.append(Problem(shown, f"header line is not 'Key: value': {line.strip()!r}", number))
    found = {field.key: field for field in header.fields}
    for key in mandatory:
        if key not in found:
            problems.append(Problem(shown, f"missing {key.capitalize()}: metadata"))
    for key in ("title", "date"):
        if key in found and not found[key].value:
            problems.append(Problem(shown, f"{found[key].name} is empty", found[key].line))
    for key in DATE_FIELDS:
        field = found.get(key)
        if field and field.value:
            reason = check_date(field.value, iso_only=iso_dates)
            if reason:
                problems.append(Problem(shown, f"{field.name} {field.value!r} {reason}", field.line))
    image = found.get("image")
    if image and image.value:
        reason = check_image(image.value, source, content_root)
        if reason:
            problems.append(Problem(shown, f"{image.name}: {reason}", image.line))
    lines = split_lines(text.removeprefix("\ufeff"))
    for markup in find_active_markup(lines, header.body_start, iframe_hosts):
        problems.append(Problem(shown, str(markup), markup.line))
    problems.extend(control_problems(shown, text))
    links = escaping_links(lines, source, content_root)
    problems.extend(Problem(shown, message, line) for line, message in links)
    return problems


def control_problems(shown: str, text: str) -> list[Problem]:
    """Control characters (strict_content.controls), with `make check`'s wording."""
    return [
        Problem(shown, f"{message} — {CONTROL_HINT}", line)
        for line, message in find_control_characters(text)
    ]

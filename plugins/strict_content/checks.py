"""Metadata checks for content files, independent of Pelican's signals.

Pelican logs a content file it cannot read (bad date, missing title, header
cut short by a malformed line) and builds the site without it. These checks
find the same problems, say exactly what is wrong and where, and let the
plugin stop the build instead.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from strict_content.controls import find_control_characters
from strict_content.files import escaping_links
from tdbvantq.markdown.header import parse_header, split_lines

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
    text: str | None = None,
) -> list[Problem]:
    """Every metadata problem of one Markdown file (or of `text`, as if it were that
    file's content). Active markup is safe_html's: it judges the rendered HTML."""
    shown = display_path(source)
    try:
        text = source.read_text(encoding="utf-8") if text is None else text
    except UnicodeDecodeError as error:
        return [Problem(shown, f"is not UTF-8 text ({error.reason} at byte {error.start})")]
    header = parse_header(text)
    problems = []
    if header.malformed:
        number, line = header.malformed
        problems.append(
            Problem(shown, f"header line is not 'Key: value': {line.strip()!r}", number)
        )
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
                problems.append(
                    Problem(shown, f"{field.name} {field.value!r} {reason}", field.line)
                )
    image = found.get("image")
    if image and image.value:
        reason = check_image(image.value, source, content_root)
        if reason:
            problems.append(Problem(shown, f"{image.name}: {reason}", image.line))
    lines = split_lines(text.removeprefix("\ufeff"))
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

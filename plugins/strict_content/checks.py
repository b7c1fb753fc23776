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
from datetime import datetime
from pathlib import Path

from mdheader import parse_header

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
# ISO 8601 as Pelican's reader accepts it; other spellings such as "03/08/2023"
# are read month-first by dateutil, silently swapping day and month.
ISO_DATE_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"
)
DATE_FIELDS = ("date", "modified")


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


def check_date(value: str, *, iso_only: bool) -> str | None:
    """Why `value` is not a usable date, or None when it is."""
    if iso_only and not ISO_DATE_RE.match(value):
        return "is not an ISO 8601 date (write YYYY-MM-DD HH:MM+07:00)"
    try:
        datetime.fromisoformat(value.replace(" +", "+").replace(" -", "-").replace(" Z", "Z"))
    except ValueError as error:
        if iso_only:
            return f"is not a valid date ({error})"
        from pelican.utils import get_date  # lenient formats, as Pelican reads them

        try:
            get_date(value)
        except ValueError:
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
) -> list[Problem]:
    """Every metadata problem of one Markdown file."""
    shown = display_path(source)
    try:
        text = source.read_text(encoding="utf-8")
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
    return problems

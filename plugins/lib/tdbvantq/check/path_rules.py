"""Files and addresses: the build's rules (strict_content.files, .controls, .urls), run by
`make check` with the same words and on the same lines.

- `unsafe-file`: an entry of the content folder that is not a regular file inside it
  (FIFO, device, link out of the folder), a static file type a browser runs, an SVG
  with anything but shapes and text;
- `control-char` (fix): control characters other than tab and line endings;
- `bad-slug`, `bad-override`, `reserved-path`, `same-output`: a `Slug` that is a path
  or too long, a `Save_as`/`URL` that leaves the item's folder, a page in one of the
  site's own folders, two items written to one file (case or `..` aside).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from strict_content.checks import CONTROL_HINT, parse_content_date
from strict_content.controls import find_control_characters
from strict_content.files import escaping_links, file_problem, scan_content, static_problem
from strict_content.urls import (
    output_key,
    override_problem,
    reserved_names,
    reserved_problem,
    slug_problem,
)
from tdbvantq.check.document import ARTICLE, PAGE, Document
from tdbvantq.check.problems import Problem, error
from tdbvantq.text import usable_slug

PROJECT_SETTINGS = Path(__file__).resolve().parents[4] / "pelicanconf.py"


@lru_cache(maxsize=8)
def site_settings(content_root: Path) -> dict[str, Any]:
    """Pelican's settings for `content_root`: the pelicanconf.py beside it, else the
    project's own (a test's or a fork's content folder is built with it), over Pelican's
    defaults."""
    from pelican.settings import DEFAULT_CONFIG, get_settings_from_file

    settings = dict(DEFAULT_CONFIG)
    for candidate in (content_root.parent / "pelicanconf.py", PROJECT_SETTINGS):
        if candidate.is_file():
            try:
                settings.update(get_settings_from_file(str(candidate)))
            except Exception:  # a settings file that does not load: the build will say why
                continue
            break
    return settings


# --- files ------------------------------------------------------------------------------------


def unsafe_files(root: Path, settings: Mapping[str, Any]) -> Iterator[Problem]:
    """The content folder's entries the build never reads or publishes."""
    for found in scan_content(root):
        yield _file_error(found.path, found.message, found.line)
    for folder in settings.get("STATIC_PATHS") or []:
        start = root / folder
        files = [start] if start.is_file() else sorted(p for p in start.rglob("*") if p.is_file())
        for path in files:
            if any(part.startswith(".") for part in path.relative_to(root).parts):
                continue
            if file_problem(path, root) is None:
                found = static_problem(path, root)
                if found:
                    yield _file_error(found.path, found.message, found.line)


def given_file(path: Path, root: Path) -> Problem | None:
    """A file named on the command line that may not be read (never opened), or a
    static file (not Markdown) that may not be published."""
    reason = file_problem(path, root)
    if reason:
        return _file_error(path, reason, None)
    if path.suffix not in (".md", ".markdown", ".mdown", ".mkd"):
        found = static_problem(path, root)
        if found:
            return _file_error(found.path, found.message, found.line)
    return None


def _file_error(path: Path, reason: str, line: int | None) -> Problem:
    message, _, hint = reason.partition(" — ")
    hint = hint or "Xóa tệp này, hoặc thay bằng tệp thật nằm trong thư mục nội dung."
    return error(path, line or 0, "unsafe-file", message, hint)


def links_out(doc: Document) -> Iterator[Problem]:
    """`{static}`/`{filename}` links climbing out of the content folder (the build's rule)."""
    for line, reason in escaping_links(doc.lines, doc.path, doc.content_root):
        yield error(doc.path, line, "link-outside", *_split(reason))


def control_characters(doc: Document) -> Iterator[Problem]:
    for line, message in find_control_characters(doc.text):
        yield error(doc.path, line, "control-char", message, CONTROL_HINT, fixable=True)


# --- addresses --------------------------------------------------------------------------------


def _pelican_slug(doc: Document, settings: Mapping[str, Any]) -> str:
    if doc.value("slug"):
        return usable_slug(doc.value("slug"))
    from pelican.utils import slugify

    return slugify(
        doc.path.stem,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )


def default_save_as(
    doc: Document, settings: Mapping[str, Any], slug: str | None = None
) -> str | None:
    """Where the build writes `doc` without overrides, as Pelican formats it; None when
    that cannot be known (no valid Date, a pattern with other fields)."""
    draft = doc.value("status").lower() == "draft"
    key = {ARTICLE: "DRAFT" if draft else "ARTICLE", PAGE: "DRAFT_PAGE" if draft else "PAGE"}.get(
        doc.kind
    )
    if key is None:
        return None
    values: dict[str, Any] = {
        "slug": _pelican_slug(doc, settings) if slug is None else slug,
        "lang": doc.value("lang") or settings.get("DEFAULT_LANG", "en"),
    }
    if doc.value("date"):
        try:
            values["date"] = parse_content_date(doc.value("date"))
        except ValueError:
            pass
    try:
        return str(settings[f"{key}_SAVE_AS"]).format(**values)
    except (KeyError, ValueError, IndexError, AttributeError):
        return None


def address_rules(doc: Document, settings: Mapping[str, Any]) -> Iterator[Problem]:
    """Slug, Save_as/URL overrides, and a page's folder (the build's rules)."""
    if "slug" in doc.meta:
        reason = slug_problem(doc.value("slug"))
        if reason:
            yield error(doc.path, doc.line_of("slug"), "bad-slug", *_split(reason))
    default = default_save_as(doc, settings)
    if default is None:
        return
    for key in ("save_as", "url"):
        if key in doc.meta:
            reason = override_problem(key, doc.value(key), default)
            if reason:
                yield error(doc.path, doc.line_of(key), "bad-override", *_split(reason))
    if doc.kind == PAGE:
        reason = reserved_problem(default, reserved_names(settings))
        if reason:
            yield error(doc.path, _line(doc, "slug"), "reserved-path", *_split(reason))


def _line(doc: Document, key: str) -> int:
    """The line of a header field, 0 (no line) when the file has none."""
    return doc.meta[key].line if key in doc.meta else 0


def _split(reason: str) -> tuple[str, str]:
    """The build's one-line reason as the checker's message and hint."""
    message, _, hint = reason.partition(" — ")
    return message, hint or "Sửa dòng này."


def _effective_save_as(doc: Document, settings: Mapping[str, Any]) -> str | None:
    default = default_save_as(doc, settings)
    if default is None:
        return None
    override = doc.value("save_as") if "save_as" in doc.meta else None
    if override is not None and override_problem("save_as", override, default) is None:
        return override
    return default


def same_output(docs: Iterable[Document], settings: Mapping[str, Any]) -> Iterator[Problem]:
    """Two articles or pages written to one file on a case-insensitive host, or through
    `..` (the build's rule and order: pages first, then by path; the later is reported)."""
    chosen = [d for d in docs if d.kind in (ARTICLE, PAGE) and not d.decode_error]
    chosen.sort(key=lambda d: (d.kind != PAGE, str(d.path)))
    owners: dict[str, tuple[Document, str]] = {}
    raw_targets = []
    for doc in chosen:
        save_as = _effective_save_as(doc, settings)
        if "slug" in doc.meta and slug_problem(doc.value("slug")):
            raw = default_save_as(doc, settings, slug=doc.value("slug"))
            if raw:
                raw_targets.append((doc, raw))
        if not save_as:
            continue
        first, first_path = owners.setdefault(output_key(save_as), (doc, save_as))
        if first is not doc and first_path != save_as:
            yield error(
                doc.path,
                _line(doc, "save_as") or _line(doc, "slug"),
                "same-output",
                f"ghi vào cùng một tệp với {_short(first)} ({first_path}) trên máy chủ không"
                " phân biệt chữ hoa chữ thường",
                "Đặt Slug khác (chỉ chữ thường, số và dấu gạch ngang).",
            )
    for doc, raw in raw_targets:
        other = owners.get(output_key(raw))
        if other is not None and other[0] is not doc:
            yield error(
                doc.path,
                doc.line_of("slug"),
                "same-output",
                f"Slug này sẽ ghi đè lên {_short(other[0])} ({other[1]})",
                "Đặt Slug khác (chỉ chữ thường, số và dấu gạch ngang).",
            )


def _short(doc: Document) -> str:
    try:
        return doc.path.relative_to(doc.content_root).as_posix()
    except ValueError:
        return str(doc.path)

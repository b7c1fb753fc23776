"""The build's side of the file and path rules (strict_content.files, .controls, .urls).

- `guard_readers`: no generator is given a file that is not a regular file inside
  the content folder (a FIFO named `x.md` would hang the read, a link to
  `/proc/self/environ` would be published), nor walks a linked folder that leads
  out of it;
- `content_file_problems`: those files, the static files that may not be published
  (active types, SVGs with anything but shapes and text) and control characters in
  model files, as problems;
- `drop_unsafe_static`: such static files are never copied, whatever STRICT_CONTENT
  says;
- `site_path_problems`: Slug and Save_as/URL rules (a refused override is dropped
  from the item: the default place is used, never the override), pages in the
  site's own folders (left out), and two items written to one file (also when the
  paths differ only in case or in `..` steps);
- `strip_control_characters`: nothing published holds a control character.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from strict_content.checks import Problem, control_problems, display_path
from strict_content.controls import CONTROL
from strict_content.files import FileProblem, file_problem, inside, scan_content, static_problem
from strict_content.urls import (
    output_key,
    override_problem,
    reserved_names,
    reserved_problem,
    slug_problem,
)
from tdbvantq.markdown.header import parse_header

BAD_FILES_KEY = "strict_content_bad_files"  # context: absolute paths never read or copied
CONTENT_KINDS = ("articles", "drafts", "pages", "hidden_pages", "draft_pages")


def as_problem(found: FileProblem) -> Problem:
    return Problem(display_path(found.path), found.message, found.line)


def _bad_files(generator: Generator) -> list[FileProblem]:
    """The content folder's unreadable entries, scanned once per build (the context is
    shared by every generator of one build)."""
    if BAD_FILES_KEY not in generator.context:
        generator.context[BAD_FILES_KEY] = list(scan_content(generator.path))
    return generator.context[BAD_FILES_KEY]


def guard_readers(generator: Generator) -> None:
    """Wrap the generator's file search: links to folders out of the content folder are
    not walked, and non-regular files or links out of it are never returned."""
    bad = _bad_files(generator)
    root = generator.path
    find = generator.get_files

    def get_files(paths: Any, exclude: list[str] | None = None, extensions: Any = None) -> set[str]:
        linked_out = [
            os.path.relpath(found.path, root) for found in bad if os.path.isdir(found.path)
        ]
        files = find(paths, exclude=[*(exclude or []), *linked_out], extensions=extensions)
        return {name for name in files if file_problem(os.path.join(root, name), root) is None}

    generator.get_files = get_files


REPORTED_KEY = "strict_content_reported_files"  # context: real paths already reported


def content_file_problems(generator: Generator) -> list[Problem]:
    """Entries of the content folder that are never read, and static files never published."""
    found = list(_bad_files(generator))
    root = Path(generator.path)
    for folder in generator.settings.get("STATIC_PATHS") or []:
        start = root / folder
        files = [start] if start.is_file() else sorted(p for p in start.rglob("*") if p.is_file())
        for path in files:
            if any(part.startswith(".") for part in path.relative_to(root).parts):
                continue
            if file_problem(path, root) is None:  # the others are in _bad_files
                problem = static_problem(path, root)
                if problem:
                    found.append(problem)
    generator.context[REPORTED_KEY] = {os.path.realpath(problem.path) for problem in found}
    return [as_problem(problem) for problem in found] + model_control_problems(generator)


def model_control_problems(generator: Generator) -> list[Problem]:
    """Control characters in the model files (model_catalog's MODELS_PATH), which the
    article and page checks do not read."""
    folder = generator.settings.get("MODELS_PATH")
    if not folder:
        return []
    root = Path(generator.path)
    problems = []
    for path in sorted((root / str(folder)).glob("*.md")):
        if file_problem(path, root) is None:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # model_catalog names the file
            problems.extend(control_problems(display_path(path), text))
    return problems


def drop_unsafe_static(generator: Generator) -> list[Problem]:
    """Remove from the static generator every file that may not be published (it is
    then neither copied nor sized nor drawn on a share card). Returns the problems not
    reported yet (a `{static}` link to a file outside the static folders)."""
    root = Path(generator.path)
    reported = generator.context.get(REPORTED_KEY, set())
    kept, problems = [], []
    for static in generator.staticfiles:
        found = static_problem(static.source_path, root)
        if found is None:
            kept.append(static)
            continue
        generator.context["static_content"][static.get_relative_source_path()] = None
        real = os.path.realpath(static.source_path)
        # Files outside the content folder come from links, reported at their line.
        if real not in reported and inside(real, root):
            problems.append(as_problem(found))
    generator.staticfiles = kept
    generator.context["staticfiles"] = kept
    return problems


# The header fields the path rules read (Slug, Save_as, URL).
PATH_FIELDS = ("slug", "save_as", "url")
HEADERS_KEY = "strict_content_headers"  # context: source path -> its PATH_FIELDS


def path_fields(source: str | Path) -> dict[str, Any]:
    """The PATH_FIELDS of a file's header, as `HeaderField`s by name ({} when the file
    cannot be read as UTF-8)."""
    try:
        fields = parse_header(Path(source).read_text(encoding="utf-8")).first()
    except (OSError, UnicodeDecodeError):
        return {}
    return {name: fields[name] for name in PATH_FIELDS if name in fields}


def known_headers(context: dict) -> dict[str, dict[str, Any]]:
    """The PATH_FIELDS of the files checked this build, by absolute path
    (`markdown_problems` notes them with each file's result: not read again here)."""
    return context.setdefault(HEADERS_KEY, {})


def _header(source: str, known: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    found = (known or {}).get(os.path.abspath(source))
    return found if found is not None else path_fields(source)


def default_save_as(item: Any, slug: str | None = None) -> str:
    """Where `item` goes without overrides (with `slug` instead of its own, if given)."""
    if slug is None:
        return item._expand_settings("save_as")
    key = "draft" if item.status == "draft" else type(item).__name__
    if type(item).__name__ == "Page" and item.status == "draft":
        key = "draft_page"
    return str(item.settings[f"{key}_SAVE_AS".upper()]).format(**{**item.url_format, "slug": slug})


def site_path_problems(context: dict, settings: dict) -> list[Problem]:
    """Every item's Slug and Save_as/URL overrides, pages in the site's own folders, and
    items written to one file (also on a case-insensitive host, or through `..`).

    A refused override is removed from the item, so the default place is used even
    when the build goes on (STRICT_CONTENT = False). Collisions name both files; the
    later item is reported (pages first, then by source path)."""
    reserved = reserved_names(settings)
    problems: list[Problem] = []
    items = [item for kind in CONTENT_KINDS for item in context.get(kind, [])]
    page_ids = {id(item) for kind in CONTENT_KINDS[2:] for item in context.get(kind, [])}
    items.sort(key=lambda item: (id(item) not in page_ids, item.source_path))
    raw_targets = []  # (item, line, the path its Slug as written would give)
    known = known_headers(context)
    for item in items:
        source, fields = item.source_path, _header(item.source_path, known)
        slug = fields.get("slug")
        if slug is not None:
            reason = slug_problem(slug.value)
            if reason:
                problems.append(Problem(display_path(source), reason, slug.line))
                try:
                    raw_targets.append((item, slug.line, default_save_as(item, slug.value)))
                except (KeyError, ValueError, IndexError):
                    pass
        for key in ("save_as", "url"):
            field = fields.get(key)
            if field is None or not hasattr(item, f"override_{key}"):
                continue
            reason = override_problem(
                key, str(getattr(item, f"override_{key}")), default_save_as(item)
            )
            if reason:
                delattr(item, f"override_{key}")
                problems.append(Problem(display_path(source), reason, field.line))
        if id(item) in page_ids:
            # Judged where the page is published, drafts included (make check does the same).
            published = str(item.settings["PAGE_SAVE_AS"]).format(**item.url_format)
            reason = reserved_problem(published, reserved)
            if reason:
                problems.append(Problem(display_path(source), reason, slug.line if slug else None))
                unpublish(context, item)
    items = [item for item in items if not getattr(item, "_strict_content_unpublished", False)]
    owners: dict[str, Any] = {}
    for item in items:
        if not item.save_as:
            continue
        first = owners.setdefault(output_key(item.save_as), item)
        # Exactly the same path is already strict_content.plugin.same_output_path's report.
        if first is not item and first.save_as != item.save_as:
            fields = _header(item.source_path, known)
            field = fields.get("save_as") or fields.get("slug")
            problems.append(
                Problem(
                    display_path(item.source_path),
                    f"ghi vào cùng một tệp với {display_path(first.source_path)} ({first.save_as})"
                    " trên máy chủ không phân biệt chữ hoa chữ thường — đặt Slug khác",
                    field.line if field else None,
                )
            )
    for item, line, target in raw_targets:
        other = owners.get(output_key(target))
        if other is not None and other is not item:
            problems.append(
                Problem(
                    display_path(item.source_path),
                    f"Slug này sẽ ghi đè lên {display_path(other.source_path)} ({other.save_as})",
                    line,
                )
            )
    return problems


def unpublish(context: dict, item: Any) -> None:
    """Take a page out of the lists the generators write (it would write over a page of
    the site), so a build that goes on (STRICT_CONTENT = False) does not publish it."""
    for kind in CONTENT_KINDS:
        if item in context.get(kind, []):
            context[kind].remove(item)
    item._strict_content_unpublished = True


def strip_control_characters(content: Any) -> None:
    """Remove control characters from what a content object publishes (body, title,
    summary). The build reports them first (strict_content.controls); this keeps a
    build that goes on (STRICT_CONTENT = False) from dying in the feed writer."""
    for attribute in ("_content", "title", "_summary"):
        value = getattr(content, attribute, None)
        if isinstance(value, str) and CONTROL.search(value):
            setattr(content, attribute, CONTROL.sub(_control_replacement, value))
    summary = content.metadata.get("summary") if hasattr(content, "metadata") else None
    if isinstance(summary, str) and CONTROL.search(summary):
        content.metadata["summary"] = CONTROL.sub(_control_replacement, summary)


def _control_replacement(match: Any) -> str:
    return " " if match.group() in "\x0b\x0c" else ""

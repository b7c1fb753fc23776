"""Stop the build when a content file has broken metadata or active markup.

Pelican logs such a file ("Could not process ...", "Skipping ...") and builds
the site without it, exiting 0. This plugin checks every article and page
source once the generators have read them, logs one line per problem
(`path:line: problem`), and then raises, so `pelican` exits non-zero before
anything is written.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pelican import signals
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator
from pelican.utils import posixize_path

from strict_content import guard
from strict_content.checks import (
    DATE_FIELDS,
    MARKDOWN_EXTENSIONS,
    MAX_OFFSET,
    MIN_OFFSET,
    Problem,
    check_markdown,
    display_path,
)
from strict_content.editor_rules import RuleContext, check_file
from strict_content.editor_rules import load as load_rules
from strict_content.files import forget_folders
from strict_content.result_cache import ResultCache
from strict_content.result_cache import build_key as cache_key
from tdbvantq.errors import ContentError, hide_tracebacks
from tdbvantq.markdown.header import parse_header
from tdbvantq.settings import PluginSettings, flag, text_list

logger = logging.getLogger(__name__)

SETTINGS = PluginSettings(
    "strict_content",
    [
        flag("STRICT_CONTENT", True, "False: log the problems but let the build go on"),
        flag("STRICT_CONTENT_ISO_DATES", True, "Date/Modified must be ISO 8601"),
        text_list(
            "STRICT_CONTENT_IFRAME_HOSTS",
            [],
            'hosts whose https iframes are trusted embeds, e.g. ["www.youtube-nocookie.com"]',
        ),
        flag(
            "STRICT_CONTENT_CACHE",
            True,
            "keep each Markdown file's problems in <CACHE_PATH>/strict-content.pickle",
        ),
    ],
)
PROBLEMS_KEY = "strict_content_problems"
RULES_KEY = "strict_content_rules"
CACHE_KEY = "strict_content_cache"


class BrokenContentError(ContentError):
    """Content files have broken metadata or active markup; the message names the first one."""


def setting(generator: Generator, name: str) -> object:
    return SETTINGS.read(generator.settings, name)


def read_failure(generator: Generator, source: Path) -> str:
    """Pelican's own reason for failing a non-Markdown file, when it has one."""
    reader = generator.readers.readers.get(source.suffix.lstrip("."))
    if reader is None:
        return "could not be read (see Pelican's message above)"
    try:
        reader.read(str(source))
    except Exception as error:  # any reader error is the user's file's problem
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return f"could not be read: {first_line}"
    return "was skipped by Pelican (see its message above)"


def check_generator(generator: Generator, paths: list[str], excludes: list[str]) -> list[Problem]:
    """Check every source file of `generator`; explain the ones Pelican dropped."""
    needs_date = isinstance(generator, ArticlesGenerator) and not generator.settings.get(
        "DEFAULT_DATE"
    )
    mandatory = ("title", "date") if needs_date else ("title",)
    content_root = Path(generator.path)
    generated = generator.context.get("generated_content", {})
    problems: list[Problem] = []
    for relative in sorted(generator.get_files(paths, exclude=excludes)):
        source = content_root / relative
        failed = generated.get(posixize_path(os.path.normpath(relative)), "") is None
        found: list[Problem] = []
        if source.suffix.lower() in MARKDOWN_EXTENSIONS:
            # Title/date may also come from defaults, file names or drafts' rules:
            # Pelican decides whether they are missing.
            found = markdown_problems(generator, source, mandatory if failed else ())
        if failed and not found:
            found = [Problem(display_path(source), read_failure(generator, source))]
        problems.extend(found)
    return problems


def markdown_problems(
    generator: Generator, source: Path, mandatory: tuple[str, ...]
) -> list[Problem]:
    """The problems of one Markdown file, from the result cache when nothing they
    depend on changed (strict_content.result_cache). The file's Slug/Save_as/URL
    fields are kept with them, for the path rules (`guard.site_path_problems`)."""
    cache = result_cache(generator)
    kept = cache.get(cache.entry(source, mandatory)) if cache is not None else None
    if kept is None:
        entry = cache.entry(source, mandatory, fresh=True) if cache is not None else b""
        kept = (_check_markdown(generator, source, mandatory), guard.path_fields(source))
        if cache is not None:
            cache.put(entry, kept)
    found, fields = kept
    guard.known_headers(generator.context)[os.path.abspath(source)] = fields
    return list(found)


def _check_markdown(
    generator: Generator, source: Path, mandatory: tuple[str, ...]
) -> list[Problem]:
    content_root = Path(generator.path)
    found = check_markdown(
        source,
        content_root,
        mandatory=mandatory,
        iso_dates=bool(setting(generator, "STRICT_CONTENT_ISO_DATES")),
    )
    # make check's link and model-name rules; a missing Image photo is then reported
    # once, in make check's words.
    shared = check_file(source, editor_rules(generator))
    linked = {problem.line for problem in shared}
    found = [
        problem for problem in found if not (problem.line in linked and _said_by_check(problem))
    ]
    return sorted([*found, *shared], key=lambda problem: problem.line or 0)


def result_cache(generator: Generator) -> ResultCache | None:
    """This build's cache of results (one for the articles and the pages), or None."""
    if not setting(generator, "STRICT_CONTENT_CACHE") or not generator.settings.get("CACHE_PATH"):
        return None
    if CACHE_KEY not in generator.context:
        key = cache_key(generator.settings, Path(generator.path))
        generator.context[CACHE_KEY] = ResultCache(Path(generator.settings["CACHE_PATH"]), key)
    return generator.context[CACHE_KEY]


def _said_by_check(problem: Problem) -> bool:
    """A missing Image photo or a bad date, which make check's line on the same line says
    in the editors' words: reported once."""
    return ": file not found: " in problem.message or problem.message.lower().startswith(
        ("date ", "modified ")
    )


def editor_rules(generator: Generator) -> RuleContext:
    """contentcheck's context for this build (the model catalogue), loaded once."""
    if RULES_KEY not in generator.context:
        generator.context[RULES_KEY] = load_rules(Path(generator.path))
    return generator.context[RULES_KEY]


def check_articles(generator: ArticlesGenerator) -> None:
    record(generator, generator.settings["ARTICLE_PATHS"], generator.settings["ARTICLE_EXCLUDES"])


def check_pages(generator: PagesGenerator) -> None:
    """Pages are read after articles: report both, then stop the build."""
    record(generator, generator.settings["PAGE_PATHS"], generator.settings["PAGE_EXCLUDES"])
    cache = generator.context.pop(CACHE_KEY, None)
    if cache is not None:
        cache.save()
        logger.info(
            "strict content: %d files checked, %d from the cache",
            len(cache.used) - cache.hits,
            cache.hits,
        )
    for problem in same_output_path(generator.context) + files_and_paths(generator):
        logger.error("%s", problem)
        generator.context.setdefault(PROBLEMS_KEY, []).append(problem)
    problems = generator.context.get(PROBLEMS_KEY, [])
    if problems and setting(generator, "STRICT_CONTENT"):
        more = (
            f" (and {len(problems) - 1} more problems, listed above)" if len(problems) > 1 else ""
        )
        raise BrokenContentError(f"{problems[0]}{more}")


def same_output_path(context: dict) -> list[Problem]:
    """Two articles or pages written to one file (e.g. one Slug twice): Pelican would stop
    with a traceback while writing; name both files instead."""
    owners: dict[str, object] = {}
    problems = []
    kinds = ("articles", "drafts", "pages", "hidden_pages", "draft_pages")
    for item in [item for kind in kinds for item in context.get(kind, [])]:
        first = owners.setdefault(item.save_as, item)
        if first is item:
            continue
        source = Path(item.source_path)
        slug = parse_header(source.read_text(encoding="utf-8")).first().get("slug")
        problems.append(
            Problem(
                display_path(source),
                f"written to the same file as {display_path(first.source_path)} ({item.save_as}):"
                " give one of them another Slug",
                slug.line if slug else None,
            )
        )
    return problems


def files_and_paths(generator: Generator) -> list[Problem]:
    """Unreadable or unpublishable files of the content folder, and Slug/Save_as/URL
    problems and clashes (strict_content.guard)."""
    return guard.content_file_problems(generator) + guard.site_path_problems(
        generator.context, generator.settings
    )


def check_static(generator: Generator) -> None:
    """Static files that may not be published are dropped; a `{static}` link to one
    outside the static folders (not reported yet) stops the build."""
    problems = guard.drop_unsafe_static(generator)
    for problem in problems:
        logger.error("%s", problem)
    if problems and setting(generator, "STRICT_CONTENT"):
        raise BrokenContentError(str(problems[0]))


def record(generator: Generator, paths: list[str], excludes: list[str]) -> None:
    problems = check_generator(generator, paths, excludes)
    for problem in problems:
        logger.error("%s", problem)
    generator.context.setdefault(PROBLEMS_KEY, []).extend(problems)


def refuse_unreal_offsets(generator: Generator, metadata: dict) -> None:
    """A date with an unreal UTC offset (+99:00) would crash Pelican's sorting with a
    traceback; refused here, Pelican drops the file and the checks above name it."""
    for key in DATE_FIELDS:
        when = metadata.get(key)
        offset = when.utcoffset() if hasattr(when, "utcoffset") else None
        if offset is not None and not MIN_OFFSET <= offset <= MAX_OFFSET:
            raise ValueError(f"{key} has a UTC offset outside -12:00..+14:00")


def register() -> None:
    SETTINGS.register()
    hide_tracebacks()
    signals.initialized.connect(forget_folders)  # a build follows links as they are now
    signals.generator_init.connect(guard.guard_readers)
    signals.static_generator_finalized.connect(check_static)
    signals.content_object_init.connect(guard.strip_control_characters)
    signals.article_generator_context.connect(refuse_unreal_offsets)
    signals.page_generator_context.connect(refuse_unreal_offsets)
    signals.article_generator_finalized.connect(check_articles)
    signals.page_generator_finalized.connect(check_pages)

"""Which stories a build publishes: none that is a draft or dated after the build's "now".

Pelican writes `Status: draft` stories to drafts/<slug>.html in every build, and a
story dated in the future goes live at once (WITH_FUTURE_DATES reads the real clock,
untestable). Right after the articles are read and split, before tags, categories,
authors, archives, feeds, neighbours, related stories, model pages and the search
index are made from them (`article_generator_pretaxonomy`), this plugin takes every
unpublished story out of the lists:

- publish builds (`SCHEDULE_PREVIEWS = False`, publishconf.py): drafts and future
  stories are dropped from every list Pelican and the other plugins read, from the
  links `{filename}` resolves, and the photos only they use are not copied. Draft
  pages likewise. Nothing of them is written.
- development builds (`SCHEDULE_PREVIEWS = True`, pelicanconf.py): they are written
  as drafts, at drafts/<slug>.html, with a banner and `noindex`, and stay out of
  every list, so the editor previews them and sees the site as readers will.

"Now" is `PUBLISH_NOW`, else the environment variable SITE_BUILD_NOW, else the
build's real time: a fixed moment makes schedules testable and reproducible.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator

from strict_content.checks import Problem, parse_content_date
from tdbvantq.errors import ContentError, hide_tracebacks
from tdbvantq.settings import PluginSettings, flag, text

logger = logging.getLogger(__name__)

NOW_VARIABLE = "SITE_BUILD_NOW"
SETTINGS = PluginSettings(
    "schedule",
    [
        flag(
            "SCHEDULE_PREVIEWS",
            False,
            "True: write drafts and future stories as marked previews (drafts/<slug>.html);"
            " False: write nothing of them (publishing)",
        ),
        text(
            "SCHEDULE_PREVIEWS_INDEX",
            "drafts/index.html",
            "development builds: the page listing every draft and scheduled story; empty: none",
        ),
        text(
            "PUBLISH_NOW",
            "",
            'the build\'s "now", written like a Date (2024-05-06 07:30+07:00); empty:'
            f" ${NOW_VARIABLE}, else the real time",
        ),
    ],
)
DRAFT, SCHEDULED = "draft", "scheduled"
REMOVED_KEY = "schedule_removed"  # context: what a publish build left out
NOW_KEY = "schedule_now"  # context: the build's "now"


class ScheduleError(ContentError):
    """PUBLISH_NOW or SITE_BUILD_NOW is not a date; the message names it."""


@dataclass(frozen=True)
class Unpublished:
    """Why a story is not published yet; the theme shows it as a banner."""

    reason: str  # DRAFT or SCHEDULED
    publish_at: datetime | None = None  # SCHEDULED: when it goes live
    undated: bool = False  # a draft without Date: (Pelican gives it the year 9999)


def build_now(settings: dict, environ: dict | None = None) -> datetime:
    """The moment this build publishes for: PUBLISH_NOW, $SITE_BUILD_NOW or the clock."""
    environ = os.environ if environ is None else environ
    for name, value in (
        ("PUBLISH_NOW", SETTINGS.read(settings, "PUBLISH_NOW")),
        (NOW_VARIABLE, environ.get(NOW_VARIABLE, "")),
    ):
        if value and value.strip():
            try:
                moment = parse_content_date(value)
            except ValueError as error:
                raise ScheduleError(f"{name} '{value}' {error}") from None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=ZoneInfo(settings.get("TIMEZONE") or "UTC"))
            return moment
    return datetime.now(UTC)


def is_future(content: Any, now: datetime) -> bool:
    date = getattr(content, "date", None)
    if date is None:
        return False
    if date.tzinfo is None:
        date = date.replace(tzinfo=now.tzinfo)
    return date > now


def mark(content: Any, reason: str) -> None:
    """Turn `content` into a draft (its URL and file become DRAFT_URL/DRAFT_SAVE_AS)."""
    undated = reason == DRAFT and content.date.year == datetime.max.year
    content.unpublished = Unpublished(
        reason, content.date if reason == SCHEDULED else None, undated
    )
    content.status = "draft"


def split_articles(generator: ArticlesGenerator) -> None:
    """`article_generator_pretaxonomy`: take drafts and future stories out of the lists."""
    settings = generator.settings
    now = build_now(settings)
    generator.context[NOW_KEY] = now  # one "now" for the whole build
    for article in [*generator.drafts, *generator.drafts_translations]:
        mark(article, DRAFT)
    future: list[Any] = []
    for name in ("articles", "translations", "hidden_articles", "hidden_translations"):
        kept = []
        for article in getattr(generator, name):
            (future if is_future(article, now) else kept).append(article)
        setattr(generator, name, kept)
    for article in future:
        mark(article, SCHEDULED)
    if SETTINGS.read(settings, "SCHEDULE_PREVIEWS"):
        # Still drafts, out of every list; Pelican writes them with the drafts.
        for article in future:
            target = (
                generator.drafts_translations if not article.in_default_lang else generator.drafts
            )
            target.append(article)
        for article in [*generator.drafts, *generator.drafts_translations]:
            logger.info(
                "schedule: %s is not published (%s); preview at %s",
                article.source_path,
                article.unpublished.reason,
                article.url,
            )
        return
    removed = [*generator.drafts, *generator.drafts_translations, *future]
    generator.drafts, generator.drafts_translations = [], []
    forget(generator, removed)
    logger.info(
        "schedule: %d draft or future stories left out (now: %s)",
        len(removed),
        now.isoformat(timespec="minutes"),
    )


def split_pages(generator: PagesGenerator) -> None:
    """`page_generator_finalized`: draft pages are previews or nothing."""
    drafts = [*generator.draft_pages, *generator.draft_translations]
    for page in drafts:
        page.unpublished = Unpublished(DRAFT)
    if SETTINGS.read(generator.settings, "SCHEDULE_PREVIEWS"):
        return
    generator.draft_pages, generator.draft_translations = [], []
    generator.context["draft_pages"] = generator.draft_pages
    forget(generator, drafts)


def forget(generator: Any, removed: list[Any]) -> None:
    """No `{filename}` link resolves to a removed item, and its photos are not copied
    unless published content uses them too (see drop_unused_statics)."""
    generated = generator.context.get("generated_content", {})
    for key in [key for key, item in generated.items() if any(item is gone for gone in removed)]:
        del generated[key]
    generator.context.setdefault(REMOVED_KEY, []).extend(removed)


def drop_unused_statics(generator: StaticGenerator) -> None:
    """`static_generator_finalized`: photos of removed items that nothing published
    shows (linked from them, or in their images/<slug>/ folder) are not copied."""
    context = generator.context
    removed = context.get(REMOVED_KEY, [])
    if not removed:
        return
    kinds = (
        "articles",
        "translations",
        "hidden_articles",
        "hidden_translations",
        "pages",
        "hidden_pages",
    )
    used = {path for kind in kinds for item in context.get(kind, []) for path in links_of(item)}
    theirs = {path for item in removed for path in links_of(item)}
    folders = tuple(f"images/{item.slug}/" for item in removed if getattr(item, "slug", ""))
    for static in list(generator.staticfiles):
        path = static.source_path
        if os.path.isabs(path):
            path = os.path.relpath(path, generator.path)
        path = PurePosixPath(path).as_posix()
        if path not in used and (path in theirs or path.startswith(folders)):
            generator.staticfiles.remove(static)
            context.get("static_content", {}).pop(path, None)
            logger.debug("schedule: %s is used only by unpublished items; not copied", path)


def links_of(item: Any) -> set[str]:
    """Content-relative paths of the {static}/{attach} files an item links to (body and Image)."""
    found = set(item.get_static_links()) if getattr(item, "_content", None) else set()
    image = str(getattr(item, "image", "") or "")
    for prefix in ("{static}", "{attach}"):
        if image.startswith(prefix):
            found.add(image[len(prefix) :].lstrip("/"))
    return found


class LinkToUnpublishedError(ContentError):
    """A published page links to a draft or a future story; the message names the line."""


def links_to_removed(context: dict, content_root: Path, now: datetime) -> list[Problem]:
    """Lines of published items linking with {filename} to an item this build left out
    (Pelican would publish the link as a literal `{filename}/…` address naming it), found
    by `make check`'s own rule and worded as it words them."""
    if not context.get(REMOVED_KEY):
        return []
    from strict_content.editor_rules import as_build_problem
    from tdbvantq.check.context import Context
    from tdbvantq.check.document import read_document
    from tdbvantq.check.link_rules import links_to_unpublished

    checker = Context(content_root, now=now)
    problems = []
    for kind, names in (
        ("article", ("articles", "translations", "hidden_articles", "hidden_translations")),
        ("page", ("pages", "hidden_pages")),
    ):
        for item in (item for name in names for item in context.get(name, [])):
            doc = read_document(Path(item.source_path), kind, content_root)
            if not doc.decode_error:  # strict_content reports the encoding
                problems += [as_build_problem(p) for p in links_to_unpublished(doc, checker)]
    return problems


def refuse_links_to_removed(generators: list[Any]) -> None:
    """`all_generators_finalized`, before anything is written or indexed."""
    context = generators[0].context
    now = context.get(NOW_KEY) or build_now(generators[0].settings)
    problems = links_to_removed(context, Path(generators[0].path), now)
    for problem in problems:
        logger.error("%s", problem)
    if problems:
        more = f" (and {len(problems) - 1} more, listed above)" if len(problems) > 1 else ""
        raise LinkToUnpublishedError(f"{problems[0]}{more}")


def drop_empty_tags(generators: list[Any]) -> None:
    """`all_generators_finalized`: pelican-related-posts looks up the tags of drafts in
    the generator's tag dict, a defaultdict, which adds an empty entry for each: Pelican
    would then write a tag page named after a draft's tag."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            for tag in [tag for tag, articles in generator.tags.items() if not articles]:
                del generator.tags[tag]


def write_previews_index(generator: ArticlesGenerator, writer: Any) -> None:
    """`article_writer_finalized`, development builds: drafts/index.html lists every draft
    and scheduled story (and draft page) with its preview link, for the editor."""
    save_as = SETTINGS.read(generator.settings, "SCHEDULE_PREVIEWS_INDEX")
    if not SETTINGS.read(generator.settings, "SCHEDULE_PREVIEWS") or not save_as:
        return
    writer.write_file(
        save_as,
        generator.get_template("drafts"),
        generator.context,
        drafts=[*generator.drafts, *generator.drafts_translations],
        draft_pages=list(generator.context.get("draft_pages", [])),
        relative_urls=generator.settings["RELATIVE_URLS"],
    )


def register() -> None:
    SETTINGS.register()
    hide_tracebacks()
    signals.article_generator_pretaxonomy.connect(split_articles)
    signals.page_generator_finalized.connect(split_pages)
    signals.static_generator_finalized.connect(drop_unused_statics)
    signals.all_generators_finalized.connect(drop_empty_tags)
    signals.all_generators_finalized.connect(refuse_links_to_removed)
    signals.article_writer_finalized.connect(write_previews_index)

"""Machine-readable metadata for news pages: JSON-LD NewsArticle, canonical URL
and OpenGraph tags, computed once per article/page for the theme to print.

Adds to every article and page (after all generators have read content):
    content.image_src      site-relative path or absolute URL of the Image metadata, or None
    content.canonical_url  absolute URL (root-relative when SITEURL is empty, as in dev builds)
    content.og             list of (property, value) pairs for <meta property=...>
    content.jsonld         NewsArticle as a JSON string safe inside <script> (articles only)
and the Jinja global `absolute_url(path)` for everything else (index pages, robots.txt).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from itertools import chain
from typing import Any

from markupsafe import Markup
from pelican import signals
from pelican.contents import Article, Content, Static
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator

from safe_html.jsonld import script_json
from tdbvantq.settings import PluginSettings, flag, text
from tdbvantq.text.dates import to_vietnam_time

SETTINGS = PluginSettings(
    "news_jsonld",
    [
        text("NEWS_JSONLD_PUBLISHER", None, "organisation name; None: SITENAME", optional=True),
        text("NEWS_JSONLD_LOGO", "theme/images/logo.svg", "site-relative path or URL of the logo"),
        text(
            "NEWS_JSONLD_DEFAULT_IMAGE",
            None,
            "image of articles without one; None: the logo",
            optional=True,
        ),
        text("NEWS_JSONLD_OG_LOCALE", "vi_VN", "og:locale"),
        flag(
            "NEWS_JSONLD_STABLE_SITEMAP",
            True,
            "sitemap lastmod of index pages = newest content date",
        ),
    ],
)
SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
INDEX_RE = re.compile(r"(^|/)index\.html$")


def setting(settings: dict, name: str) -> object:
    return SETTINGS.read(settings, name)


def absolute_url(siteurl: str, path: str) -> str:
    """`path` (site-relative) as an absolute URL; root-relative when SITEURL is empty."""
    if SCHEME_RE.match(path) or path.startswith("//"):
        return path
    path = INDEX_RE.sub(r"\1", path.lstrip("/"))
    return f"{siteurl.rstrip('/')}/{path}"


def isodate(moment: datetime) -> str:
    return to_vietnam_time(moment).isoformat(timespec="seconds")


def plain_text(html: str) -> str:
    """Summary HTML as one line of text (tags stripped, entities decoded)."""
    return " ".join(Markup(html).striptags().split())


def image_value(content: Content) -> str:
    return str(content.metadata.get("image", "") or "").strip()


def static_for_path(value: str, content: Content, static_content: dict) -> Static | None:
    """The static file a link in `content` names (`{static}`/`{attach}` path or plain path)."""
    if not value or SCHEME_RE.match(value) or value.startswith("//"):
        return None
    match = re.match(r"^\{(static|attach)\}(.*)$", value)
    path = match.group(2) if match else value
    if match and not path.startswith("/"):
        # Relative to the content file, as Pelican resolves {static} links in the body.
        source_dir = content.relative_dir
        path = f"{source_dir}/{path}" if source_dir else path
    return static_content.get(path.lstrip("/"))


def resolve_static(content: Content, static_content: dict) -> Static | None:
    """The static file (content/images/…) the Image metadata names, if it is one."""
    return static_for_path(image_value(content), content, static_content)


def resolve_image(content: Content, static_content: dict) -> str | None:
    """The URL of the Image metadata: `{static}`/`{attach}` paths, plain paths or URLs."""
    value = image_value(content)
    if SCHEME_RE.match(value):
        return value
    static = resolve_static(content, static_content)
    return static.url if static is not None else None


def publication_date(content: Content) -> datetime | None:
    """The story's date, or None for a draft without `Date:` (Pelican dates it in the
    year 9999, which a preview must not announce)."""
    return None if content.date.year == datetime.max.year else content.date


def news_article(
    content: Article,
    settings: dict,
    description: str | None = None,
    author_urls: dict[int, str] | None = None,
) -> dict:
    """The schema.org NewsArticle for one article (`description`: its summary's
    `plain_text`, when the caller has it already; `author_urls`: absolute URLs of
    authors already seen in this build, by id: Pelican makes an author's URL from
    its settings at every call)."""
    url = partial(absolute_url, settings.get("SITEURL", ""))
    publisher = setting(settings, "NEWS_JSONLD_PUBLISHER") or settings.get("SITENAME", "")
    logo = url(str(setting(settings, "NEWS_JSONLD_LOGO")))
    card = getattr(content, "share_card", None)
    images = [image for image in (content.image_src, card and card.url) if image]
    if not images:
        default_image = setting(settings, "NEWS_JSONLD_DEFAULT_IMAGE")
        images = [default_image or setting(settings, "NEWS_JSONLD_LOGO")]
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": content.canonical_url},
        "url": content.canonical_url,
        "headline": content.title,
        "description": plain_text(content.summary) if description is None else description,
        "author": [
            {"@type": "Person", "name": author.name, "url": _author_url(author, url, author_urls)}
            for author in getattr(content, "authors", [])
        ],
        "image": [url(str(image)) for image in images],
        "publisher": {
            "@type": "Organization",
            "name": publisher,
            "url": url(""),
            "logo": {"@type": "ImageObject", "url": logo},
        },
        "inLanguage": getattr(content, "lang", None) or settings.get("DEFAULT_LANG", "vi"),
        "articleSection": content.category.name,
    }
    published = publication_date(content)
    if published is not None:
        data["datePublished"] = isodate(published)
        data["dateModified"] = isodate(getattr(content, "modified", None) or published)
    tags = [tag.name for tag in getattr(content, "tags", [])]
    if tags:
        data["keywords"] = tags
    source_name = content.metadata.get("source_name")
    if source_name:
        data["sourceOrganization"] = {"@type": "Organization", "name": source_name}
    source = content.metadata.get("source")
    if source:
        data["isBasedOn"] = source
    return data


def _author_url(author: Any, url: Callable[[str], str], known: dict[int, str] | None) -> str:
    if known is None:
        return url(author.url)
    if id(author) not in known:
        known[id(author)] = url(author.url)
    return known[id(author)]


def open_graph(
    content: Content, settings: dict, is_article: bool, description: str | None = None
) -> list[tuple[str, str]]:
    """OpenGraph properties, in a stable order; repeated properties allowed
    (`description`: the summary's `plain_text`, when the caller has it already)."""
    url = partial(absolute_url, settings.get("SITEURL", ""))
    tags = [
        ("og:type", "article" if is_article else "website"),
        ("og:site_name", settings.get("SITENAME", "")),
        ("og:locale", str(setting(settings, "NEWS_JSONLD_OG_LOCALE"))),
        ("og:title", content.title),
        ("og:url", content.canonical_url),
    ]
    if description is None:
        description = plain_text(getattr(content, "summary", "") or "")
    if description:
        tags.append(("og:description", description))
    card = getattr(content, "share_card", None)
    if card is not None:  # drawn by the share_cards plugin: the title over the photo
        tags += [
            ("og:image", url(card.url)),
            ("og:image:type", card.type),
            ("og:image:width", str(card.width)),
            ("og:image:height", str(card.height)),
            ("og:image:alt", card.alt),
        ]
    elif content.image_src:
        tags.append(("og:image", url(content.image_src)))
        caption = content.metadata.get("image_caption")
        if caption:
            tags.append(("og:image:alt", caption))
    if is_article:
        published = publication_date(content)
        if published is not None:
            tags.append(("article:published_time", isodate(published)))
        modified = getattr(content, "modified", None)
        if modified:
            tags.append(("article:modified_time", isodate(modified)))
        tags.append(("article:section", content.category.name))
        tags.extend(("article:tag", tag.name) for tag in getattr(content, "tags", []))
    return tags


def all_contents(generators: Iterable[Generator]) -> Iterable[tuple[Content, bool]]:
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            for article in chain(
                generator.articles,
                generator.translations,
                generator.drafts,
                generator.drafts_translations,
                generator.hidden_articles,
                generator.hidden_translations,
            ):
                yield article, True
        elif isinstance(generator, PagesGenerator):
            for page in chain(
                generator.pages,
                generator.translations,
                generator.hidden_pages,
                generator.hidden_translations,
                generator.draft_pages,
                generator.draft_translations,
            ):
                yield page, False


def annotate(generators: list[Generator]) -> None:
    """Attach image, canonical URL, OpenGraph and JSON-LD to every article and page."""
    settings = generators[0].settings
    static_content = generators[0].context.get("static_content", {})
    newest: datetime | None = None
    author_urls: dict[int, str] = {}  # the authors live as long as the stories: ids stay theirs
    for content, is_article in all_contents(generators):
        content.image_src = resolve_image(content, static_content)
        content.canonical_url = absolute_url(settings.get("SITEURL", ""), content.url)
        # The summary as text once, for both the OpenGraph tags and the JSON-LD.
        description = plain_text(getattr(content, "summary", "") or "")
        content.og = open_graph(content, settings, is_article, description)
        if is_article:
            content.jsonld = script_json(news_article(content, settings, description, author_urls))
            if content.status == "published":
                changed = getattr(content, "modified", None) or content.date
                newest = changed if newest is None or changed > newest else newest
    if newest is not None and setting(settings, "NEWS_JSONLD_STABLE_SITEMAP"):
        pin_sitemap_clock(newest)


def pin_sitemap_clock(moment: datetime) -> None:
    """pelican-sitemap dates index pages with the build time, which makes two
    builds of the same content differ; date them with the newest content instead."""
    sitemap = sys.modules.get("pelican.plugins.sitemap.sitemap")
    if sitemap is not None and hasattr(sitemap, "generator"):
        sitemap.generator.now = moment


def sitemap_date(date: datetime) -> str:
    """pelican-sitemap's `format_date`, with datetime's own `strftime`: Pelican's dates
    (SafeDatetime) override it with one that scans the format with two patterns and
    formats each directive apart (~35 µs a date; a build dates every page of the
    sitemap, ~1,500 at 1,000 stories). For these directives (%Y %m %d %H %M %S %z, no
    `%-`) both give the same text."""
    if date.tzinfo:
        tz = datetime.strftime(date, "%z")
        tz = tz[:-2] + ":" + tz[-2:]
    else:
        tz = "-00:00"
    return datetime.strftime(date, "%Y-%m-%dT%H:%M:%S") + tz


def quick_sitemap_dates(pelican_object: Any = None) -> None:
    """pelican-sitemap formats its dates with `sitemap_date` (the same text)."""
    sitemap = sys.modules.get("pelican.plugins.sitemap.sitemap")
    if sitemap is not None and hasattr(sitemap, "format_date"):
        sitemap.format_date = sitemap_date


def add_globals(generator: Generator) -> None:
    siteurl = generator.settings.get("SITEURL", "")
    generator.env.globals["absolute_url"] = partial(absolute_url, siteurl)
    # SITEURL before RELATIVE_URLS rewrites it per page ("" = the site root): for
    # pages served at any URL, such as 404.html.
    generator.env.globals["ROOT_SITEURL"] = siteurl.rstrip("/")


def register() -> None:
    SETTINGS.register()
    signals.initialized.connect(quick_sitemap_dates)
    signals.generator_init.connect(add_globals)
    signals.all_generators_finalized.connect(annotate)

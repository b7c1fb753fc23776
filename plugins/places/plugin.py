"""Pelican side of places: each story's places, model places, place pages.

Runs on article_generator_finalized after model_catalog (listed after it in
PLUGINS): it needs `article.models` and the catalogue's matcher to attribute a
place to the model its sentence speaks of.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import Generator

from places.cache import PlacesCache, build_key
from places.finder import StoryPlace, StoryPlaces, find_places
from places.gazetteer import Unit, load_gazetteer
from tdbvantq.errors import hide_tracebacks
from tdbvantq.htmltext import html_to_text
from tdbvantq.settings import PluginSettings, flag, folder, number, text
from tdbvantq.text import fold

logger = logging.getLogger(__name__)

SETTINGS = PluginSettings(
    "places",
    [
        text("PLACES_URL", "dia-phuong/", "URL of the places index (Tin theo khu vực)"),
        text("PLACES_SAVE_AS", "dia-phuong/index.html", "file of the places index"),
        text("PLACE_URL", "dia-phuong/{province}/", "URL of a province page", needs="{province}"),
        text(
            "PLACE_SAVE_AS",
            "dia-phuong/{province}/index.html",
            "file of a province page",
            needs="{province}",
        ),
        text(
            "COMMUNE_URL",
            "dia-phuong/{province}/{commune}/",
            "URL of a commune page",
            needs="{commune}",
        ),
        text(
            "COMMUNE_SAVE_AS",
            "dia-phuong/{province}/{commune}/index.html",
            "file of a commune page",
            needs="{commune}",
        ),
        flag("PLACES_CACHE", True, "False: every build finds every story's places again"),
        folder(
            "PLACES_CACHE_DIR",
            None,
            "each story's places kept between builds; None: <CACHE_PATH>/places",
            optional=True,
        ),
        number(
            "PLACES_CACHE_DAYS",
            30,
            "cache entries no build used for this many days are removed; 0: kept forever",
            minimum=0,
        ),
    ],
)
_LOCALITY_LINE = re.compile(r"^locality\s*:", re.IGNORECASE)


@dataclass
class PlacePage:
    """A province or commune with stories."""

    unit: Unit
    url: str
    save_as: str
    province: PlacePage | None = None  # a commune's province page
    articles: list[Any] = field(default_factory=list)  # newest first
    communes: list[PlacePage] = field(default_factory=list)  # a province's, most stories first
    old_names: list[str] = field(default_factory=list)  # "xã Phong Hiền"
    model_counts: Counter = field(default_factory=Counter)

    @property
    def name(self) -> str:
        return self.unit.full_name

    @property
    def kind(self) -> str:
        return self.unit.kind

    @property
    def slug(self) -> str:
        return self.unit.key

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def models(self) -> list[Any]:
        """The models active here, most stories first (set by the plugin)."""
        return getattr(self, "_models", [])


@dataclass
class ArticlePlace:
    """A place on a story: its page, and how the story wrote it."""

    page: PlacePage
    written: str
    old_name: str
    models: list[str]

    @property
    def name(self) -> str:
        return self.page.name

    @property
    def url(self) -> str:
        return self.page.url


@dataclass
class ModelPlace:
    """A place on a model page, with the story it comes from."""

    page: PlacePage
    article: Any
    written: str


class Registry:
    """The place pages of one build."""

    def __init__(self, settings: dict, provinces: dict[str, Unit] | None = None) -> None:
        self.settings = settings
        self.pages: dict[str, PlacePage] = {}
        # Known province units (the places cache's): the gazetteer is loaded only
        # for a province they lack.
        self.provinces = provinces if provinces is not None else {}

    def province(self, code: str) -> Unit:
        found = self.provinces.get(code)
        return found if found is not None else load_gazetteer().province(code)

    def page(self, unit: Unit) -> PlacePage:
        found = self.pages.get(unit.key)
        if found is not None:
            return found
        read = lambda name: SETTINGS.read(self.settings, name)  # noqa: E731
        if unit.kind == "province":
            page = PlacePage(
                unit,
                read("PLACE_URL").format(province=unit.slug),
                read("PLACE_SAVE_AS").format(province=unit.slug),
            )
        else:
            province = self.page(self.province(unit.province_code))
            page = PlacePage(
                unit,
                read("COMMUNE_URL").format(province=province.unit.slug, commune=unit.slug),
                read("COMMUNE_SAVE_AS").format(province=province.unit.slug, commune=unit.slug),
                province=province,
            )
        self.pages[unit.key] = page
        return page


def locality_line(article: Any) -> int | None:
    """The line of the `Locality:` header in the story's file (for messages)."""
    try:
        lines = Path(article.source_path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError, TypeError):
        return None
    for index, line in enumerate(lines, start=1):
        if not line.strip():
            return None
        if _LOCALITY_LINE.match(line):
            return index
    return None


def article_text(article: Any) -> str:
    lede = unicodedata.normalize("NFC", str(article.metadata.get("summary", "") or ""))
    body = unicodedata.normalize("NFC", html_to_text(article._content, block_separator="\n\n"))
    return f"{html_to_text(lede)}\n\n{body}"


def model_slugs(article: Any) -> list[str]:
    """The story's models as model_catalog resolved them. Without model_catalog (a
    build that leaves it out) `Models:` is still its header's text: no models."""
    models = getattr(article, "models", None)
    if not isinstance(models, list):
        return []
    return [m.slug for m in models if hasattr(m, "slug")]


def story_places(article: Any, matcher: Any, cache: PlacesCache | None = None) -> StoryPlaces:
    """The story's places, from the cache when nothing the finding reads has changed."""
    locality = article.metadata.get("locality", "")
    # Only a Locality: problem names the line: no file to read for a story without one.
    line = locality_line(article) if locality else None
    entry = None
    if cache is not None:
        summary = str(article.metadata.get("summary", "") or "")
        story = [locality, line, summary, article._content, model_slugs(article)]
        entry = cache.entry(story)
        found = cache.load(entry)
        if found is not None:
            return found
    found = find_places(
        locality,
        article_text(article),
        matcher.slugs_in if matcher is not None else (lambda sentence: []),
        model_slugs(article),
        locality_line=line,
    )
    if cache is not None and entry is not None:
        cache.store(entry, found)
    return found


def open_cache(settings: dict, matcher: Any) -> PlacesCache | None:
    if not SETTINGS.read(settings, "PLACES_CACHE"):
        return None
    configured = SETTINGS.read(settings, "PLACES_CACHE_DIR")
    folder_path = Path(configured) if configured else Path(settings["CACHE_PATH"]) / "places"
    # The URL settings; not the cache's own (a new folder or age changes no place).
    keyed = [name for name in SETTINGS.declared if not name.startswith("PLACES_CACHE")]
    key = build_key(settings, keyed, matcher)
    return PlacesCache(folder_path, key)


def display_path(article: Any) -> str:
    return str(getattr(article, "relative_source_path", "") or article.source_path)


def attach(article: Any, found: StoryPlaces, registry: Registry) -> None:
    article.places = []
    for place in found.places:
        page = registry.page(place.unit)
        article.places.append(ArticlePlace(page, place.written, place.old_name, place.models))
    for problem in found.problems:
        where = f"{display_path(article)}:{problem.line}" if problem.line else display_path(article)
        logger.warning("%s: %s", where, problem.message)


def on_articles_read(generator: Any) -> None:
    settings, context = generator.settings, generator.context
    state = getattr(generator, "_model_catalog_state", None)
    matcher = getattr(state, "matcher", None)
    cache = open_cache(settings, matcher)
    known = cache.provinces if cache is not None else None
    registry = Registry(settings, known)
    published = sorted(generator.articles, key=lambda a: a.date, reverse=True)
    others = [*generator.translations, *generator.drafts, *generator.drafts_translations]
    others += [
        *getattr(generator, "hidden_articles", []),
        *getattr(generator, "hidden_translations", []),
    ]
    found = {id(a): story_places(a, matcher, cache) for a in published}
    for article in others:  # previews show their places, but no page lists them
        preview = Registry(settings, known)
        attach(article, story_places(article, matcher, cache), preview)
    if cache is not None:
        cache.finish(SETTINGS.read(settings, "PLACES_CACHE_DAYS"))
    model_places: dict[str, list[ModelPlace]] = {}
    for article in published:
        attach(article, found[id(article)], registry)
        for place in article.places:
            _count(place.page, article, place)
            if place.page.province is not None:
                _count(place.page.province, article, place)
            for slug in place.models:
                model_places.setdefault(slug, []).append(
                    ModelPlace(place.page, article, place.written)
                )
    by_slug = {m.slug: m for m in context.get("MODEL_CATALOG", [])}
    for slug, places in model_places.items():
        model = by_slug.get(slug)
        if model is not None:
            model.places = places
            model.localities = list(dict.fromkeys(p.page.name for p in places))
    for page in registry.pages.values():
        ranked = sorted(page.model_counts.items(), key=lambda item: (-item[1], item[0]))
        page._models = [by_slug[s] for s, _ in ranked if s in by_slug]
    provinces = [p for p in registry.pages.values() if p.province is None]
    for province in provinces:
        province.communes = sorted(
            (p for p in registry.pages.values() if p.province is province),
            key=lambda p: (-p.count, fold(p.unit.name)),
        )
    provinces.sort(key=lambda p: (-p.count, fold(p.unit.name)))
    context["PLACES"] = provinces
    context["PLACE_PAGES"] = list(registry.pages.values())
    context["PLACES_URL"] = SETTINGS.read(settings, "PLACES_URL")


def _count(page: PlacePage, article: Any, place: ArticlePlace) -> None:
    """Add the story to a page (once), the models it places there, and its old name."""
    if article not in page.articles:
        page.articles.append(article)
        models = place.models or model_slugs(article)
        page.model_counts.update(dict.fromkeys(models, 1))  # ordered: builds are reproducible
    if place.page is page and place.old_name and place.old_name not in page.old_names:
        page.old_names.append(place.old_name)


class PlacePagesGenerator(Generator):
    """Writes dia-phuong/, a page per province and per commune with stories."""

    def generate_output(self, writer: Any) -> None:
        settings = self.settings
        relative = settings.get("RELATIVE_URLS", False)
        pages = self.context.get("PLACE_PAGES", [])
        for page in pages:
            writer.write_file(
                page.save_as,
                self.get_template("place"),
                self.context,
                relative_urls=relative,
                place=page,
                page_name=page.url.rstrip("/"),
            )
        writer.write_file(
            SETTINGS.read(settings, "PLACES_SAVE_AS"),
            self.get_template("places"),
            self.context,
            relative_urls=relative,
            places=self.context.get("PLACES", []),
            page_name=SETTINGS.read(settings, "PLACES_URL").rstrip("/"),
        )


def get_generators(pelican: Any) -> type[Generator]:
    return PlacePagesGenerator


def register() -> None:
    hide_tracebacks()
    SETTINGS.register()
    signals.article_generator_finalized.connect(on_articles_read)
    signals.get_generators.connect(get_generators)


__all__ = ["ArticlePlace", "ModelPlace", "PlacePage", "StoryPlace", "register"]

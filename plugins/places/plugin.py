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

from places.finder import StoryPlace, StoryPlaces, find_places
from places.gazetteer import Unit, load_gazetteer
from tdbvantq.errors import hide_tracebacks
from tdbvantq.htmltext import html_to_text
from tdbvantq.settings import PluginSettings, text
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

    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.pages: dict[str, PlacePage] = {}
        self.gazetteer = load_gazetteer()

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
            province = self.page(self.gazetteer.province(unit.province_code))
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
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            return None
        if _LOCALITY_LINE.match(line):
            return number
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


def story_places(article: Any, matcher: Any) -> StoryPlaces:
    return find_places(
        article.metadata.get("locality", ""),
        article_text(article),
        matcher.slugs_in if matcher is not None else (lambda sentence: []),
        model_slugs(article),
        locality_line=locality_line(article),
    )


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
    registry = Registry(settings)
    published = sorted(generator.articles, key=lambda a: a.date, reverse=True)
    others = [*generator.translations, *generator.drafts, *generator.drafts_translations]
    others += [
        *getattr(generator, "hidden_articles", []),
        *getattr(generator, "hidden_translations", []),
    ]
    found = {id(a): story_places(a, matcher) for a in published}
    for article in others:  # previews show their places, but no page lists them
        preview = Registry(settings)
        attach(article, story_places(article, matcher), preview)
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

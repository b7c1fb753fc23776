"""Breadcrumbs for stories, pages and model pages, with BreadcrumbList JSON-LD.

On `all_generators_finalized` every article, page and model of the catalogue
(plugins/model_catalog) gets:
    breadcrumbs          list of Crumb(name, url): home first, the page itself last
    breadcrumb_jsonld    schema.org BreadcrumbList as JSON safe inside <script>
Stories: Trang chủ › <category> › <title>; pages: Trang chủ › <title>;
model pages: Trang chủ › Mô hình › <group> › <name>. The theme prints the trail
(`_macros.html`: breadcrumbs) and the JSON-LD.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import Any

from markupsafe import Markup
from pelican import signals
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator

from news_jsonld.plugin import absolute_url
from safe_html.jsonld import script_json
from tdbvantq.settings import PluginSettings, text

SETTINGS = PluginSettings(
    "breadcrumbs",
    [
        text("BREADCRUMBS_HOME", "Trang chủ", "the first crumb"),
        text("BREADCRUMBS_MODELS", "Mô hình", "crumb of the model directory (MODELS_URL)"),
    ],
)


@dataclass(frozen=True)
class Crumb:
    name: str
    url: str  # site-relative ("" is the home page)


def breadcrumb_list(crumbs: list[Crumb], siteurl: str) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb.name,
                "item": absolute_url(siteurl, crumb.url),
            }
            for position, crumb in enumerate(crumbs, start=1)
        ],
    }


def attach(thing: Any, crumbs: list[Crumb], siteurl: str) -> None:
    thing.breadcrumbs = crumbs
    thing.breadcrumb_jsonld = script_json(breadcrumb_list(crumbs, siteurl))


def title_text(title: Any) -> str:
    return " ".join(Markup(str(title)).striptags().split())


def add_breadcrumbs(generators: list[Generator]) -> None:
    settings, context = generators[0].settings, generators[0].context
    siteurl = settings.get("SITEURL", "")
    home = Crumb(SETTINGS.read(settings, "BREADCRUMBS_HOME"), "")
    # One crumb a category, by id (the categories live as long as the stories): Pelican
    # makes a category's URL from the settings at every call, ~1,000 times a build.
    categories: dict[int, Crumb] = {}
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            for article in chain(
                generator.articles,
                generator.translations,
                generator.drafts,
                generator.hidden_articles,
            ):
                category = categories.get(id(article.category))
                if category is None:
                    category = Crumb(article.category.name, article.category.url)
                    categories[id(article.category)] = category
                attach(
                    article,
                    [home, category, Crumb(title_text(article.title), article.url)],
                    siteurl,
                )
        elif isinstance(generator, PagesGenerator):
            for page in chain(generator.pages, generator.hidden_pages, generator.draft_pages):
                attach(page, [home, Crumb(title_text(page.title), page.url)], siteurl)
    directory = Crumb(
        SETTINGS.read(settings, "BREADCRUMBS_MODELS"), context.get("MODELS_URL", "mo-hinh/")
    )
    for model in context.get("MODEL_CATALOG", []):
        group = Crumb(
            model.group[:1].upper() + model.group[1:], f"{directory.url}#nhom-{model.group_slug}"
        )
        attach(model, [home, directory, group, Crumb(model.name, model.url)], siteurl)


def register() -> None:
    SETTINGS.register()
    signals.all_generators_finalized.connect(add_breadcrumbs)

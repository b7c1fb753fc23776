"""Every story's and page's `url` and `save_as`, worked out once the site is read.

Pelican's `Content.url` and `save_as` are properties: each use formats the URL
setting again (a copy of the metadata, the date through `SafeDatetime.strftime`,
the path). Templates, related posts, neighbours, feeds, the sitemap, JSON-LD
and the render cache's keys use them about 25 times a story: 25,314 formattings
and ~0.8 s of CPU in a cold build of 1,000 stories. Nothing a URL is made of
changes once a story's generator has finished (slugs, dates, categories, drafts'
preview addresses are settled by then), so on `article_generator_finalized` and
`page_generator_finalized` (and again on `all_generators_finalized`) each one is
kept in Pelican's own `override_url` / `override_save_as`, which the
properties return as they are: the same strings, formatted once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pelican import signals

from tdbvantq.settings import PluginSettings, flag

SETTINGS = PluginSettings(
    "frozen_urls",
    [flag("FROZEN_URLS", True, "False: Pelican formats every url and save_as at each use")],
)

# The generators' lists of stories and pages, published or not.
CONTENT_LISTS = (
    "articles",
    "translations",
    "drafts",
    "drafts_translations",
    "hidden_articles",
    "hidden_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
)


def freeze_urls(generators: Iterable[Any]) -> int:
    """Keep each content's url and save_as; returns how many were kept. One set by
    the content itself (`URL:`/`Save_as:` metadata) is already an override."""
    kept = 0
    for generator in generators:
        if not SETTINGS.read(generator.settings, "FROZEN_URLS"):
            return 0
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, None) or []:
                for key in ("url", "save_as"):
                    if not hasattr(content, f"override_{key}"):
                        setattr(content, f"override_{key}", getattr(content, key))
                        kept += 1
    return kept


def freeze_generator(generator: Any) -> int:
    """`article_generator_finalized`, `page_generator_finalized`: the generator's
    stories or pages, as soon as it has read them, so the `all_generators_finalized`
    receivers of the plugins listed before this one (search_index, share_cards,
    breadcrumbs, news_jsonld: ~4,000 formattings at 1,000 stories) find them kept."""
    return freeze_urls([generator])


def register() -> None:
    SETTINGS.register()
    # Listed last in PLUGINS: each receiver runs after the other plugins' receivers of
    # its signal (schedule's preview addresses, safe_slugs' slugs are set before).
    # A URL is made of the content's own metadata and the settings, which nothing
    # changes once its generator has finished.
    signals.article_generator_finalized.connect(freeze_generator)
    signals.page_generator_finalized.connect(freeze_generator)
    # Again once every generator has finished (anything added since, e.g. by another
    # generator): what is already kept is left as it is.
    signals.all_generators_finalized.connect(freeze_urls)

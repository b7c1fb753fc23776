"""Every story's and page's `url` and `save_as`, worked out once the site is read.

Pelican's `Content.url` and `save_as` are properties: each use formats the URL
setting again (a copy of the metadata, the date through `SafeDatetime.strftime`,
the path). Templates, related posts, neighbours, feeds, the sitemap, JSON-LD
and the render cache's keys use them about 25 times a story: 25,314 formattings
and ~0.8 s of CPU in a cold build of 1,000 stories. Nothing a URL is made of
changes once every generator has finished (slugs, dates, categories, drafts'
preview addresses are settled by then), so on `all_generators_finalized` each
one is kept in Pelican's own `override_url` / `override_save_as`, which the
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


def register() -> None:
    SETTINGS.register()
    # Listed last in PLUGINS: it runs after every other all_generators_finalized
    # receiver, in case one of them changes what a URL is made of.
    signals.all_generators_finalized.connect(freeze_urls)

"""An Atom feed per model of the catalogue (plugins/model_catalog): its stories,
newest first, at mo-hinh/<slug>/atom.xml, for readers who follow one model.

Sets `model.feed_url` (site-relative) on `all_generators_finalized`, so the model
page can link the feed, and writes the feeds through Pelican's own feed writer
(so plugins/feed_meta gives them a language and ids like every other feed).
"""

from __future__ import annotations

from typing import Any

from pelican import signals
from pelican.generators import Generator

from tdbvantq.settings import PluginSettings, text

SETTINGS = PluginSettings(
    "model_feeds",
    [
        text(
            "MODEL_FEED_ATOM",
            "mo-hinh/{slug}/atom.xml",
            "where each feed is saved; None or '': no model feeds",
            optional=True,
        ),
        text("MODEL_FEED_ATOM_URL", None, "its public path; None: MODEL_FEED_ATOM", optional=True),
    ],
)


def feed_paths(settings: dict, slug: str) -> tuple[str, str] | None:
    """(save path, URL path) of a model's feed, or None when model feeds are off."""
    save_as = SETTINGS.read(settings, "MODEL_FEED_ATOM")
    if not save_as:
        return None
    url = SETTINGS.read(settings, "MODEL_FEED_ATOM_URL") or save_as
    return save_as.format(slug=slug), url.format(slug=slug)


def attach_feed_urls(generators: list[Generator]) -> None:
    settings, context = generators[0].settings, generators[0].context
    for model in context.get("MODEL_CATALOG", []):
        paths = feed_paths(settings, model.slug)
        model.feed_url = paths[1] if paths else None


class ModelFeedsGenerator(Generator):
    """Writes one Atom feed per model (after the context is complete)."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer: Any) -> None:
        for model in self.context.get("MODEL_CATALOG", []):
            paths = feed_paths(self.settings, model.slug)
            if paths is None:
                return
            save_as, url = paths
            writer.write_feed(
                model.articles,
                self.context,
                save_as,
                url,
                feed_type="atom",
                feed_title=f"Mô hình {model.name}",
            )


def get_generators(pelican: Any) -> type[Generator]:
    return ModelFeedsGenerator


def register() -> None:
    SETTINGS.register()
    signals.all_generators_finalized.connect(attach_feed_urls)
    signals.get_generators.connect(get_generators)

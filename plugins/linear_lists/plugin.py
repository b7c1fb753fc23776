"""Pelican's list pages (year and month archives, categories, tags, authors) in time
linear in the number of stories.

Pelican 4.12 tests list membership by scanning: each period archive's stories are
`[a for a in articles if a in dates]`, each category's, tag's and author's dates
`[a for a in self.dates if a in articles]`, with `dates` and `articles` plain lists,
and the translations of the stories read `[x for x in content_list if x not in index]`.
With one category, one author and one year holding every story, each is N²/2
comparisons or more: at 100,000 stories five to ten minutes of CPU apiece, in every
build, cold or after one edit, against about a second at 10,000
(docs/benchmarks.md, "100,000 stories").

The results are unchanged. Period archives: Pelican's own method makes every
archive (periods, URLs, save_as, dates) given no stories to filter, then each
archive's `articles` is filled in one pass over the stories per granularity, in the
stories' order. Categories, tags, authors: while Pelican writes their pages, each
one's story list is a `Members` copy whose `in` is a set lookup. Pelican's `Article`
defines no `__eq__`, so its `in` is an identity test, and a set of ids is the same test.
Translations: Pelican's own function, called once per group of stories sharing a
translation id (a slug), so each call scans only its group.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from itertools import groupby
from operator import attrgetter
from typing import Any

import pelican.generators
from pelican.generators import ArticlesGenerator

PELICANS_TRANSLATIONS = pelican.generators.process_translations

PELICANS_PERIOD_ARCHIVES = ArticlesGenerator._build_period_archives
PELICANS_PAGES = {
    name: getattr(ArticlesGenerator, f"generate_{name}")
    for name in ("tags", "categories", "authors")
}


class Members(list):
    """A story list whose `in` looks up the story's identity in a set.

    Made for the time one list of pages is written, which does not change it.
    """

    def __init__(self, stories: Iterable[Any] = ()) -> None:
        super().__init__(stories)
        self._ids = frozenset(map(id, self))

    def __contains__(self, story: object) -> bool:
        return id(story) in self._ids


def fill_articles(archives: dict[str, list[dict]], articles: Sequence[Any]) -> None:
    """Set each archive's `articles`: those of `articles` among its `dates`, in their order."""
    for granularity in archives.values():
        period_of = {
            id(a): number for number, archive in enumerate(granularity) for a in archive["dates"]
        }
        filled: list[list[Any]] = [[] for _ in granularity]
        for article in articles:
            number = period_of.get(id(article))
            if number is not None:
                filled[number].append(article)
        for archive, members in zip(granularity, filled, strict=True):
            archive["articles"] = members


def build_period_archives(
    generator: ArticlesGenerator, sorted_articles: list, articles: list, settings: dict
) -> dict[str, list[dict]]:
    """ArticlesGenerator._build_period_archives, same result, linear in the stories."""
    archives = PELICANS_PERIOD_ARCHIVES(generator, sorted_articles, [], settings)
    fill_articles(archives, articles)
    return archives


def with_members(name: str) -> Callable[[ArticlesGenerator, Callable], None]:
    """generate_<name> (tags, categories, authors) with each story list as Members."""
    pelicans = PELICANS_PAGES[name]

    def generate(generator: ArticlesGenerator, write: Callable) -> None:
        kept = getattr(generator, name)
        pairs = kept.items() if isinstance(kept, dict) else kept
        listed = [(key, Members(stories)) for key, stories in pairs]
        setattr(generator, name, dict(listed) if isinstance(kept, dict) else listed)
        try:
            pelicans(generator, write)
        finally:
            setattr(generator, name, kept)

    generate.__name__ = generate.__qualname__ = f"generate_{name}"
    return generate


def process_translations(
    content_list: list, translation_id: str | Collection[str] | None = None
) -> tuple[list, list]:
    """pelican.utils.process_translations, same result, one call of it per group."""
    if not translation_id:
        return PELICANS_TRANSLATIONS(content_list, translation_id)
    ids = {translation_id} if isinstance(translation_id, str) else translation_id
    key = attrgetter(*ids)
    try:
        content_list.sort(key=key)  # in place, as Pelican's does
    except (TypeError, AttributeError):
        return PELICANS_TRANSLATIONS(content_list, translation_id)  # its own error message
    index: list = []
    translations: list = []
    for _, items in groupby(content_list, key):
        originals, others = PELICANS_TRANSLATIONS(list(items), ids)
        index += originals
        translations += others
    return index, translations


def register() -> None:
    pelican.generators.process_translations = process_translations
    ArticlesGenerator._build_period_archives = build_period_archives
    for name in PELICANS_PAGES:
        setattr(ArticlesGenerator, f"generate_{name}", with_members(name))

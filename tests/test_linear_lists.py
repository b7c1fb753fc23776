"""plugins/linear_lists: Pelican's archive, category, tag and author pages, the same
lists as Pelican's own methods make, in linear time."""

from __future__ import annotations

import datetime as dt
import random

import pelican.generators
import pytest
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.settings import DEFAULT_CONFIG, get_settings_from_file, read_settings

import linear_lists
from linear_lists.plugin import (
    PELICANS_PAGES,
    PELICANS_PERIOD_ARCHIVES,
    PELICANS_TRANSLATIONS,
    Members,
    build_period_archives,
    fill_articles,
    process_translations,
    with_members,
)
from support import ROOT


def articles(count: int, seed: int = 7) -> list[Article]:
    """Real Pelican articles over three years, several on the same day."""
    settings = dict(DEFAULT_CONFIG)
    rng = random.Random(seed)
    start = dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    made = []
    for number in range(count):
        date = start + dt.timedelta(days=rng.randrange(3 * 365), minutes=number)
        meta = {"title": f"Bài {number}", "date": date, "slug": f"bai-{number}"}
        made.append(Article("<p>x</p>", metadata=meta, settings=settings))
    return made


def site_settings() -> dict:
    settings = dict(read_settings(str(ROOT / "pelicanconf.py")))
    settings["DAY_ARCHIVE_SAVE_AS"] = "luu-tru/{date:%Y}/{date:%m}/{date:%d}/index.html"
    return settings


def ids(stories) -> list[int]:
    return [id(s) for s in stories]


def shape(archives: dict) -> dict:
    """Archives with stories as identities, to compare two builds of the same objects."""
    return {
        granularity: [
            {
                key: ids(value) if key in ("dates", "articles") else value
                for key, value in archive.items()
            }
            for archive in group
        ]
        for granularity, group in archives.items()
    }


def test_the_same_period_archives_as_pelicans_own_method():
    stories = articles(600)
    settings = site_settings()
    for newest_first in (True, False):
        dates = sorted(stories, key=lambda a: a.date, reverse=newest_first)
        order = stories[:]
        random.Random(3).shuffle(order)  # `articles` in another order than `dates`
        theirs = PELICANS_PERIOD_ARCHIVES(None, dates, order, settings)
        ours = build_period_archives(None, dates, order, settings)
        assert shape(ours) == shape(theirs)
        assert set(ours) == {"year", "month", "day"}
        assert sum(len(a["articles"]) for a in ours["year"]) == 600


def test_stories_not_among_the_dates_stay_out_and_the_order_is_the_stories():
    stories = articles(40)
    listed, extra = stories[:30], stories[30:]
    archives = PELICANS_PERIOD_ARCHIVES(
        None, sorted(listed, key=lambda a: a.date), [], site_settings()
    )
    fill_articles(archives, extra + listed[::-1])
    for archive in archives["month"]:
        assert archive["articles"] == [a for a in listed[::-1] if a in archive["dates"]]


def generator_with_lists(stories: list[Article]) -> ArticlesGenerator:
    """An ArticlesGenerator holding what generate_tags/categories/authors read."""
    rng = random.Random(5)
    generator = ArticlesGenerator.__new__(ArticlesGenerator)
    generator.get_template = lambda name: name
    generator.context = {}
    generator.articles = stories[::-1]
    generator.dates = sorted(stories, key=lambda a: a.date, reverse=True)

    def grouped(names: list[str]) -> list:
        groups: dict[str, list] = {name: [] for name in names}
        for story in rng.sample(stories, len(stories)):
            groups[rng.choice(names)].append(story)
        return [(_Named(name), members) for name, members in groups.items()]

    generator.tags = dict(grouped(["a", "b", "c", "d"]))
    generator.categories = grouped(["thoi-su", "the-gioi"])
    generator.authors = grouped(["mai", "lan", "hoa"])
    return generator


class _Named:
    def __init__(self, name: str) -> None:
        self.name = self.slug = self.page_name = self.save_as = self.url = name


@pytest.mark.parametrize("name", ["tags", "categories", "authors"])
def test_category_tag_and_author_pages_get_the_same_lists(name):
    generator = generator_with_lists(articles(300))
    kept = getattr(generator, name)

    def pages(method) -> list:
        written = []
        method(
            generator,
            lambda save_as, template, context, **kw: written.append(
                (save_as, template, ids(kw["articles"]), ids(kw["dates"]), ids(kw["all_articles"]))
            ),
        )
        return written

    theirs, ours = pages(PELICANS_PAGES[name]), pages(with_members(name))
    assert ours == theirs and len(ours) >= 2
    assert getattr(generator, name) is kept  # the generator's own lists are back


def translated(seed: int) -> list[Article]:
    """Stories with translations: same slug in vi and en, some marked, some alone."""
    settings = dict(DEFAULT_CONFIG, DEFAULT_LANG="vi")
    rng = random.Random(seed)
    made = []
    for number in range(200):
        slug = f"bai-{rng.randrange(120)}"
        meta = {"title": f"Bài {number}", "slug": slug, "lang": rng.choice(["vi", "vi", "en"])}
        if rng.random() < 0.2:
            meta["translation"] = "true"
        made.append(Article("<p>x</p>", metadata=meta, settings=settings))
    return made


@pytest.mark.parametrize("translation_id", ["slug", ("slug", "lang"), None])
def test_translations_are_pelicans_own(translation_id):
    def run(function) -> tuple:
        stories = translated(11)
        index, translations = function(stories, translation_id)
        by_title = {s.title: s for s in stories}
        return (
            [s.title for s in index],
            [s.title for s in translations],
            {t: [x.title for x in getattr(s, "translations", [])] for t, s in by_title.items()},
            [s.title for s in stories],  # sorted in place alike
        )

    theirs, ours = run(PELICANS_TRANSLATIONS), run(process_translations)
    assert ours == theirs
    assert translation_id is None or any(theirs[2].values())


def test_translations_with_a_bad_id_fail_with_pelicans_message():
    with pytest.raises(AttributeError, match="Cannot use"):
        process_translations(translated(1), "no_such_field")


def test_members_is_an_identity_lookup_and_a_plain_list_otherwise():
    stories = articles(5)
    members = Members(stories[:3])
    assert stories[0] in members and stories[4] not in members
    assert list(members) == stories[:3] and len(members) == 3


def test_the_site_uses_it():
    plugins = get_settings_from_file(str(ROOT / "pelicanconf.py"))["PLUGINS"]
    assert "linear_lists" in plugins
    linear_lists.register()
    assert ArticlesGenerator._build_period_archives is build_period_archives
    assert ArticlesGenerator.generate_categories.__module__ == "linear_lists.plugin"
    assert pelican.generators.process_translations is process_translations

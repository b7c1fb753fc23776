"""A cold build's share cards are drawn while the site is still being read (issue 24):
`start_early` (on `article_generator_pretaxonomy`) starts drawing the cards of the
stories without a photo, `make_cards`'s `publish` takes that drawing over and adds
the rest, and the cards are put in place as soon as they are all drawn
(`finish_early`, on `article_writer_finalized`), not after the search's process."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from pelican.generators import ArticlesGenerator

from share_cards import CardText
from share_cards import plugin as cards
from share_cards.plugin import POOL_MIN_CARDS, CardJob, start_drawing
from share_cards.worker import draw_job
from support import ROOT

FONT = str(ROOT / "theme" / "fonts" / "BeVietnamPro-Bold.ttf")


def jobs(first: int, count: int) -> list[CardJob]:
    return [
        CardJob(CardText(f"Tin số {n}: đường làng", "Tin tức", "Trang thử"), None, f"k{n}")
        for n in range(first, first + count)
    ]


def test_cards_added_later_are_drawn_and_unkept_ones_never_reach_the_cache(tmp_path: Path) -> None:
    cache, early, later = tmp_path / "cache", jobs(0, POOL_MIN_CARDS + 10), jobs(100, 9)
    drawing = start_drawing(early, FONT, cache, workers=1)
    assert drawing.pool is not None
    drawing.add(later)
    dropped = early[0]  # drawn for a title the build then changed
    keep = {job.file_name for job in early[1:] + later}
    drawing.finish(keep)
    assert sorted(path.name for path in cache.iterdir()) == sorted(keep)
    for job in (early[1], later[-1]):
        assert (cache / job.file_name).read_bytes() == draw_job(job, FONT)
    assert not (cache / dropped.file_name).exists()


def story(n: int, image: str = "") -> SimpleNamespace:
    metadata = {"image": image} if image else {}
    return SimpleNamespace(
        title=f"Bài <em>số</em> {n}", category=SimpleNamespace(name="Xã hội"), metadata=metadata
    )


def stories_read(settings: dict, stories: list[SimpleNamespace]) -> ArticlesGenerator:
    """An ArticlesGenerator as Pelican leaves it when `article_generator_pretaxonomy` fires."""
    generator = ArticlesGenerator.__new__(ArticlesGenerator)
    generator.settings = settings
    generator.articles, generator.translations = stories, []
    generator.drafts, generator.drafts_translations = [], []
    generator.hidden_articles, generator.hidden_translations = [], []
    return generator


def test_a_cold_builds_cards_start_when_the_stories_are_read(tmp_path: Path) -> None:
    settings = {
        "THEME": str(ROOT / "theme"),
        "CACHE_PATH": str(tmp_path / "cache"),
        "OUTPUT_PATH": str(tmp_path / "output"),
        "SITENAME": "Trang thử",
        "SHARE_CARDS_WORKERS": 1,
    }
    stories = [story(n) for n in range(POOL_MIN_CARDS + 5)]
    generator = stories_read(settings, [*stories, story(999, image="{static}/images/a.jpg")])
    cards.start_early(generator)
    early = cards._early
    try:
        assert early is not None and early.pool is not None
        # Only the stories without `Image:`: a photo needs the static files, read later.
        assert len(early.jobs) == len(stories)
        site = cards.Cards(settings)
        every = [site.card_for(s.title, "Xã hội", None) for s in stories]
        every.append(site.card_for("Giới thiệu", "", None))  # a page: known only later
        cards.publish(list(site.jobs.values()), settings, str(site.font))
        assert cards._early is None and cards._publishing.drawing is early
        assert len(early.jobs) == len(stories) + 1
        cards.finish_cards()
    finally:
        cards._abandon()
    output = Path(settings["OUTPUT_PATH"]) / "share"
    assert sorted(path.name for path in output.iterdir()) == sorted(
        card.url.split("/")[-1] for card in every
    )
    assert sorted(path.name for path in (tmp_path / "cache" / "share-cards").iterdir()) == sorted(
        path.name for path in output.iterdir()
    )
    job = site.jobs[every[-1].url.split("/")[-1].removesuffix(".png")]
    assert (output / job.file_name).read_bytes() == draw_job(job, str(site.font))


def test_a_warm_build_starts_no_worker(tmp_path: Path) -> None:
    """A rebuild after one edit has one card to draw: no process is started for it."""
    settings = {
        "THEME": str(ROOT / "theme"),
        "CACHE_PATH": str(tmp_path / "cache"),
        "SHARE_CARDS_WORKERS": 1,
    }
    cards.start_early(stories_read(settings, [story(1)]))
    assert cards._early is None

"""Share cards: a 1200×630 PNG per article, page and model page (and one for
the site), drawn at build time and cached between builds.

On `all_generators_finalized` every article and page gets `share_card`, every
model of the catalogue (plugins/model_catalog) gets `share_card`, and the
context gets SITE_SHARE_CARD, all `ShareCard(url, width, height, alt)`. The
news_jsonld plugin and the theme print them as og:image and JSON-LD image.

A card is keyed by what it shows (title, kicker, site name, photo bytes), the
font file and CARD_VERSION; a card already in the cache is linked into the
output, not redrawn. The missing ones are drawn by worker processes, started as
soon as the stories are read (`article_generator_pretaxonomy`, for the stories
without a photo) while Pelican reads the rest of the site, staged in the cache as
they arrive, and committed on `article_writer_finalized` when all are drawn by
then (else on `finalized`).
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pelican import signals
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator

from news_jsonld.plugin import image_value, resolve_static
from share_cards.draw import CARD_SIZE, CardText
from share_cards.worker import CardJob, draw_job, draw_jobs
from tdbvantq.errors import ContentError, hide_tracebacks
from tdbvantq.settings import PluginSettings, folder, number, text
from tdbvantq.text import normalize
from tdbvantq.writes import AtomicBatch, link_or_copy, prune_cache

logger = logging.getLogger(__name__)

# Bump when the drawing changes: every cached card is then redrawn.
CARD_VERSION = "8"
RASTER_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
# Worker processes cost about 0.1 s to start and each card ~15 ms of CPU: below
# this many missing cards one process is as fast.
POOL_MIN_CARDS = 50
# Cards drawn per call to a worker (what map()'s chunksize was): the build's process
# holds at most a few chunks' bytes at once.
POOL_CHUNK = 8

SETTINGS = PluginSettings(
    "share_cards",
    [
        folder(
            "SHARE_CARDS_FONT",
            "fonts/BeVietnamPro-Bold.ttf",
            "the font: inside THEME, or an absolute path",
        ),
        folder(
            "SHARE_CARDS_CACHE_DIR",
            None,
            "cards kept between builds; None: <CACHE_PATH>/share-cards",
            optional=True,
        ),
        text("SHARE_CARDS_OUTPUT_DIR", "share", "folder of the cards inside the output folder"),
        text("SHARE_CARDS_MODEL_KICKER", "Mô hình", "line above a model's name"),
        number(
            "SHARE_CARDS_WORKERS",
            0,
            "processes drawing cards; 0: one per available CPU but one",
            minimum=0,
        ),
        number(
            "SHARE_CARDS_CACHE_DAYS",
            30,
            "cached cards no build used for this many days are removed; 0: kept forever",
            minimum=0,
        ),
    ],
)


@dataclass(frozen=True)
class ShareCard:
    url: str  # site-relative
    width: int
    height: int
    alt: str
    type: str = "image/png"  # "image/jpeg" for a card with a photo


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def card_key(text: CardText, font_digest: str, photo_digest: str) -> str:
    parts = [CARD_VERSION, font_digest, text.title, text.kicker, text.site_name, photo_digest]
    return digest("\x1f".join(parts).encode("utf-8"))[:20]


def font_path(settings: dict) -> Path:
    path = Path(SETTINGS.read(settings, "SHARE_CARDS_FONT"))
    return path if path.is_absolute() else Path(settings["THEME"]) / path


def cache_dir(settings: dict) -> Path:
    configured = SETTINGS.read(settings, "SHARE_CARDS_CACHE_DIR")
    return Path(configured) if configured else Path(settings["CACHE_PATH"]) / "share-cards"


def photo_path(content: Any, static_content: dict) -> Path | None:
    """The source file of the content's `Image` when it is a raster file of the site."""
    static = resolve_static(content, static_content)
    if static is None or Path(static.source_path).suffix.lower() not in RASTER_SUFFIXES:
        return None
    return Path(static.source_path)


def available_cpus() -> int:
    """CPUs this process may run on (a container's or taskset's limit, not the machine's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_workers() -> int:
    """One worker per CPU but the one the build's own process keeps busy writing pages
    (with search's process beside it): on 2 CPUs one worker draws every card while
    the pages are written, and each word's mask is drawn once, not once per worker.
    0 on one CPU: the cards are drawn in the build's process."""
    return available_cpus() - 1


def draw_all(jobs: list[CardJob], font: str, cache: Path, workers: int) -> None:
    """Draw the cards into the cache, put in place together: one flush of the disk
    for them all (a flush per card was a third of a cold build's card time)."""
    drawing = start_drawing(jobs, font, cache, workers)
    drawing.finish()


class Drawing:
    """Cards being drawn, by worker processes when there are many: started when
    Pelican has read the stories (more added once it has read the site), finished
    (committed into the cache) once it has written the stories' pages, so the site
    is read and written while the cards are drawn.

    With a pool, each chunk's cards are staged in the batch (temporary files beside
    their names in the cache) by a done-callback as soon as the chunk is drawn, and
    no future is kept: the build's process holds a chunk's bytes, not every card's
    (2.4 GB at 100,000 stories). Callbacks run in the pool's thread, hence the lock.
    """

    def __init__(
        self, jobs: list[CardJob], font: str, cache: Path, pool: ProcessPoolExecutor | None = None
    ) -> None:
        self.jobs, self.font, self.cache, self.pool = list(jobs), font, cache, pool
        self.batch = AtomicBatch()
        self._changed = threading.Condition()
        self._error: BaseException | None = None
        self._closed = False
        self._left = 0
        if pool is None:
            return
        # A build that fails before finish() (Pelican raised while writing pages)
        # still removes the staged temporary files when the process exits.
        atexit.register(self.abort)
        self.jobs = []
        self.add(jobs)

    def add(self, jobs: list[CardJob]) -> None:
        """Draw these cards too (the ones a build knows only once the site is read)."""
        self.jobs.extend(jobs)
        if self.pool is None:
            return
        chunks = [jobs[start : start + POOL_CHUNK] for start in range(0, len(jobs), POOL_CHUNK)]
        with self._changed:
            self._left += len(chunks)  # counted before any callback can run
        for chunk in chunks:
            self.pool.submit(draw_jobs, chunk, self.font).add_done_callback(
                partial(self._arrived, chunk)
            )

    def drawn(self) -> bool:
        """Whether finish() would not wait: every card drawn by the pool (or none yet
        drawn in this process, which finish() does at once)."""
        with self._changed:
            return self._left == 0 or self._error is not None

    def _arrived(self, chunk: list[CardJob], future: Future) -> None:
        """Stage a drawn chunk (in the pool's thread); an error is raised by finish()."""
        with self._changed:
            try:
                if not self._closed and not future.cancelled() and self._error is None:
                    for job, data in zip(chunk, future.result(), strict=True):
                        self.batch.put(self.cache / job.file_name, data)
            except BaseException as error:  # a failed drawing, a full disk
                self._error = error
            finally:
                self._left -= 1
                self._changed.notify_all()

    def finish(self, keep: set[str] | None = None) -> None:
        """Wait for the cards and put them into the cache; with `keep`, only the cards
        of those file names (one drawn early for a title the build then changed is
        dropped)."""
        if self.pool is None:
            with self.batch as batch:
                for job in self.jobs:
                    if keep is None or job.file_name in keep:
                        batch.put(self.cache / job.file_name, draw_job(job, self.font))
            return
        try:
            with self._changed:
                self._changed.wait_for(lambda: self._left == 0 or self._error is not None)
                if self._error is not None:
                    raise self._error
                self._closed = True
                if keep is not None:
                    self.batch.retain({self.cache / name for name in keep})
                self.batch.commit()
        except BaseException:
            self.abort()
            raise
        self.pool.shutdown()
        atexit.unregister(self.abort)

    def abort(self) -> None:
        """Stop drawing and remove every staged card: none reaches the cache."""
        with self._changed:
            self._closed = True  # a chunk arriving from now on is dropped
            self.batch.discard()
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        atexit.unregister(self.abort)


def start_drawing(jobs: list[CardJob], font: str, cache: Path, workers: int) -> Drawing:
    if workers < 1 or len(jobs) <= POOL_MIN_CARDS:
        return Drawing(jobs, font, cache)  # drawn in this process by finish()
    # Spawned, not forked: a forked worker starts as a copy of the build process
    # with every story of the site in it (450 MB at 10,000 stories, copied page by
    # page as Python touches reference counts); a spawned one holds Pillow and a card.
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    return Drawing(jobs, font, cache, pool)


def all_contents(generators: Iterable[Generator]) -> Iterable[tuple[Any, str]]:
    """(content, kicker) for every article and page, drafts and hidden ones included."""
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
                yield article, article.category.name
        elif isinstance(generator, PagesGenerator):
            for page in chain(
                generator.pages,
                generator.translations,
                generator.hidden_pages,
                generator.hidden_translations,
                generator.draft_pages,
                generator.draft_translations,
            ):
                yield page, ""


def plain(title: str) -> str:
    """A title as drawn: tags stripped, entities decoded, NFC."""
    return normalize(" ".join(Markup(str(title)).striptags().split()))


class Cards:
    """The build's cards by key: what each content shows, and the job drawing it."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.font = font_path(settings)
        if not self.font.is_file():
            # A ContentError, not SystemExit: `make serve` logs it and waits for the fix.
            raise ContentError(
                f"{self.font}: không tìm thấy phông chữ của ảnh chia sẻ (SHARE_CARDS_FONT)"
            )
        self.font_digest = digest(self.font.read_bytes())
        self.site_name = plain(settings.get("SITENAME", ""))
        self.folder = SETTINGS.read(settings, "SHARE_CARDS_OUTPUT_DIR").strip("/")
        self.photo_digests: dict[Path, str] = {}
        self.jobs: dict[str, CardJob] = {}

    def card_for(self, title: str, kicker: str, photo: Path | None) -> ShareCard:
        if photo is not None and photo not in self.photo_digests:
            self.photo_digests[photo] = digest(photo.read_bytes())
        text = CardText(plain(title), kicker, self.site_name)
        key = card_key(text, self.font_digest, self.photo_digests.get(photo, ""))
        job = self.jobs.setdefault(key, CardJob(text, photo, key))
        return ShareCard(
            f"{self.folder}/{job.file_name}",
            *CARD_SIZE,
            text.title,
            "image/png" if photo is None else "image/jpeg",
        )


def make_cards(generators: list[Generator]) -> None:
    settings, context = generators[0].settings, generators[0].context
    cards = Cards(settings)
    static_content = context.get("static_content", {})
    for content, kicker in all_contents(generators):
        photo = photo_path(content, static_content)
        content.share_card = cards.card_for(content.title, kicker, photo)
    model_kicker = SETTINGS.read(settings, "SHARE_CARDS_MODEL_KICKER")
    for model in context.get("MODEL_CATALOG", []):
        model.share_card = cards.card_for(model.name, model_kicker, None)
    site_title = settings.get("SITESUBTITLE") or cards.site_name
    context["SITE_SHARE_CARD"] = cards.card_for(site_title, "", None)
    publish(list(cards.jobs.values()), settings, str(cards.font))


def start_early(generator: ArticlesGenerator) -> None:
    """`article_generator_pretaxonomy`: once the stories are read, start drawing the
    cards of those without `Image:` (their card needs no static file), so they are
    drawn on the other CPU while the build's process is still reading the site; the
    search's process only starts on `all_generators_finalized`. Only in a build with
    many cards to draw (a cold one): `make_cards` still decides which cards the site
    has, and draws the rest."""
    global _early
    _abandon()  # left by an earlier build of `make serve` that failed
    settings = generator.settings
    workers = SETTINGS.read(settings, "SHARE_CARDS_WORKERS") or default_workers()
    if workers < 1 or not font_path(settings).is_file():
        return  # make_cards draws them, or says what is wrong
    cards = Cards(settings)
    for content, kicker in all_contents([generator]):
        if not image_value(content):
            cards.card_for(content.title, kicker, None)
    cache = cache_dir(settings)
    missing = [job for job in cards.jobs.values() if not (cache / job.file_name).is_file()]
    if len(missing) > POOL_MIN_CARDS:
        _early = start_drawing(missing, str(cards.font), cache, workers)


@dataclass
class _Publishing:
    jobs: list[CardJob]
    missing: int
    drawing: Drawing
    settings: dict
    started: float


# The cards of the build under way, drawn while Pelican writes the pages
# (publish starts them, finish_cards waits for them).
_publishing: _Publishing | None = None
# The cards start_early started drawing, until publish takes them over.
_early: Drawing | None = None


def _abandon() -> None:
    """Drop the cards of an earlier build that failed (`make serve`)."""
    global _publishing, _early
    for drawing in (_early, _publishing and _publishing.drawing):
        if drawing is not None:
            drawing.abort()
    _publishing = _early = None


def publish(jobs: list[CardJob], settings: dict, font: str) -> None:
    """Start drawing what the cache lacks; `finish_cards` puts every card into the output."""
    global _publishing, _early
    early, _early = _early, None
    if _publishing is not None:  # an earlier build failed (`make serve`): drop its cards
        _publishing.drawing.abort()
    started = time.perf_counter()
    cache = cache_dir(settings)
    missing = [job for job in jobs if not (cache / job.file_name).is_file()]
    if early is not None and early.cache == cache and early.font == font:
        drawing, started_early = early, set(early.jobs)
        drawing.add([job for job in missing if job not in started_early])
    else:
        if early is not None:
            early.abort()
        workers = SETTINGS.read(settings, "SHARE_CARDS_WORKERS") or default_workers()
        drawing = start_drawing(missing, font, cache, workers)
    _publishing = _Publishing(jobs, len(missing), drawing, settings, started)


def finish_early(generator: Any = None, writer: Any = None) -> None:
    """`article_writer_finalized`: when every card is drawn by then (as in a cold
    build, where they were drawn while the site was read), put them in place now,
    while the search's process still works, rather than after waiting for it."""
    if _publishing is not None and _publishing.drawing.drawn():
        finish_cards()


def finish_cards(pelican: Any = None) -> None:
    """`finalized`: wait for the cards, then copy every card into the output folder."""
    global _publishing
    publishing, _publishing = _publishing, None
    if publishing is None:
        return
    publishing.drawing.finish({job.file_name for job in publishing.jobs})
    settings, jobs, cache = publishing.settings, publishing.jobs, publishing.drawing.cache
    output = Path(settings["OUTPUT_PATH"]) / SETTINGS.read(settings, "SHARE_CARDS_OUTPUT_DIR")
    output.mkdir(parents=True, exist_ok=True)
    for job in jobs:
        link_or_copy(cache / job.file_name, output / job.file_name)
    days = SETTINGS.read(settings, "SHARE_CARDS_CACHE_DAYS")
    used = [cache / job.file_name for job in jobs]
    removed = prune_cache(cache, used, days) if days else []
    logger.info(
        "share cards: %d drawn, %d from the cache (%s), %d unused ones removed, in %.1f s",
        publishing.missing,
        len(jobs) - publishing.missing,
        cache,
        len(removed),
        time.perf_counter() - publishing.started,
    )


def register() -> None:
    SETTINGS.register()
    hide_tracebacks()
    signals.article_generator_pretaxonomy.connect(start_early)
    signals.all_generators_finalized.connect(make_cards)
    signals.article_writer_finalized.connect(finish_early)
    signals.finalized.connect(finish_cards)

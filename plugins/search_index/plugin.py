"""Pelican signal handlers: collect articles and model pages, update the index."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import blinker
from ordered_set import OrderedSet

from search_index.background import BackgroundJob, WaitingProcess
from tdbvantq import htmltext
from tdbvantq import text as vntext
from tdbvantq.errors import ContentError, hide_tracebacks
from tdbvantq.htmltext import html_to_text
from tdbvantq.search.generations import FORMAT, PendingGenerations
from tdbvantq.settings import PluginSettings, flag, folder

if TYPE_CHECKING:
    from tdbvantq.search import SearchDocument

log = logging.getLogger(__name__)

SETTINGS = PluginSettings(
    "search_index",
    [
        flag("SEARCH_INDEX_ENABLED", True, "False skips indexing"),
        flag(
            "SEARCH_INDEX_BACKGROUND",
            True,
            "index in a second process while Pelican writes the pages; False: in the build's process",
        ),
        folder("SEARCH_INDEX_DIR", "search-index/", "where the index lives"),
        folder("ACRONYMS_FILE", None, "the acronym glossary, copied into the index", optional=True),
        folder(
            "SYNONYMS_FILE",
            None,
            "editors' synonyms (vntext.synonyms), copied into the index",
            optional=True,
        ),
    ],
)


def _setting(settings: dict, name: str) -> Any:
    return SETTINGS.read(settings, name)


def index_dir_for(settings: dict) -> Path:
    """SEARCH_INDEX_DIR; a relative path is taken from the working folder (`make` runs at the root)."""
    return Path(str(_setting(settings, "SEARCH_INDEX_DIR"))).resolve()


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    items = []
    for item in value:
        name = getattr(item, "name", item)
        if name:
            items.append(str(name).strip())
    return items


class _ModelSlugs:
    """Model name or alias -> catalogue slug (slugified name when the catalogue lacks it)."""

    def __init__(self, catalog: Iterable[ModelSource]) -> None:
        self.by_name: dict[str, str] = {}
        for model in catalog:
            for name in [model.name, *model.aliases]:
                if name and model.slug:
                    self.by_name.setdefault(vntext.fold(name), model.slug)

    def slug(self, name: str) -> str:
        return self.by_name.get(vntext.fold(name)) or vntext.slugify(name)


@dataclass(frozen=True)
class ArticleSource:
    """What the index needs of one Pelican article, as plain data: its hash says
    whether the article changed, and it travels to the background process."""

    url: str
    title: str
    content: str
    summary: str
    models: tuple[str, ...]  # the Models metadata
    locality: tuple[str, ...]
    linked: tuple[tuple[str, str], ...] | None  # (slug, name) of model_catalog's Model objects
    tags: tuple[str, ...]
    date: str  # ISO 8601, or ""
    places: tuple[tuple[str, str], ...] = ()  # (slug, name) of the place pages it is on


@dataclass(frozen=True)
class ModelSource:
    slug: str
    name: str
    aliases: tuple[str, ...]
    group: str
    description: str
    url: str
    localities: tuple[str, ...]


def article_source(article: Any) -> ArticleSource:
    metadata = getattr(article, "metadata", {}) or {}
    linked = getattr(article, "models", None)
    date = getattr(article, "date", None)
    return ArticleSource(
        url=str(article.url),
        title=str(getattr(article, "title", "") or ""),
        content=str(getattr(article, "content", "") or ""),
        summary=str(metadata.get("summary") or getattr(article, "summary", "") or ""),
        models=tuple(_split(metadata.get("models"))),
        locality=tuple(_split(metadata.get("locality"))),
        linked=tuple((str(m.slug), str(m.name)) for m in linked)
        if isinstance(linked, list | tuple) and all(hasattr(m, "slug") for m in linked)
        else None,
        tags=tuple(str(tag) for tag in getattr(article, "tags", None) or []),
        date=date.isoformat() if date else "",
        places=tuple(_place_facets(getattr(article, "places", None) or [])),
    )


def _place_facets(places: Iterable[Any]) -> list[tuple[str, str]]:
    """(slug, name) of each place page of the story and of its province (plugins/places):
    filtering by a province finds the stories of its communes too."""
    found: dict[str, str] = {}
    for place in places:
        page = getattr(place, "page", None)
        for level in (getattr(page, "province", None), page):
            if level is not None:
                found.setdefault(place_slug(level.url), vntext.normalize(level.name))
    return list(found.items())


def place_slug(url: str) -> str:
    """ "dia-phuong/hue/phuong-phong-thai/" -> "hue/phuong-phong-thai"."""
    parts = [part for part in url.strip("/").split("/") if part]
    return "/".join(parts[1:]) if len(parts) > 1 else "/".join(parts)


def model_source(model: Any) -> ModelSource:
    name = str(getattr(model, "name", "") or "")
    return ModelSource(
        slug=str(getattr(model, "slug", "") or vntext.slugify(name)),
        name=name,
        aliases=tuple(str(a) for a in getattr(model, "aliases", None) or []),
        group=str(getattr(model, "group", "") or ""),
        description=str(getattr(model, "description", "") or ""),
        url=str(getattr(model, "url", "") or ""),
        localities=tuple(str(x) for x in getattr(model, "localities", None) or []),
    )


def article_document(source: ArticleSource, slugs: _ModelSlugs) -> SearchDocument:
    # Imported here, as build_index below: the search engine (Whoosh, numpy) is needed in
    # the background process only, which imports it while the build reads the site.
    from tdbvantq.search import SearchDocument

    if source.linked is not None:
        models = [name for _, name in source.linked]
        model_slugs = [slug for slug, _ in source.linked]
    else:
        models = list(source.models)
        model_slugs = [slugs.slug(m) for m in models]
    return SearchDocument(
        id=f"article:{source.url}",
        kind="article",
        url=source.url,
        title=vntext.normalize(html_to_text(source.title)),
        summary=vntext.normalize(html_to_text(source.summary)),
        body=vntext.normalize(html_to_text(source.content)),
        models=[vntext.normalize(m) for m in models],
        model_slugs=list(dict.fromkeys(model_slugs)),
        tags=[vntext.normalize(tag) for tag in source.tags],
        locality=[vntext.normalize(x) for x in source.locality]
        or [name for _, name in source.places],
        place_slugs=[slug for slug, _ in source.places],
        place_names=[name for _, name in source.places],
        date=source.date,
    )


def model_document(source: ModelSource) -> SearchDocument:
    from tdbvantq.search import SearchDocument

    return SearchDocument(
        id=f"model:{source.slug}",
        kind="model",
        url=source.url,
        title=vntext.normalize(source.name),
        summary=vntext.normalize(source.description),
        models=[vntext.normalize(n) for n in [source.name, *source.aliases]],
        model_slugs=[source.slug],
        tags=[vntext.normalize(source.group)] if source.group else [],
        locality=[vntext.normalize(x) for x in source.localities],
    )


class LazyDocument:
    """An article or model page whose text is only extracted when its hash changed.
    Plain data and module-level functions only: it is pickled to the background process."""

    def __init__(
        self, doc_id: str, source: ArticleSource | ModelSource, slugs: _ModelSlugs
    ) -> None:
        self.id = doc_id
        self.source = source
        self.slugs = slugs

    def content_hash(self) -> str:
        payload = json.dumps(
            [FORMAT, EXTRACTION_VERSION, dataclasses.astuple(self.source)], ensure_ascii=False
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def document(self) -> SearchDocument:
        if isinstance(self.source, ModelSource):
            return model_document(self.source)
        return article_document(self.source, self.slugs)


def code_version(*modules: ModuleType) -> str:
    """sha256 of the source files of `modules` (every .py file of a package).

    The documents' hashes include it, so any edit to the code that turns Pelican
    objects into search documents (this module, htmltext, vntext) re-extracts
    every document on the next build: nobody has to remember to bump a number.
    """
    digest = hashlib.sha256()
    for module in modules:
        path = Path(str(module.__file__))
        files = sorted(path.parent.rglob("*.py")) if path.name == "__init__.py" else [path]
        for file in files:
            digest.update(file.name.encode("utf-8") + b"\0" + file.read_bytes())
    return digest.hexdigest()[:16]


EXTRACTION_VERSION = code_version(sys.modules[__name__], htmltext, vntext)


def collect_documents(articles: Iterable[Any], catalog: Iterable[Any]) -> list[LazyDocument]:
    """The index's view of the site, taken out of Pelican's objects as plain data."""
    models = [model_source(m) for m in catalog or [] if getattr(m, "name", "")]
    slugs = _ModelSlugs(models)
    documents = [
        LazyDocument(f"article:{article.url}", article_source(article), slugs)
        for article in articles
    ]
    documents += [LazyDocument(f"model:{m.slug}", m, slugs) for m in models]
    return documents


def _articles_and_catalog(generators: Iterable[Any]) -> tuple[list[Any], list[Any]]:
    articles: list[Any] = []
    catalog: list[Any] = []
    for generator in generators:
        if hasattr(generator, "articles"):
            articles += list(generator.articles) + list(getattr(generator, "translations", []))
        found = getattr(generator, "context", {}).get("MODEL_CATALOG")
        if found and not catalog:
            catalog = list(found)
    return articles, catalog


def index_documents(
    index_dir: Path,
    documents: list[LazyDocument],
    glossary: str | None,
    then: list[Callable[[Path], Any]],
    synonyms: str | None = None,
    pending: PendingGenerations | None = None,
) -> PendingGenerations | None:
    """Update the Whoosh index, then run the work that reads it (`after_index`) on
    the generation just written. With `pending`, the new generation is added to it
    rather than made current; it is returned (a copy of it comes back from the
    background process). `documents` is emptied once indexed."""
    from tdbvantq.search import build_index

    started = time.perf_counter()
    report = build_index(index_dir, documents, glossary, synonyms, pending)
    # The work after the index reads the index only: every story's text, taken out of
    # Pelican, would stay held through the static export (~1 GB at 100,000 stories).
    documents.clear()
    log.info(
        "search index %s: %d added, %d changed, %d removed, %d unchanged (%s, %.2f s)",
        index_dir,
        report.added,
        report.changed,
        report.removed,
        report.unchanged,
        report.generation if report.written else "nothing written",
        time.perf_counter() - started,
    )
    for job in then:
        job(Path(index_dir) / report.generation)
    return pending


class _OrderedSignal(blinker.Signal):
    """A signal whose receivers run in the order they were connected, as Pelican's
    own (pelican.plugins.signals sets that for the signals made after it is imported;
    this module no longer imports Pelican first). `ordered-set` is Pelican's."""

    set_class = OrderedSet


# Work that needs the updated index and runs right after it, in the same
# process: a receiver gets the settings and returns a picklable callable, or
# None (static_search returns its export). The callable gets the generation to
# read (the build's own, current or not yet). Like Pelican's get_generators.
after_index = _OrderedSignal("search_index_after_index")

# Who makes the new generation current: a receiver (scripts/build.py) gets the
# settings and returns the PendingGenerations it will commit once the new site
# is in place. Without one, the generation is current as soon as it is written
# (a plain `pelican` run).
commit_owner = _OrderedSignal("search_index_commit_owner")

# The background job of this build and the build's PendingGenerations.
_running: tuple[BackgroundJob, PendingGenerations | None] | None = None
# The process started for this build's job before the site is read (`start_process`).
_waiting: WaitingProcess | None = None


def _background(settings: dict) -> bool:
    return bool(_setting(settings, "SEARCH_INDEX_ENABLED")) and bool(
        _setting(settings, "SEARCH_INDEX_BACKGROUND")
    )


def _plugin_names(settings: dict) -> list[str]:
    return [name for name in settings.get("PLUGINS") or [] if isinstance(name, str)]


def start_process(pelican: Any) -> None:
    """`initialized`: start the background process now, so that its interpreter and its
    imports (this module, the search engine, the `after_index` receivers' modules) run
    on the second core while Pelican reads the site; `update_index` hands it the work."""
    global _waiting
    _drop_waiting()  # left by an earlier build (in one process) that failed before indexing
    settings = pelican.settings
    if not _background(settings):
        return
    # The engine's modules, which the build's own process no longer imports.
    warm = [__name__, "tdbvantq.search.store", "tdbvantq.search.searcher"]
    warm += [getattr(receiver, "__module__", "") for receiver in after_index.receivers_for(None)]
    try:
        _waiting = WaitingProcess(
            _plugin_names(settings), settings.get("PLUGIN_PATHS"), [m for m in warm if m]
        )
    except OSError:  # no process to be had now: update_index tries again, then indexes here
        _waiting = None


def _drop_waiting() -> None:
    global _waiting
    waiting, _waiting = _waiting, None
    if waiting is not None:
        waiting.close()


def _take_waiting() -> WaitingProcess | None:
    """The process started for this build, if it is still there to take the work."""
    global _waiting
    waiting, _waiting = _waiting, None
    if waiting is not None and not waiting.alive():
        waiting.close()
        return None
    return waiting


def _owner(settings: dict) -> PendingGenerations | None:
    owners = [owner for _, owner in commit_owner.send(settings) if owner is not None]
    return owners[0] if owners else None


def update_index(generators: Iterable[Any]) -> None:
    """`all_generators_finalized`: start indexing (in the background unless
    SEARCH_INDEX_BACKGROUND is False); `finalized` waits for it."""
    global _running
    generators = list(generators)
    if not generators:
        return
    settings = generators[0].settings
    if not _setting(settings, "SEARCH_INDEX_ENABLED"):
        _drop_waiting()
        return
    if _running is not None:  # left by an earlier build of `make serve` that failed
        _running[0].cancel()
        _running = None
    articles, catalog = _articles_and_catalog(generators)
    synonyms = _setting(settings, "SYNONYMS_FILE")
    try:  # an editor's malformed line stops the build here, as file:line
        vntext.load_synonyms(synonyms)
    except vntext.SynonymError as error:
        raise ContentError(f"search index: {error}") from None
    then = [job for _, job in after_index.send(settings) if job is not None]
    owner = _owner(settings)
    args = (
        index_dir_for(settings),
        collect_documents(articles, catalog),
        settings.get("ACRONYMS_FILE"),
        then,
        synonyms,
    )
    if _setting(settings, "SEARCH_INDEX_BACKGROUND"):
        waiting = _take_waiting()
        try:
            job = BackgroundJob(
                index_documents,
                *args,
                # The child fills its own copy; the build adopts it in finish_index.
                None if owner is None else PendingGenerations(),
                plugins=_plugin_names(settings),
                plugin_paths=settings.get("PLUGIN_PATHS"),
                process=waiting,
            )
            _running = (job, owner)
            return
        except OSError as error:  # no process to be had: do the work here
            log.warning(
                "search index: no background process (%s); indexing in the build's process", error
            )
    try:
        index_documents(*args, owner)
    except OSError as error:
        raise ContentError(f"search index: {error}") from None


def finish_index(pelican: Any) -> None:
    """Wait for the background indexing; its logs and errors surface here."""
    global _running
    _drop_waiting()  # started, and never given work (search turned off by then)
    running, _running = _running, None
    if running is not None:
        job, owner = running
        try:
            written = job.wait()
        except OSError as error:  # a folder that cannot be written, a full disk: the user's to fix
            raise ContentError(f"search index: {error}") from None
        if owner is not None and written is not None:
            owner.adopt(written)


def register() -> None:
    # Imported here, not at the top: the background process unpickles this module's
    # index_documents and needs nothing of Pelican (~0.2 s of CPU to import).
    from pelican import signals

    SETTINGS.register()
    hide_tracebacks()
    signals.initialized.connect(start_process)
    signals.all_generators_finalized.connect(update_index)
    signals.finalized.connect(finish_index)

"""Pelican signal handlers: collect articles and model pages, update the index."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from pelican import signals

import htmltext
import vntext
from htmltext import html_to_text
from plugin_settings import PluginSettings, flag, folder
from vnsearch import FORMAT, SearchDocument, build_index

log = logging.getLogger(__name__)

SETTINGS = PluginSettings(
    "search_index",
    [
        flag("SEARCH_INDEX_ENABLED", True, "False skips indexing"),
        folder("SEARCH_INDEX_DIR", "search-index/", "where the index lives"),
        folder("ACRONYMS_FILE", None, "the acronym glossary, copied into the index", optional=True),
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

    def __init__(self, catalog: Iterable[Any]) -> None:
        self.by_name: dict[str, str] = {}
        for model in catalog:
            slug = getattr(model, "slug", "")
            for name in [getattr(model, "name", ""), *(getattr(model, "aliases", None) or [])]:
                if name and slug:
                    self.by_name.setdefault(vntext.fold(name), slug)

    def slug(self, name: str) -> str:
        return self.by_name.get(vntext.fold(name)) or vntext.slugify(name)


def article_document(article: Any, slugs: _ModelSlugs) -> SearchDocument:
    metadata = getattr(article, "metadata", {}) or {}
    linked = getattr(article, "models", None)  # Model objects, set by model_catalog
    if isinstance(linked, list | tuple) and all(hasattr(m, "slug") for m in linked):
        models = [str(m.name) for m in linked]
        model_slugs = [str(m.slug) for m in linked]
    else:
        models = _split(metadata.get("models"))
        model_slugs = [slugs.slug(m) for m in models]
    date = getattr(article, "date", None)
    locality = metadata.get("locality")
    return SearchDocument(
        id=f"article:{article.url}",
        kind="article",
        url=article.url,
        title=vntext.normalize(html_to_text(getattr(article, "title", ""))),
        summary=vntext.normalize(
            html_to_text(metadata.get("summary") or getattr(article, "summary", ""))
        ),
        body=vntext.normalize(html_to_text(getattr(article, "content", ""))),
        models=[vntext.normalize(m) for m in models],
        model_slugs=list(dict.fromkeys(model_slugs)),
        tags=[vntext.normalize(str(tag)) for tag in getattr(article, "tags", None) or []],
        locality=[vntext.normalize(x) for x in _split(locality)] if locality else [],
        date=date.isoformat() if date else "",
    )


def model_document(model: Any) -> SearchDocument:
    name = str(getattr(model, "name", "") or "")
    slug = str(getattr(model, "slug", "") or vntext.slugify(name))
    aliases = [str(a) for a in getattr(model, "aliases", None) or []]
    return SearchDocument(
        id=f"model:{slug}",
        kind="model",
        url=str(getattr(model, "url", "") or ""),
        title=vntext.normalize(name),
        summary=vntext.normalize(str(getattr(model, "description", "") or "")),
        models=[vntext.normalize(n) for n in [name, *aliases]],
        model_slugs=[slug],
        tags=[vntext.normalize(str(getattr(model, "group", "") or ""))]
        if getattr(model, "group", "")
        else [],
        locality=[vntext.normalize(str(x)) for x in getattr(model, "localities", None) or []],
    )


class LazyDocument:
    """An article or model page whose text is only extracted when its hash changed."""

    def __init__(self, doc_id: str, raw: list[Any], make: Callable[[], SearchDocument]) -> None:
        self.id = doc_id
        self._raw = raw
        self._make = make

    def content_hash(self) -> str:
        payload = json.dumps(
            [FORMAT, EXTRACTION_VERSION, self._raw], ensure_ascii=False, default=str
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def document(self) -> SearchDocument:
        return self._make()


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


def _raw_article(article: Any) -> list[Any]:
    metadata = getattr(article, "metadata", {}) or {}
    linked = getattr(article, "models", None)
    return [
        article.url,
        getattr(article, "title", ""),
        getattr(article, "content", ""),
        metadata.get("summary") or getattr(article, "summary", ""),
        metadata.get("models"),
        metadata.get("locality"),
        [(getattr(m, "slug", ""), getattr(m, "name", m)) for m in linked or []]
        if isinstance(linked, list | tuple)
        else None,
        [str(t) for t in getattr(article, "tags", None) or []],
        str(getattr(article, "date", "")),
    ]


def _raw_model(model: Any) -> list[Any]:
    return [
        getattr(model, name, None)
        for name in ("slug", "name", "aliases", "group", "description", "url", "localities")
    ]


def collect_documents(articles: Iterable[Any], catalog: Iterable[Any]) -> Iterator[LazyDocument]:
    catalog = list(catalog or [])
    slugs = _ModelSlugs(catalog)
    for article in articles:
        yield LazyDocument(
            f"article:{article.url}",
            _raw_article(article),
            functools.partial(article_document, article, slugs),
        )
    for model in catalog:
        if getattr(model, "name", ""):
            slug = str(getattr(model, "slug", "") or vntext.slugify(model.name))
            yield LazyDocument(
                f"model:{slug}", _raw_model(model), functools.partial(model_document, model)
            )


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


def update_index(generators: Iterable[Any]) -> None:
    generators = list(generators)
    if not generators:
        return
    settings = generators[0].settings
    if not _setting(settings, "SEARCH_INDEX_ENABLED"):
        return
    articles, catalog = _articles_and_catalog(generators)
    index_dir = index_dir_for(settings)
    started = time.perf_counter()
    report = build_index(
        index_dir, collect_documents(articles, catalog), settings.get("ACRONYMS_FILE")
    )
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


def register() -> None:
    SETTINGS.register()
    signals.all_generators_finalized.connect(update_index)

"""Pelican signal handler: after the build, export the search index into the output."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from pelican import signals

from plugin_settings import PluginSettings, flag, folder, number
from search_index.plugin import index_dir_for
from static_search.export import export_static_index
from vnsearch import IndexMissing

log = logging.getLogger(__name__)

SETTINGS = PluginSettings(
    "static_search",
    [
        flag("STATIC_SEARCH_ENABLED", True, "False exports nothing"),
        folder("STATIC_SEARCH_DIR", "search", "folder under OUTPUT_PATH; search.html reads <dir>/manifest.json"),
        number("STATIC_SEARCH_SHARD_BYTES", 12000, "target raw size of one term shard (before gzip)"),
        number("STATIC_SEARCH_CHUNK_BYTES", 6000, "target raw size of one fragment chunk (before gzip)"),
    ],
)


def setting(settings: dict, name: str) -> Any:
    return SETTINGS.read(settings, name)


def export(pelican: Any) -> None:
    """`finalized` handler: the search_index plugin has updated the Whoosh index by now
    (it runs on `all_generators_finalized`), so the export reads the current generation."""
    settings = pelican.settings
    if not setting(settings, "STATIC_SEARCH_ENABLED") or not settings.get(
        "SEARCH_INDEX_ENABLED", True
    ):
        return
    index_dir = index_dir_for(settings)
    target = Path(settings["OUTPUT_PATH"]) / str(setting(settings, "STATIC_SEARCH_DIR"))
    started = time.perf_counter()
    try:
        report = export_static_index(
            index_dir,
            target,
            shard_bytes=int(setting(settings, "STATIC_SEARCH_SHARD_BYTES")),
            chunk_bytes=int(setting(settings, "STATIC_SEARCH_CHUNK_BYTES")),
        )
    except IndexMissing as error:
        log.warning("static search: %s; the search page will have no index", error)
        return
    log.info(
        "static search %s: %d documents, %d terms, %d shards, %d chunks, "
        "%d files written, %d removed, %.0f KB (%.2f s)",
        target,
        report.documents,
        report.terms,
        report.shards,
        report.chunks,
        report.written,
        report.removed,
        report.bytes / 1024,
        time.perf_counter() - started,
    )


def register() -> None:
    SETTINGS.register()
    signals.finalized.connect(export)

"""Export the search index into the output, right after search_index updates it."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from search_index.plugin import after_index, index_dir_for
from tdbvantq.search import IndexMissing
from tdbvantq.settings import PluginSettings, flag, folder, number

log = logging.getLogger(__name__)

SETTINGS = PluginSettings(
    "static_search",
    [
        flag("STATIC_SEARCH_ENABLED", True, "False exports nothing"),
        folder(
            "STATIC_SEARCH_DIR",
            "search",
            "folder under OUTPUT_PATH; search.html reads <dir>/manifest.json",
        ),
        number(
            "STATIC_SEARCH_SHARD_BYTES", 12000, "target raw size of one term shard (before gzip)"
        ),
        number(
            "STATIC_SEARCH_CHUNK_BYTES", 1500, "target raw size of one fragment chunk (before gzip)"
        ),
        folder(
            "STATIC_SEARCH_CACHE_DIR",
            None,
            "encoded shards and chunks kept between builds; None: <CACHE_PATH>/static-search",
            optional=True,
        ),
    ],
)


def setting(settings: dict, name: str) -> Any:
    return SETTINGS.read(settings, name)


def export_job(settings: dict) -> Callable[[], None] | None:
    """search_index's `after_index` receiver: the export, run right after the index
    is updated (in search_index's background process, unless it runs inline)."""
    if not setting(settings, "STATIC_SEARCH_ENABLED"):
        return None
    return functools.partial(
        export,
        index_dir_for(settings),
        Path(settings["OUTPUT_PATH"]) / str(setting(settings, "STATIC_SEARCH_DIR")),
        int(setting(settings, "STATIC_SEARCH_SHARD_BYTES")),
        int(setting(settings, "STATIC_SEARCH_CHUNK_BYTES")),
        cache_dir(settings),
    )


def cache_dir(settings: dict) -> Path:
    configured = setting(settings, "STATIC_SEARCH_CACHE_DIR")
    return (
        Path(configured) if configured else Path(settings["CACHE_PATH"]) / "static-search"
    ).resolve()


def export(
    index_dir: Path, target: Path, shard_bytes: int, chunk_bytes: int, cache: Path, generation: Path
) -> None:
    """Export `generation`, the one the build just wrote (or kept) in `index_dir`."""
    # Imported here: the export runs in search_index's background process (which has
    # imported the engine, numpy included, while the build read the site); the build's
    # own process only connects `export_job`.
    from static_search.export import export_static_index

    started = time.perf_counter()
    try:
        report = export_static_index(
            index_dir,
            target,
            shard_bytes=shard_bytes,
            chunk_bytes=chunk_bytes,
            generation=generation,
            cache=cache,
        )
    except IndexMissing as error:
        log.warning("static search: %s; the search page will have no index", error)
        return
    patched = "full export" if report.patched is None else f"{report.patched} shards patched"
    log.info(
        "static search %s: %d documents, %d terms, %d shards, %d chunks, "
        "%d files written, %d carried over, %d removed, %.0f KB, %s (%.2f s)",
        target,
        report.documents,
        report.terms,
        report.shards,
        report.chunks,
        report.written,
        report.reused,
        report.removed,
        report.bytes / 1024,
        patched,
        time.perf_counter() - started,
    )


def register() -> None:
    SETTINGS.register()
    after_index.connect(export_job)

"""Keep what Pelican's Markdown reader made of each source file between builds.

Reading (Markdown to HTML and metadata) is about a fifth of a rebuild; a file
whose bytes have not changed is taken from the cache instead. Pelican's own
content cache is not used because it is one pickle written in place (a killed
build leaves it truncated and the next build stops with EOFError), shared
builds race on it, it trusts file times, and it outlives changes of settings
and code. Here each entry is one file written atomically (safe_write), named by
a hash of the source's path and bytes, of the settings reading depends on
(READER_CACHE_SETTINGS: MARKDOWN, FORMATTED_FIELDS, READERS) and of the code
that reads (Pelican, Markdown, Python, every plugin's source files): any change
of those reads the file again. An entry that cannot be loaded is read again and
rewritten; entries no build used for READER_CACHE_DAYS are removed.

Only Markdown is cached: reStructuredText can include other files, whose
changes the key would not see.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
import pelican
from pelican import signals
from pelican.readers import MarkdownReader, Readers
from pelican.urlwrappers import URLWrapper
from pelican.utils import pelican_open

from tdbvantq.settings import PluginSettings, flag, folder, number, text_list
from tdbvantq.writes import keep_cache, write_atomically

logger = logging.getLogger(__name__)

SETTINGS = PluginSettings(
    "reader_cache",
    [
        flag("READER_CACHE", True, "False: every build reads every Markdown file"),
        folder(
            "READER_CACHE_DIR",
            None,
            "entries kept between builds; None: <CACHE_PATH>/readers",
            optional=True,
        ),
        number(
            "READER_CACHE_DAYS",
            30,
            "entries no build used for this many days are removed; 0: kept forever",
            minimum=0,
        ),
        text_list(
            "READER_CACHE_SETTINGS",
            ["MARKDOWN", "FORMATTED_FIELDS", "READERS"],
            "the settings Markdown reading depends on: a change of any reads every file again",
        ),
    ],
)


# Part of every key: bump when an entry's layout changes.
ENTRY_FORMAT = "reader-cache-2"


class _Recorder(logging.Handler):
    """The warnings reading a file logs, kept with its entry and logged again at each
    hit: a cached file says what it said when it was read ("Duplicate definition")."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


@dataclass(frozen=True)
class _Wrapped:
    """An Author, Category or Tag as stored: its class and name (it holds the settings,
    which are not stored: it is made again with this build's)."""

    cls: type
    name: str


def _freeze(value: Any) -> Any:
    if isinstance(value, URLWrapper):
        return _Wrapped(type(value), value.name)
    if isinstance(value, list | tuple):
        return type(value)(_freeze(item) for item in value)
    return value


def _thaw(value: Any, settings: dict) -> Any:
    if isinstance(value, _Wrapped):
        return value.cls(value.name, settings)
    if isinstance(value, list | tuple):
        return type(value)(_thaw(item, settings) for item in value)
    return value


def canonical(value: Any) -> Any:
    """A setting as JSON can write it, the same at every build: containers walked
    (dict keys and sets sorted), a function or class by its qualified name."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict):
        return sorted([repr(key), canonical(item)] for key, item in value.items())
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(repr(canonical(item)) for item in value)
    if isinstance(value, Path):
        return str(value)
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    if isinstance(name, str):
        return f"{getattr(value, '__module__', '')}.{name}"
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


def build_key(settings: dict) -> bytes:
    """What, besides a file itself, decides what reading it gives."""
    digest = hashlib.sha256()
    for version in (ENTRY_FORMAT, pelican.__version__, markdown.__version__, sys.version):
        digest.update(version.encode() + b"\0")
    keyed = {name: settings.get(name) for name in SETTINGS.read(settings, "READER_CACHE_SETTINGS")}
    digest.update(json.dumps(canonical(keyed)).encode())
    for path in plugin_sources(settings):
        digest.update(str(path).encode() + b"\0" + code_bytes(path))
    return digest.digest()


# This build's plugin files and their bytes: five caches key their entries on every
# plugin's code (reader, render, strict_content, model_catalog, places), and each
# walked the plugin folders and read their ~100 files again. Emptied when a build
# starts (`start`): `make serve` runs many builds in one process.
_CODE_FILES: dict[tuple[str, ...], tuple[Path, ...]] = {}
_CODE_BYTES: dict[Path, bytes] = {}


def plugin_sources(settings: dict) -> list[Path]:
    """The Python files of every plugin of the site (a package: all of its files),
    found once per build."""
    names = tuple(
        plugin if isinstance(plugin, str) else str(getattr(plugin, "__name__", ""))
        for plugin in settings.get("PLUGINS") or []
    )
    if names not in _CODE_FILES:
        _CODE_FILES[names] = tuple(_plugin_sources(names))
    return list(_CODE_FILES[names])


def _plugin_sources(names: tuple[str, ...]) -> list[Path]:
    files: set[Path] = set()
    for name in names:
        origin = getattr(sys.modules.get(name), "__file__", None)
        if not origin:
            continue
        origin = Path(origin)
        files.update(origin.parent.rglob("*.py") if origin.name == "__init__.py" else [origin])
    return sorted(files)


def code_bytes(path: Path) -> bytes:
    """The bytes of a plugin's file (`plugin_sources`), read once per build."""
    data = _CODE_BYTES.get(path)
    if data is None:
        data = _CODE_BYTES[path] = path.read_bytes()
    return data


@dataclass
class _Cache:
    folder: Path
    key: bytes
    # The entries read from the cache, with the mtime they had (keep_cache).
    used: dict[Path, float] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0

    def entry(self, source_path: str, data: bytes) -> Path:
        digest = hashlib.sha256(self.key + source_path.encode() + b"\0" + data).hexdigest()
        return self.folder / f"{digest[:40]}.pickle"


_cache: _Cache | None = None  # the running build's, made at its first read

# The SHA-256 of each source this build read, by its path: strict_content keys its
# results on a file's bytes, and read every story a second time for that. Emptied
# when a build starts (`start`).
_SOURCE_DIGESTS: dict[str, bytes] = {}


def source_digest(source_path: str | os.PathLike[str]) -> bytes | None:
    """The SHA-256 of the bytes this build's reader read from `source_path`, or None
    when it read no such file (not Markdown, or the reader cache is off)."""
    return _SOURCE_DIGESTS.get(os.path.abspath(source_path))


def _cache_for(settings: dict) -> _Cache:
    # Made at the first read, not at `readers_init`: Pelican's Markdown reader
    # completes settings["MARKDOWN"] when it is made, so every build keys the
    # same completed value (`make serve` rebuilds in one process).
    global _cache  # noqa: PLW0603 - one cache per build, reset by `start`
    if _cache is None:
        configured = SETTINGS.read(settings, "READER_CACHE_DIR")
        folder_path = Path(configured) if configured else Path(settings["CACHE_PATH"]) / "readers"
        _cache = _Cache(folder_path, build_key(settings))
    return _cache


def cached_read(reader: MarkdownReader, source_path: str) -> tuple[str, dict]:
    """`reader.read(source_path)`, from the cache when this file was read before."""
    cache = _cache_for(reader.settings)
    data = Path(source_path).read_bytes()
    _SOURCE_DIGESTS[os.path.abspath(source_path)] = hashlib.sha256(data).digest()
    entry = cache.entry(str(source_path), data)
    try:
        with open(entry, "rb") as stored:
            content, metadata, records = pickle.load(stored)
            modified = os.fstat(stored.fileno()).st_mtime
    except FileNotFoundError:
        pass
    except Exception as error:  # noqa: BLE001 - a damaged entry is only a cache miss
        logger.debug(
            "reader cache: %s cannot be loaded (%s); reading %s again", entry, error, source_path
        )
    else:
        cache.used[entry] = modified
        cache.hits += 1
        for name, level, message in records:
            logging.getLogger(name).log(level, "%s", message)
        return content, _thaw(metadata, reader.settings)
    recorder = _Recorder()
    logging.getLogger().addHandler(recorder)
    try:
        content, metadata = _read_uncached(reader, source_path)
    finally:
        logging.getLogger().removeHandler(recorder)
    stored_entry = (content, _freeze(metadata), recorder.records)
    try:
        # Not flushed to disk (a cold build writes thousands): a power cut can only
        # leave an entry that fails to load, which is read again.
        write_atomically(
            entry, pickle.dumps(stored_entry, protocol=pickle.HIGHEST_PROTOCOL), durable=False
        )
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
        logger.warning("reader cache: %s not written (%s)", entry, error)
    cache.misses += 1
    return content, metadata


def _read_uncached(reader: MarkdownReader, source_path: str) -> tuple[str, dict]:
    """What the reader class's own read() gives. For Pelican's MarkdownReader, with
    one Markdown instance per reader, reset between files, instead of a new one a
    file: building it (its extensions, their patterns) cost more than converting a
    news story (1.2 ms against 0.7 ms), and reset() is how Python-Markdown is
    meant to convert many documents (tests/test_reader_cache.py compares them)."""
    read = super(type(reader), reader).read
    if getattr(read, "__func__", None) is not MarkdownReader.read:
        return read(source_path)
    reader._source_path = source_path
    reader._md = _markdown_for(reader)
    with pelican_open(source_path) as text:
        content = reader._md.convert(text)
    # As MarkdownReader.read; _parse_metadata takes "meta" out, _markdown_for puts it back.
    metadata = reader._parse_metadata(reader._md.Meta) if hasattr(reader._md, "Meta") else {}
    return content, metadata


# Where markdown.extensions.meta registers its preprocessor.
_META_PRIORITY = 27


def _markdown_for(reader: MarkdownReader) -> markdown.Markdown:
    """The reader's Markdown instance, reset, with its preprocessors as when it was
    made; a new one if they cannot be put back in the same order."""
    kept = reader.__dict__.get("_reader_cache_markdown")
    if kept is not None:
        md, meta, order = kept
        md.reset()
        if "meta" not in md.preprocessors and meta is not None:
            md.preprocessors.register(meta, "meta", _META_PRIORITY)
        if [type(p) for p in md.preprocessors] == order:
            return md
    md = markdown.Markdown(**reader.settings["MARKDOWN"])
    meta = md.preprocessors["meta"] if "meta" in md.preprocessors else None
    reader._reader_cache_markdown = (md, meta, [type(p) for p in md.preprocessors])
    return md


_caching_classes: dict[type, type] = {}


def caching_class(reader_class: type) -> type:
    """A subclass of `reader_class` whose read() goes through the cache. It keeps the
    class's name: Pelican records it in each page's `reader` metadata."""
    if reader_class not in _caching_classes:
        _caching_classes[reader_class] = type(
            reader_class.__name__,
            (reader_class,),
            {"read": cached_read, "__module__": reader_class.__module__},
        )
    return _caching_classes[reader_class]


def use_cache(readers: Readers) -> None:
    if not SETTINGS.read(readers.settings, "READER_CACHE"):
        return
    for fmt, reader_class in readers.reader_classes.items():
        if (
            isinstance(reader_class, type)
            and issubclass(reader_class, MarkdownReader)
            and reader_class not in _caching_classes.values()
        ):
            readers.reader_classes[fmt] = caching_class(reader_class)


def start(pelican_object: Any) -> None:
    """A build starts (`make serve` runs many in one process, and a failed one never
    reaches `finalized`): its cache is made afresh at its first read."""
    global _cache  # noqa: PLW0603
    _cache = None
    _CODE_FILES.clear()
    _CODE_BYTES.clear()
    _SOURCE_DIGESTS.clear()


def finish(pelican_object: Any) -> None:
    global _cache  # noqa: PLW0603
    cache, _cache = _cache, None
    if cache is None:
        return
    days = SETTINGS.read(pelican_object.settings, "READER_CACHE_DAYS")
    removed = keep_cache(cache.folder, cache.used, days)
    logger.info(
        "reader cache: %d read, %d from the cache (%s), %d unused entries removed",
        cache.misses,
        cache.hits,
        cache.folder,
        len(removed),
    )


def register() -> None:
    SETTINGS.register()
    signals.get_generators.connect(start)
    signals.readers_init.connect(use_cache)
    signals.finalized.connect(finish)

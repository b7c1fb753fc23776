"""Carry a page over from the last build instead of rendering it again, when nothing it
is made from has changed.

Rendering every page again is most of a rebuild after one edit. Each page Pelican's
writer renders gets a key: a SHA-256 of the build (Pelican's, Jinja's and Python's
versions, every setting but the output folder, the source files of every plugin, every
page's and static file's address) and of the page (the theme's template files and the
filters and globals Jinja has, the page's template and file name, and the value of every
name its templates looked up when it was last rendered, recorded by a Jinja context
class; stories by their fields, `fingerprint.py`). The rendered bytes are stored under
that key in `<CACHE_PATH>/pages/`, their checksum in the names index; a page whose key is
found, its entry checked, is hard-linked from there into the output, not rendered or
written (README.md, "Pages linked from the entries").
A change of templates, theme, settings or plugin code changes every key: the cache can
make a build faster, never different.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
import jinja2.runtime
import pelican
from jinja2.utils import _PassArg
from pelican import signals
from pelican import writers as pelican_writers
from pelican.utils import sanitised_join
from pelican.writers import Writer

from reader_cache.plugin import canonical, code_bytes, plugin_sources
from tdbvantq.settings import PluginSettings, flag, folder, number
from tdbvantq.writes import UPKEEP_INTERVAL, keep_cache, link_or_write, unshare, write_atomically

from .fingerprint import Fingerprints, Uncacheable
from .split import Miss, split_story_pages

logger = logging.getLogger(__name__)

SETTINGS = PluginSettings(
    "render_cache",
    [
        flag("RENDER_CACHE", True, "False: every build renders every page"),
        folder(
            "RENDER_CACHE_DIR",
            None,
            "rendered pages kept between builds; None: <CACHE_PATH>/pages",
            optional=True,
        ),
        number(
            "RENDER_CACHE_DAYS",
            30,
            "pages no build used for this many days are removed; 0: kept forever",
            minimum=0,
        ),
        number(
            "RENDER_CACHE_SPLIT",
            200,
            "with at least this many stories, their pages are written by two processes"
            " (the second forked, where that is safe); 0: by one",
            minimum=0,
        ),
        number(
            "RENDER_CACHE_SPLIT_MEMORY",
            2048,
            "the copy is forked only while the build's process is at most this many MiB"
            " resident; 0: whatever its size",
            minimum=0,
        ),
    ],
)

# Part of every key: bump when what a key covers changes.
KEY_FORMAT = "render-cache-3"

# Settings that name where this build writes, not what it writes.
UNKEYED_SETTINGS = frozenset({"OUTPUT_PATH"})

_MISSING = object()

# Every page's names in one entry (`_NamesIndex`), not one file a page.
NAMES_INDEX = "names-index.json"

# A used entry's mtime is set again only when it is older than this (seconds): an
# entry's age is then known to within a day, and a rebuild touches a few files instead
# of every page's (each touch and stat is a system call, thousands a build). The
# folder is scanned for unused entries at most once in this time, too.
TOUCH_AFTER = UPKEEP_INTERVAL


def build_key(settings: dict, context: dict) -> bytes:
    """What every page depends on: versions, settings, plugin code, every address."""
    digest = hashlib.sha256()
    for version in (KEY_FORMAT, pelican.__version__, jinja2.__version__, sys.version):
        digest.update(version.encode() + b"\0")
    keyed = {name: value for name, value in settings.items() if name not in UNKEYED_SETTINGS}
    digest.update(json.dumps(canonical(keyed)).encode())
    for path in plugin_sources(settings):
        digest.update(str(path).encode() + b"\0" + code_bytes(path))
    # A story's text links to other pages and files ({filename}, {static}) by address.
    for kind in ("generated_content", "static_content"):
        for source, content in sorted((context.get(kind) or {}).items()):
            address = (source, getattr(content, "url", None), getattr(content, "save_as", None))
            digest.update(json.dumps(canonical(address)).encode())
    return digest.digest()


def _passes_context(value: Any) -> bool:
    """A filter or global of a plugin handed the whole context (Jinja's own, such as
    `map` or `select`, take it only to call other filters)."""
    module = getattr(value, "__module__", "") or ""
    return getattr(value, "jinja_pass_arg", None) is _PassArg.context and not (
        module == "jinja2" or module.startswith("jinja2.")
    )


_recording: set[str] | None = None  # the names the page being rendered looked up


class RecordingContext(jinja2.runtime.Context):
    """Jinja's context, noting every name a template looks up while a page renders.

    Every name a template, a block, a macro or an included or imported template reads
    goes through `resolve_or_missing`. Rendering depends on nothing else (the templates,
    filters and globals are part of the key), so the names looked up, with their values,
    decide the page; a name not looked up can only start to be when one that was changes.
    """

    def resolve_or_missing(self, key: str) -> Any:
        if _recording is not None:
            _recording.add(key)
        return super().resolve_or_missing(key)


class _Environment:
    """What one Jinja environment brings to every page it renders: its template files,
    filters, tests and globals."""

    def __init__(self, env: jinja2.Environment, fingerprints: Fingerprints) -> None:
        parts = hashlib.sha256()
        try:
            templates = sorted(env.list_templates())
        except TypeError:
            # A loader that cannot list its templates (Pelican's TEMPLATE_PAGES): its
            # files cannot all be keyed, so its pages are always rendered.
            templates = None
        for name in templates or []:
            parts.update(name.encode() + b"\0" + env.loader.get_source(env, name)[0].encode())
        callables = [*env.filters.values(), *env.tests.values(), *env.globals.values()]
        # A filter or global handed the whole context may read names unseen: not keyable;
        # so is an environment whose contexts are already another plugin's.
        self.keyable = (
            templates is not None
            and env.context_class in (jinja2.runtime.Context, RecordingContext)
            and not any(_passes_context(value) for value in callables)
        )
        try:
            for table in (env.filters, env.tests, env.globals):
                parts.update(fingerprints.of(table))
        except Uncacheable:
            self.keyable = False
        if self.keyable:
            env.context_class = RecordingContext
        self.key = parts.digest()


def _render_recording(template: jinja2.Template, context: dict) -> tuple[str, set[str]]:
    global _recording  # noqa: PLW0603 - one page renders at a time
    outer, _recording = _recording, set()
    try:
        text = template.render(context)
        return text, _recording
    finally:
        _recording = outer


@dataclass
class _Cache:
    folder: Path
    settings: dict
    fingerprints: Fingerprints = field(default_factory=Fingerprints)
    environments: dict[int, _Environment] = field(default_factory=dict)
    build: bytes | None = None
    used: dict[Path, float] = field(default_factory=dict)  # entries carried over: mtime
    rendered: int = 0
    carried: int = 0
    names: _NamesIndex | None = None
    # The forked copy writes list pages only from the cache: a page whose entry is not
    # found raises Miss, and the build renders it (so every stored key is the build's).
    hits_only: bool = False
    # The page just "rendered" from an entry: the writer links the entry into the output
    # (`CachingWriter._open_w`) instead of writing its text.
    pending: _Link | None = None

    def environment(self, env: jinja2.Environment) -> _Environment:
        if id(env) not in self.environments:
            self.environments[id(env)] = _Environment(env, self.fingerprints)
        return self.environments[id(env)]

    def page_id(self, template: jinja2.Template, context: dict) -> str | None:
        """Which page this is, in this build (theme, settings, code): None, not keyable."""
        if not isinstance(template, jinja2.Template):  # a plugin's own renderer
            return None
        env = self.environment(template.environment)
        if not env.keyable or not template.name:
            return None
        if self.build is None:
            self.build = build_key(self.settings, context)
        digest = hashlib.sha256(self.build + env.key)
        digest.update(f"{template.name}\0{context.get('output_file')}".encode())
        return digest.hexdigest()

    def prepare(self, template: jinja2.Template, context: dict) -> None:
        """What every page of `template`'s environment needs (the build's and the
        environment's keys, the names index), made now: before a fork, once."""
        if isinstance(template, jinja2.Template):
            self.environment(template.environment)
        if self.build is None:
            self.build = build_key(self.settings, context)
        if self.names is None:
            self.names = _NamesIndex.load(self.folder / NAMES_INDEX)

    def page_key(self, page: str, names: list[str], context: dict) -> str | None:
        """The key of the page whose template looks up `names` in `context`."""
        parts = [page.encode()]
        append, of, get = parts.append, self.fingerprints.of, context.get
        try:
            for name in names:
                value = get(name, _MISSING)
                append(name.encode() + b"\0")
                append(b"-" if value is _MISSING else of(value))
        except Uncacheable as error:
            logger.debug("render cache: %s rendered (%s)", context.get("output_file"), error)
            return None
        # One update: the same digest as one per part.
        return hashlib.sha256(b"".join(parts)).hexdigest()

    def render(self, template: jinja2.Template, context: dict) -> str:
        """The page's text; or "" with `pending` set: the page is the entry `pending`
        names, which the writer links into the output instead of writing a text."""
        self.pending = None
        page = self.page_id(template, context)
        if page is None:
            if self.hits_only:
                raise Miss(context.get("output_file"))
            self.rendered += 1
            return template.render(context)
        page = page[:40]
        if self.names is None:
            self.names = _NamesIndex.load(self.folder / NAMES_INDEX)
        found = self.names.get(page)
        if found is not None:
            names, checksum = found
            key = self.page_key(page, names, context)
            entry = self.folder / f"{key[:40]}.html" if key else None
            loaded = _load_page(entry, checksum) if entry else None
            if loaded is not None:
                data, modified = loaded
                self.used[entry] = modified
                self.carried += 1
                self.pending = _Link(context.get("output_file"), os.fspath(entry), data)
                return ""
        if self.hits_only:
            raise Miss(context.get("output_file"))
        text, looked_up = _render_recording(template, context)
        self.rendered += 1
        logger.debug("render cache: %s rendered", context.get("output_file"))
        now_names = sorted(looked_up | {"output_file", "localsiteurl", "SITEURL"})
        key = self.page_key(page, now_names, context)
        if key is not None:
            data = text.encode("utf-8")
            self.names.put(page, now_names, page_checksum(data))
            entry = self.folder / f"{key[:40]}.html"
            if self._store(entry, data):
                # Linked too: the page's bytes are written once, in the entry.
                self.pending = _Link(context.get("output_file"), os.fspath(entry), data)
                return ""
        return text

    def _store(self, entry: Path, data: bytes) -> bool:
        """Store a page's bytes as they are (the checksum is the names index's); whether
        it was stored."""
        try:
            # Not flushed to disk (a flush each would cost more than rendering): after a
            # power cut an entry may be garbled, and the checksum kept in the names
            # index then fails.
            write_atomically(entry, data, durable=False)
            return True
        except OSError as error:
            logger.warning("render cache: %s not written (%s)", entry, error)
            return False


class _Link(NamedTuple):
    """A page to link from an entry: its output file name (Pelican's `output_file`), the
    entry, and the entry's bytes, read and checked (written instead where the link is
    refused)."""

    name: Any
    entry: str
    data: bytes


def page_checksum(data: bytes) -> str:
    """What the names index keeps of an entry's bytes to check them by (hex, 128 bits of
    a SHA-256: it guards against damage, not against an adversary)."""
    return hashlib.sha256(data).hexdigest()[:32]


def _day() -> int:
    return int(time.time() // TOUCH_AFTER)


class _NamesIndex:
    """The names each page looked up when it was last rendered, for every page of
    every site using the cache folder, in one entry: `{"lists": [names, …], "pages":
    {page id: [list number, day last used]}}` (a site's story pages share one list).
    A rebuild reads one file, where it read one file a page (1,481 at 1,000 stories),
    and writes it only when a page's names changed or once a day. A page unused for
    RENDER_CACHE_DAYS is dropped. Builds sharing the folder merge their pages into the
    entry as they save it; a page lost in a race is rendered again, never wrong: an
    entry's key holds the names it was looked up with.
    """

    def __init__(self, path: Path, pages: dict[str, tuple[tuple[str, ...], int, str]]) -> None:
        self.path = path
        self.pages = pages
        # page id -> (names, checksum of its entry)
        self.changed: dict[str, tuple[tuple[str, ...], str]] = {}
        self.today = _day()

    @classmethod
    def load(cls, path: Path) -> _NamesIndex:
        return cls(path, _read_names_index(path))

    def get(self, page: str) -> tuple[list[str], str] | None:
        """The names `page` looked up last time and its entry's checksum."""
        found = self.pages.get(page)
        if found is None:
            return None
        if found[1] != self.today:
            self.changed.setdefault(page, (found[0], found[2]))
        return list(found[0]), found[2]

    def put(self, page: str, names: list[str], checksum: str) -> None:
        found = self.pages.get(page)
        if (
            found is None
            or list(found[0]) != names
            or found[1] != self.today
            or found[2] != checksum
        ):
            self.changed[page] = (tuple(names), checksum)

    def save(self, days: int) -> None:
        """Write the pages whose names, checksum or day changed, merged with the entry as
        it is now (another build may have saved it meanwhile)."""
        if not self.changed:
            return
        pages = _read_names_index(self.path)
        pages.update(
            (page, (names, self.today, checksum))
            for page, (names, checksum) in self.changed.items()
        )
        if days:
            pages = {page: found for page, found in pages.items() if found[1] > self.today - days}
        lists: dict[tuple[str, ...], int] = {}
        table = {
            page: [lists.setdefault(names, len(lists)), day, checksum]
            for page, (names, day, checksum) in pages.items()
        }
        data = json.dumps({"lists": [list(names) for names in lists], "pages": table}).encode()
        try:
            write_atomically(self.path, hashlib.sha256(data).digest() + data, durable=False)
        except OSError as error:
            logger.warning("render cache: %s not written (%s)", self.path, error)


def _read_names_index(path: Path) -> dict[str, tuple[tuple[str, ...], int, str]]:
    """The pages of a names index; empty when it is missing or damaged."""
    loaded = _load(path)
    try:
        stored = json.loads(loaded[0]) if loaded is not None else {}
        lists = [tuple(names) for names in stored.get("lists", [])]
        pages = {
            page: (lists[number], int(day), checksum)
            for page, (number, day, checksum) in stored.get("pages", {}).items()
        }
    except (ValueError, TypeError, IndexError, AttributeError):
        return {}
    if all(isinstance(name, str) for names in lists for name in names) and all(
        isinstance(found[2], str) for found in pages.values()
    ):
        return pages
    return {}


def _read_whole(entry: Path) -> tuple[bytes, float] | None:
    """A file's bytes and mtime, or None when it cannot be read."""
    try:
        handle = os.open(entry, os.O_RDONLY)
    except OSError:
        return None
    try:
        status = os.fstat(handle)
        data = os.read(handle, status.st_size + 1)
        while len(data) <= status.st_size:  # a short read: rare, but allowed
            more = os.read(handle, status.st_size + 1 - len(data))
            if not more:
                break
            data += more
    except OSError:
        return None
    finally:
        os.close(handle)
    return data, status.st_mtime


def _load_page(entry: Path, checksum: str) -> tuple[bytes, float] | None:
    """A page entry's bytes and mtime, or None when it is missing or damaged: its bytes'
    checksum is not `checksum`, the one the names index kept when it was stored."""
    read = _read_whole(entry)
    if read is None or page_checksum(read[0]) != checksum:
        return None
    return read


def _load(entry: Path) -> tuple[str, float] | None:
    """A checksummed entry's text and mtime (the names index: a SHA-256, then the data),
    or None when it is missing or damaged (its checksum fails)."""
    read = _read_whole(entry)
    if read is None:
        return None
    stored, modified = read
    checksum, data = stored[:32], stored[32:]
    if hashlib.sha256(data).digest() != checksum:
        return None
    try:
        return data.decode("utf-8"), modified
    except UnicodeDecodeError:
        return None


class _CachedTemplate:
    """What Pelican's writer renders with: the template, through the cache."""

    def __init__(self, template: jinja2.Template, writer: CachingWriter) -> None:
        self.template = template
        self.writer = writer

    def render(self, context: dict) -> str:
        writer, cache = self.writer, self.writer.render_cache
        cache.pending = None
        if writer.replay is not None:  # the build, over a list the copy wrote
            if next(writer.replay, None) == context.get("output_file"):
                writer.not_written = True  # the copy's page: nothing to render or write
                return ""
            return cache.render(self.template, context)
        if writer.record is None:
            return cache.render(self.template, context)
        try:  # the copy, writing a list from the cache
            text = cache.render(self.template, context)
        except Miss:
            writer.record.append(None)
            writer.not_written = True  # the build renders it
            return ""
        writer.record.append(context.get("output_file"))
        return text

    def __getattr__(self, name: str) -> Any:
        return getattr(self.template, name)


_caches: list[_Cache] = []  # the running build's (one writer per build)


class CachingWriter(Writer):
    """Pelican's writer, rendering each page through the render cache."""

    def __init__(self, output_path: str, settings: dict | None = None) -> None:
        super().__init__(output_path, settings=settings)
        settings = settings or {}
        configured = SETTINGS.read(settings, "RENDER_CACHE_DIR")
        cache_folder = Path(configured) if configured else Path(settings["CACHE_PATH"]) / "pages"
        self.render_cache = _Cache(cache_folder, settings)
        # The list pages split between the build and its forked copy (split.py): in the
        # copy, `record` notes each page of a list written from the cache (its name) or
        # left to the build (None); in the build, `replay` gives those notes back, page
        # by page. `not_written`: the page being written is not opened (the other
        # process writes it).
        self.record: list[str | None] | None = None
        self.replay: Iterator[str | None] | None = None
        self.not_written = False
        _caches[:] = [self.render_cache]

    def write_file(self, name: Any, template: Any, context: dict, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().write_file(
                name, _CachedTemplate(template, self), context, *args, **kwargs
            )
        finally:
            self.render_cache.pending = None  # never carried over to another page

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> Any:
        """Pelican's `_open_w` (its overwrite checks and bookkeeping, unchanged) with its
        `open` replaced: a page from the cache is linked from its entry; the other
        process's page is not opened; any other file is opened as a new file, never
        written in place where it is a link (`_open_new`)."""
        link, self.render_cache.pending = self.render_cache.pending, None
        if self.not_written:
            self.not_written = False
            opener: Any = _open_nothing
        elif link is not None:
            opener = functools.partial(_open_linked, link, self.output_path)
        else:
            opener = _open_new
        shadowed = vars(pelican_writers).get("open", _MISSING)
        pelican_writers.open = opener
        try:
            return super()._open_w(filename, encoding, override)
        finally:
            if shadowed is _MISSING:
                del pelican_writers.open
            else:
                pelican_writers.open = shadowed


class _Nowhere:
    """What Pelican writes a page's text to when the file is not opened: nothing."""

    def __enter__(self) -> _Nowhere:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    def write(self, text: str) -> int:
        return len(text)


def _open_nothing(_name: str, mode: str, encoding: str | None = None) -> Any:
    return _Nowhere()


def _open_new(name: str, mode: str, encoding: str | None = None) -> Any:
    """`open`, but a file with other links (a page linked from an entry, by this build or
    an earlier one into the same folder) is first removed: writing it in place would
    change the entry, and every page linked from it."""
    if name != os.devnull:
        unshare(name)
    return open(name, mode, encoding=encoding)  # noqa: SIM115 - Pelican closes it


def _open_linked(
    link: _Link, output_path: str, name: str, mode: str, encoding: str | None = None
) -> Any:
    """The page put in place as a link to its entry (written from the entry's checked
    bytes where the file system refuses links); Pelican then writes "" to nowhere.
    Where Pelican's overwrite rules skip the page, it opens os.devnull: nothing is
    linked."""
    if name != os.devnull:
        # The file Pelican opens is the page whose entry this is (as Pelican names it:
        # checked in full only where the quick look cannot tell).
        if not name.endswith(f"{os.sep}{link.name}") and name != sanitised_join(
            output_path, link.name
        ):
            raise RuntimeError(f"render cache: {link.entry} is not the page {name}")
        link_or_write(link.entry, name, link.data)
    return _Nowhere()


def get_writer(pelican_object: Any) -> type[Writer] | None:
    if not SETTINGS.read(pelican_object.settings, "RENDER_CACHE"):
        return None
    return CachingWriter


def split_pages(generators: list) -> None:
    """`all_generators_finalized`: the story pages written by two processes (`split.py`)."""
    settings = generators[0].settings if generators else {}
    if not SETTINGS.read(settings, "RENDER_CACHE"):
        return
    threshold = SETTINGS.read(settings, "RENDER_CACHE_SPLIT")
    limit_mb = SETTINGS.read(settings, "RENDER_CACHE_SPLIT_MEMORY")
    split_story_pages(generators, threshold, lambda: _caches[-1] if _caches else None, limit_mb)


def finish(pelican_object: Any) -> None:
    if not _caches:
        return
    cache = _caches.pop()
    days = SETTINGS.read(pelican_object.settings, "RENDER_CACHE_DAYS")
    if cache.names is not None:
        cache.names.save(days)
    removed = keep_cache(cache.folder, cache.used, days)
    logger.info(
        "render cache: %d rendered, %d from the cache (%s), %d unused entries removed",
        cache.rendered,
        cache.carried,
        cache.folder,
        len(removed),
    )


def register() -> None:
    SETTINGS.register()
    signals.get_writer.connect(get_writer)
    signals.all_generators_finalized.connect(split_pages)
    signals.finalized.connect(finish)

"""Carry a page over from the last build instead of rendering it again, when nothing it
is made from has changed.

Rendering every page again is most of a rebuild after one edit. Each page Pelican's
writer renders gets a key: a SHA-256 of the build (Pelican's, Jinja's and Python's
versions, every setting but the output folder, the source files of every plugin, every
page's and static file's address) and of the page (the theme's template files and the
filters and globals Jinja has, the page's template and file name, and the value of every
name its templates looked up when it was last rendered, recorded by a Jinja context
class; stories by their fields, `fingerprint.py`). The rendered text is stored under
that key in `<CACHE_PATH>/pages/`; a page whose key is found is written from there, not
rendered.
A change of templates, theme, settings or plugin code changes every key: the cache can
make a build faster, never different.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime
import pelican
from jinja2.utils import _PassArg
from pelican import signals
from pelican.writers import Writer

from reader_cache.plugin import canonical, plugin_sources
from tdbvantq.settings import PluginSettings, flag, folder, number
from tdbvantq.writes import prune_cache, write_atomically

from .fingerprint import Fingerprints, Uncacheable

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
    ],
)

# Part of every key: bump when what a key covers changes.
KEY_FORMAT = "render-cache-1"

# Settings that name where this build writes, not what it writes.
UNKEYED_SETTINGS = frozenset({"OUTPUT_PATH"})

_MISSING = object()


def build_key(settings: dict, context: dict) -> bytes:
    """What every page depends on: versions, settings, plugin code, every address."""
    digest = hashlib.sha256()
    for version in (KEY_FORMAT, pelican.__version__, jinja2.__version__, sys.version):
        digest.update(version.encode() + b"\0")
    keyed = {name: value for name, value in settings.items() if name not in UNKEYED_SETTINGS}
    digest.update(json.dumps(canonical(keyed)).encode())
    for path in plugin_sources(settings):
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
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
    used: set[Path] = field(default_factory=set)
    rendered: int = 0
    carried: int = 0

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

    def page_key(self, page: str, names: list[str], context: dict) -> str | None:
        """The key of the page whose template looks up `names` in `context`."""
        digest = hashlib.sha256(page.encode())
        try:
            for name in names:
                value = context.get(name, _MISSING)
                digest.update(name.encode() + b"\0")
                digest.update(b"-" if value is _MISSING else self.fingerprints.of(value))
        except Uncacheable as error:
            logger.debug("render cache: %s rendered (%s)", context.get("output_file"), error)
            return None
        return digest.hexdigest()

    def render(self, template: jinja2.Template, context: dict) -> str:
        page = self.page_id(template, context)
        if page is None:
            self.rendered += 1
            return template.render(context)
        names_entry = self.folder / f"{page[:40]}.names"
        names = _load_names(names_entry)
        if names is not None:
            key = self.page_key(page, names, context)
            text = _load(self.folder / f"{key[:40]}.html") if key else None
            if text is not None:
                self.used.update((names_entry, self.folder / f"{key[:40]}.html"))
                self.carried += 1
                return text
        text, looked_up = _render_recording(template, context)
        self.rendered += 1
        logger.debug("render cache: %s rendered", context.get("output_file"))
        now_names = sorted(looked_up | {"output_file", "localsiteurl", "SITEURL"})
        key = self.page_key(page, now_names, context)
        if key is not None:
            self._store(names_entry, json.dumps(now_names).encode(), now_names != names)
            self._store(self.folder / f"{key[:40]}.html", text.encode("utf-8"), True)
        return text

    def _store(self, entry: Path, data: bytes, changed: bool) -> None:
        try:
            if changed:
                # Not flushed to disk (a flush each would cost more than rendering):
                # after a power cut an entry may be garbled, and its checksum then fails.
                write_atomically(entry, hashlib.sha256(data).digest() + data, durable=False)
            self.used.add(entry)
        except OSError as error:
            logger.warning("render cache: %s not written (%s)", entry, error)


def _load(entry: Path) -> str | None:
    """An entry's text, or None when it is missing or damaged (its checksum fails)."""
    try:
        stored = entry.read_bytes()
    except OSError:
        return None
    checksum, data = stored[:32], stored[32:]
    if hashlib.sha256(data).digest() != checksum:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _load_names(entry: Path) -> list[str] | None:
    text = _load(entry)
    try:
        names = json.loads(text) if text is not None else None
    except ValueError:
        return None
    if isinstance(names, list) and all(isinstance(name, str) for name in names):
        return names
    return None


class _CachedTemplate:
    """What Pelican's writer renders with: the template, through the cache."""

    def __init__(self, template: jinja2.Template, cache: _Cache) -> None:
        self.template = template
        self.cache = cache

    def render(self, context: dict) -> str:
        return self.cache.render(self.template, context)

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
        _caches[:] = [self.render_cache]

    def write_file(self, name: Any, template: Any, context: dict, *args: Any, **kwargs: Any) -> Any:
        return super().write_file(
            name, _CachedTemplate(template, self.render_cache), context, *args, **kwargs
        )


def get_writer(pelican_object: Any) -> type[Writer] | None:
    if not SETTINGS.read(pelican_object.settings, "RENDER_CACHE"):
        return None
    return CachingWriter


def finish(pelican_object: Any) -> None:
    if not _caches:
        return
    cache = _caches.pop()
    days = SETTINGS.read(pelican_object.settings, "RENDER_CACHE_DAYS")
    removed = prune_cache(cache.folder, cache.used, days) if days else []
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
    signals.finalized.connect(finish)

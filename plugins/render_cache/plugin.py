"""Carry a page over from the last build instead of rendering it again, when nothing it
is made from has changed.

Rendering every page again is most of a rebuild after one edit. Each page Pelican's
writer renders gets a key: a SHA-256 of the build (Pelican's, Jinja's and Python's
versions, every setting but the output folder, the source files of every plugin, every
page's and static file's address) and of the page (the theme's template files and the
filters and globals Jinja has, the page's template and file name, and the value of every
name its template and the templates it extends, includes or imports use; stories by
their fields, `fingerprint.py`). The rendered text is stored under that key in
`<CACHE_PATH>/pages/`; a page whose key is found is written from there, not rendered.
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
import pelican
from jinja2 import meta
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


class _Environment:
    """What one Jinja environment brings to every page it renders: its template files,
    filters, tests and globals; and the names each of its templates uses."""

    def __init__(self, env: jinja2.Environment, fingerprints: Fingerprints) -> None:
        self.env = env
        self.names: dict[str, frozenset[str] | None] = {}
        parts = hashlib.sha256()
        for name in sorted(env.list_templates()):
            parts.update(name.encode() + b"\0" + env.loader.get_source(env, name)[0].encode())
        callables = [*env.filters.values(), *env.tests.values(), *env.globals.values()]
        # A filter or global handed the whole context may read any name: not keyable.
        self.keyable = not any(_passes_context(value) for value in callables)
        try:
            for table in (env.filters, env.tests, env.globals):
                parts.update(fingerprints.of(table))
        except Uncacheable:
            self.keyable = False
        self.key = parts.digest()

    def used_names(self, template: str) -> frozenset[str] | None:
        """Every name `template` and the templates it extends, includes or imports use;
        None when one of them is named by a variable (it cannot be known here)."""
        if template not in self.names:
            names: set[str] = set()
            self.names[template] = (
                frozenset(names) if self._collect(template, names, set()) else None
            )
        return self.names[template]

    def _collect(self, template: str, names: set[str], seen: set[str]) -> bool:
        if template in seen:
            return True
        seen.add(template)
        try:
            source = self.env.loader.get_source(self.env, template)[0]
        except jinja2.TemplateNotFound:
            return True  # `include … ignore missing`: nothing rendered
        tree = self.env.parse(source)
        names.update(meta.find_undeclared_variables(tree))
        for referenced in meta.find_referenced_templates(tree):
            if referenced is None or not self._collect(referenced, names, seen):
                return False
        return True


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

    def page_key(self, template: jinja2.Template, context: dict) -> str | None:
        """The key of the page `template` renders from `context`; None: render it."""
        env = self.environment(template.environment)
        names = env.used_names(template.name) if env.keyable and template.name else None
        if names is None:
            return None
        if self.build is None:
            self.build = build_key(self.settings, context)
        digest = hashlib.sha256(self.build + env.key)
        digest.update(f"{template.name}\0{context.get('output_file')}\0".encode())
        try:
            for name in sorted(names | {"localsiteurl", "SITEURL"}):
                value = context.get(name, _MISSING)
                digest.update(name.encode() + b"\0")
                digest.update(b"-" if value is _MISSING else self.fingerprints.of(value))
        except Uncacheable as error:
            logger.debug("render cache: %s rendered (%s)", context.get("output_file"), error)
            return None
        return digest.hexdigest()

    def render(self, template: jinja2.Template, context: dict) -> str:
        key = self.page_key(template, context)
        entry = self.folder / f"{key[:40]}.html" if key else None
        if entry is not None:
            text = _load(entry)
            if text is not None:
                self.used.add(entry)
                self.carried += 1
                return text
        text = template.render(context)
        self.rendered += 1
        logger.debug("render cache: %s rendered", context.get("output_file"))
        if entry is not None:
            try:
                # Not flushed to disk (a flush each would cost more than rendering): after
                # a power cut an entry may be garbled, and its checksum then fails.
                data = text.encode("utf-8")
                write_atomically(entry, hashlib.sha256(data).digest() + data, durable=False)
                self.used.add(entry)
            except OSError as error:
                logger.warning("render cache: %s not written (%s)", entry, error)
        return text


def _load(entry: Path) -> str | None:
    """An entry's page, or None when it is missing or damaged (its checksum fails)."""
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

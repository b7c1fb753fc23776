"""The theme's templates compiled once and kept between builds.

Pelican gives each generator its own Jinja environment, and Jinja compiles every
template it loads (parse, generate Python source, `compile`): the theme's ~30
templates in every build, once per generator that uses them, ~0.45 s of CPU a build.
Jinja's own `FileSystemBytecodeCache` keeps the compiled code under
`<CACHE_PATH>/templates`: a template is compiled when its source changes (the cache
checks the source's checksum, and its key holds Jinja's and Python's versions), and
loaded otherwise, in every generator. Jinja writes each entry to a temporary file
and renames it, so a build that stops mid-write leaves no half-written entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from pelican import signals

from tdbvantq.settings import PluginSettings, flag

SETTINGS = PluginSettings(
    "template_cache",
    [
        flag(
            "TEMPLATE_CACHE",
            True,
            "keep the compiled templates in <CACHE_PATH>/templates; False: compile them in every build",
        )
    ],
)

FOLDER = "templates"


def use_template_cache(settings: dict[str, Any]) -> Path | None:
    """Give every Jinja environment Pelican makes from `settings` the bytecode cache;
    returns its folder, or None when the cache is off or there is no CACHE_PATH."""
    if not SETTINGS.read(settings, "TEMPLATE_CACHE") or not settings.get("CACHE_PATH"):
        return None
    folder = Path(settings["CACHE_PATH"]) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    # Generators are made after `initialized`, each with Environment(**JINJA_ENVIRONMENT).
    settings["JINJA_ENVIRONMENT"] = {
        **settings.get("JINJA_ENVIRONMENT", {}),
        "bytecode_cache": FileSystemBytecodeCache(str(folder)),
    }
    return folder


def no_reload_checks(settings: dict[str, Any]) -> None:
    """Jinja environments that do not check a template against its file at each use.

    With `auto_reload` (Jinja's default) every `get_template`, every `extends`,
    `import` and `include` of every page stats the template's file (~8,000 times
    at 1,000 stories). Pelican makes its environments for one build, so a template
    edited during a build would not be used before the next one either way; the
    next build (`make serve`'s too) makes new environments, which load it again.
    An `auto_reload` set in JINJA_ENVIRONMENT is kept."""
    settings["JINJA_ENVIRONMENT"] = {"auto_reload": False, **settings.get("JINJA_ENVIRONMENT", {})}


def on_initialized(pelican: Any) -> None:
    no_reload_checks(pelican.settings)
    use_template_cache(pelican.settings)


def register() -> None:
    SETTINGS.register()
    signals.initialized.connect(on_initialized)

"""Declared settings for the project's Pelican plugins: one reader, checked at startup.

Each plugin declares its settings once, with a default, what a valid value
is, and a line of documentation:

    from tdbvantq.settings import PluginSettings, flag, folder

    SETTINGS = PluginSettings("search_index", [
        flag("SEARCH_INDEX_ENABLED", True, "False skips indexing"),
        folder("SEARCH_INDEX_DIR", "search-index/", "where the index lives"),
    ])

    def register():
        SETTINGS.register()  # checked and defaulted when Pelican initialises
        ...

    SETTINGS.read(settings, "SEARCH_INDEX_DIR")  # the value, or its default

When Pelican initialises (`signals.initialized`, after every plugin is
registered and before any content is read), every declared setting the site
sets is checked; a wrong one stops the build with one line naming the
setting, its value and what is expected, and no traceback:

    CRITICAL search_index: SEARCH_INDEX_DIR = 3 (int) is not a folder path (text)

Then the defaults of the settings the site leaves out are filled in, so
templates and other plugins see them too. A library, not a Pelican plugin.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tdbvantq.errors import ContentError, hide_tracebacks

logger = logging.getLogger(__name__)
MAX_SHOWN = 80  # characters of a wrong value shown in the error


class SettingsError(ContentError):
    """A plugin setting has a value the plugin cannot use; the message names it."""


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default, documentation and what a valid value is."""

    name: str
    default: Any
    doc: str
    expected: str  # how the error describes a valid value: "True or False"
    accepts: Callable[[Any], bool]


def flag(name: str, default: bool, doc: str) -> Setting:
    return Setting(name, default, doc, "True or False", lambda value: isinstance(value, bool))


def _whole_number(value: Any, minimum: int, maximum: int | None) -> bool:
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    return value >= minimum and (maximum is None or value <= maximum)


def _range(minimum: int, maximum: int | None) -> str:
    return f">= {minimum}" if maximum is None else f"in {minimum}..{maximum}"


def number(
    name: str, default: int, doc: str, minimum: int = 1, maximum: int | None = None
) -> Setting:
    return Setting(
        name,
        default,
        doc,
        f"a whole number {_range(minimum, maximum)}",
        lambda value: _whole_number(value, minimum, maximum),
    )


def number_list(name: str, default: list[int], doc: str, minimum: int = 1) -> Setting:
    """A list or tuple of whole numbers, each >= minimum (widths in pixels)."""

    def accepts(value: Any) -> bool:
        return isinstance(value, list | tuple) and all(
            _whole_number(item, minimum, None) for item in value
        )

    return Setting(name, default, doc, f"a list of whole numbers {_range(minimum, None)}", accepts)


def text(
    name: str, default: str | None, doc: str, optional: bool = False, needs: str = ""
) -> Setting:
    """A string; `needs` is a placeholder it must contain ("{slug}")."""
    expected = f"text containing {needs}" if needs else "text"

    def accepts(value: Any) -> bool:
        if value is None:
            return optional
        return isinstance(value, str) and needs in value

    return Setting(name, default, doc, expected + (" or None" if optional else ""), accepts)


def folder(name: str, default: str | None, doc: str, optional: bool = False) -> Setting:
    """A file or folder path (str or os.PathLike), not empty."""

    def accepts(value: Any) -> bool:
        if value is None:
            return optional
        return isinstance(value, str | os.PathLike) and str(value).strip() != ""

    expected = "a path (text)" + (" or None" if optional else "")
    return Setting(name, default, doc, expected, accepts)


def text_list(name: str, default: list[str], doc: str) -> Setting:
    def accepts(value: Any) -> bool:
        return isinstance(value, list | tuple) and all(isinstance(item, str) for item in value)

    return Setting(name, default, doc, "a list of texts", accepts)


def _shown(value: Any) -> str:
    shown = repr(value)
    if len(shown) > MAX_SHOWN:
        shown = shown[: MAX_SHOWN - 1] + "…"
    return f"{shown} ({type(value).__name__})"


class PluginSettings:
    """The declared settings of one plugin."""

    def __init__(self, plugin: str, settings: Iterable[Setting]) -> None:
        self.plugin = plugin
        self.declared: dict[str, Setting] = {}
        for setting in settings:
            if setting.name in self.declared:
                raise ValueError(f"{plugin}: setting {setting.name} declared twice")
            self.declared[setting.name] = setting

    @property
    def defaults(self) -> dict[str, Any]:
        return {name: setting.default for name, setting in self.declared.items()}

    def read(self, settings: Mapping[str, Any], name: str) -> Any:
        """The site's value of a declared setting, or its default."""
        return settings.get(name, self.declared[name].default)

    def problems(self, settings: Mapping[str, Any]) -> dict[str, str]:
        """Setting name -> one line saying what is wrong, for each invalid value."""
        return {
            name: f"{self.plugin}: {name} = {_shown(settings[name])} is not {setting.expected}"
            for name, setting in self.declared.items()
            if name in settings and not setting.accepts(settings[name])
        }

    def register(self) -> None:
        """Have the settings checked when Pelican initialises (from the plugin's register())."""
        # Imported here: the search's background process imports this module (through the
        # plugins whose work it runs) and needs nothing of Pelican (~0.2 s of CPU to import).
        from pelican import signals

        _REGISTERED[self.plugin] = self
        hide_tracebacks()  # a wrong setting is logged as its one-line message
        signals.initialized.connect(check_plugin_settings)  # once, however many plugins


_REGISTERED: dict[str, PluginSettings] = {}


def check_settings(settings: dict[str, Any], declared: Iterable[PluginSettings]) -> None:
    """Raise SettingsError naming every wrong value; else fill in the missing defaults.

    The first problem is the exception's message; any others are logged just
    before it, one line each, so one build shows every mistake at once.
    """
    declared = list(declared)
    by_name: dict[str, str] = {}
    for plugin in declared:  # a setting two plugins read (ACRONYMS_FILE) is named once
        for name, problem in plugin.problems(settings).items():
            by_name.setdefault(name, problem)
    problems = list(by_name.values())
    for problem in problems[1:]:
        logger.error("%s", problem)
    if problems:
        more = f" (and {len(problems) - 1} more, listed above)" if len(problems) > 1 else ""
        raise SettingsError(problems[0] + more)
    for plugin in declared:
        for name, default in plugin.defaults.items():
            settings.setdefault(name, default)


def check_plugin_settings(pelican: Any) -> None:
    """`initialized` handler: the settings of the plugins this Pelican registered."""
    enabled = set(pelican.settings.get("PLUGINS") or [])
    check_settings(pelican.settings, [s for name, s in _REGISTERED.items() if name in enabled])

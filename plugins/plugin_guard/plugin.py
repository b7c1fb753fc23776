"""Stop the build when a plugin listed in PLUGINS could not be loaded or registered.

Pelican logs "Cannot load plugin" (an import that fails) or "Cannot register plugin"
(a `register()` that raises), drops the plugin and builds the site without it,
exiting 0. Without `safe_html` that publishes the editors' and importers' raw
markup; without `schedule`, drafts. This plugin, listed first in PLUGINS, is imported
before the others: importing it attaches a logging handler that records those two
messages, and on `initialized` (sent once every plugin is registered) it raises
MissingPluginError, so Pelican exits 1 before reading anything.
"""

from __future__ import annotations

import logging

from pelican import signals

from tdbvantq.errors import ContentError, hide_tracebacks

# Pelican 4.12's messages (pelican.plugins._utils.load_plugins, Pelican.init_plugins).
FAILURES = ("Cannot load plugin", "Cannot register plugin")


class MissingPluginError(ContentError):
    """A plugin of PLUGINS is not running; the message names it and why."""


class FailedPlugins(logging.Handler):
    """Keeps Pelican's messages about plugins it could not load or register."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, str) and record.msg.startswith(FAILURES):
            self.failures.append(record.getMessage().splitlines()[0])


FAILED = FailedPlugins()
logging.getLogger("pelican").addHandler(FAILED)


def check_plugins(pelican: object) -> None:
    failures, FAILED.failures = FAILED.failures, []
    if failures:
        raise MissingPluginError(
            "; ".join(failures) + " — bản dựng dừng lại: thiếu plugin này, trang xuất bản có thể "
            "thiếu bước làm sạch hay lọc bài. Kiểm tra tên trong PLUGINS (pelicanconf.py) "
            "và chạy lại `make venv`."
        )


def register() -> None:
    hide_tracebacks()
    signals.initialized.connect(check_plugins)

"""The project's exception for a file the user must fix, shared by every plugin.

Raise `ContentError` (never SystemExit) when a content, model or settings file
stops the build. Pelican then logs it and exits 1 in a plain build, while
`pelican --autoreload` (`make serve`) logs it and keeps waiting for the fix:
SystemExit would end the server. `hide_tracebacks()` keeps the log to the one
line the message already is (the file, the line, the problem). A library, not a
Pelican plugin.
"""

from __future__ import annotations

import logging


class ContentError(Exception):
    """A file the user must fix; the message names it (and the line, when known)."""


class _HideTraceback(logging.Filter):
    """Pelican logs a build-stopping exception as "ClassName: message" with its
    traceback; ours is logged as its message alone, which names the file."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], ContentError):
            record.msg, record.args = "%s", (record.exc_info[1],)
            record.exc_info = None
            record.exc_text = None
        return True


_FILTER = _HideTraceback()


def hide_tracebacks() -> None:
    """Log a ContentError raised through Pelican without its traceback (idempotent)."""
    logging.getLogger("pelican").addFilter(_FILTER)

"""Bodies and summaries a build found clean, kept between builds.

Sanitizing every story again is part of every rebuild (1,000 stories: about 2,000 calls
of the sanitizer, 0.05–0.1 s). What the sanitizer makes of a text depends only on the
text, the policy (settings) and the code (safe_html's, nh3's): an entry is a SHA-256 of
those, kept when the sanitizer changed nothing, so a rebuild cleans only the stories
whose text changed. A text the sanitizer changed is never kept: its removals are
reported at every build. Stored with `reader_cache.kept` (`<CACHE_PATH>/safe-html.pickle`).
"""

from __future__ import annotations

import logging
import struct
from pathlib import Path
from typing import Any

import nh3

from reader_cache.kept import KeptResults, settings_digest

logger = logging.getLogger(__name__)

FORMAT = "safe-html-known-clean-1"
FILE_NAME = "safe-html.pickle"

_LENGTH = struct.Struct("<Q").pack


class KnownClean(KeptResults):
    """The texts found clean, by entry key (value: True)."""

    def __init__(self, settings: dict) -> None:
        super().__init__(Path(settings.get("CACHE_PATH") or "cache") / FILE_NAME)
        self.prefix = settings_digest(FORMAT, settings, nh3.__version__.encode())

    def entry(self, body: str, formatted: dict[str, str]) -> bytes:
        """The key of a body and its formatted fields (each text after its length)."""
        digest = self.prefix.copy()
        for part in (body, *(text for pair in sorted(formatted.items()) for text in pair)):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(_LENGTH(len(data)) + data)
        return digest.digest()


_state: dict[str, Any] = {"store": None}


def open_store(pelican: Any) -> None:
    """At the start of a build (`initialized`): this build's store."""
    _state["store"] = KnownClean(pelican.settings)


def current() -> KnownClean | None:
    """This build's store; None outside a build (a content object made by hand)."""
    return _state["store"]


def save_store(pelican: Any) -> None:
    """At the end of a build (`finalized`): keep this build's entries."""
    store, _state["store"] = _state["store"], None
    if store is not None:
        logger.info(
            "safe_html: %d texts known clean, %d sanitized",
            store.hits,
            len(store.used) - store.hits,
        )
        store.save()

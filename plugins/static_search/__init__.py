"""static_search: exports the Whoosh search index as a sharded static index for the browser.

See README.md in this folder for the settings and the file layout.
"""

from __future__ import annotations

from static_search.plugin import register

__all__ = ["register"]

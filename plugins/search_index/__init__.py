"""search_index: builds the site's Vietnamese search index (vnsearch/Whoosh) on every build.

See README.md in this folder for the settings.
"""

from __future__ import annotations

from search_index.plugin import register

__all__ = ["register"]

"""search_index: builds the site's Vietnamese search index (vnsearch/Whoosh) on every build.

See README.md in this folder for the settings.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Pelican loads plugins from PLUGIN_PATHS without putting that folder on
# sys.path; the sibling packages vnsearch and vntext must be importable.
_PLUGINS_DIR = str(Path(__file__).resolve().parent.parent)
if _PLUGINS_DIR not in sys.path:
    sys.path.insert(0, _PLUGINS_DIR)

from search_index.plugin import register  # noqa: E402

__all__ = ["register"]

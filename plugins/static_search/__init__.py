"""static_search: exports the Whoosh search index as a sharded static index for the browser.

See README.md in this folder for the settings and the file layout.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Pelican loads plugins from PLUGIN_PATHS without putting that folder on
# sys.path; the sibling packages vnsearch, vntext and search_index must import.
_PLUGINS_DIR = str(Path(__file__).resolve().parent.parent)
if _PLUGINS_DIR not in sys.path:
    sys.path.insert(0, _PLUGINS_DIR)

from static_search.plugin import register  # noqa: E402

__all__ = ["register"]

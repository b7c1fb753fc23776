"""model_catalog: a knowledge base of model types ("mô hình"), linked from every story.

See README.md in this folder for settings, the model file format and the
matcher API used by the importer and the content checker.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Pelican loads plugins from PLUGIN_PATHS without putting that folder on
# sys.path; the sibling package vntext must be importable.
_PLUGINS_DIR = str(Path(__file__).resolve().parent.parent)
if _PLUGINS_DIR not in sys.path:
    sys.path.insert(0, _PLUGINS_DIR)


def register() -> None:
    from model_catalog.plugin import register as _register

    _register()

"""model_catalog: a knowledge base of model types ("mô hình"), linked from every story.

See README.md in this folder for settings, the model file format and the
matcher API used by the importer and the content checker.
"""

from __future__ import annotations


def register() -> None:
    from model_catalog.plugin import register as _register

    _register()

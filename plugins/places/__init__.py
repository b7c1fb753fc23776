"""places: the provinces and communes a story is about, and a page for each.

See README.md in this folder.
"""

from __future__ import annotations


def register() -> None:
    from places.plugin import register as _register

    _register()

"""Text as the importer compares it: `vntext.fold`, remembered for one page.

One page folds the same paragraphs many times over (clutter boxes, the site's body
element, restored headings and photos, captions, the title and the lede): about seven
times each on the saved press pages. The cache is emptied for every page (`new_page`), so
that it holds one page's texts and a benchmark that imports the same pages again and again
measures what a new page costs.
"""

from __future__ import annotations

from functools import lru_cache

import vntext


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """vntext.fold(text): lowercase, without diacritics, "đ" as "d"."""
    return vntext.fold(text)


def new_page() -> None:
    """Forget the texts of the previous page."""
    fold.cache_clear()

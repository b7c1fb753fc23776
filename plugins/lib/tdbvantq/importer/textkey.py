"""Text as the importer compares it: folded (lowercase, without diacritics, "đ" as "d").

One page folds the same paragraphs many times over (clutter boxes, the site's body
element, restored headings and photos, captions, the title and the lede): about seven
times each on the saved press pages. `fold` is vntext's one cached fold, bounded, so
a long import keeps only the texts it is still comparing.
"""

from __future__ import annotations

from tdbvantq.text import fold_cached as fold

__all__ = ["fold"]

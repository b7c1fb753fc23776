"""Every slug of the site is a usable folder name: never empty, never too long, never a path.

Pelican gives a tag, author or category named without any letter or digit
("???", an emoji) the slug "", so its page is written to `chu-de//index.html`,
which is `chu-de/index.html`: it silently replaced the tag index. A slug longer
than a file name may be stopped the build with an OSError traceback. A `Slug`
holding `/` or `..` wrote outside its folder.

When an article or page is read (`article_generator_context`,
`page_generator_context`), before Pelican files it under its tags:
- a tag, author or category with an empty slug gets `vntext.fallback_slug`
  (`the-3f9a0c1d`, `tac-gia-…`, `chuyen-muc-…`: stable across builds);
- a slug longer than `vntext.SLUG_MAX_BYTES` is cut at a word boundary with a
  short hash (`vntext.shorten_slug`);
- an article's or page's `Slug` with `/`, `\\` or `..` becomes `vntext.usable_slug`
  of it (`vntext.safe_slug`).
strict_content still reports an article's or page's own `Slug` that is too long
or holds a path (the build fails); this plugin only makes sure that nothing is
written outside its place when the build goes on (STRICT_CONTENT = False).
"""

from __future__ import annotations

from typing import Any

from pelican import signals
from pelican.generators import Generator

from tdbvantq.text import SLUG_MAX_BYTES, fallback_slug, shorten_slug, usable_slug

# The word before the hash in a fallback slug, by metadata key (Vietnamese, unaccented).
PREFIXES = {"tags": "the", "author": "tac-gia", "authors": "tac-gia", "category": "chuyen-muc"}


def settle(wrapper: Any, prefix: str) -> None:
    """Give a Tag/Author/Category a usable slug (before anything hashes it)."""
    slug = wrapper.slug
    if not slug:
        wrapper.slug = fallback_slug(wrapper.name, prefix)
    elif len(slug.encode("utf-8")) > SLUG_MAX_BYTES:
        wrapper.slug = shorten_slug(slug)


def settle_metadata(generator: Generator, metadata: dict) -> None:
    for key, prefix in PREFIXES.items():
        value = metadata.get(key)
        for wrapper in value if isinstance(value, list) else [value] if value else []:
            if hasattr(wrapper, "slug"):
                settle(wrapper, prefix)
    slug = metadata.get("slug")
    if isinstance(slug, str) and not slug.strip():
        del metadata["slug"]  # Pelican then takes the file name's slug
    elif isinstance(slug, str):
        metadata["slug"] = usable_slug(slug)


def register() -> None:
    signals.article_generator_context.connect(settle_metadata)
    signals.page_generator_context.connect(settle_metadata)

"""Slugs every file system and host takes: never empty, never too long.

`vntext.slugify` turns a title into `a-z0-9-` words; these helpers make the
result safe to use as a folder name. A name with no letter or digit ("???",
an emoji) gets a stable fallback instead of an empty slug (which made
`chu-de//` replace the tag index), and a slug longer than `SLUG_MAX_BYTES` is
cut at a word boundary with a short hash of the whole slug appended, so two
long titles that share their first words still get two slugs (a file name
longer than 255 bytes stopped the build with an OSError).
"""

from __future__ import annotations

import hashlib
import unicodedata

from tdbvantq.text.text import slugify

# Far below the 255 bytes of a file name on ext4, APFS, NTFS and in zip files, and
# short enough for a readable address.
SLUG_MAX_BYTES = 120
_HASH_LENGTH = 6


def _digest(text: str, length: int) -> str:
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:length]


def shorten_slug(slug: str, max_bytes: int = SLUG_MAX_BYTES) -> str:
    """`slug` itself when it fits in `max_bytes` (UTF-8), else its first words and a
    6-character hash of the whole slug: `tong-ket-…-phong-trao-3fa9c2`."""
    if len(slug.encode("utf-8")) <= max_bytes:
        return slug
    budget = max_bytes - _HASH_LENGTH - 1
    head = slug.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    if "-" in head[budget // 2 :] and slug[len(head) : len(head) + 1] != "-":
        head = head.rsplit("-", 1)[0]  # cut between words, not inside one
    return f"{head.strip('-')}-{_digest(slug, _HASH_LENGTH)}"


def fallback_slug(name: str, prefix: str) -> str:
    """A slug for a name without any letter or digit: `prefix` and a stable hash
    of the name (`the-3f9a0c1d` for the tag “???”)."""
    return f"{prefix}-{_digest(name, 8)}"


def safe_slug(text: str, prefix: str = "muc", max_bytes: int = SLUG_MAX_BYTES) -> str:
    """`slugify(text)`, shortened to `max_bytes`; the fallback when it is empty.

    The one function for a slug made from a title or a name (the importer's
    headlines, tags, authors, categories)."""
    return shorten_slug(slugify(text), max_bytes) or fallback_slug(text, prefix)


def usable_slug(slug: str, max_bytes: int = SLUG_MAX_BYTES) -> str:
    """A `Slug` as written when it is one folder name that fits, else `safe_slug` of it
    (a `Slug` holding `/`, `\\` or `..`, or longer than `max_bytes`)."""
    if "/" in slug or "\\" in slug or ".." in slug or len(slug.encode("utf-8")) > max_bytes:
        return safe_slug(slug, max_bytes=max_bytes)
    return slug

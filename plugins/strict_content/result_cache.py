"""The problems found in each Markdown file, kept between builds.

Checking every story (its header, dates, control characters, links, model names) is
about a quarter of a second of every build at 1,000 stories, and after one edit 999
of them give what they gave last time. A file's result is kept under a key made of
its path and bytes, of whether Pelican failed to read it (which fields are then
mandatory), and of everything else the checks read: the names, kinds and link
targets of every entry of the content folder (links and photos are checked against
it), the bytes of the model catalogue, the acronyms and synonyms files, the
settings, the working folder (paths are shown relative to it) and the code of every
plugin. One file, `<CACHE_PATH>/strict-content.pickle`, written atomically when a
result changed; a damaged one is a cold cache. `STRICT_CONTENT_CACHE = False` checks
every file at every build.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from reader_cache.kept import KeptResults, settings_digest
from reader_cache.plugin import source_digest

FORMAT = "strict-content-cache-2"
FILE = "strict-content.pickle"
# The check settings' own files (read by make check's rules through the catalogue).
CATALOGUE_FILES = ("ACRONYMS_FILE", "SYNONYMS_FILE")


def _tree(root: Path) -> list[tuple[str, str, str]]:
    """(path, kind, link target) of every entry under `root`, sorted."""
    entries = []
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root)
            if os.path.islink(path):
                entries.append((relative, "link", os.readlink(path)))
            else:
                entries.append((relative, "dir" if name in dirs else "file", ""))
    return sorted(entries)


def build_key(settings: dict, content_root: Path) -> bytes:
    """What the checks of every file depend on besides the file itself."""
    digest = settings_digest(FORMAT, settings, os.getcwd().encode())
    digest.update(json.dumps(_tree(content_root)).encode())
    models = content_root / str(settings.get("MODELS_PATH", "models"))
    files = sorted(models.rglob("*")) if models.is_dir() else []
    files += [Path(str(settings[name])) for name in CATALOGUE_FILES if settings.get(name)]
    for path in files:
        if path.is_file():
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.digest()


class ResultCache(KeptResults):
    """file key -> the problems found in it, for one build."""

    def __init__(self, folder: Path, key: bytes) -> None:
        super().__init__(folder / FILE)
        self.key = key

    def entry(self, source: Path, mandatory: tuple[str, ...], fresh: bool = False) -> bytes:
        """The key of `source`'s result: its path, `mandatory` and its bytes' SHA-256,
        as the build's reader read them (`source_digest`: not read again), or read now
        when the reader did not read it, or `fresh` (a miss is checked on the bytes the
        checks will read: a file saved since the reader's read is keyed on its new bytes)."""
        known = None if fresh else source_digest(source)
        data = known if known is not None else hashlib.sha256(source.read_bytes()).digest()
        digest = hashlib.sha256(self.key + str(source).encode() + b"\0")
        digest.update(repr(mandatory).encode() + b"\0" + data)
        return digest.digest()

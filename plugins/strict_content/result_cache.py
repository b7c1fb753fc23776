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
import pickle
from pathlib import Path
from typing import Any

from reader_cache.plugin import canonical, plugin_sources
from tdbvantq.writes import write_atomically

FORMAT = "strict-content-cache-1"
FILE = "strict-content.pickle"
# The check settings' own files (read by make check's rules through the catalogue).
CATALOGUE_FILES = ("ACRONYMS_FILE", "SYNONYMS_FILE")
UNKEYED_SETTINGS = frozenset({"OUTPUT_PATH"})


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
    digest = hashlib.sha256(FORMAT.encode() + b"\0" + os.getcwd().encode() + b"\0")
    keyed = {name: value for name, value in settings.items() if name not in UNKEYED_SETTINGS}
    digest.update(json.dumps(canonical(keyed)).encode())
    for path in plugin_sources(settings):
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    digest.update(json.dumps(_tree(content_root)).encode())
    models = content_root / str(settings.get("MODELS_PATH", "models"))
    files = sorted(models.rglob("*")) if models.is_dir() else []
    files += [Path(str(settings[name])) for name in CATALOGUE_FILES if settings.get(name)]
    for path in files:
        if path.is_file():
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.digest()


class ResultCache:
    """file key -> the problems found in it, for one build."""

    def __init__(self, folder: Path, key: bytes) -> None:
        self.path = folder / FILE
        self.key = key
        self.results: dict[bytes, Any] = {}
        self.used: dict[bytes, Any] = {}
        self.hits = 0
        try:
            stored = pickle.loads(self.path.read_bytes())
            if isinstance(stored, dict):
                self.results = stored
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            pass  # no cache yet, or a damaged one: check every file

    def entry(self, source: Path, mandatory: tuple[str, ...]) -> bytes:
        digest = hashlib.sha256(self.key + str(source).encode() + b"\0")
        digest.update(repr(mandatory).encode() + b"\0" + source.read_bytes())
        return digest.digest()

    def get(self, entry: bytes) -> Any:
        found = self.results.get(entry)
        if found is not None:
            self.used[entry] = found
            self.hits += 1
        return found

    def put(self, entry: bytes, problems: Any) -> None:
        self.used[entry] = problems

    def save(self) -> None:
        """Keep the results of this build's files (written only when they changed)."""
        if self.used == self.results:
            return
        try:
            write_atomically(self.path, pickle.dumps(self.used, protocol=5), durable=False)
        except OSError:
            pass  # the next build checks every file

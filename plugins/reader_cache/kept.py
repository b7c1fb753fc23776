"""Results of a build step kept between builds: one pickled dict, key -> result.

`strict_content` (the problems of each file) and `model_catalog` (what each story
gave) keep their per-file results this way. A key is a digest of everything the
result depends on, so a key met again always stands for the same result: an entry no
build used is dropped when the file is next written, and the file is written only
when this build's keys differ from the stored ones.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path
from typing import Any

from reader_cache.plugin import canonical, code_bytes, plugin_sources
from tdbvantq.writes import write_atomically

# Where the output goes changes no result (the tests build one site into several folders).
UNKEYED_SETTINGS = frozenset({"OUTPUT_PATH"})


def settings_digest(fmt: str, settings: dict, extra: bytes = b"") -> Any:
    """A sha256 fed with the cache's format, `extra`, every setting and the code of
    every plugin: what every entry of such a cache depends on. The caller adds its own
    inputs, then takes `.digest()`."""
    digest = hashlib.sha256(fmt.encode() + b"\0" + extra + b"\0")
    keyed = {name: value for name, value in settings.items() if name not in UNKEYED_SETTINGS}
    digest.update(json.dumps(canonical(keyed)).encode())
    for path in plugin_sources(settings):
        if path.is_file():
            digest.update(str(path).encode() + b"\0" + code_bytes(path))
    return digest


class KeptResults:
    """entry key -> result, read from `path` at the start of a build and saved at its end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.results: dict[bytes, Any] = {}
        self.used: dict[bytes, Any] = {}
        self.hits = 0
        try:
            stored = pickle.loads(path.read_bytes())
            if isinstance(stored, dict):
                self.results = stored
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            pass  # no cache yet, or a damaged one: every result is made again

    def get(self, entry: bytes) -> Any:
        """The result kept under `entry`, or None."""
        found = self.results.get(entry)
        if found is not None:
            self.used[entry] = found
            self.hits += 1
        return found

    def put(self, entry: bytes, result: Any) -> None:
        self.used[entry] = result

    def save(self) -> None:
        """Keep this build's results (written only when its keys differ from the stored ones)."""
        if self.used.keys() == self.results.keys():
            return
        try:
            write_atomically(self.path, pickle.dumps(self.used, protocol=5), durable=False)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            pass  # the next build makes every result again

"""What `process_article` made of each story, kept between builds.

Turning every story's HTML into text, finding the models it mentions, their figures,
and linking the first mentions is about a quarter of a second of every build at 1,000
stories (2.5 s at 10,000), and after one edit 999 stories give what they gave last
time. A story's result (its model slugs, its rewritten HTML, its figures and the
warnings it logged) is kept under a key made of the story's title, `Models:`,
summary, HTML and file name, and of everything else `process_article` reads: the
model files, the acronyms and synonyms files, every setting and the code of every
plugin. One file, `<CACHE_PATH>/model-catalog.pickle`, written atomically when a
result changed (entries no build used are dropped then); a damaged one is an empty
cache. `MODEL_CATALOG_CACHE = False` processes every story at every build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
from pathlib import Path
from typing import Any

from reader_cache.plugin import canonical, plugin_sources
from tdbvantq.writes import write_atomically

FORMAT = "model-catalog-cache-1"
FILE = "model-catalog.pickle"
UNKEYED_SETTINGS = frozenset({"OUTPUT_PATH"})


def build_key(settings: dict, inputs: list[Path]) -> bytes:
    """What every story's result depends on besides the story: settings, code, and the
    catalogue's files (`inputs`)."""
    digest = hashlib.sha256(FORMAT.encode() + b"\0")
    keyed = {name: value for name, value in settings.items() if name not in UNKEYED_SETTINGS}
    digest.update(json.dumps(canonical(keyed)).encode())
    for path in [*plugin_sources(settings), *inputs]:
        if path.is_file():
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.digest()


class Recorder(logging.Handler):
    """The warnings processing a story logs, kept with its result and logged again."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class StoryCache:
    """story key -> (slugs, HTML, figures, warnings), for one build."""

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
            pass  # no cache yet, or a damaged one: every story is processed

    def entry(self, article: Any) -> bytes:
        metadata = article.metadata
        digest = hashlib.sha256(self.key)
        for part in (
            str(article.title),
            repr(metadata.get("models", "")),
            str(metadata.get("summary", "") or ""),
            str(article.relative_source_path),
            str(article._content),
        ):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        return digest.digest()

    def get(self, entry: bytes) -> Any:
        found = self.results.get(entry)
        if found is not None:
            self.used[entry] = found
            self.hits += 1
            for name, level, message in found[3]:
                logging.getLogger(name).log(level, "%s", message)
        return found

    def put(self, entry: bytes, result: Any) -> None:
        self.used[entry] = result

    def save(self) -> None:
        if self.used.keys() == self.results.keys():
            return
        try:
            write_atomically(self.path, pickle.dumps(self.used, protocol=5), durable=False)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            pass  # the next build processes every story

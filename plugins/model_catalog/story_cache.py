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
import logging
from pathlib import Path
from typing import Any

from reader_cache.kept import KeptResults, settings_digest

FORMAT = "model-catalog-cache-1"
FILE = "model-catalog.pickle"


def build_key(settings: dict, inputs: list[Path]) -> bytes:
    """What every story's result depends on besides the story: settings, code, and the
    catalogue's files (`inputs`)."""
    digest = settings_digest(FORMAT, settings)
    for path in inputs:
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


class StoryCache(KeptResults):
    """story key -> (slugs, HTML, figures, warnings), for one build."""

    def __init__(self, folder: Path, key: bytes) -> None:
        super().__init__(folder / FILE)
        self.key = key

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
        """The story's kept result, its warnings logged again as the story gave them."""
        found = super().get(entry)
        if found is not None:
            for name, level, message in found[3]:
                logging.getLogger(name).log(level, "%s", message)
        return found

"""The real news corpus (../shared/benchmarks/news-corpus/, README there) as site articles.

Benchmark data only: the stories are built into temporary copies of the site,
never into content/.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sitebench import SHARED
from sitebench.sitebuild import BenchError, article_date, article_markdown, article_url
from tdbvantq import text as vntext

NEWS_CORPUS = SHARED / "news-corpus" / "baomoi-2017-5000.jsonl.gz"
SENTENCES_PER_PARAGRAPH = 4
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    lede: str
    body: str

    @property
    def slug(self) -> str:
        return f"tin-{self.id}"


def load_stories(path: Path = NEWS_CORPUS, limit: int | None = None) -> list[Story]:
    """The first `limit` stories (all by default), NFC with the site's tone placement."""
    return list(_read(path, limit))


def _read(path: Path, limit: int | None) -> Iterator[Story]:
    if not path.is_file():
        raise BenchError(f"{path}: news corpus not found")
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        count = 0
        for number, line in enumerate(lines, 1):
            if limit is not None and count >= limit:
                return
            try:
                raw = json.loads(line)
                story = Story(
                    str(raw["id"]),
                    vntext.normalize(" ".join(raw["title"].split())),
                    vntext.normalize(" ".join(raw.get("lede", "").split())),
                    vntext.normalize(" ".join(raw["body"].split())),
                )
            except (ValueError, KeyError, TypeError) as error:
                raise BenchError(f"{path}:{number}: not a story object ({error})") from error
            if story.title and story.body:
                count += 1
                yield story


def paragraphs(body: str) -> list[str]:
    """The corpus lost paragraph breaks: regroup sentences a few at a time."""
    sentences = _SENTENCE_END.split(body)
    return [
        " ".join(sentences[i : i + SENTENCES_PER_PARAGRAPH])
        for i in range(0, len(sentences), SENTENCES_PER_PARAGRAPH)
    ]


def write_stories(stories: list[Story], folder: Path, first_number: int = 0) -> dict[str, Story]:
    """Write each story as content/articles/…/<slug>.md (lede as Summary); URL -> story."""
    folder.mkdir(parents=True, exist_ok=True)
    by_url = {}
    for number, story in enumerate(stories, first_number):
        date = article_date(number)
        text = article_markdown(story.title, date, story.slug, paragraphs(story.body), story.lede)
        (folder / f"{story.slug}.md").write_text(text, encoding="utf-8")
        by_url[article_url(date, story.slug)] = story
    return by_url


def scaled_stories(count: int, path: Path = NEWS_CORPUS) -> list[Story]:
    """`count` stories; past the corpus's size, its stories again as new versions.

    A repeat keeps the real text but starts its body at another sentence and
    has its own id and title, so it is a distinct article of realistic length.
    """
    stories = load_stories(path)
    if count <= len(stories):
        return stories[:count]
    scaled = list(stories)
    for i in range(len(stories), count):
        original = stories[i % len(stories)]
        repeat = i // len(stories)
        sentences = _SENTENCE_END.split(original.body)
        shift = (repeat * 3) % len(sentences)
        body = " ".join(sentences[shift:] + sentences[:shift])
        scaled.append(
            Story(
                f"{original.id}-{repeat}", f"{original.title} ({repeat + 1})", original.lede, body
            )
        )
    return scaled

"""A site's template, learnt across its pages: a text block printed in two or more different
articles of the same host (an app banner, a newsletter box, the site's name, a standing
notice) is part of the site, not of any story.

Evidence comes from the pages of one batch (several URLs, a feed, a sitemap) and from the
stories of that host already in content/. The pipeline calls `learn_site_templates(jobs,
content_dir)` once on its list of jobs; it returns jobs whose articles have the template
blocks removed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

from tdbvantq.importer.article import Article, Block
from tdbvantq.importer.markdown import collapse, strip_markdown
from tdbvantq.importer.urls import canonical_url
from tdbvantq.markdown.header import parse_header
from tdbvantq.text import fold

# Template blocks are short; a long paragraph shared by two stories is reused reporting.
_MAX_TEMPLATE_WORDS = 40
_MIN_ARTICLES = 2
_STORED_PER_HOST = 40  # stories of a host read from content/ (the most recent by path)

Job = tuple[str, Callable[[], Article]]


def _identity(url: str | None, fallback: str) -> str:
    return canonical_url(url) if url else fallback


def host_of(url: str | None) -> str:
    host = (urlsplit(url or "").hostname or "").lower()
    return host.removeprefix("www.")


def _key(text: str) -> str | None:
    text = collapse(text)
    if not text or len(text.split()) > _MAX_TEMPLATE_WORDS:
        return None
    return fold(text)


def _block_keys(block: Block) -> list[str]:
    if block.kind == "figure":
        return []
    texts = block.items if block.items and not block.cells else [block.plain]
    keys = (_key(strip_markdown(t)) if block.items else _key(t) for t in texts)
    return [k for k in keys if k]


class SiteTemplates:
    """Which short text blocks each host prints in several different articles."""

    def __init__(self) -> None:
        self._sources: dict[str, dict[str, set[str]]] = {}  # host -> text -> article sources

    def learn(self, host: str, source: str, texts: Iterable[str]) -> None:
        seen = self._sources.setdefault(host, {})
        for text in texts:
            key = _key(text)
            if key:
                seen.setdefault(key, set()).add(source)

    def learn_article(self, article: Article, source: str) -> None:
        host = host_of(article.source_url)
        if host:
            keys = [k for block in article.blocks for k in _block_keys(block)]
            self._sources.setdefault(host, {})
            for key in keys:
                self._sources[host].setdefault(key, set()).add(
                    _identity(article.source_url, source)
                )

    def learn_content(self, content_dir: Path, hosts: set[str]) -> None:
        """Learn from the stories of `hosts` already in content/articles."""
        counts: dict[str, int] = {}
        for path in sorted((Path(content_dir) / "articles").rglob("*.md"), reverse=True):
            if not path.is_file():  # a FIFO would block the read (the build reports it)
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            header = parse_header(text).values()
            host = host_of(header.get("source"))
            if host not in hosts or counts.get(host, 0) >= _STORED_PER_HOST:
                continue
            counts[host] = counts.get(host, 0) + 1
            body = text.split("\n\n", 1)[1] if "\n\n" in text else ""
            paragraphs = [
                p for p in body.split("\n\n") if p.strip() and not p.lstrip().startswith("<")
            ]
            lines = [line.lstrip("#>-* ").strip() for p in paragraphs for line in p.splitlines()]
            self.learn(
                host, _identity(header.get("source"), str(path)), (strip_markdown(x) for x in lines)
            )

    def is_template(self, host: str, key: str, source: str) -> bool:
        others = self._sources.get(host, {}).get(key, set())
        return len(others | {source}) >= _MIN_ARTICLES and bool(others - {source})

    def strip(self, article: Article, source: str) -> list[str]:
        """Remove the template blocks (and list items) of the article; returns their text."""
        host = host_of(article.source_url)
        own = _identity(article.source_url, source)
        removed: list[str] = []
        kept: list[Block] = []
        for block in article.blocks:
            if block.items and not block.cells:
                items = [i for i in block.items if not self._item_is_template(host, i, own)]
                removed += [i for i in block.items if i not in items]
                block.items = items
                if items:
                    kept.append(block)
                continue
            keys = _block_keys(block)
            if keys and all(self.is_template(host, k, own) for k in keys):
                removed.append(block.plain)
                continue
            kept.append(block)
        article.blocks = kept
        return removed

    def _item_is_template(self, host: str, item: str, source: str) -> bool:
        key = _key(strip_markdown(item))
        return bool(key) and self.is_template(host, key, source)


def learn_site_templates(jobs: list[Job], content_dir: Path) -> list[Job]:
    """Extract every job's article once, learn each host's template from all of them and from
    content/, and return jobs that give the articles without their template blocks.

    A job whose extraction fails gives the same error when run again."""
    if len(jobs) < 2 and not (Path(content_dir) / "articles").is_dir():
        return jobs
    outcomes: list[tuple[str, Article | None, Exception | None]] = []
    for label, make_article in jobs:
        try:
            outcomes.append((label, make_article(), None))
        except Exception as error:  # re-raised by the job, where the pipeline reports it
            outcomes.append((label, None, error))
    templates = SiteTemplates()
    articles = [(label, a) for label, a, _ in outcomes if a is not None]
    hosts = {host_of(a.source_url) for _, a in articles} - {""}
    if hosts:
        templates.learn_content(content_dir, hosts)
    for label, article in articles:
        templates.learn_article(article, label)
    for label, article in articles:
        templates.strip(article, label)
    return [(label, _ready(article, error)) for label, article, error in outcomes]


def _ready(article: Article | None, error: Exception | None) -> Callable[[], Article]:
    def give() -> Article:
        if error is not None:
            raise error
        return article

    return give

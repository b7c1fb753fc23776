"""Import sources into content/: expand feeds, fetch, extract, write. One failure never
stops a batch."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from newsimport.article import Article, NotAnArticle
from newsimport.fetch import Fetcher, FetchError, Response
from newsimport.finish import finish
from newsimport.htmlpage import extract_html_page
from newsimport.images import download_images
from newsimport.models import CatalogueError
from newsimport.sources import SourceError, is_url, load_file, looks_like_feed, parse_feed
from newsimport.templates import learn_site_templates
from newsimport.textcopy import extract_text_copy
from newsimport.urls import canonical_url
from newsimport.writer import (
    article_slug,
    index_by_source,
    plan_write,
    render,
    with_import_lines,
)
from safe_write import write_atomically
from vntext.dates import VIETNAM

_FETCH_WORKERS = 4
_MAX_SITEMAP_DEPTH = 2


@dataclass
class Result:
    source: str
    status: str  # "created" | "updated" | "unchanged" | "failed"
    path: str | None = None
    title: str | None = None
    date: str | None = None
    author: str | None = None
    models: list[str] = field(default_factory=list)
    unknown_models: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "status": self.status,
            "path": self.path,
            "title": self.title,
            "date": self.date,
            "author": self.author,
            "models": self.models,
            "unknown_models": self.unknown_models,
            "warnings": self.warnings,
            "error": self.error,
        }


# --- reading sources ---------------------------------------------------------------------------


def _classify_response(response: Response, source: str) -> str:
    kind = response.content_type
    if kind.startswith(("image/", "audio/", "video/", "font/")) or kind in (
        "application/pdf", "application/zip", "application/octet-stream", "application/json",
    ):
        return f"{source}: không phải trang HTML ({kind})"
    return ""


def _article_from_response(response: Response, source: str) -> Article:
    problem = _classify_response(response, source)
    if problem:
        raise NotAnArticle(problem)
    return extract_html_page(response.text(), response.url, source)


class Importer:
    def __init__(
        self,
        content_dir: Path,
        *,
        dry_run: bool = False,
        force: bool = False,
        source_url: str | None = None,
        fetcher: Fetcher | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.content_dir = Path(content_dir)
        self.dry_run, self.force, self.source_url = dry_run, force, source_url
        self.fetcher = fetcher or Fetcher()
        self.now = now or (lambda: datetime.now(VIETNAM))
        self._index: dict[str, Path] | None = None

    # Each job yields (source label, thunk returning an Article) so feeds expand lazily.
    def _jobs(self, source: str, depth: int = 0) -> Iterator[tuple[str, Callable[[], Article]]]:
        if is_url(source):
            try:
                response = self.fetcher.get(source)
            except FetchError as error:
                yield source, _failing(f"{source}: {error}")
                return
            if looks_like_feed(response.body) or response.content_type in (
                "application/rss+xml", "application/atom+xml",
            ):
                try:
                    links, index = parse_feed(response.body, source)
                except SourceError as error:
                    yield source, _failing(str(error))
                    return
                yield from self._feed_jobs(links, index, depth)
                return
            yield source, lambda: _article_from_response(response, source)
            return
        try:
            loaded = load_file(source)
        except SourceError as error:
            yield source, _failing(str(error))
            return
        if loaded.kind == "feed":
            yield from self._feed_jobs(loaded.links or [], loaded.sitemap_index, depth)
        elif loaded.kind == "text":
            yield source, lambda: self._text_article(loaded.text, source)
        else:
            yield source, lambda: extract_html_page(loaded.text, self.source_url, source)

    def _text_article(self, text: str, source: str) -> Article:
        article = extract_text_copy(text, source)
        if self.source_url:
            article.source_url = self.source_url
        return article

    def _feed_jobs(self, links: list[str], index: bool, depth: int):
        if index:
            if depth >= _MAX_SITEMAP_DEPTH:
                return
            for link in links:
                yield from self._jobs(link, depth + 1)
            return
        # Fetch the pages of a feed in parallel (the fetcher keeps per-host limits).
        with ThreadPoolExecutor(max_workers=_FETCH_WORKERS) as pool:
            futures = [(link, pool.submit(self._fetch_quietly, link)) for link in links]
            for link, future in futures:
                response, error = future.result()
                if error:
                    yield link, _failing(f"{link}: {error}")
                else:
                    yield link, (lambda r=response, s=link: _article_from_response(r, s))

    def _fetch_quietly(self, url: str) -> tuple[Response | None, str | None]:
        try:
            return self.fetcher.get(url), None
        except FetchError as error:
            return None, str(error)

    # --- one article ---------------------------------------------------------------------------

    def _existing(self, source_url: str | None) -> Path | None:
        if not source_url:
            return None
        if self._index is None:
            self._index = index_by_source(self.content_dir)
        return self._index.get(canonical_url(source_url))

    def import_one(self, source: str, make_article: Callable[[], Article]) -> Result:
        try:
            article = finish(make_article(), self.content_dir, source)
        except (NotAnArticle, SourceError) as error:
            return Result(source, "failed", error=str(error))
        except CatalogueError as error:
            return Result(source, "failed", error=f"{source}: {error}")
        slug = article_slug(article)
        target = self.content_dir / "articles" / f"{article.date:%Y}" / f"{slug}.md"
        existing = self._existing(article.source_url)
        if existing is not None:
            slug = existing.stem
        warnings: list[str] = []
        download_images(article, slug, self.content_dir, self.fetcher, dry_run=self.dry_run)
        warnings += article.warnings
        text = render(article, slug)
        plan = plan_write(text, target, existing, article.source_url, self.force)
        result = Result(
            source,
            plan.status,
            path=str(plan.path),
            title=article.title,
            date=article.date.isoformat(),
            author=article.author,
            models=article.models,
            unknown_models=article.unknown_models,
            warnings=warnings,
            error=plan.error,
        )
        if plan.status in ("created", "updated") and not self.dry_run:
            write_atomically(plan.path, with_import_lines(text, self.now()))
            if article.source_url and self._index is not None:
                self._index[canonical_url(article.source_url)] = plan.path
        return result

    def run(
        self, sources: list[str], progress: Callable[[Result, int, int], None] | None = None
    ) -> list[Result]:
        """Import every source; `progress(result, done, total)` is called after each article."""
        jobs = [job for source in sources for job in self._jobs(source)]
        # Text blocks repeated across a host's articles are its template (newsimport.templates).
        jobs = learn_site_templates(jobs, self.content_dir)
        results: list[Result] = []
        for label, make_article in jobs:
            try:
                result = self.import_one(label, make_article)
            except OSError as error:
                where = f" {error.filename}" if error.filename else ""
                reason = f"không đọc/ghi được tệp{where} ({error.strerror or error})"
                result = Result(label, "failed", error=f"{label}: {reason}")
            results.append(result)
            if progress:
                progress(result, len(results), len(jobs))
        return results


def _failing(message: str) -> Callable[[], Article]:
    def fail() -> Article:
        raise SourceError(message)

    return fail


def import_sources(
    sources: list[str],
    content_dir: Path | str = "content",
    *,
    dry_run: bool = False,
    force: bool = False,
    source_url: str | None = None,
    fetcher: Fetcher | None = None,
    progress: Callable[[Result, int, int], None] | None = None,
) -> list[Result]:
    importer = Importer(
        Path(content_dir), dry_run=dry_run, force=force, source_url=source_url, fetcher=fetcher
    )
    return importer.run(sources, progress)

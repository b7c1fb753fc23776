"""Import sources into content/: expand feeds, fetch, extract, write. One failure never
stops a batch."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tdbvantq.importer.article import Article, NotAnArticle
from tdbvantq.importer.fetch import MAX_BYTES, Fetcher, FetchError, Response
from tdbvantq.importer.finish import finish
from tdbvantq.importer.htmlpage import extract_html_page
from tdbvantq.importer.images import download_images
from tdbvantq.importer.models import CatalogueError
from tdbvantq.importer.sites import SiteRules, load_site_rules, site_rules_file
from tdbvantq.importer.sources import (
    FEED_LIMIT,
    SourceError,
    is_url,
    load_file,
    looks_like_feed,
    parse_feed,
    too_many_items,
)
from tdbvantq.importer.steps import DEFAULT_STEPS, ImportSteps
from tdbvantq.importer.templates import learn_site_templates
from tdbvantq.importer.textcopy import extract_text_copy
from tdbvantq.importer.urls import canonical_url
from tdbvantq.importer.writer import (
    article_slug,
    index_by_source,
    place,
    plan_write,
    read_header,
    render,
    with_import_lines,
)
from tdbvantq.text.dates import VIETNAM
from tdbvantq.writes import write_atomically

_FETCH_WORKERS = 4
_MAX_SITEMAP_DEPTH = 2


@dataclass
class Result:
    source: str
    status: str  # "created" | "updated" | "unchanged" | "failed"
    path: str | None = None
    title: str | None = None
    date: str | None = None
    author: str | None = None  # every author, joined with ", "
    authors: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    unknown_models: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    draft: bool = False  # written with `Status: draft`

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "status": self.status,
            "path": self.path,
            "title": self.title,
            "date": self.date,
            "author": self.author,
            "authors": self.authors,
            "models": self.models,
            "unknown_models": self.unknown_models,
            "warnings": self.warnings,
            "error": self.error,
            "draft": self.draft,
        }


# --- reading sources ---------------------------------------------------------------------------


def _classify_response(response: Response, source: str) -> str:
    kind = response.content_type
    if kind.startswith(("image/", "audio/", "video/", "font/")) or kind in (
        "application/pdf",
        "application/zip",
        "application/octet-stream",
        "application/json",
    ):
        return f"{source}: không phải trang HTML ({kind})"
    return ""


def _article_from_response(
    response: Response, source: str, rules: SiteRules, steps: ImportSteps = DEFAULT_STEPS
) -> Article:
    problem = _classify_response(response, source)
    if problem:
        raise NotAnArticle(problem)
    return extract_html_page(
        response.body, response.url, source, response.charset, rules, steps=steps
    )


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
        limit: int = FEED_LIMIT,
        max_file_bytes: int = MAX_BYTES,
        publish: bool = False,
        steps: ImportSteps = DEFAULT_STEPS,
    ) -> None:
        self.content_dir = Path(content_dir)
        # Which of the importer's own steps run (the benchmark switches each one off).
        self.steps = steps
        # New stories are drafts (`Status: draft`) until an editor has read them (issue 21).
        self.publish = publish
        self.limit, self.max_file_bytes = limit, max_file_bytes
        self.dry_run, self.force, self.source_url = dry_run, force, source_url
        self.fetcher = fetcher or Fetcher()
        self.now = now or (lambda: datetime.now(VIETNAM))
        self._index: dict[str, Path] | None = None
        # The per-site rules of this content folder (none when it has no data/sites.toml);
        # a broken file raises SiteRulesError before anything is fetched.
        self.rules: SiteRules = (
            load_site_rules(site_rules_file(self.content_dir)) if steps.site_rules else SiteRules()
        )

    # Each job yields (source label, thunk returning an Article) so feeds expand lazily.
    def _jobs(self, source: str) -> Iterator[tuple[str, Callable[[], Article]]]:
        if is_url(source):
            try:
                response = self.fetcher.get(source)
            except FetchError as error:
                yield source, _failing(f"{source}: {error}")
                return
            if _is_feed(response):
                try:
                    links, index = parse_feed(response.body, source)
                except SourceError as error:
                    yield source, _failing(str(error))
                    return
                yield from self._feed_jobs(source, links, index)
                return
            yield source, lambda: _article_from_response(response, source, self.rules, self.steps)
            return
        try:
            loaded = load_file(source, self.max_file_bytes)
        except SourceError as error:
            yield source, _failing(str(error))
            return
        if loaded.kind == "feed":
            yield from self._feed_jobs(source, loaded.links or [], loaded.sitemap_index)
        elif loaded.kind == "text":
            yield source, lambda: self._text_article(loaded.text, source)
        else:
            yield (
                source,
                lambda: extract_html_page(
                    loaded.data, self.source_url, source, rules=self.rules, steps=self.steps
                ),
            )

    def _text_article(self, text: str, source: str) -> Article:
        article = extract_text_copy(text, source)
        if self.source_url:
            article.source_url = self.source_url
        return article

    def _article_links(self, links: list[str], index: bool, depth: int = 0):
        """(article links, failed sitemaps as (url, reason)); sitemap indexes are followed."""
        if not index:
            return links, []
        articles: list[str] = []
        failures: list[tuple[str, str]] = []
        for link in links if depth < _MAX_SITEMAP_DEPTH else []:
            try:
                child, child_index = parse_feed(self.fetcher.get(link).body, link)
            except (FetchError, SourceError) as error:
                failures.append(
                    (link, str(error) if isinstance(error, SourceError) else f"{link}: {error}")
                )
                continue
            found, failed = self._article_links(child, child_index, depth + 1)
            articles += found
            failures += failed
        return list(dict.fromkeys(articles)), failures

    def _feed_jobs(self, source: str, links: list[str], index: bool):
        articles, failures = self._article_links(links, index)
        for link, reason in failures:
            yield link, _failing(reason)
        left_out = len(articles) - self.limit
        articles = articles[: self.limit]
        # Fetch the pages of a feed in parallel (the fetcher keeps per-host limits).
        with ThreadPoolExecutor(max_workers=_FETCH_WORKERS) as pool:
            futures = [(link, pool.submit(self._fetch_quietly, link)) for link in articles]
            for link, future in futures:
                response, error = future.result()
                if error:
                    yield link, _failing(f"{link}: {error}")
                else:
                    yield (
                        link,
                        (
                            lambda r=response, s=link: _article_from_response(
                                r, s, self.rules, self.steps
                            )
                        ),
                    )
        if left_out > 0:
            yield source, _failing(too_many_items(source, self.limit + left_out, self.limit))

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

    def _finished(self, source: str, make_article: Callable[[], Article]) -> Article | str:
        """The article as it will be written, or why there is none."""
        try:
            return finish(make_article(), self.content_dir, source, steps=self.steps)
        except (NotAnArticle, SourceError) as error:
            return str(error)
        except CatalogueError as error:
            return f"{source}: {error}"

    def articles(self, source: str) -> Iterator[tuple[str, Article | str]]:
        """Each article of `source` as an import would write it, or why it is refused;
        nothing is written and no photo is downloaded (benchmarks read this)."""
        for label, make_article in self._jobs(source):
            yield label, self._finished(label, make_article)

    def import_one(self, source: str, make_article: Callable[[], Article]) -> Result:
        article = self._finished(source, make_article)
        if isinstance(article, str):
            return Result(source, "failed", error=article)
        year = f"{article.date:%Y}" if article.date else f"{self.now():%Y}"
        target = self.content_dir / "articles" / year / f"{article_slug(article)}.md"
        path, collision = place(article, target, self._existing(article.source_url))
        warnings = [collision] if collision else []
        if not (self.publish or _published(path)):
            article.draft = True
        download_images(article, path.stem, self.content_dir, self.fetcher, dry_run=self.dry_run)
        warnings += article.warnings
        text = render(article, path.stem)
        plan = plan_write(text, path, self.force)
        result = Result(
            source,
            plan.status,
            path=str(plan.path),
            title=article.title,
            date=article.date.isoformat() if article.date else None,
            author=article.author,
            authors=list(article.authors),
            models=article.models,
            unknown_models=article.unknown_models,
            warnings=warnings,
            error=plan.error,
            draft=article.draft or not article.date,
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
        if self.steps.templates:
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


def _published(path: Path) -> bool:
    """Whether the story's file exists and an editor has published it (no `Status: draft`):
    a re-import keeps it published."""
    return path.exists() and read_header(path).get("status", "published").strip().lower() != "draft"


def _is_feed(response: Response) -> bool:
    return looks_like_feed(response.body) or response.content_type in (
        "application/rss+xml",
        "application/atom+xml",
    )


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
    limit: int = FEED_LIMIT,
    max_file_bytes: int = MAX_BYTES,
    publish: bool = False,
    steps: ImportSteps = DEFAULT_STEPS,
) -> list[Result]:
    """Import every source into `content_dir`, with the per-site rules of its
    data/sites.toml (none without that file; SiteRulesError, naming the file and the line,
    when it is invalid); one Result per article (and per failure). Stories are written as
    drafts (`Status: draft`) unless `publish`."""
    importer = Importer(
        Path(content_dir),
        dry_run=dry_run,
        force=force,
        source_url=source_url,
        fetcher=fetcher,
        limit=limit,
        max_file_bytes=max_file_bytes,
        publish=publish,
        steps=steps,
    )
    return importer.run(sources, progress)

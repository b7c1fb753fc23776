"""News importer: article pages, saved pages, browser text copies, feeds and sitemaps ->
clean Markdown articles in content/articles/. The CLI is scripts/import_news.py."""

from tdbvantq.importer.pipeline import Importer, Result, import_sources

__all__ = ["Importer", "Result", "import_sources"]

"""pelican-sitemap's dates, formatted by news_jsonld's `sitemap_date` (datetime's own
strftime) instead of Pelican's directive-by-directive one (issue 24: ~35 µs a page,
~1,500 pages at 1,000 stories): the same text, and the same sitemap.xml."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from pelican.plugins.sitemap import sitemap
from pelican.utils import SafeDatetime

from news_jsonld.plugin import sitemap_date
from support import build_with_caches
from support.newsroom import NOW, write_newsroom_content

# The build, run in this process with pelican-sitemap's own format_date kept.
ORIGINAL_DATES = """
import runpy, sys
import news_jsonld.plugin
news_jsonld.plugin.quick_sitemap_dates = lambda *args: None
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""

ZONES = [
    None,
    UTC,
    timezone(timedelta(hours=7)),
    timezone(timedelta(hours=-3, minutes=-30)),
    timezone(timedelta(hours=5, minutes=45, seconds=30)),
    ZoneInfo("Asia/Ho_Chi_Minh"),
    ZoneInfo("America/New_York"),
]


@pytest.mark.parametrize("kind", [SafeDatetime, datetime])
@pytest.mark.parametrize("zone", ZONES)
def test_sitemap_dates_are_pelican_sitemaps_text(kind: type, zone: timezone | None) -> None:
    assert sitemap.format_date is not sitemap_date  # this process never patched it
    for moment in (
        kind(2026, 4, 1, 8, 0, tzinfo=zone),
        kind(2017, 9, 25, 9, 9, 5, 123456, tzinfo=zone),
        kind(999, 1, 2, 3, 4, 5, tzinfo=zone),
        kind(1, 1, 1, tzinfo=zone) if zone is None else kind(2, 1, 1, tzinfo=zone),
        kind(9999, 12, 31, 23, 59, 59, tzinfo=zone) if zone is None else kind(9998, 1, 1),
    ):
        assert sitemap_date(moment) == sitemap.format_date(moment)


def test_a_builds_sitemap_is_the_same_with_pelican_sitemaps_own_dates(tmp_path) -> None:
    write_newsroom_content(tmp_path / "content")
    ours = build_with_caches(tmp_path, "ours", "SEARCH_INDEX_ENABLED=false", now=NOW)
    assert ours.returncode == 0, ours.stderr
    theirs = build_with_caches(
        tmp_path,
        "theirs",
        "SEARCH_INDEX_ENABLED=false",
        cache="cache-theirs",
        now=NOW,
        python_args=["-c", ORIGINAL_DATES],
    )
    assert theirs.returncode == 0, theirs.stderr
    built = (tmp_path / "ours" / "sitemap.xml").read_bytes()
    assert built.count(b"<lastmod>") > 20
    assert built == (tmp_path / "theirs" / "sitemap.xml").read_bytes()

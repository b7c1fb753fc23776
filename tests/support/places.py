"""The places fixture (tests/fixtures/places/content, 50 stories) built with the site's settings."""

from __future__ import annotations

from pathlib import Path

from support.site import ROOT, run_pelican

FIXTURE = ROOT / "tests" / "fixtures" / "places" / "content"
HOME_PLACES = ROOT / "theme" / "templates" / "partials" / "home_places.html"


def build_places_site(work: Path, content: Path = FIXTURE, extra: dict | None = None) -> Path:
    """The 50-story places fixture (or a copy of it) built through the real Pelican
    build; its output folder. `extra`: more settings."""
    output = work / "output"
    result = run_pelican(
        content,
        output,
        extra={
            **(extra or {}),
            "SEARCH_INDEX_DIR": str(work / "index"),
            "ACRONYMS_FILE": str(FIXTURE / "data" / "acronyms.txt"),
            "MINIFY_ASSETS": False,
            "SITE_BUILD_NOW": "2026-01-01 00:00+07:00",
            # The home page's place block, rendered alone with the build's context
            # (the home page includes it when present).
            "TEMPLATE_PAGES": {str(HOME_PLACES): "test-home-places.html"},
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Địa bàn “" not in result.stdout + result.stderr  # every fixture name is known
    return output

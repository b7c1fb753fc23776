"""Issue 11, case 10: tampered browser index files give the page's message and no
uncaught error in the console (real site, real Chromium)."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from sitebench.browser import serve_directory

FAILED = "Không tải được chỉ mục tìm kiếm"


def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(max(path.stat().st_size, 64)))


def _wrong_json(path: Path) -> None:
    path.write_bytes(gzip.compress(b'{"unexpected": [1, 2, 3]}'))


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


TAMPERINGS = {
    "manifest-random": ("manifest.json.gz", _random_bytes),
    "manifest-wrong-json": ("manifest.json.gz", _wrong_json),
    "docs-truncated": ("docs.*.json.gz", _truncated),
    "docs-wrong-json": ("docs.*.json.gz", _wrong_json),
    "shards-random": ("t/*.json.gz", _random_bytes),
    "fragments-wrong-json": ("f/*.json.gz", _wrong_json),
}


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_tampered_index_shows_the_message_and_no_console_error(
    page, built_site, tmp_path: Path, name: str
) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site.output, site)
    pattern, damage = TAMPERINGS[name]
    files = sorted((site / "search").glob(pattern))
    assert files, pattern
    for path in files:
        damage(path)
    with serve_directory(site) as url:
        page.goto(f"{url}/search.html?q={quote('dong ho tu quan')}")
        page.wait_for_function(
            "text => document.getElementById('search-status').textContent.includes(text)",
            arg=FAILED,
        )
        page.wait_for_timeout(500)  # let any late rejection surface
    assert page.errors == []

"""plugins/web_fonts: the theme's woff2 files are copied from node_modules; a missing
one stops the build with one line naming it, no traceback, nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import ROOT, run_pelican
from web_fonts import FONT_FILES, copy_fonts
from web_fonts.plugin import FontMissingError


def test_copies_every_declared_subset(tmp_path: Path) -> None:
    written = copy_fonts(ROOT / "node_modules", tmp_path / "fonts")
    assert sorted(p.name for p in written) == sorted(name for _, name in FONT_FILES)
    for package, name in FONT_FILES:
        assert (tmp_path / "fonts" / name).read_bytes() == (
            ROOT / "node_modules" / package / name
        ).read_bytes()
        assert ("latin" in name or "vietnamese" in name) and name.endswith(".woff2")


def test_missing_file_names_it_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(FontMissingError, match="noto-serif-latin-wght-normal.woff2.*npm ci"):
        copy_fonts(tmp_path / "empty", tmp_path / "fonts")
    assert not (tmp_path / "fonts").exists()


def test_build_without_the_packages_fails_in_one_line(tmp_path: Path) -> None:
    result = run_pelican(
        ROOT / "content",
        tmp_path / "output",
        extra={
            "WEB_FONTS_NODE_MODULES": str(tmp_path / "nothing"),
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        },
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "web font not found" in log and "run `npm ci`" in log
    assert "Traceback" not in log

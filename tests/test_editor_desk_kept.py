"""The desk's files are linked from copies kept in the cache folder, not written again at
every build: real files, `write_desk` into real output folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pelican.settings import get_settings_from_file

from editor_desk import plugin
from tdbvantq.settings import check_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def settings(tmp_path: Path) -> dict:
    settings = get_settings_from_file(str(ROOT / "pelicanconf.py"))
    check_settings(settings, [plugin.SETTINGS])
    return {**settings, "CACHE_PATH": str(tmp_path / "cache")}


def _copied(desk: Path) -> list[Path]:
    """The desk's files copied from Decap's bundle and the plugin's static folder."""
    written = {"index.html", "config.yml", "schema.json", "rules.json"}
    return sorted(path for path in desk.iterdir() if path.name not in written)


def test_every_build_links_the_same_kept_copies(tmp_path: Path, settings: dict) -> None:
    one = plugin.write_desk(tmp_path / "one", settings, ROOT / "content")
    two = plugin.write_desk(tmp_path / "two", settings, ROOT / "content")
    kept = tmp_path / "cache" / "editor-desk"
    files = _copied(one)
    assert len(files) > 50 and [p.name for p in files] == [p.name for p in _copied(two)]
    decap = Path(plugin.SETTINGS.read(settings, "DESK_DECAP_DIR"))
    for path in files:
        source = decap / path.name if (decap / path.name).is_file() else plugin.STATIC / path.name
        assert path.read_bytes() == source.read_bytes()
        assert path.stat().st_mtime_ns == source.stat().st_mtime_ns  # as the copy had it
        assert path.stat().st_ino == (two / path.name).stat().st_ino  # one file, linked
        assert path.stat().st_ino != source.stat().st_ino  # never the source itself
        assert path.samefile(
            kept / f"{source.stat().st_size}-{source.stat().st_mtime_ns}-{path.name}"
        )
    assert len(list(kept.iterdir())) == len(files)


def test_a_changed_source_is_kept_anew_and_the_old_copy_goes(
    tmp_path: Path, settings: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    static = tmp_path / "static"
    static.mkdir()
    for path in plugin.STATIC.iterdir():
        (static / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(plugin, "STATIC", static)
    first = plugin.write_desk(tmp_path / "one", settings, ROOT / "content")
    desk_js = static / "desk.js"
    desk_js.write_bytes(desk_js.read_bytes() + b"\n// edited\n")
    os.utime(desk_js, ns=(desk_js.stat().st_atime_ns, desk_js.stat().st_mtime_ns + 10**9))
    kept = tmp_path / "cache" / "editor-desk"
    before = {path.name for path in kept.iterdir()}
    monkeypatch.setattr(plugin, "KEPT_DAYS", 0)  # unused since now: removed at once
    second = plugin.write_desk(tmp_path / "two", settings, ROOT / "content")
    assert (second / "desk.js").read_bytes() == desk_js.read_bytes()
    assert (first / "desk.js").read_bytes() != desk_js.read_bytes()  # the first site unchanged
    after = {path.name for path in kept.iterdir()}
    assert len(after) == len(before)
    assert [name for name in before - after if name.endswith("-desk.js")] == [
        name for name in before - after
    ]


def test_without_a_cache_folder_the_files_are_copied(tmp_path: Path, settings: dict) -> None:
    settings = {**settings, "CACHE_PATH": ""}
    desk = plugin.write_desk(tmp_path / "one", settings, ROOT / "content")
    for path in _copied(desk):
        assert path.stat().st_nlink == 1
